// Text boxes → upright strips for the angle classifier and the recogniser.
import { resizeRgba, type RgbaImage } from '../faces/preprocess';
import type { Quad } from './geometry';

/** A strip this many times taller than wide is vertical text: it is turned 90° (as PP-OCR does). */
export const TALL_RATIO = 1.5;

/**
 * The quad's content at its own resolution, tl at the top-left: width is the longer of its top and
 * bottom edges, height the longer of its sides. Each output pixel maps through the bilinear blend
 * of the corners (exactly affine for the rectangles DB gives) and is sampled bilinearly.
 */
export function cropQuad(img: RgbaImage, q: Quad): RgbaImage {
	const dist = (a: number, b: number) => Math.hypot(q[2 * b] - q[2 * a], q[2 * b + 1] - q[2 * a + 1]);
	const w = Math.max(1, Math.round(Math.max(dist(0, 1), dist(3, 2))));
	const h = Math.max(1, Math.round(Math.max(dist(0, 3), dist(1, 2))));
	const out = new Uint8ClampedArray(w * h * 4);
	const px = new Float64Array(4);
	for (let v = 0; v < h; v++) {
		const t = (v + 0.5) / h;
		// left and right ends of this row
		const lx = q[0] + (q[6] - q[0]) * t, ly = q[1] + (q[7] - q[1]) * t;
		const rx = q[2] + (q[4] - q[2]) * t, ry = q[3] + (q[5] - q[3]) * t;
		for (let u = 0; u < w; u++) {
			const s = (u + 0.5) / w;
			sample(img, lx + (rx - lx) * s, ly + (ry - ly) * s, px);
			out.set(px, (v * w + u) * 4);
		}
	}
	return { data: out, width: w, height: h };
}

/** Bilinear sample at continuous (x, y), pixel centres at i + 0.5, edges clamped. */
function sample(img: RgbaImage, x: number, y: number, out: Float64Array) {
	const fx = Math.min(img.width - 1, Math.max(0, x - 0.5));
	const fy = Math.min(img.height - 1, Math.max(0, y - 0.5));
	const x0 = Math.floor(fx), y0 = Math.floor(fy);
	const x1 = Math.min(img.width - 1, x0 + 1), y1 = Math.min(img.height - 1, y0 + 1);
	const ax = fx - x0, ay = fy - y0;
	const d = img.data;
	const i00 = (y0 * img.width + x0) * 4, i10 = (y0 * img.width + x1) * 4;
	const i01 = (y1 * img.width + x0) * 4, i11 = (y1 * img.width + x1) * 4;
	for (let c = 0; c < 4; c++) {
		const top = d[i00 + c] + (d[i10 + c] - d[i00 + c]) * ax;
		const bottom = d[i01 + c] + (d[i11 + c] - d[i01 + c]) * ax;
		out[c] = top + (bottom - top) * ay;
	}
}

/** Turned a quarter counter-clockwise (numpy's rot90): the right column becomes the top row. */
export function rotate90(img: RgbaImage): RgbaImage {
	const { width: w, height: h } = img;
	const out = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const o = ((w - 1 - x) * h + y) * 4;
			out.set(img.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), o);
		}
	return { data: out, width: h, height: w };
}

/** Turned a quarter clockwise: the left column becomes the top row. */
export function rotateClockwise(img: RgbaImage): RgbaImage {
	const { width: w, height: h } = img;
	const out = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const o = (x * h + (h - 1 - y)) * 4;
			out.set(img.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), o);
		}
	return { data: out, width: h, height: w };
}

/** Turned upside down. */
export function rotate180(img: RgbaImage): RgbaImage {
	const n = img.width * img.height;
	const out = new Uint8ClampedArray(n * 4);
	for (let i = 0; i < n; i++) out.set(img.data.subarray(i * 4, i * 4 + 4), (n - 1 - i) * 4);
	return { ...img, data: out };
}

/**
 * A crop as the recogniser's strip: `height` px high with its aspect kept, the width capped at
 * `maxWidth` (a longer line is squeezed rather than cut), area-filtered on the way down.
 */
export function toStrip(crop: RgbaImage, height: number, maxWidth: number): RgbaImage {
	const w = Math.max(1, Math.min(maxWidth, Math.round((crop.width * height) / crop.height)));
	return resizeRgba(crop, w, height);
}
