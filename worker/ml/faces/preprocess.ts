// Pure image → tensor code shared by the detectors and the embedder (no DOM: runs in Node tests).

/** 8-bit RGBA pixels, row-major, as ImageData holds them. */
export interface RgbaImage {
	data: Uint8Array | Uint8ClampedArray;
	width: number;
	height: number;
}

/** How a model wants its pixels: colour order, then (x · scale − mean) / std per channel (in that order). */
export interface ColorSpec {
	order: 'rgb' | 'bgr';
	/** Multiplies the 0–255 value before mean/std (1 when absent). */
	scale?: number;
	mean: readonly [number, number, number];
	std: readonly [number, number, number];
}

/**
 * Downscale (or upscale) with an area filter on the way down and bilinear on the way up: each
 * output pixel averages the source pixels its footprint covers (fractional edges weighted), so a
 * 1440 → 640 reduction does not alias. Separable: rows first into a float buffer, then columns.
 */
export function resizeRgba(src: RgbaImage, width: number, height: number): RgbaImage {
	if (width === src.width && height === src.height) return src;
	const tmp = new Float32Array(width * src.height * 4);
	const xs = weights(src.width, width);
	for (let y = 0; y < src.height; y++) {
		const row = y * src.width * 4;
		const out = y * width * 4;
		for (let x = 0; x < width; x++) {
			const { start, w } = xs[x];
			let r = 0, g = 0, b = 0, a = 0;
			for (let k = 0; k < w.length; k++) {
				const i = row + (start + k) * 4;
				const f = w[k];
				r += src.data[i] * f;
				g += src.data[i + 1] * f;
				b += src.data[i + 2] * f;
				a += src.data[i + 3] * f;
			}
			const o = out + x * 4;
			tmp[o] = r;
			tmp[o + 1] = g;
			tmp[o + 2] = b;
			tmp[o + 3] = a;
		}
	}
	const dst = new Uint8ClampedArray(width * height * 4);
	const ys = weights(src.height, height);
	for (let y = 0; y < height; y++) {
		const { start, w } = ys[y];
		for (let x = 0; x < width; x++) {
			let r = 0, g = 0, b = 0, a = 0;
			for (let k = 0; k < w.length; k++) {
				const i = ((start + k) * width + x) * 4;
				const f = w[k];
				r += tmp[i] * f;
				g += tmp[i + 1] * f;
				b += tmp[i + 2] * f;
				a += tmp[i + 3] * f;
			}
			const o = (y * width + x) * 4;
			dst[o] = Math.round(r);
			dst[o + 1] = Math.round(g);
			dst[o + 2] = Math.round(b);
			dst[o + 3] = Math.round(a);
		}
	}
	return { data: dst, width, height };
}

/** Per output index: first source index and the weights of the source samples it takes. */
function weights(srcSize: number, dstSize: number): Array<{ start: number; w: Float32Array }> {
	const scale = srcSize / dstSize;
	const out: Array<{ start: number; w: Float32Array }> = [];
	for (let i = 0; i < dstSize; i++) {
		if (scale > 1) {
			// area: the footprint [i·scale, (i+1)·scale) in source pixels
			const a = i * scale;
			const b = Math.min(srcSize, (i + 1) * scale);
			const start = Math.floor(a);
			const end = Math.ceil(b);
			const w = new Float32Array(end - start);
			for (let s = start; s < end; s++) w[s - start] = Math.min(b, s + 1) - Math.max(a, s);
			const sum = w.reduce((p, q) => p + q, 0);
			for (let k = 0; k < w.length; k++) w[k] /= sum;
			out.push({ start, w });
		} else {
			// bilinear with pixel centres aligned (half-pixel offset), clamped at the edges
			const c = Math.min(srcSize - 1, Math.max(0, (i + 0.5) * scale - 0.5));
			const start = Math.min(srcSize - 1, Math.floor(c));
			const t = c - start;
			out.push(start + 1 < srcSize ? { start, w: Float32Array.of(1 - t, t) } : { start, w: Float32Array.of(1) });
		}
	}
	return out;
}

/**
 * RGBA → planar float tensor [1, 3, tensorHeight, tensorWidth] with the image at the top-left and
 * the rest padded with black (0, then normalised like any pixel), as both detectors were trained.
 */
export function toNchw(img: RgbaImage, spec: ColorSpec, tensorWidth = img.width, tensorHeight = img.height): Float32Array {
	const plane = tensorWidth * tensorHeight;
	const out = new Float32Array(3 * plane);
	const [c0, c1, c2] = spec.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
	const k = spec.scale ?? 1;
	const [m0, m1, m2] = [spec.mean[0] / k, spec.mean[1] / k, spec.mean[2] / k];
	const [s0, s1, s2] = [k / spec.std[0], k / spec.std[1], k / spec.std[2]];
	// padding value per channel first
	out.fill(-m0 * s0, 0, plane);
	out.fill(-m1 * s1, plane, 2 * plane);
	out.fill(-m2 * s2, 2 * plane, 3 * plane);
	const d = img.data;
	for (let y = 0; y < img.height && y < tensorHeight; y++) {
		for (let x = 0; x < img.width && x < tensorWidth; x++) {
			const i = (y * img.width + x) * 4;
			const o = y * tensorWidth + x;
			out[o] = (d[i + c0] - m0) * s0;
			out[plane + o] = (d[i + c1] - m1) * s1;
			out[2 * plane + o] = (d[i + c2] - m2) * s2;
		}
	}
	return out;
}

/** Where an image goes inside a detector's input, and how to map detections back. */
export interface DetectInput {
	/** Size the image is resized to (never larger than the tensor). */
	width: number;
	height: number;
	/** Tensor size (padded). */
	tensorWidth: number;
	tensorHeight: number;
	/** image pixels per input pixel */
	scale: number;
}

/**
 * Keep the aspect: the longer side becomes `maxSide` (never upscaled past `maxUpscale`), and the
 * tensor is padded up to a multiple of `multiple`. YuNet takes any multiple of 32.
 */
export function aspectInput(width: number, height: number, maxSide: number, multiple = 32, maxUpscale = 1): DetectInput {
	const s = Math.min(maxSide / Math.max(width, height), maxUpscale);
	const w = Math.max(1, Math.round(width * s));
	const h = Math.max(1, Math.round(height * s));
	const up = (n: number) => Math.max(multiple, Math.ceil(n / multiple) * multiple);
	return { width: w, height: h, tensorWidth: up(w), tensorHeight: up(h), scale: width / w };
}

/** Fixed square input (SCRFD): the longer side fills `size` (upscaled at most `maxUpscale`×), the image sits at the top-left. */
export function letterboxInput(width: number, height: number, size: number, maxUpscale = Infinity): DetectInput {
	const s = Math.min(size / Math.max(width, height), maxUpscale);
	const w = Math.max(1, Math.min(size, Math.round(width * s)));
	const h = Math.max(1, Math.min(size, Math.round(height * s)));
	return { width: w, height: h, tensorWidth: size, tensorHeight: size, scale: width / w };
}

/** The catalog's colour fields (`colour`, `scale`, `mean`, `std`) as a ColorSpec. */
export function colorSpecOf(spec: { colour?: string; scale?: number; mean?: readonly number[]; std?: readonly number[] }): ColorSpec {
	const three = (v: readonly number[] | undefined, d: number): [number, number, number] => (v && v.length === 3 ? [v[0], v[1], v[2]] : [d, d, d]);
	return { order: spec.colour === 'BGR' ? 'bgr' : 'rgb', scale: spec.scale ?? 1, mean: three(spec.mean, 0), std: three(spec.std, 1) };
}
