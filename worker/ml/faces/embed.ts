// MobileFaceNet embedding pre/post (pure): aligned RGB 112×112, (x − 127.5)/128, 128-d output
// compared by cosine after L2 normalisation.
import type { ColorSpec } from './preprocess';

export const EMBED_COLOR: ColorSpec = { order: 'rgb', mean: [127.5, 127.5, 127.5], std: [128, 128, 128] };
export const EMBED_DIM = 128;

export function l2norm(v: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < v.length; i++) s += v[i] * v[i];
	return Math.sqrt(s);
}

/** A unit-length copy (a zero vector stays zero). */
export function l2normalize(v: ArrayLike<number>): Float32Array {
	const n = l2norm(v);
	const out = new Float32Array(v.length);
	if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
	return out;
}

/** Cosine similarity of two vectors (for unit vectors, their dot product). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
	const n = l2norm(a) * l2norm(b);
	return n > 0 ? dot / n : 0;
}
