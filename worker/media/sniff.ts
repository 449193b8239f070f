// What a file is, from its bytes only (never its name), and its stored pixel size from the header.
// `file-type/core` works on a Uint8Array without Node built-ins, so the same import serves the
// browser worker bundle and the Node tests.
import { fileTypeFromBuffer } from 'file-type/core';
import { imageSize } from 'image-size';
import type { Sniffed } from '../shared/api';
import { MediaError } from '../shared/errors';

type Kind = Omit<Sniffed, 'width' | 'height'>;

const image = (mime: string, format: string): Kind => ({ type: 'image', mime, format });
const video = (mime: string, format: string): Kind => ({ type: 'video', mime, format });

/** file-type's extension → what Shoebox can show. */
const SUPPORTED: Record<string, Kind> = {
	jpg: image('image/jpeg', 'jpeg'),
	png: image('image/png', 'png'),
	// Animated PNG: browsers decode it as a PNG (first frame), so it is stored as one.
	apng: image('image/png', 'png'),
	gif: image('image/gif', 'gif'),
	webp: image('image/webp', 'webp'),
	avif: image('image/avif', 'avif'),
	heic: image('image/heic', 'heic'),
	mp4: video('video/mp4', 'mp4'),
	mov: video('video/quicktime', 'mov'),
	m4v: video('video/x-m4v', 'm4v'),
	'3gp': video('video/3gpp', '3gp'),
	'3g2': video('video/3gpp2', '3g2'),
	webm: video('video/webm', 'webm'),
	mkv: video('video/matroska', 'mkv'),
	avi: video('video/vnd.avi', 'avi')
};

const RAW = new Set(['arw', 'cr2', 'cr3', 'crw', 'dng', 'nef', 'orf', 'raf', 'rw2']);

/** Names people know, for the "not supported" message. */
const LABELS: Record<string, string> = {
	tif: 'TIFF',
	jxl: 'JPEG XL',
	jpx: 'JPEG 2000',
	jp2: 'JPEG 2000',
	psd: 'Photoshop (PSD)',
	mpg: 'MPEG-1/2 video',
	mts: 'MPEG transport stream (MTS)',
	flv: 'Flash video',
	asf: 'Windows Media',
	ogv: 'Ogg video'
};

export const EMPTY_MESSAGE = 'The file is empty (0 bytes).';
export const UNKNOWN_MESSAGE = 'This file is not a photo or video Shoebox can read (unrecognised content).';
export const TEXT_MESSAGE = 'This file contains text, not a photo or video.';

export async function sniff(bytes: Uint8Array): Promise<Sniffed> {
	if (bytes.length === 0) throw new MediaError(EMPTY_MESSAGE, true);
	let found: { ext: string; mime: string } | undefined;
	try {
		found = await fileTypeFromBuffer(bytes);
	} catch {
		// A container parser choking on malformed bytes means we cannot tell what this is.
		found = undefined;
	}
	if (!found || found.ext === 'xml') {
		if (!looksLikeText(bytes)) throw new MediaError(UNKNOWN_MESSAGE, true);
		if (/<svg[\s>]/i.test(latin1(bytes.subarray(0, 4096)))) {
			throw new MediaError('SVG files are not supported yet.', true);
		}
		throw new MediaError(TEXT_MESSAGE, true);
	}
	const kind = classify(found.ext, found.mime, bytes);
	const size = kind.type === 'image' ? storedSize(bytes, kind.format) : null;
	return { ...kind, width: size?.width ?? null, height: size?.height ?? null };
}

function classify(ext: string, mime: string, bytes: Uint8Array): Kind {
	if (ext === 'heic') {
		if (mime.endsWith('-sequence')) throw new MediaError('HEIF image sequences are not supported yet.', true);
		// file-type names every `mif1` file HEIF, but AVIF stills may carry that major brand too.
		if (ftypBrands(bytes).includes('avif')) return SUPPORTED.avif;
	}
	const kind = SUPPORTED[ext];
	if (kind) return kind;
	const label = LABELS[ext] ?? ext.toUpperCase();
	if (RAW.has(ext)) throw new MediaError(`Camera RAW files (${label}) are not supported yet.`, true);
	if (mime.startsWith('image/') || mime.startsWith('video/')) {
		throw new MediaError(`${label} files are not supported yet.`, true);
	}
	throw new MediaError(`This is a ${label} file (${mime}), not a photo or video.`, true);
}

/** UTF-8 without control characters (other than tab, newlines, form feed) in the first 4 KiB. */
function looksLikeText(bytes: Uint8Array): boolean {
	let text: string;
	try {
		// stream: a multi-byte character cut at the sample's end is not an error.
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 4096), { stream: true });
	} catch {
		return false;
	}
	return !/[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text);
}

function latin1(bytes: Uint8Array): string {
	return String.fromCharCode(...bytes);
}

export function assertPixelLimit(width: number, height: number, maxPixels: number): void {
	const pixels = width * height;
	if (pixels <= maxPixels) return;
	const mp = (n: number) => Number((n / 1e6).toFixed(1));
	throw new MediaError(
		`Image is ${width}×${height} (${(pixels / 1e6).toFixed(1)} megapixels), over the ${mp(maxPixels)} ` +
			'megapixel limit: refused before decoding to protect memory.',
		true
	);
}

interface Size {
	width: number;
	height: number;
}

function storedSize(bytes: Uint8Array, format: string): Size | null {
	if (format === 'heic' || format === 'avif') return heifPrimarySize(bytes);
	try {
		const { width, height } = imageSize(bytes);
		return width > 0 && height > 0 ? { width, height } : null;
	} catch {
		// The header is damaged or lies beyond the bytes we were given.
		return null;
	}
}

// --- HEIF (HEIC/AVIF): image-size reports the largest `ispe` and ignores `irot`, but what is shown is
// the primary item (`pitm`) with its own rotation. This reads just those boxes.

interface Box {
	type: string;
	/** Payload start and end (after the header). */
	start: number;
	end: number;
}

function childBoxes(view: DataView, from: number, to: number): Box[] {
	const out: Box[] = [];
	let off = from;
	while (off + 8 <= to) {
		let size = view.getUint32(off);
		let header = 8;
		if (size === 1) {
			size = Number(view.getBigUint64(off + 8));
			header = 16;
		} else if (size === 0) {
			size = to - off;
		}
		// A box cut off by the end of the given bytes (or a lying size) ends the walk.
		if (size < header || off + size > to) break;
		const type = latin1(new Uint8Array(view.buffer, view.byteOffset + off + 4, 4));
		out.push({ type, start: off + header, end: off + size });
		off += size;
	}
	return out;
}

const find = (boxes: Box[], type: string) => boxes.find((b) => b.type === type);

function ftypBrands(bytes: Uint8Array): string[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	try {
		const ftyp = find(childBoxes(view, 0, bytes.length), 'ftyp');
		if (!ftyp) return [];
		const brands = [latin1(bytes.subarray(ftyp.start, ftyp.start + 4))];
		// Skip minor_version; the compatible brands follow, four bytes each.
		for (let p = ftyp.start + 8; p + 4 <= ftyp.end; p += 4) brands.push(latin1(bytes.subarray(p, p + 4)));
		return brands;
	} catch {
		return [];
	}
}

/** The primary item's `ispe`, swapped when its `irot` turns it by 90° or 270°; null if not found. */
export function heifPrimarySize(bytes: Uint8Array): Size | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	try {
		const meta = find(childBoxes(view, 0, bytes.length), 'meta');
		if (!meta) return null;
		// meta, pitm, ipma and ispe are FullBoxes: 1 byte version + 3 bytes flags before their fields.
		const inMeta = childBoxes(view, meta.start + 4, meta.end);
		const pitm = find(inMeta, 'pitm');
		const iprp = find(inMeta, 'iprp');
		if (!pitm || !iprp) return null;
		const primary = view.getUint8(pitm.start) === 0 ? view.getUint16(pitm.start + 4) : view.getUint32(pitm.start + 4);
		const inIprp = childBoxes(view, iprp.start, iprp.end);
		const ipco = find(inIprp, 'ipco');
		if (!ipco) return null;
		const properties = childBoxes(view, ipco.start, ipco.end);
		let size: Size | null = null;
		let quarterTurns = 0;
		for (const ipma of inIprp.filter((b) => b.type === 'ipma')) {
			for (const index of propertyIndexes(view, ipma, primary)) {
				const prop = properties[index - 1];
				if (prop?.type === 'ispe') size = { width: view.getUint32(prop.start + 4), height: view.getUint32(prop.start + 8) };
				// irot: 6 reserved bits, then the anticlockwise angle in quarter turns.
				if (prop?.type === 'irot') quarterTurns = view.getUint8(prop.start) & 3;
			}
		}
		if (!size || size.width === 0 || size.height === 0) return null;
		return quarterTurns % 2 === 1 ? { width: size.height, height: size.width } : size;
	} catch {
		// Out-of-range reads: the boxes are damaged or cut short.
		return null;
	}
}

/** 1-based `ipco` indexes associated with one item in an `ipma` box. */
function propertyIndexes(view: DataView, ipma: Box, item: number): number[] {
	const version = view.getUint8(ipma.start);
	const wide = (view.getUint8(ipma.start + 3) & 1) === 1;
	const count = view.getUint32(ipma.start + 4);
	let p = ipma.start + 8;
	for (let i = 0; i < count && p < ipma.end; i++) {
		const id = version < 1 ? view.getUint16(p) : view.getUint32(p);
		p += version < 1 ? 2 : 4;
		const n = view.getUint8(p++);
		const indexes: number[] = [];
		for (let j = 0; j < n; j++) {
			// The top bit marks an essential property; the rest is the index.
			indexes.push(wide ? view.getUint16(p) & 0x7fff : view.getUint8(p) & 0x7f);
			p += wide ? 2 : 1;
		}
		if (id === item) return indexes;
	}
	return [];
}
