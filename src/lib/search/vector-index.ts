// The vector index of smart search: one model's embeddings in contiguous arrays, searched by dot
// product (cosine for L2-normalised vectors). Pure: no DOM, no IndexedDB; runs in a worker and in Node.
//
// A search scans int8 codes (WASM SIMD kernel, dot-kernel.ts) and keeps only the vectors whose
// score bound (quantize.ts) could still reach the k-th best lower bound: those candidates are then
// scored exactly in float32, from the floats kept here or from wherever the caller keeps them
// (rank()). The result is the exact top k, whatever the quantisation error.
import { BLOCK, createKernel, type DotKernel } from './dot-kernel';
import { quantizeQuery, quantizeVector } from './quantize';

export interface Hit {
	assetId: string;
	score: number;
}

/** A vector that may be in the exact top k: its int8 estimate is within ±bound of its score. */
export interface Candidate {
	assetId: string;
	estimate: number;
	bound: number;
}

export interface VectorIndexOptions {
	dims: number;
	/** Keep each vector's float32 values too (4 bytes a dimension) for exact ranking in memory. Default true. */
	keepFloats?: boolean;
	/** 'js' forces the plain-JS kernel (the fallback where WASM SIMD is missing). */
	kernel?: 'auto' | 'js';
}

export interface IndexBytes {
	codes: number;
	floats: number;
	/** Scales and error terms, 12 bytes a vector. */
	meta: number;
	/** Asset ids and the id → slot map: an estimate (JS strings and Map entries). */
	ids: number;
	total: number;
}

/** Slack over the float64 rounding of a dot product of ≤ a few thousand terms. */
const SLACK = 1e-9;
const MIN_CAPACITY = 1024;

/** Float64 dot product, in index order: the one reference every exact score is computed with. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i] * b[i];
	return s;
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Best first; equal scores by asset id, so that results never depend on insertion order. */
export const byScore = (a: Hit, b: Hit): number => b.score - a.score || compareIds(a.assetId, b.assetId);

/**
 * The exact top k of `candidates` (from VectorIndex.candidates) given their float vectors
 * (`vectors[i]` for `candidates[i]`; a missing one is left out: its row is gone).
 */
export function rank(query: ArrayLike<number>, candidates: Candidate[], vectors: Array<ArrayLike<number> | undefined>, k: number, minScore: number): Hit[] {
	const hits: Hit[] = [];
	candidates.forEach((c, i) => {
		const v = vectors[i];
		if (!v) return;
		const score = dot(query, v);
		if (score >= minScore) hits.push({ assetId: c.assetId, score });
	});
	return hits.sort(byScore).slice(0, Math.max(0, k));
}

export class VectorIndex {
	readonly dims: number;
	readonly kernel: DotKernel;
	private ids: string[] = [];
	private slots = new Map<string, number>();
	private capacity = 0;
	private scales = new Float32Array(0);
	private residuals = new Float32Array(0);
	private norms = new Float32Array(0);
	private floats: Float32Array | null;

	constructor(opts: VectorIndexOptions) {
		this.dims = opts.dims;
		this.kernel = createKernel(opts.dims, opts.kernel ?? 'auto');
		this.floats = opts.keepFloats === false ? null : new Float32Array(0);
	}

	get size(): number {
		return this.ids.length;
	}

	/** Whether topK() is exact on its own (floats kept), rather than ranked by the int8 estimates. */
	get keepsFloats(): boolean {
		return this.floats !== null;
	}

	has(assetId: string): boolean {
		return this.slots.has(assetId);
	}

	/** The asset ids held (a copy). */
	assetIds(): string[] {
		return [...this.ids];
	}

	/** A copy of the kept float vector, or null (not here, or floats not kept). */
	floatVector(assetId: string): Float32Array | null {
		const slot = this.slots.get(assetId);
		if (slot === undefined || !this.floats) return null;
		return this.floats.slice(slot * this.dims, (slot + 1) * this.dims);
	}

	/** Lets go of the float vectors (memory); ranking then needs rank() with vectors from elsewhere. */
	dropFloats(): void {
		this.floats = null;
	}

	/** Room for `n` vectors without growing again. */
	reserve(n: number): void {
		if (n <= this.capacity) return;
		this.kernel.reserve(n);
		const grow = (a: Float32Array, per: number) => {
			const b = new Float32Array(n * per);
			b.set(a.subarray(0, this.size * per));
			return b;
		};
		this.scales = grow(this.scales, 1);
		this.residuals = grow(this.residuals, 1);
		this.norms = grow(this.norms, 1);
		if (this.floats) this.floats = grow(this.floats, this.dims);
		this.capacity = n;
	}

	/** Adds the vector, or replaces the one stored for this asset. */
	upsert(assetId: string, vector: ArrayLike<number>): void {
		if (vector.length !== this.dims) throw new Error(`vector of ${vector.length} values for an index of ${this.dims}`);
		const existing = this.slots.get(assetId);
		const slot = existing ?? this.size;
		// grow by a quarter: at most 25% spare (growing the codes' WASM memory copies nothing)
		if (slot >= this.capacity) this.reserve(Math.max(MIN_CAPACITY, Math.ceil(this.capacity * 1.25), slot + 1));
		const stride = this.kernel.stride;
		// throws on NaN before writing anything
		const q = quantizeVector(vector, this.kernel.codes().subarray(slot * stride, slot * stride + this.dims));
		if (existing === undefined) {
			this.ids.push(assetId);
			this.slots.set(assetId, slot);
		}
		this.scales[slot] = q.scale;
		this.residuals[slot] = q.residual;
		this.norms[slot] = q.norm;
		this.floats?.set(vector, slot * this.dims);
	}

	/** Removes the asset's vector (the last slot moves into its place); false when it was not here. */
	remove(assetId: string): boolean {
		const slot = this.slots.get(assetId);
		if (slot === undefined) return false;
		const last = this.size - 1;
		this.slots.delete(assetId);
		if (slot !== last) {
			const moved = this.ids[last];
			const stride = this.kernel.stride;
			this.kernel.codes().copyWithin(slot * stride, last * stride, (last + 1) * stride);
			this.scales[slot] = this.scales[last];
			this.residuals[slot] = this.residuals[last];
			this.norms[slot] = this.norms[last];
			this.floats?.copyWithin(slot * this.dims, last * this.dims, (last + 1) * this.dims);
			this.ids[slot] = moved;
			this.slots.set(moved, slot);
		}
		this.ids.pop();
		return true;
	}

	/**
	 * Every vector that can be in the exact top k with a score ≥ minScore, best estimate first: those
	 * whose upper bound reaches the k-th largest lower bound. Rank them with rank() (or topK()).
	 */
	candidates(query: ArrayLike<number>, k: number, minScore: number): Candidate[] {
		return this.scan(query, k, minScore, true);
	}

	/** The top k by the int8 estimates alone, which are the scores: near-exact, no float values read. */
	estimateTopK(query: ArrayLike<number>, k: number, minScore: number): Hit[] {
		return this.scan(query, k, minScore, false)
			.map((c) => ({ assetId: c.assetId, score: c.estimate }))
			.slice(0, Math.max(0, k));
	}

	/** The top k by score, best first, scores ≥ minScore: exact when floats are kept, else estimateTopK(). */
	topK(query: ArrayLike<number>, k: number, minScore: number): Hit[] {
		if (!this.floats) return this.estimateTopK(query, k, minScore);
		const candidates = this.scan(query, k, minScore, true);
		const floats = this.floats;
		const vectors = candidates.map((c) => {
			const slot = this.slots.get(c.assetId)!;
			return floats.subarray(slot * this.dims, (slot + 1) * this.dims);
		});
		return rank(query, candidates, vectors, k, minScore);
	}

	bytes(): IndexBytes {
		const codes = this.kernel.bytes();
		const floats = this.floats?.byteLength ?? 0;
		const meta = this.scales.byteLength + this.residuals.byteLength + this.norms.byteLength;
		let ids = 0;
		for (const id of this.ids) ids += id.length + 80; // a one-byte string, its array slot and map entry
		return { codes, floats, meta, ids, total: codes + floats + meta + ids };
	}

	/**
	 * One pass over the codes. With `bounded`, vectors whose estimate + bound reaches the k-th largest
	 * estimate − bound (and minScore); without, the top k estimates (ties kept).
	 */
	private scan(query: ArrayLike<number>, k: number, minScore: number, bounded: boolean): Candidate[] {
		if (query.length !== this.dims) throw new Error(`query of ${query.length} values for an index of ${this.dims}`);
		if (k <= 0 || this.size === 0) return [];
		const q = quantizeQuery(query, this.kernel.stride);
		this.kernel.setQuery(q.codes);
		const lows = new MinHeap(k);
		let threshold = minScore;
		// candidates so far, as parallel arrays (slot, estimate, upper bound); pruned when they pile up
		let slots: number[] = [];
		let ests: number[] = [];
		let highs: number[] = [];
		let pruneAt = 4 * k + 4096;
		const { scales, residuals, norms } = this;
		for (let start = 0; start < this.size; start += BLOCK) {
			const count = Math.min(BLOCK, this.size - start);
			const dots = this.kernel.dots(start, count);
			for (let v = 0; v < count; v++) {
				const j = start + v;
				const est = dots[v] * scales[j] * q.scale;
				const bound = bounded ? q.norm * residuals[j] + q.residual * norms[j] + SLACK : 0;
				const high = est + bound;
				if (high < threshold) continue;
				if (lows.offer(est - bound)) threshold = Math.max(minScore, lows.min());
				slots.push(j);
				ests.push(est);
				highs.push(high);
				if (slots.length >= pruneAt) {
					[slots, ests, highs] = keepAbove(threshold, slots, ests, highs);
					pruneAt = Math.max(pruneAt, 2 * slots.length);
				}
			}
		}
		[slots, ests, highs] = keepAbove(threshold, slots, ests, highs);
		return slots
			.map((s, i) => ({ assetId: this.ids[s], estimate: ests[i], bound: highs[i] - ests[i] }))
			.sort((a, b) => b.estimate - a.estimate || compareIds(a.assetId, b.assetId));
	}
}

function keepAbove(threshold: number, slots: number[], ests: number[], highs: number[]): [number[], number[], number[]] {
	const s: number[] = [];
	const e: number[] = [];
	const h: number[] = [];
	for (let i = 0; i < slots.length; i++) {
		if (highs[i] < threshold) continue;
		s.push(slots[i]);
		e.push(ests[i]);
		h.push(highs[i]);
	}
	return [s, e, h];
}

/** The k largest numbers offered so far; min() is the k-th largest once k were offered. */
class MinHeap {
	private a: Float64Array;
	private n = 0;
	constructor(private k: number) {
		this.a = new Float64Array(k);
	}
	/** -Infinity until k values were offered. */
	min(): number {
		return this.n < this.k ? -Infinity : this.a[0];
	}
	/** Keeps x if it is among the k largest; true when min() may have changed. */
	offer(x: number): boolean {
		const a = this.a;
		if (this.n < this.k) {
			let i = this.n++;
			while (i > 0) {
				const p = (i - 1) >> 1;
				if (a[p] <= x) break;
				a[i] = a[p];
				i = p;
			}
			a[i] = x;
			return this.n === this.k;
		}
		if (x <= a[0]) return false;
		let i = 0;
		for (;;) {
			const l = 2 * i + 1;
			if (l >= this.k) break;
			const c = l + 1 < this.k && a[l + 1] < a[l] ? l + 1 : l;
			if (a[c] >= x) break;
			a[i] = a[c];
			i = c;
		}
		a[i] = x;
		return true;
	}
}
