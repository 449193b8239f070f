// Decode once, resize twice: a full-size bitmap is decoded a single time (orientation applied by the
// browser's decoder), and both derivatives plus the thumbhash are scaled from it.
import { rgbaToThumbHash } from 'thumbhash';
import { dHash, HASH_HEIGHT, HASH_WIDTH } from './phash';
import type { ThumbnailSettings } from '../shared/api';
import { MediaError } from '../shared/errors';
import { decodeHeif } from './heic';
import { assertPixelLimit } from './sniff';

export interface Encoded {
	blob: Blob;
	width: number;
	height: number;
}

/** Size that fits `shortSide` on the shorter edge, never larger than the source. */
export function fitShortSide(width: number, height: number, shortSide: number): { width: number; height: number } {
	const scale = Math.min(1, shortSide / Math.min(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Size that fits inside a `box`×`box` square (thumbhash takes at most 100×100). */
export function fitInside(width: number, height: number, box: number): { width: number; height: number } {
	const scale = Math.min(1, box / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A decoded image and its displayed size (the bitmap may be smaller: a JPEG decoded at a reduced scale). */
export interface Decoded {
	bitmap: ImageBitmap;
	width: number;
	height: number;
	/** No transparency possible (a JPEG): no white needs to go under it. */
	opaque?: boolean;
}

/**
 * A JPEG decoded at the smallest n/8 scale (libjpeg-turbo's DCT scaling, through WebCodecs'
 * ImageDecoder) whose shorter side still covers `minShort`: a 24 MP photo for a 1440 px preview
 * decodes at 3/8, about half the time (createImageBitmap always decodes at full size, even when
 * asked for a smaller one). EXIF orientation is applied by createImageBitmap from the frame. Null
 * where it would not help or cannot be used; the caller then decodes as usual.
 */
async function decodeJpegScaled(file: Blob, width: number, height: number, minShort: number): Promise<Decoded | null> {
	const n = Math.ceil((8 * minShort) / Math.min(width, height));
	if (n >= 8 || typeof ImageDecoder === 'undefined') return null;
	try {
		const decoder = new ImageDecoder({ data: file.stream(), type: 'image/jpeg', desiredWidth: Math.ceil((width * n) / 8), desiredHeight: Math.ceil((height * n) / 8) });
		try {
			const { image } = await decoder.decode();
			try {
				const bitmap = await createImageBitmap(image);
				// orientations 5–8 turn the picture: the displayed size is the stored one swapped
				const turned = bitmap.width !== bitmap.height && bitmap.width > bitmap.height !== width > height;
				return { bitmap, width: turned ? height : width, height: turned ? width : height, opaque: true };
			} finally {
				image.close();
			}
		} finally {
			decoder.close();
		}
	} catch {
		return null; // damaged or unusual data: the full decode says what is wrong, or decodes what it can
	}
}

/**
 * The image decoded for derivatives whose shorter sides are at most `minShort`: a large JPEG at a
 * reduced scale, anything else whole.
 */
export async function decodeForDerivatives(file: Blob, format: string, maxPixels: number, stored: { width: number | null; height: number | null }, minShort: number): Promise<Decoded> {
	if (format === 'jpeg' && stored.width && stored.height) {
		const scaled = await decodeJpegScaled(file, stored.width, stored.height, minShort);
		if (scaled) return scaled;
	}
	const bitmap = await decodeImage(file, format, maxPixels);
	return { bitmap, width: bitmap.width, height: bitmap.height, opaque: format === 'jpeg' };
}

export async function decodeImage(file: Blob, format: string, maxPixels: number): Promise<ImageBitmap> {
	const limit = (w: number, h: number) => assertPixelLimit(w, h, maxPixels);
	if (format === 'heic' || format === 'heif') {
		const data = await decodeHeif(new Uint8Array(await file.arrayBuffer()), limit);
		return createImageBitmap(data);
	}
	try {
		// 'from-image' applies EXIF orientation; GIF and animated WebP give their first frame.
		return await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		throw new MediaError('The image data is damaged or in a form the browser cannot decode.', true);
	}
}

type Size = { width: number; height: number };

/**
 * A canvas of `size` with `source` drawn into it, scaled with the browser's high-quality filter:
 * drawing straight at the output size scales and copies in one pass (a scaled ImageBitmap first
 * and then a copy onto the canvas to encode it cost ~10% more of the worker's time per photo).
 * `white` puts white under transparent areas (JPEG has no alpha).
 */
function drawn(source: ImageBitmap | OffscreenCanvas, size: Size, white: boolean): OffscreenCanvas {
	const canvas = new OffscreenCanvas(size.width, size.height);
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('No 2D canvas is available in this worker.');
	if (white) {
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, size.width, size.height);
	}
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(source, 0, 0, size.width, size.height);
	return canvas;
}

function pixelsOf(canvas: OffscreenCanvas): Uint8ClampedArray {
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('No 2D canvas is available in this worker.');
	return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
}

function thumbhashOf(tiny: OffscreenCanvas): string {
	const hash = rgbaToThumbHash(tiny.width, tiny.height, pixelsOf(tiny));
	return btoa(String.fromCharCode(...hash));
}

/** The 64-bit difference hash of the picture, from its smallest scaled copy (near-duplicates). */
function phashOf(tiny: OffscreenCanvas): string {
	return dHash(pixelsOf(drawn(tiny, { width: HASH_WIDTH, height: HASH_HEIGHT }, false)));
}

export interface Derivatives {
	thumbnail: Encoded;
	preview: Encoded;
	thumbhash: string;
	phash: string;
	width: number;
	height: number;
}

/**
 * Each output is scaled from the smallest picture already made that is still at least as large
 * (full → preview → thumbnail → thumbhash source): far fewer pixels to filter than scaling every
 * output from a 24 MP original, with no visible difference at these ratios. A picture with white
 * put under its transparency (a JPEG output of a source that may have alpha) is not reused.
 */
export async function makeDerivatives(decoded: Decoded, s: ThumbnailSettings): Promise<Derivatives> {
	const { bitmap: full, width, height, opaque } = decoded;
	const sources: Array<ImageBitmap | OffscreenCanvas> = [full];
	const scaleTo = (size: Size, white: boolean) => {
		const src = sources.filter((b) => b.width >= size.width && b.height >= size.height).sort((a, b) => a.width - b.width)[0] ?? full;
		const canvas = drawn(src, size, white && !opaque);
		if (opaque || !white) sources.push(canvas);
		return canvas;
	};
	const [first, second] = s.previewSize >= s.thumbnailSize ? (['preview', 'thumbnail'] as const) : (['thumbnail', 'preview'] as const);
	const out: Partial<Record<'preview' | 'thumbnail', Encoded>> = {};
	for (const kind of [first, second]) {
		// sizes from the displayed size: never upscaled from the original, whatever scale it was decoded at
		const size = fitShortSide(width, height, kind === 'preview' ? s.previewSize : s.thumbnailSize);
		const type = kind === 'preview' ? s.previewFormat : s.thumbnailFormat;
		const canvas = scaleTo(size, type === 'jpeg');
		out[kind] = { blob: await canvas.convertToBlob({ type: `image/${type}`, quality: s.quality / 100 }), ...size };
	}
	const tiny = scaleTo(fitInside(width, height, 100), false);
	return { preview: out.preview!, thumbnail: out.thumbnail!, thumbhash: thumbhashOf(tiny), phash: phashOf(tiny), width, height };
}
