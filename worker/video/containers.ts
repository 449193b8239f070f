// Small container readers for what the demuxer does not expose: the QuickTime/MP4 creation time
// (mvhd) and location (udta ©xyz), the Matroska DateUTC, and the AVI header (mediabunny does not
// read AVI at all). They read a few slices of a Blob, never the whole file. Pure otherwise.
import type { Gps } from '../../src/lib/db/types';

const MAX_MOOV = 32 << 20;
const HEAD = 1 << 20;

async function slice(file: Blob, start: number, end: number): Promise<Uint8Array> {
	return new Uint8Array(await file.slice(start, Math.min(end, file.size)).arrayBuffer());
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) * 2 ** 32 + u32(b, o + 4);
const le32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const le16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

// ---- ISO BMFF (MP4 / QuickTime) -------------------------------------------------------------

interface Box {
	type: string;
	/** Offset of the payload within the buffer, and its end. */
	start: number;
	end: number;
}

/** The boxes directly inside `b[from, to)`; stops at the first malformed header. */
export function childBoxes(b: Uint8Array, from = 0, to = b.length): Box[] {
	const out: Box[] = [];
	let o = from;
	while (o + 8 <= to) {
		let size = u32(b, o);
		let header = 8;
		if (size === 1) {
			if (o + 16 > to) break;
			size = u64(b, o + 8);
			header = 16;
		} else if (size === 0) size = to - o;
		if (size < header || o + size > to) break;
		out.push({ type: fourcc(b, o + 4), start: o + header, end: o + size });
		o += size;
	}
	return out;
}

/** Seconds between 1904-01-01 (QuickTime's epoch) and 1970-01-01. */
const MAC_EPOCH = 2082844800;

/** mvhd creation_time as an ISO UTC string; null when zero (unset) or implausible. */
export function mvhdCreationTime(moov: Uint8Array): string | null {
	const mvhd = childBoxes(moov).find((x) => x.type === 'mvhd');
	if (!mvhd || mvhd.end - mvhd.start < 20) return null;
	const version = moov[mvhd.start];
	const secs = version === 1 ? u64(moov, mvhd.start + 4) : u32(moov, mvhd.start + 4);
	if (!secs) return null;
	const ms = (secs - MAC_EPOCH) * 1000;
	// Before 1970 means the writer used the Unix epoch or garbage; either way not a capture date.
	if (ms <= 0 || ms > Date.UTC(2200, 0, 1)) return null;
	return new Date(ms).toISOString();
}

/** ISO 6709 `+43.4675+011.8851/` (altitude optional) → decimal degrees, or null. */
export function parseIso6709(s: string): Gps | null {
	const m = /([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)/.exec(s);
	if (!m) return null;
	const lat = Number(m[1]);
	const lon = Number(m[2]);
	if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
	if (lat === 0 && lon === 0) return null;
	return { lat: Number(lat.toFixed(6)), lon: Number(lon.toFixed(6)) };
}

/** The udta ©xyz location of a moov box: a 16-bit length, a 16-bit language, then ISO 6709 text. */
export function udtaLocation(moov: Uint8Array): Gps | null {
	const udta = childBoxes(moov).find((x) => x.type === 'udta');
	if (!udta) return null;
	const xyz = childBoxes(moov, udta.start, udta.end).find((x) => x.type === '\u00a9xyz');
	if (!xyz) return null;
	const body = moov.subarray(xyz.start, xyz.end);
	const len = (body[0] << 8) | body[1];
	const text = String.fromCharCode(...body.subarray(4, 4 + Math.min(len, body.length - 4)));
	return parseIso6709(text);
}

/** The moov box's payload, found by walking the top-level boxes (it may sit at the end). */
export async function readMoov(file: Blob): Promise<Uint8Array | null> {
	let o = 0;
	for (let i = 0; i < 10_000 && o + 8 <= file.size; i++) {
		const h = await slice(file, o, o + 16);
		let size = u32(h, 0);
		let header = 8;
		if (size === 1) {
			size = u64(h, 8);
			header = 16;
		} else if (size === 0) size = file.size - o;
		if (size < header) return null;
		if (fourcc(h, 4) === 'moov') {
			if (size > MAX_MOOV || o + size > file.size) return null;
			return slice(file, o + header, o + size);
		}
		o += size;
	}
	return null;
}

export interface QuickTimeMeta {
	creationTime: string | null;
	gps: Gps | null;
}

export async function quickTimeMeta(file: Blob): Promise<QuickTimeMeta> {
	const moov = await readMoov(file);
	if (!moov) return { creationTime: null, gps: null };
	return { creationTime: mvhdCreationTime(moov), gps: udtaLocation(moov) };
}

// ---- Matroska / WebM -----------------------------------------------------------------------

function vint(b: Uint8Array, o: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | null {
	const first = b[o];
	if (first === undefined || first === 0) return null;
	const length = Math.clz32(first) - 23;
	if (o + length > b.length) return null;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		value = value * 256 + b[o + i];
		if (b[o + i] !== 0xff) allOnes = false;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

const EBML_SEGMENT = 0x18538067;
const EBML_INFO = 0x1549a966;
const EBML_DATE_UTC = 0x4461;
const EBML_CLUSTER = 0x1f43b675;
/** 2001-01-01T00:00:00Z: Matroska's DateUTC epoch. */
const MKV_EPOCH_MS = Date.UTC(2001, 0, 1);

/** The Segment's Info DateUTC (ns since 2001) from the first bytes of a Matroska/WebM file. */
export function matroskaDate(b: Uint8Array): string | null {
	let o = 0;
	let end = b.length;
	for (let guard = 0; guard < 10_000 && o < end; guard++) {
		const id = vint(b, o, true);
		if (!id) return null;
		const size = vint(b, o + id.length, false);
		if (!size) return null;
		const body = o + id.length + size.length;
		if (id.value === EBML_SEGMENT || id.value === EBML_INFO) {
			// Descend: the Info element sits inside the Segment, DateUTC inside Info.
			end = size.unknown ? b.length : Math.min(b.length, body + size.value);
			o = body;
			continue;
		}
		if (id.value === EBML_DATE_UTC && size.value === 8 && body + 8 <= b.length) {
			const view = new DataView(b.buffer, b.byteOffset + body, 8);
			const ns = view.getBigInt64(0);
			if (ns === 0n) return null;
			const ms = MKV_EPOCH_MS + Number(ns / 1_000_000n);
			return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
		}
		if (id.value === EBML_CLUSTER || size.unknown) return null;
		o = body + size.value;
	}
	return null;
}

export async function matroskaMeta(file: Blob): Promise<QuickTimeMeta> {
	return { creationTime: matroskaDate(await slice(file, 0, HEAD)), gps: null };
}

// ---- AVI (RIFF) ----------------------------------------------------------------------------

export interface AviInfo {
	width: number;
	height: number;
	fps: number | null;
	durationS: number | null;
	/** ffprobe-style names: mjpeg, h264, mpeg4, pcm_s16le, mp3 … */
	videoCodec: string | null;
	audioCodec: string | null;
}

const AVI_VIDEO: Record<string, string> = {
	MJPG: 'mjpeg',
	AVC1: 'h264',
	H264: 'h264',
	X264: 'h264',
	XVID: 'mpeg4',
	DIVX: 'mpeg4',
	DX50: 'mpeg4',
	FMP4: 'mpeg4',
	MP42: 'msmpeg4v2',
	MP43: 'msmpeg4v3',
	HEVC: 'hevc',
	H265: 'hevc',
	DVSD: 'dvvideo'
};

function aviAudio(tag: number, bits: number): string {
	if (tag === 1) return bits === 8 ? 'pcm_u8' : `pcm_s${bits}le`;
	if (tag === 3) return `pcm_f${bits}le`;
	if (tag === 6) return 'pcm_alaw';
	if (tag === 7) return 'pcm_mulaw';
	if (tag === 0x55) return 'mp3';
	if (tag === 0xff || tag === 0x1610) return 'aac';
	if (tag === 0x2000) return 'ac3';
	return `audio 0x${tag.toString(16)}`;
}

type RiffChunk = { id: string; list: string | null; start: number; end: number };

function riffChunks(b: Uint8Array, from: number, to: number): RiffChunk[] {
	const out: RiffChunk[] = [];
	let o = from;
	while (o + 8 <= Math.min(to, b.length)) {
		const id = fourcc(b, o);
		const size = le32(b, o + 4);
		const isList = id === 'LIST' || id === 'RIFF';
		out.push({ id, list: isList ? fourcc(b, o + 8) : null, start: o + (isList ? 12 : 8), end: Math.min(o + 8 + size, to) });
		o += 8 + size + (size & 1);
	}
	return out;
}

/** The AVI header list (hdrl): frame size, rate, length and the streams' codecs. Throws when absent. */
export function parseAviHeader(b: Uint8Array): AviInfo {
	if (fourcc(b, 0) !== 'RIFF' || fourcc(b, 8) !== 'AVI ') throw new Error('not an AVI file');
	const hdrl = riffChunks(b, 12, b.length).find((c) => c.list === 'hdrl');
	if (!hdrl) throw new Error('the AVI header (hdrl) is missing');
	const parts = riffChunks(b, hdrl.start, hdrl.end);
	const avih = parts.find((c) => c.id === 'avih');
	if (!avih || avih.end - avih.start < 40) throw new Error('the AVI main header is truncated');
	const info: AviInfo = {
		width: le32(b, avih.start + 32),
		height: le32(b, avih.start + 36),
		fps: null,
		durationS: null,
		videoCodec: null,
		audioCodec: null
	};
	const usPerFrame = le32(b, avih.start);
	const totalFrames = le32(b, avih.start + 16);
	for (const strl of parts.filter((c) => c.list === 'strl')) {
		const inner = riffChunks(b, strl.start, strl.end);
		const strh = inner.find((c) => c.id === 'strh');
		const strf = inner.find((c) => c.id === 'strf');
		if (!strh || strh.end - strh.start < 36) continue;
		const type = fourcc(b, strh.start);
		const scale = le32(b, strh.start + 20);
		const rate = le32(b, strh.start + 24);
		const length = le32(b, strh.start + 32);
		if (type === 'vids' && info.videoCodec === null) {
			const handler = strf && strf.end - strf.start >= 20 ? fourcc(b, strf.start + 16) : fourcc(b, strh.start + 4);
			info.videoCodec = AVI_VIDEO[handler.toUpperCase()] ?? handler.trim().toLowerCase();
			if (scale && rate) {
				info.fps = Number((rate / scale).toFixed(3));
				info.durationS = Number(((length * scale) / rate).toFixed(3));
			}
		} else if (type === 'auds' && info.audioCodec === null && strf && strf.end - strf.start >= 16) {
			info.audioCodec = aviAudio(le16(b, strf.start), le16(b, strf.start + 14));
		}
	}
	if (info.fps === null && usPerFrame) info.fps = Number((1e6 / usPerFrame).toFixed(3));
	if (info.durationS === null && usPerFrame && totalFrames) info.durationS = Number(((totalFrames * usPerFrame) / 1e6).toFixed(3));
	return info;
}

export async function readAviHeader(file: Blob): Promise<AviInfo> {
	return parseAviHeader(await slice(file, 0, HEAD));
}
