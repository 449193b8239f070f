import { describe, expect, it } from 'vitest';
import { BLOCK, createKernel, dotsModuleBytes, strideFor, wasmSimdSupported } from '../../src/lib/search/dot-kernel';
import { quantizeQuery, quantizeVector } from '../../src/lib/search/quantize';
import { byScore, dot, rank, VectorIndex, type Hit } from '../../src/lib/search/vector-index';
import { rng } from '../../src/lib/synthetic/rows';

function gaussian(r: () => number): number {
	return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function normalise(v: Float32Array): Float32Array {
	const n = Math.sqrt(dot(v, v));
	for (let i = 0; i < v.length; i++) v[i] /= n;
	return v;
}

/**
 * CLIP-like unit vectors: a direction shared by all, one of `clusters` topic centres, and noise,
 * so that top results are close together (the hard case for int8 ranking).
 */
function clustered(n: number, dims: number, seed: number, clusters = 20): Float32Array[] {
	const r = rng(seed);
	const common = normalise(Float32Array.from({ length: dims }, () => gaussian(r)));
	const centres = Array.from({ length: clusters }, () => normalise(Float32Array.from({ length: dims }, () => gaussian(r))));
	return Array.from({ length: n }, () => {
		const c = centres[Math.floor(r() * clusters)];
		return normalise(Float32Array.from({ length: dims }, (_, i) => 0.6 * common[i] + 0.5 * c[i] + (0.7 * gaussian(r)) / Math.sqrt(dims)));
	});
}

/** The reference: every score in float64, sorted, cut. */
function bruteForce(query: Float32Array, rows: Map<string, Float32Array>, k: number, minScore: number): Hit[] {
	const all: Hit[] = [];
	for (const [assetId, v] of rows) {
		const score = dot(query, v);
		if (score >= minScore) all.push({ assetId, score });
	}
	return all.sort(byScore).slice(0, k);
}

const id = (i: number) => `a${String(i).padStart(6, '0')}`;

function build(vectors: Float32Array[], opts: { keepFloats?: boolean; kernel?: 'auto' | 'js' } = {}) {
	const index = new VectorIndex({ dims: vectors[0].length, ...opts });
	const rows = new Map<string, Float32Array>();
	vectors.forEach((v, i) => {
		index.upsert(id(i), v);
		rows.set(id(i), v);
	});
	return { index, rows };
}

describe('dot kernel', () => {
	it('is a valid WASM SIMD module that this Node runs', () => {
		expect(WebAssembly.validate(dotsModuleBytes() as BufferSource)).toBe(true);
		expect(wasmSimdSupported()).toBe(true);
		expect(createKernel(512).kind).toBe('wasm-simd');
		expect(createKernel(512, 'js').kind).toBe('js');
	});

	it('gives the same integers as the JS fallback, across blocks, odd sizes and the extremes', () => {
		for (const dims of [512, 100, 16]) {
			const stride = strideFor(dims);
			const r = rng(dims);
			const n = BLOCK + 37;
			const wasm = createKernel(dims);
			const js = createKernel(dims, 'js');
			wasm.reserve(n);
			js.reserve(n);
			for (let v = 0; v < n; v++) {
				for (let i = 0; i < dims; i++) {
					// the first vector all +127, the second all −127, the rest random
					const c = v === 0 ? 127 : v === 1 ? -127 : Math.floor(r() * 255) - 127;
					wasm.codes()[v * stride + i] = c;
					js.codes()[v * stride + i] = c;
				}
			}
			const q = quantizeQuery(Float32Array.from({ length: dims }, () => 1), stride).codes;
			for (const k of [wasm, js]) k.setQuery(q);
			expect(Array.from(wasm.dots(0, 2))).toEqual([127 * q[0] * dims, -127 * q[0] * dims]);
			expect(Array.from(js.dots(0, 2))).toEqual([127 * q[0] * dims, -127 * q[0] * dims]);
			const rq = quantizeQuery(Float32Array.from({ length: dims }, () => gaussian(r)), stride).codes;
			for (const k of [wasm, js]) k.setQuery(rq);
			for (let start = 0; start < n; start += BLOCK) {
				const count = Math.min(BLOCK, n - start);
				const expected = Array.from({ length: count }, (_, v) => {
					let s = 0;
					for (let i = 0; i < dims; i++) s += js.codes()[(start + v) * stride + i] * rq[i];
					return s;
				});
				expect(Array.from(wasm.dots(start, count))).toEqual(expected);
				expect(Array.from(js.dots(start, count))).toEqual(expected);
			}
		}
	});

	it('keeps the codes when it grows', () => {
		const k = createKernel(64);
		k.reserve(10);
		k.codes()[9 * 64 + 5] = -77;
		k.reserve(200_000);
		expect(k.capacity).toBeGreaterThanOrEqual(200_000);
		expect(k.codes()[9 * 64 + 5]).toBe(-77);
	});
});

describe('quantisation', () => {
	it('bounds the error of every estimate', () => {
		const dims = 512;
		const vectors = clustered(300, dims, 7);
		const queries = clustered(20, dims, 8);
		const codes = new Int8Array(dims);
		let worst = 0;
		for (const x of vectors) {
			const qx = quantizeVector(x, codes);
			for (const qv of queries) {
				const qq = quantizeQuery(qv, strideFor(dims));
				let d = 0;
				for (let i = 0; i < dims; i++) d += codes[i] * qq.codes[i];
				const err = Math.abs(dot(x, qv) - d * qx.scale * qq.scale);
				const bound = qq.norm * qx.residual + qq.residual * qx.norm;
				expect(err).toBeLessThanOrEqual(bound);
				worst = Math.max(worst, err / bound);
			}
		}
		// the bound is a worst case: real errors sit well inside it
		expect(worst).toBeLessThan(0.5);
	});

	it('stores codes within ±127 and a zero vector as zeros', () => {
		const codes = new Int8Array(4);
		const q = quantizeVector([0.5, -1, 0.25, 0], codes);
		expect(Array.from(codes)).toEqual([64, -127, 32, 0]);
		expect(q.scale).toBeCloseTo(1 / 127, 7);
		expect(quantizeVector([0, 0, 0, 0], codes)).toEqual({ scale: 0, residual: 0, norm: 0 });
		expect(Array.from(codes)).toEqual([0, 0, 0, 0]);
	});
});

describe('VectorIndex', () => {
	const dims = 512;
	const vectors = clustered(6000, dims, 1);
	const queries = clustered(25, dims, 2);

	it('finds the exact top k of a brute-force float search, on both kernels', () => {
		const wasm = build(vectors);
		const js = build(vectors, { kernel: 'js' });
		expect(wasm.index.kernel.kind).toBe('wasm-simd');
		for (const q of queries) {
			for (const k of [1, 10, 100]) {
				const expected = bruteForce(q, wasm.rows, k, -1);
				expect(wasm.index.topK(q, k, -1)).toEqual(expected);
				expect(js.index.topK(q, k, -1)).toEqual(expected);
			}
		}
	});

	it('applies the score cut-off', () => {
		const { index, rows } = build(vectors);
		const q = queries[0];
		const scores = bruteForce(q, rows, rows.size, -1).map((h) => h.score);
		const cut = scores[40]; // 41 vectors score at least this
		const hits = index.topK(q, 100, cut);
		expect(hits).toEqual(bruteForce(q, rows, 100, cut));
		expect(hits).toHaveLength(41);
		expect(hits.every((h) => h.score >= cut)).toBe(true);
		expect(index.topK(q, 10, scores[0] + 1e-6)).toEqual([]);
		expect(index.topK(q, 0, -1)).toEqual([]);
	});

	it('orders ties by asset id, whatever the insertion order', () => {
		const r = rng(3);
		const base = clustered(50, 32, 4);
		const dup = base[0];
		// five copies of one vector under shuffled ids, among the others
		const entries: Array<[string, Float32Array]> = base.slice(1).map((v, i) => [`x${i}`, v]);
		for (const name of ['d3', 'd1', 'd4', 'd0', 'd2']) entries.splice(Math.floor(r() * entries.length), 0, [name, dup]);
		const index = new VectorIndex({ dims: 32 });
		for (const [name, v] of entries) index.upsert(name, v);
		const top = index.topK(dup, 3, -1);
		expect(top.map((h) => h.assetId)).toEqual(['d0', 'd1', 'd2']);
		expect(new Set(top.map((h) => h.score)).size).toBe(1);
		expect(index.topK(dup, 5, -1).map((h) => h.assetId)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
		// int8 estimates tie the same way
		const lean = new VectorIndex({ dims: 32, keepFloats: false });
		for (const [name, v] of [...entries].reverse()) lean.upsert(name, v);
		expect(lean.topK(dup, 3, -1).map((h) => h.assetId)).toEqual(['d0', 'd1', 'd2']);
	});

	it('stays exact through removals and updates', () => {
		const { index, rows } = build(vectors.slice(0, 3000));
		const r = rng(5);
		const fresh = clustered(400, dims, 6);
		for (let i = 0; i < 400; i++) {
			const victim = id(Math.floor(r() * 3000));
			expect(index.remove(victim)).toBe(rows.delete(victim));
			const target = id(Math.floor(r() * 3500)); // an update or an addition
			index.upsert(target, fresh[i]);
			rows.set(target, fresh[i]);
		}
		expect(index.remove('nope')).toBe(false);
		expect(index.size).toBe(rows.size);
		for (const q of queries.slice(0, 8)) expect(index.topK(q, 20, -1)).toEqual(bruteForce(q, rows, 20, -1));
		const some = [...rows.keys()][17];
		expect(index.floatVector(some)).toEqual(rows.get(some));
		expect(index.has(some)).toBe(true);
	});

	it('ranks exactly from floats kept elsewhere, and reports the recall of int8 alone', () => {
		const { index: lean, rows } = build(vectors, { keepFloats: false });
		const full = build(vectors);
		expect(lean.keepsFloats).toBe(false);
		expect(lean.floatVector(id(0))).toBeNull();
		let found = 0;
		let candidates = 0;
		for (const q of queries) {
			const expected = bruteForce(q, rows, 10, -1);
			const cands = lean.candidates(q, 10, -1);
			candidates += cands.length;
			// every candidate's score lies within its bound
			for (const c of cands) expect(Math.abs(dot(q, rows.get(c.assetId)!) - c.estimate)).toBeLessThanOrEqual(c.bound);
			expect(
				rank(
					q,
					cands,
					cands.map((c) => rows.get(c.assetId)),
					10,
					-1
				)
			).toEqual(expected);
			const approx = lean.topK(q, 10, -1);
			// the same estimates whether the floats are kept or not
			expect(full.index.estimateTopK(q, 10, -1)).toEqual(approx);
			const want = new Set(expected.map((h) => h.assetId));
			found += approx.filter((h) => want.has(h.assetId)).length;
		}
		const recall = found / (10 * queries.length);
		console.log(`int8 alone: recall@10 ${recall.toFixed(3)}; bounded candidates per query ${(candidates / queries.length).toFixed(1)} of ${vectors.length}`);
		expect(recall).toBeGreaterThan(0.8);
		expect(candidates / queries.length).toBeLessThan(vectors.length / 10);
		// rows that vanished from storage are left out
		const cands = lean.candidates(queries[0], 5, -1);
		expect(rank(queries[0], cands, cands.map(() => undefined), 5, -1)).toEqual([]);
	});

	it('drops its floats on request and refuses vectors of another size', () => {
		const { index } = build(vectors.slice(0, 100));
		const before = index.bytes();
		expect(before.floats).toBeGreaterThanOrEqual(100 * dims * 4);
		index.dropFloats();
		expect(index.bytes().floats).toBe(0);
		expect(index.keepsFloats).toBe(false);
		expect(() => index.upsert('x', new Float32Array(3))).toThrow(/3 values/);
		expect(() => index.upsert('x', new Float32Array(dims).fill(NaN))).toThrow(/NaN/);
		expect(index.has('x')).toBe(false);
		expect(() => index.topK(new Float32Array(3), 1, 0)).toThrow(/3 values/);
	});
});
