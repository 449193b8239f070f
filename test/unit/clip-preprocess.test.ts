// CLIP image preprocessing (worker/ml/clip/preprocess.ts, bicubic.ts) on small synthetic images:
// sizes and crop offsets, mean/std, and the bicubic resize byte for byte against Pillow.
import { describe, expect, test } from 'vitest';
import { modelById } from '../../src/lib/models/catalog';
import { resizeBicubic } from '../../worker/ml/clip/bicubic';
import { clipCrop, clipImageTensor, clipPixels } from '../../worker/ml/clip/preprocess';
import type { RgbaImage } from '../../worker/ml/faces/preprocess';

const spec = modelById('clip-b32-image-q8')!.spec;
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];
const PLANE = 224 * 224;

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbaImage {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const [r, g, b] = pixel(x, y);
			data.set([r, g, b, 255], (y * width + x) * 4);
		}
	return { data, width, height };
}

/** Sharp edges, ramps and a product term: exercises ringing, clamping and both passes. */
const pattern = (w: number, h: number) => image(w, h, (x, y) => [(x * 37 + y * 11) % 256, (Math.floor(x / 3) + Math.floor(y / 2)) % 2 ? 255 : 0, (x * y * 7) % 256]);

/** Sum of the RGB bytes, and Σ (i + 1) · byte mod 2³¹ − 1 (i over R, G, B of each pixel in order). */
function fingerprint(img: RgbaImage): [number, number] {
	let sum = 0, weighted = 0, i = 0;
	for (let p = 0; p < img.width * img.height; p++)
		for (let c = 0; c < 3; c++) {
			const v = img.data[p * 4 + c];
			sum += v;
			weighted += ++i * v;
		}
	return [sum, weighted % 2147483647];
}
const px = (img: RgbaImage, x: number, y: number) => Array.from(img.data.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

describe('sizes and crop offsets (as Hugging Face CLIPImageProcessor)', () => {
	test('shorter side to 224, longer side truncated, offsets floored', () => {
		expect(clipCrop(640, 480)).toEqual({ width: 298, height: 224, left: 37, top: 0, size: 224 });
		expect(clipCrop(480, 640)).toEqual({ width: 224, height: 298, left: 0, top: 37, size: 224 });
		expect(clipCrop(224, 224)).toEqual({ width: 224, height: 224, left: 0, top: 0, size: 224 });
		expect(clipCrop(300, 224)).toEqual({ width: 300, height: 224, left: 38, top: 0, size: 224 });
		expect(clipCrop(37, 29)).toEqual({ width: 285, height: 224, left: 30, top: 0, size: 224 });
		expect(clipCrop(6000, 4000)).toEqual({ width: 336, height: 224, left: 56, top: 0, size: 224 });
		expect(clipCrop(5, 400)).toEqual({ width: 224, height: 17920, left: 0, top: 8848, size: 224 });
	});

	test('an image 224 high is only cropped: the tensor starts at column 38', () => {
		// R = x, G = y, B = 200 − x / 2
		const img = image(300, 224, (x, y) => [x % 256, y, 200 - (x >> 1)]);
		const t = clipImageTensor(img, spec);
		expect(t.length).toBe(3 * PLANE);
		const value = (v: number, c: number) => (v / 255 - MEAN[c]) / STD[c];
		expect(t[0]).toBeCloseTo(value(38, 0), 6);
		expect(t[223]).toBeCloseTo(value((38 + 223) % 256, 0), 6);
		expect(t[PLANE + 5 * 224 + 7]).toBeCloseTo(value(5, 1), 6);
		expect(t[2 * PLANE + 223 * 224 + 100]).toBeCloseTo(value(200 - ((38 + 100) >> 1), 2), 6);
	});
});

describe('mean/std', () => {
	test('solid colours give (c/255 − mean)/std in every position, RGB planes in order', () => {
		for (const rgb of [[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 64, 32]] as const) {
			const t = clipImageTensor(image(97, 61, () => [...rgb]), spec);
			for (let c = 0; c < 3; c++) {
				const want = (rgb[c] / 255 - MEAN[c]) / STD[c];
				const plane = t.subarray(c * PLANE, (c + 1) * PLANE);
				expect(Math.max(...plane.map((v) => Math.abs(v - want)))).toBeLessThan(1e-5);
			}
		}
		// the catalog's numbers are CLIP's
		expect([spec.mean, spec.std, spec.colour, spec.size?.width]).toEqual([MEAN, STD, 'RGB', 224]);
	});

	test('white and black reach the ends of the range', () => {
		const white = clipImageTensor(image(10, 10, () => [255, 255, 255]), spec);
		const black = clipImageTensor(image(10, 10, () => [0, 0, 0]), spec);
		expect(white[0]).toBeCloseTo(1.9303361, 5);
		expect(black[2 * PLANE]).toBeCloseTo(-1.4802197, 5);
	});
});

// Reference: Pillow 12.3.0, Image.fromarray(rgb).resize((w, h), Image.BICUBIC) on the same pattern,
// then the same centre crop (numpy slicing), fingerprinted the same way.
describe("bicubic resize, byte for byte as Pillow's", () => {
	test('downscale 37×29 → 11×9', () => {
		const r = resizeBicubic(pattern(37, 29), 11, 9);
		expect(fingerprint(r)).toEqual([37362, 5615531]);
		expect([px(r, 0, 0), px(r, 10, 8), px(r, 5, 4)]).toEqual([[62, 113, 10], [94, 118, 135], [83, 128, 131]]);
	});

	test('upscale 7×5 → 16×12 (ringing clamped to 0…255)', () => {
		const r = resizeBicubic(pattern(7, 5), 16, 12);
		expect(fingerprint(r)).toEqual([55981, 17667428]);
		expect([px(r, 0, 0), px(r, 15, 11), px(r, 8, 6)]).toEqual([[0, 0, 0], [0, 0, 175], [143, 0, 50]]);
	});

	test('the CLIP crop of a 300×200 and of a 37×29 image', () => {
		const a = clipPixels(pattern(300, 200));
		expect(fingerprint(a)).toEqual([19101044, 815325664]);
		expect([px(a, 0, 0), px(a, 223, 223), px(a, 112, 112)]).toEqual([[56, 0, 0], [140, 0, 236], [255, 15, 36]]);
		const b = clipPixels(pattern(37, 29));
		expect(fingerprint(b)).toEqual([19059588, 1462367991]);
		expect([px(b, 0, 0), px(b, 223, 223), px(b, 112, 112)]).toEqual([[127, 255, 0], [241, 92, 100], [53, 255, 226]]);
	});

	test('a window is the same pixels as the full resize, cropped', () => {
		const src = pattern(61, 47);
		const full = resizeBicubic(src, 150, 90);
		const win = resizeBicubic(src, 150, 90, { left: 17, top: 9, width: 40, height: 30 });
		for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) expect(px(win, x, y)).toEqual(px(full, x + 17, y + 9));
	});

	test('the same size is an exact copy', () => {
		const src = pattern(23, 19);
		const same = resizeBicubic(src, 23, 19);
		for (let y = 0; y < 19; y++) for (let x = 0; x < 23; x++) expect(px(same, x, y)).toEqual(px(src, x, y));
	});
});
