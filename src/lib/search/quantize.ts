// Int8 codes with one scale per vector, and an int16 query, such that the integer dot product
// times both scales estimates the float one within a bound known per vector:
//   x = s·c + dx (|c_i| ≤ 127),  q = t·d + dq,  est = s·t·(c·d)
//   |x·q − est| = |dx·q + (s·c)·dq| ≤ ‖dx‖·‖q‖ + ‖s·c‖·‖dq‖      (Cauchy–Schwarz, twice)
// ‖dx‖ and ‖s·c‖ are stored per vector, ‖q‖ and ‖dq‖ computed per query, so the index can tell
// which vectors could still be in the exact top k without their float values.

export interface QuantizedVector {
	/** est = s·t·(c·d) uses this s. */
	scale: number;
	/** ‖x − s·c‖, rounded up. */
	residual: number;
	/** ‖s·c‖, rounded up. */
	norm: number;
}

export interface QuantizedQuery {
	/** d, `stride` values (padding zero). */
	codes: Int16Array;
	/** t. */
	scale: number;
	/** ‖q‖. */
	norm: number;
	/** ‖q − t·d‖. */
	residual: number;
}

const MAX_CODE = 127;
/** Stored float32s are nudged up by this relative step so that rounding never makes a bound smaller. */
const UP = 1 + 1e-6;

/** Writes x's codes into `out` (its first x.length bytes) and returns its scale and error terms. */
export function quantizeVector(x: ArrayLike<number>, out: Int8Array): QuantizedVector {
	let max = 0;
	for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]));
	if (!Number.isFinite(max)) throw new Error('vector with a NaN or infinite value');
	const scale = Math.fround(max / MAX_CODE);
	let r2 = 0;
	let n2 = 0;
	for (let i = 0; i < x.length; i++) {
		const c = scale > 0 ? Math.max(-MAX_CODE, Math.min(MAX_CODE, Math.round(x[i] / scale))) : 0;
		out[i] = c;
		const back = scale * c;
		r2 += (x[i] - back) ** 2;
		n2 += back * back;
	}
	return { scale, residual: Math.sqrt(r2) * UP, norm: Math.sqrt(n2) * UP };
}

/**
 * The query's int16 codes for vectors of `stride` int8 codes. Their magnitude is capped so that no
 * dot product can overflow int32: stride × 127 × max ≤ 2³¹ − 1 (32767 up to 516 dims).
 */
export function quantizeQuery(q: ArrayLike<number>, stride: number): QuantizedQuery {
	if (q.length > stride) throw new Error(`query has ${q.length} values, the index ${stride}`);
	const maxCode = Math.min(32767, Math.floor((2 ** 31 - 1) / (MAX_CODE * stride)));
	let max = 0;
	let n2 = 0;
	for (let i = 0; i < q.length; i++) {
		max = Math.max(max, Math.abs(q[i]));
		n2 += q[i] * q[i];
	}
	const scale = max / maxCode;
	const codes = new Int16Array(stride);
	let r2 = 0;
	for (let i = 0; i < q.length; i++) {
		const d = scale > 0 ? Math.round(q[i] / scale) : 0;
		codes[i] = d;
		r2 += (q[i] - scale * d) ** 2;
	}
	return { codes, scale, norm: Math.sqrt(n2), residual: Math.sqrt(r2) };
}
