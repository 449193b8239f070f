// A tiny WebAssembly binary writer: just what the search kernel needs (one memory import, one
// function type, exported functions, i32 and v128 locals, the opcodes named below). The kernel is
// written as a list of named instructions, read like the text format's flat form, and encoded
// here at run time: no build step, so Vite, Vitest and the worker all get the same bytes.
// Encoding: https://webassembly.github.io/spec/core/binary/ (and the SIMD proposal's opcode table).

export type Bytes = number[];

export const I32 = 0x7f;
export const V128 = 0x7b;
const FUNC_TYPE = 0x60;
const EMPTY_BLOCK = 0x40;

export function uleb(n: number): Bytes {
	const out: Bytes = [];
	do {
		let b = n & 0x7f;
		n >>>= 7;
		if (n) b |= 0x80;
		out.push(b);
	} while (n);
	return out;
}

export function sleb(n: number): Bytes {
	const out: Bytes = [];
	for (;;) {
		const b = n & 0x7f;
		n >>= 7;
		const done = (n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40);
		out.push(done ? b : b | 0x80);
		if (done) return out;
	}
}

const name = (s: string): Bytes => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];
/** Alignment (log2 bytes) and offset of a load or store. */
const memarg = (alignLog2: number, offset: number): Bytes => [...uleb(alignLog2), ...uleb(offset)];
const simd = (op: number, ...imm: Bytes): Bytes => [0xfd, ...uleb(op), ...imm];

/** The instructions the kernel uses, by their text-format names. */
export const op = {
	block: (): Bytes => [0x02, EMPTY_BLOCK],
	loop: (): Bytes => [0x03, EMPTY_BLOCK],
	end: (): Bytes => [0x0b],
	br_if: (depth: number): Bytes => [0x0d, ...uleb(depth)],
	local_get: (i: number): Bytes => [0x20, ...uleb(i)],
	local_set: (i: number): Bytes => [0x21, ...uleb(i)],
	local_tee: (i: number): Bytes => [0x22, ...uleb(i)],
	i32_const: (n: number): Bytes => [0x41, ...sleb(n)],
	i32_store: (offset = 0): Bytes => [0x36, ...memarg(2, offset)],
	i32_eqz: (): Bytes => [0x45],
	i32_lt_u: (): Bytes => [0x49],
	i32_add: (): Bytes => [0x6a],
	i32_sub: (): Bytes => [0x6b],
	v128_load: (offset = 0): Bytes => simd(0x00, ...memarg(4, offset)),
	v128_const_zero: (): Bytes => simd(0x0c, ...new Array<number>(16).fill(0)),
	i32x4_extract_lane: (lane: number): Bytes => simd(0x1b, lane),
	i16x8_extend_low_i8x16_s: (): Bytes => simd(0x87),
	i16x8_extend_high_i8x16_s: (): Bytes => simd(0x88),
	i32x4_add: (): Bytes => simd(0xae),
	i32x4_dot_i16x8_s: (): Bytes => simd(0xba)
};

export interface FuncDef {
	/** Exported under this name. */
	name: string;
	params: number[];
	/** Extra locals after the params, in order. */
	locals: number[];
	body: Bytes[];
}

/**
 * A module importing `env.memory` (at least `minPages` 64 KiB pages) and exporting `funcs`
 * (none returns a value).
 */
export function wasmModule(funcs: FuncDef[], minPages = 1): Uint8Array {
	const types = funcs.map((f) => [FUNC_TYPE, ...vec(f.params.map((p) => [p])), 0]);
	const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)];
	const exports = funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
	const bodies = funcs.map((f) => {
		// locals as runs of one type
		const runs: Bytes[] = [];
		for (let i = 0; i < f.locals.length; ) {
			let j = i;
			while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
			runs.push([...uleb(j - i), f.locals[i]]);
			i = j;
		}
		const code = [...vec(runs), ...f.body.flat(), ...op.end()];
		return [...uleb(code.length), ...code];
	});
	return new Uint8Array([
		...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
		...section(1, vec(types)),
		...section(2, vec([memoryImport])),
		...section(3, vec(funcs.map((_, i) => uleb(i)))),
		...section(7, vec(exports)),
		...section(10, vec(bodies))
	]);
}
