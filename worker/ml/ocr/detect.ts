// The text detector's input: the image resized so its longer side is at most `maxSide` (never
// upscaled), each side then rounded to a multiple of 32 (the network downsamples 32×). Rounding
// stretches the image by at most 16 px a side instead of padding it, as PP-OCR does, so no
// artificial page edge appears in the tensor.
import type { ModelSpec } from '../../../src/lib/models/catalog';
import { colorSpecOf, resizeRgba, toNchw, type RgbaImage } from '../faces/preprocess';

export interface DetPlan {
	/** Tensor (and resized image) size. */
	width: number;
	height: number;
	/** Image pixels per map pixel, per axis. */
	scaleX: number;
	scaleY: number;
}

export function planTextDetection(width: number, height: number, maxSide: number, multiple = 32): DetPlan {
	const s = Math.min(1, maxSide / Math.max(width, height));
	const round = (n: number) => Math.max(multiple, Math.round((n * s) / multiple) * multiple);
	const w = round(width), h = round(height);
	return { width: w, height: h, scaleX: width / w, scaleY: height / h };
}

/** [1, 3, plan.height, plan.width] with the catalog's colour spec (/255, ImageNet mean/std). */
export function textDetectionTensor(spec: ModelSpec, img: RgbaImage, plan: DetPlan): Float32Array {
	return toNchw(resizeRgba(img, plan.width, plan.height), colorSpecOf(spec));
}
