// The scan's inner loop: integer dot products of one int16 query with many int8 vectors (codes),
// as a WASM SIMD kernel or, where WASM SIMD is missing, the same sums in plain JS. Both give the
// same integers, so the index ranks the same way on either.
import { I32, V128, op, wasmModule } from './wasm-asm';

/** Vectors per dots() call: the output block (16 KiB) stays in cache while the index reads it. */
export const BLOCK = 4096;

export interface DotKernel {
	readonly kind: 'wasm-simd' | 'js';
	/** Bytes per vector (dims rounded up to a multiple of 16; the padding is zero). */
	readonly stride: number;
	readonly capacity: number;
	/** Room for at least `capacity` vectors; codes already written are kept. */
	reserve(capacity: number): void;
	/** The codes, `stride` bytes per slot. The view changes after reserve(). */
	codes(): Int8Array;
	/** The query's int16 values (`stride` of them, padding zero), used by the next dots() calls. */
	setQuery(q: Int16Array): void;
	/** query · codes[slot] for slots start … start+count−1 (count ≤ BLOCK), in a view that the next call reuses. */
	dots(start: number, count: number): Int32Array;
	/** Memory held, bytes. */
	bytes(): number;
}

export const strideFor = (dims: number): number => Math.ceil(dims / 16) * 16;

// Parameters and locals of the WASM function, by index.
const [QUERY, CODES, COUNT, STRIDE, OUT, END, Q, ACC0, ACC1, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * (func $dots (param $query $codes $count $stride $out i32)
 *   for each of $count vectors of $stride int8 codes at $codes: i32.store $out (Σ code × query), $out += 4
 * 16 codes per step: sign-extend to two i16x8 halves, multiply-add each against 8 query values with
 * i32x4.dot_i16x8_s (pairs summed into i32 lanes), two accumulators; the four lanes summed at the end.
 */
const dotsFunc = {
	name: 'dots',
	params: [I32, I32, I32, I32, I32],
	locals: [I32, I32, V128, V128, V128],
	body: [
		op.block(),
		op.local_get(COUNT), op.i32_eqz(), op.br_if(0),
		op.loop(), // one vector
		op.local_get(CODES), op.local_get(STRIDE), op.i32_add(), op.local_set(END),
		op.local_get(QUERY), op.local_set(Q),
		op.v128_const_zero(), op.local_set(ACC0),
		op.v128_const_zero(), op.local_set(ACC1),
		op.loop(), // 16 codes
		op.local_get(CODES), op.v128_load(), op.local_set(X),
		op.local_get(ACC0),
		op.local_get(X), op.i16x8_extend_low_i8x16_s(), op.local_get(Q), op.v128_load(0), op.i32x4_dot_i16x8_s(),
		op.i32x4_add(), op.local_set(ACC0),
		op.local_get(ACC1),
		op.local_get(X), op.i16x8_extend_high_i8x16_s(), op.local_get(Q), op.v128_load(16), op.i32x4_dot_i16x8_s(),
		op.i32x4_add(), op.local_set(ACC1),
		op.local_get(Q), op.i32_const(32), op.i32_add(), op.local_set(Q),
		op.local_get(CODES), op.i32_const(16), op.i32_add(), op.local_tee(CODES),
		op.local_get(END), op.i32_lt_u(), op.br_if(0),
		op.end(),
		// *out = sum of the lanes of acc0 + acc1
		op.local_get(OUT),
		op.local_get(ACC0), op.local_get(ACC1), op.i32x4_add(), op.local_tee(X),
		op.i32x4_extract_lane(0),
		op.local_get(X), op.i32x4_extract_lane(1), op.i32_add(),
		op.local_get(X), op.i32x4_extract_lane(2), op.i32_add(),
		op.local_get(X), op.i32x4_extract_lane(3), op.i32_add(),
		op.i32_store(),
		op.local_get(OUT), op.i32_const(4), op.i32_add(), op.local_set(OUT),
		op.local_get(COUNT), op.i32_const(1), op.i32_sub(), op.local_tee(COUNT),
		op.br_if(0),
		op.end(),
		op.end()
	]
};

let wasmBytes: Uint8Array | null = null;
/** The kernel module's bytes (built once). */
export function dotsModuleBytes(): Uint8Array {
	wasmBytes ??= wasmModule([dotsFunc]);
	return wasmBytes;
}

let simdOk: boolean | null = null;
/** Whether this engine runs the kernel (WebAssembly with SIMD). */
export function wasmSimdSupported(): boolean {
	simdOk ??= typeof WebAssembly === 'object' && WebAssembly.validate(dotsModuleBytes() as BufferSource);
	return simdOk;
}

const PAGE = 65536;
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** WASM memory: [query int16 × stride][dots int32 × BLOCK][codes …]; the codes come last so growing never moves them. */
function wasmKernel(stride: number): DotKernel {
	const queryAt = 0;
	const outAt = align16(stride * 2);
	const codesAt = align16(outAt + BLOCK * 4);
	const memory = new WebAssembly.Memory({ initial: Math.ceil(codesAt / PAGE) });
	const instance = new WebAssembly.Instance(new WebAssembly.Module(dotsModuleBytes() as BufferSource), { env: { memory } });
	const run = instance.exports.dots as (query: number, codes: number, count: number, stride: number, out: number) => void;
	let capacity = 0;
	let codes = new Int8Array(memory.buffer, codesAt, 0);
	let out = new Int32Array(memory.buffer, outAt, BLOCK);
	return {
		kind: 'wasm-simd',
		stride,
		get capacity() {
			return capacity;
		},
		reserve(n) {
			if (n <= capacity) return;
			const need = codesAt + n * stride;
			if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
			capacity = Math.floor((memory.buffer.byteLength - codesAt) / stride);
			codes = new Int8Array(memory.buffer, codesAt, capacity * stride);
			out = new Int32Array(memory.buffer, outAt, BLOCK);
		},
		codes: () => codes,
		setQuery(q) {
			new Int16Array(memory.buffer, queryAt, stride).set(q);
		},
		dots(start, count) {
			run(queryAt, codesAt + start * stride, count, stride, outAt);
			return out.subarray(0, count);
		},
		bytes: () => memory.buffer.byteLength
	};
}

/** The same sums in plain JS (exact: every partial sum is an integer far below 2^53). */
function jsKernel(stride: number): DotKernel {
	let capacity = 0;
	let codes = new Int8Array(0);
	const query = new Int16Array(stride);
	const out = new Int32Array(BLOCK);
	return {
		kind: 'js',
		stride,
		get capacity() {
			return capacity;
		},
		reserve(n) {
			if (n <= capacity) return;
			const grown = new Int8Array(n * stride);
			grown.set(codes);
			codes = grown;
			capacity = n;
		},
		codes: () => codes,
		setQuery(q) {
			query.set(q);
		},
		dots(start, count) {
			const c = codes; // a local: the loop reads it faster than the closure's variable
			for (let v = 0; v < count; v++) {
				const base = (start + v) * stride;
				let s = 0;
				for (let i = 0; i < stride; i++) s += c[base + i] * query[i];
				out[v] = s;
			}
			return out.subarray(0, count);
		},
		bytes: () => codes.byteLength + query.byteLength + out.byteLength
	};
}

/** The WASM SIMD kernel where it runs, else the JS one; `prefer: 'js'` forces the fallback. */
export function createKernel(dims: number, prefer: 'auto' | 'js' = 'auto'): DotKernel {
	const stride = strideFor(dims);
	return prefer === 'auto' && wasmSimdSupported() ? wasmKernel(stride) : jsKernel(stride);
}
