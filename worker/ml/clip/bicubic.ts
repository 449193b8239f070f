// Bicubic resampling as Pillow does it (Image.resize with Resampling.BICUBIC), which is what CLIP's
// own preprocessing and Hugging Face's CLIPImageProcessor run: Keys cubic with a = −0.5, its support
// widened by the scale factor when shrinking (so it also antialiases), weights in 22-bit fixed point,
// a horizontal pass rounded to 8 bits, then a vertical pass. Same arithmetic, same bytes.
import type { RgbaImage } from '../faces/preprocess';

const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** The part of the resized image to compute (the rest is never needed: CLIP crops the centre). */
export interface Window {
	left: number;
	top: number;
	width: number;
	height: number;
}

function cubic(x: number): number {
	const a = -0.5;
	if (x < 0) x = -x;
	if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
	if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
	return 0;
}

/** Per output index in [from, from + count): first source index, tap count, fixed-point weights (ksize per output). */
function taps(inSize: number, outSize: number, from: number, count: number) {
	const scale = inSize / outSize;
	const filterScale = Math.max(scale, 1);
	const support = 2 * filterScale;
	const ss = 1 / filterScale; // multiplied, not divided, as Pillow does (the last bit matters)
	const ksize = Math.ceil(support) * 2 + 1;
	const first = new Int32Array(count);
	const size = new Int32Array(count);
	const k = new Int32Array(count * ksize);
	const w = new Float64Array(ksize);
	for (let o = 0; o < count; o++) {
		const center = (from + o + 0.5) * scale;
		const min = Math.max(0, Math.trunc(center - support + 0.5));
		const n = Math.min(inSize, Math.trunc(center + support + 0.5)) - min;
		let sum = 0;
		for (let i = 0; i < n; i++) sum += w[i] = cubic((i + min - center + 0.5) * ss);
		for (let i = 0; i < n; i++) {
			const v = sum !== 0 ? w[i] / sum : w[i];
			k[o * ksize + i] = Math.trunc(v < 0 ? v * ONE - 0.5 : v * ONE + 0.5);
		}
		first[o] = min;
		size[o] = n;
	}
	return { first, size, k, ksize };
}

const clip8 = (v: number) => (v >= ONE << 8 ? 255 : v <= 0 ? 0 : v >> PRECISION_BITS);

/**
 * `src` resized to width × height, of which only `window` is computed and returned (RGB; alpha is
 * set opaque, as Pillow's RGB images carry no alpha). Each returned pixel is the same as in the full
 * resize.
 */
export function resizeBicubic(src: RgbaImage, width: number, height: number, window: Window = { left: 0, top: 0, width, height }): RgbaImage {
	const { left, top, width: ow, height: oh } = window;
	const h = taps(src.width, width, left, ow);
	const v = taps(src.height, height, top, oh);
	// source rows the vertical pass reads
	const row0 = v.first[0];
	const rows = v.first[oh - 1] + v.size[oh - 1] - row0;
	const d = src.data;
	// horizontal pass: rows row0 … row0 + rows − 1, the window's columns, rounded to 8 bits
	const tmp = new Uint8Array(ow * rows * 3);
	for (let y = 0; y < rows; y++) {
		const line = (row0 + y) * src.width;
		for (let x = 0; x < ow; x++) {
			let r = HALF, g = HALF, b = HALF;
			const base = x * h.ksize;
			const start = h.first[x];
			for (let i = 0; i < h.size[x]; i++) {
				const p = (line + start + i) * 4;
				const k = h.k[base + i];
				r += d[p] * k;
				g += d[p + 1] * k;
				b += d[p + 2] * k;
			}
			const o = (y * ow + x) * 3;
			tmp[o] = clip8(r);
			tmp[o + 1] = clip8(g);
			tmp[o + 2] = clip8(b);
		}
	}
	// vertical pass
	const out = new Uint8ClampedArray(ow * oh * 4);
	for (let y = 0; y < oh; y++) {
		const base = y * v.ksize;
		const start = v.first[y] - row0;
		for (let x = 0; x < ow; x++) {
			let r = HALF, g = HALF, b = HALF;
			for (let i = 0; i < v.size[y]; i++) {
				const p = ((start + i) * ow + x) * 3;
				const k = v.k[base + i];
				r += tmp[p] * k;
				g += tmp[p + 1] * k;
				b += tmp[p + 2] * k;
			}
			const o = (y * ow + x) * 4;
			out[o] = clip8(r);
			out[o + 1] = clip8(g);
			out[o + 2] = clip8(b);
			out[o + 3] = 255;
		}
	}
	return { data: out, width: ow, height: oh };
}
