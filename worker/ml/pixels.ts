// Pixels in the ML worker: the preview read from OPFS and decoded by the browser, drawn at the size a
// model wants (the browser's resize is native and fast), and face crops.
import { readBlob } from '../../src/lib/blobs/store';
import { cropSquare } from './faces/align';
import type { RgbaImage } from './faces/preprocess';
import { FACE_CROP_SIZE } from '../shared/ml-api';

/** The decoded preview of an asset (the caller closes it). */
export async function readPreview(previewPath: string[]): Promise<ImageBitmap> {
	const file = await readBlob(previewPath);
	if (!file) throw new Error(`The preview ${previewPath.join('/')} is missing.`);
	return createImageBitmap(file);
}

/** A preview's pixels at its own size, for the models that resize it themselves (CLIP, OCR). */
export async function previewPixels(previewPath: string[]): Promise<RgbaImage> {
	const bitmap = await readPreview(previewPath);
	try {
		return pixels(bitmap, bitmap.width, bitmap.height);
	} finally {
		bitmap.close();
	}
}

/**
 * The source drawn at `width`×`height`; with `from`, the `width`×`height` pixels starting there,
 * copied as they are (no scaling).
 */
export function pixels(source: ImageBitmap, width: number, height: number, from?: readonly [number, number]): RgbaImage {
	const canvas = new OffscreenCanvas(width, height);
	const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
	ctx.imageSmoothingQuality = 'high';
	if (from) ctx.drawImage(source, from[0], from[1], width, height, 0, 0, width, height);
	else ctx.drawImage(source, 0, 0, width, height);
	const d = ctx.getImageData(0, 0, width, height);
	return { data: d.data, width, height };
}

export async function faceCrop(bitmap: ImageBitmap, box: readonly number[]): Promise<Blob> {
	const [x, y, side] = cropSquare(box, bitmap.width, bitmap.height, 0.25);
	const size = Math.max(16, Math.min(FACE_CROP_SIZE, side));
	const canvas = new OffscreenCanvas(size, size);
	const ctx = canvas.getContext('2d')!;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, x, y, side, side, 0, 0, size, size);
	// JPEG, as Immich's face thumbnails: Chromium encodes a 160 px JPEG ~10× faster than a WebP,
	// and a photo of a crowd has dozens of faces.
	return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
