// Face alignment (pure): a similarity transform (rotation, uniform scale, translation) that maps
// the 5 detected landmarks onto the ArcFace 112×112 template in the least-squares sense
// (Umeyama 1991, 2-D, no reflection), and a bilinear warp of the image through it straight into
// a normalised NCHW tensor.
import type { ColorSpec, RgbaImage } from './preprocess';

export const ALIGN_SIZE = 112;
/** The standard ArcFace template: eyes, nose tip, mouth corners (as seen, left then right). */
export const ARCFACE_TEMPLATE: readonly number[] = [38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041];

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
export interface Similarity {
	a: number;
	b: number;
	tx: number;
	ty: number;
}

/**
 * Least-squares similarity from `src` points onto `dst` points (flat [x0, y0, x1, y1, …]).
 * For 2-D, Umeyama's estimate reduces to this closed form on centred points:
 * a = Σ(x·x' + y·y') / Σ|p|², b = Σ(x·y' − y·x') / Σ|p|².
 */
export function umeyama(src: readonly number[], dst: readonly number[] = ARCFACE_TEMPLATE): Similarity {
	const n = src.length / 2;
	if (n < 2 || dst.length !== src.length) throw new Error('umeyama: need ≥ 2 matching points');
	let sx = 0, sy = 0, dx = 0, dy = 0;
	for (let i = 0; i < n; i++) {
		sx += src[2 * i]; sy += src[2 * i + 1];
		dx += dst[2 * i]; dy += dst[2 * i + 1];
	}
	sx /= n; sy /= n; dx /= n; dy /= n;
	let num1 = 0, num2 = 0, den = 0;
	for (let i = 0; i < n; i++) {
		const x = src[2 * i] - sx, y = src[2 * i + 1] - sy;
		const u = dst[2 * i] - dx, v = dst[2 * i + 1] - dy;
		num1 += x * u + y * v;
		num2 += x * v - y * u;
		den += x * x + y * y;
	}
	if (den === 0) throw new Error('umeyama: degenerate landmarks');
	const a = num1 / den, b = num2 / den;
	return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, x: number, y: number): [number, number] {
	return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
	const d = t.a * t.a + t.b * t.b;
	const a = t.a / d, b = -t.b / d;
	return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** A rectangle of image pixels, [x, y, width, height]. */
export type PixelRect = [number, number, number, number];

/**
 * The pixels `warpToNchw` reads through `t` (bilinear neighbours included), clipped to a
 * `width`×`height` image: a face's alignment needs this much of a photo, not the whole of it.
 */
export function warpSourceRect(t: Similarity, width: number, height: number, size = ALIGN_SIZE): PixelRect {
	const inv = invertSimilarity(t);
	const corners = [0, size - 1].flatMap((v) => [0, size - 1].map((u) => applySimilarity(inv, u, v)));
	const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0]))));
	const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1]))));
	const x1 = Math.min(width, Math.floor(Math.max(...corners.map((c) => c[0]))) + 2);
	const y1 = Math.min(height, Math.floor(Math.max(...corners.map((c) => c[1]))) + 2);
	return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}

/**
 * Warps `img` through `t` (image → aligned) into a [1, 3, size, size] tensor, sampling each output
 * pixel at t⁻¹(x, y) bilinearly (integer pixel coordinates, as cv2.warpAffine); outside the image
 * is black. `img` may be a part of the image that starts at `origin` and holds every pixel the warp
 * reads (see warpSourceRect): the result is then the same as from the whole image.
 */
export function warpToNchw(img: RgbaImage, t: Similarity, spec: ColorSpec, size = ALIGN_SIZE, origin: readonly [number, number] = [0, 0]): Float32Array {
	const inv = invertSimilarity(t);
	const [ox, oy] = origin;
	const plane = size * size;
	const out = new Float32Array(3 * plane);
	const [c0, c1, c2] = spec.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
	const k = spec.scale ?? 1;
	const mean = spec.mean.map((m) => m / k), mul = spec.std.map((s) => k / s);
	const { data, width, height } = img;
	const px = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * 4 + c]);
	for (let v = 0; v < size; v++) {
		for (let u = 0; u < size; u++) {
			const sx = inv.a * u - inv.b * v + inv.tx - ox;
			const sy = inv.b * u + inv.a * v + inv.ty - oy;
			const x0 = Math.floor(sx), y0 = Math.floor(sy);
			const fx = sx - x0, fy = sy - y0;
			const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
			const o = v * size + u;
			const chans = [c0, c1, c2];
			for (let ch = 0; ch < 3; ch++) {
				const c = chans[ch];
				const val = px(x0, y0, c) * w00 + px(x0 + 1, y0, c) * w10 + px(x0, y0 + 1, c) * w01 + px(x0 + 1, y0 + 1, c) * w11;
				out[ch * plane + o] = (val - mean[ch]) * mul[ch];
			}
		}
	}
	return out;
}

/**
 * The square a face thumbnail is cut from: the box grown by `margin` on each side, made square,
 * shifted (not shrunk) to stay inside the image where it can. Pixels, [x, y, w, h].
 */
export function cropSquare(box: readonly number[], width: number, height: number, margin = 0.25): [number, number, number, number] {
	const [x1, y1, x2, y2] = box;
	const side = Math.min(Math.max(x2 - x1, y2 - y1) * (1 + 2 * margin), width, height);
	const cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
	const x = Math.min(Math.max(0, cx - side / 2), width - side);
	const y = Math.min(Math.max(0, cy - side / 2), height - side);
	return [Math.round(x), Math.round(y), Math.max(1, Math.round(side)), Math.max(1, Math.round(side))];
}
