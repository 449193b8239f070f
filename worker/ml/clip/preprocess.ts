// CLIP image preprocessing (pure): shorter side → 224 with Pillow's bicubic, centre crop 224 × 224,
// RGB, /255, CLIP mean/std, planar float32 [1, 3, 224, 224]. The sizes and rounding are those of
// Hugging Face's CLIPImageProcessor (the preprocessor of the Xenova export): the longer side is
// truncated (int(224 · long / short)) and the crop offset floored. torchvision's CenterCrop in
// OpenAI's code rounds the offset instead, one pixel apart for some sizes.
import { colorSpecOf, toNchw, type RgbaImage } from '../faces/preprocess';
import { resizeBicubic } from './bicubic';

export const CLIP_IMAGE_SIZE = 224;

/** The resized size and where the crop sits in it. */
export interface ClipCrop {
	width: number;
	height: number;
	left: number;
	top: number;
	size: number;
}

export function clipCrop(width: number, height: number, size = CLIP_IMAGE_SIZE): ClipCrop {
	const short = Math.min(width, height);
	const long = Math.max(width, height);
	const resizedLong = Math.trunc((size * long) / short);
	const [rw, rh] = width <= height ? [size, resizedLong] : [resizedLong, size];
	return { width: rw, height: rh, left: Math.floor((rw - size) / 2), top: Math.floor((rh - size) / 2), size };
}

/** The catalog fields this reads (a `clip-image` spec): input size, colour order, scale, mean, std. */
export interface ClipImageSpec {
	size?: { width?: number };
	colour?: string;
	scale?: number;
	mean?: readonly number[];
	std?: readonly number[];
}

/** The centre crop as 8-bit pixels (what the model sees before normalisation). */
export function clipPixels(img: RgbaImage, size = CLIP_IMAGE_SIZE): RgbaImage {
	const c = clipCrop(img.width, img.height, size);
	return resizeBicubic(img, c.width, c.height, { left: c.left, top: c.top, width: size, height: size });
}

/** `pixel_values` for one image: Float32Array [1, 3, size, size]. */
export function clipImageTensor(img: RgbaImage, spec: ClipImageSpec): Float32Array {
	const size = spec.size?.width ?? CLIP_IMAGE_SIZE;
	return toNchw(clipPixels(img, size), colorSpecOf(spec));
}
