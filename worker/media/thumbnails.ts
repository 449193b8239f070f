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
				return { bitmap, width: turned ? height : width, height: turned ? width : height };
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
	return { bitmap, width: bitmap.width, height: bitmap.height };
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

async function scaled(source: ImageBitmap, width: number, height: number): Promise<ImageBitmap> {
	return createImageBitmap(source, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
}

async function encode(bitmap: ImageBitmap, type: 'webp' | 'jpeg', quality: number): Promise<Blob> {
	const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('No 2D canvas is available in this worker.');
	if (type === 'jpeg') {
		// JPEG has no alpha: transparent areas become white rather than black.
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, canvas.width, canvas.height);
	}
	ctx.drawImage(bitmap, 0, 0);
	return canvas.convertToBlob({ type: `image/${type}`, quality: quality / 100 });
}

function thumbhashOf(bitmap: ImageBitmap): string {
	const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('No 2D canvas is available in this worker.');
	ctx.drawImage(bitmap, 0, 0);
	const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
	const hash = rgbaToThumbHash(bitmap.width, bitmap.height, data);
	return btoa(String.fromCharCode(...hash));
}

/** The 64-bit difference hash of the picture, from its smallest scaled copy (near-duplicates). */
function phashOf(bitmap: ImageBitmap): string {
	const ctx = new OffscreenCanvas(HASH_WIDTH, HASH_HEIGHT).getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('No 2D canvas is available in this worker.');
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, 0, 0, HASH_WIDTH, HASH_HEIGHT);
	return dHash(ctx.getImageData(0, 0, HASH_WIDTH, HASH_HEIGHT).data);
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
 * Each output is scaled from the smallest bitmap already made that is still at least as large
 * (full → preview → thumbnail → thumbhash source): far fewer pixels to filter than scaling every
 * output from a 24 MP original, with no visible difference at these ratios.
 */
export async function makeDerivatives(decoded: Decoded, s: ThumbnailSettings): Promise<Derivatives> {
	const { bitmap: full, width, height } = decoded;
	const made: ImageBitmap[] = [];
	const from = (w: number, h: number) =>
		[...made].sort((a, b) => a.width - b.width).find((b) => b.width >= w && b.height >= h) ?? full;
	const scaleTo = async (size: { width: number; height: number }) => {
		const src = from(size.width, size.height);
		if (src.width === size.width && src.height === size.height) return src;
		const b = await scaled(src, size.width, size.height);
		made.push(b);
		return b;
	};
	try {
		const [first, second] = s.previewSize >= s.thumbnailSize ? (['preview', 'thumbnail'] as const) : (['thumbnail', 'preview'] as const);
		const out: Partial<Record<'preview' | 'thumbnail', Encoded>> = {};
		for (const kind of [first, second]) {
			// sizes from the displayed size: never upscaled from the original, whatever scale it was decoded at
			const size = fitShortSide(width, height, kind === 'preview' ? s.previewSize : s.thumbnailSize);
			const bitmap = await scaleTo(size);
			out[kind] = { blob: await encode(bitmap, kind === 'preview' ? s.previewFormat : s.thumbnailFormat, s.quality), ...size };
		}
		const tiny = await scaleTo(fitInside(width, height, 100));
		return { preview: out.preview!, thumbnail: out.thumbnail!, thumbhash: thumbhashOf(tiny), phash: phashOf(tiny), width, height };
	} finally {
		for (const b of made) b.close();
	}
}
