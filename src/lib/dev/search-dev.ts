// Developer hook for the search worker, installed by the /dev page only (test/bench/search.mjs drives it):
//   window.__shoeboxSearchDev.bench(opts) → N synthetic CLIP-like embeddings into a fresh search
//   worker (through IndexedDB and load(), or by upsert), then timed queries beside a plain-JS float
//   loop over the same vectors, which is also the exact reference the results are checked against.
import * as Comlink from 'comlink';
import { db } from '$lib/db/schema';
import type { EmbeddingRow } from '$lib/db/types';
import { rng } from '$lib/synthetic/rows';
import type { SearchApi, SearchStats } from '../../../worker/shared/search-api';

export interface SearchBenchOptions {
	size: number;
	dims: number;
	/** Timed queries (after WARMUP untimed ones). */
	queries: number;
	k: number;
	minScore: number;
	/** Write the rows to IndexedDB and load() them (the app's path), instead of upsert() from here. */
	throughDb: boolean;
	/** The search worker's float budget (SearchConfig.floatBudgetMiB); its default when absent. */
	floatBudgetMiB?: number;
	/** The search worker's kernel (SearchConfig.kernel); 'auto' when absent. */
	kernel?: 'auto' | 'js';
	seed: number;
}

export interface SearchBenchResult {
	size: number;
	/** Writing the rows to IndexedDB (throughDb), ms. */
	writeMs: number;
	/** load() from IndexedDB, or all the upsert() calls, ms. */
	fillMs: number;
	stats: SearchStats;
	/** Per timed query, ms, measured on the page (round trip to the worker included). */
	embedMs: number[];
	exactMs: number[];
	int8Ms: number[];
	baselineMs: number[];
	/** Per exact query, from the worker: scan + selection, IndexedDB read, ranking; candidates scored. */
	scanMs: number[];
	readMs: number[];
	rankMs: number[];
	candidates: number[];
	/** Exact queries whose hits differ from the float loop's (ids or order); null when they could not be checked. */
	exactMismatches: number | null;
	/** Share of the float loop's top k that the int8-only ranking found. */
	int8Recall: number;
	hitsPerQuery: number;
}

const MODEL = 'bench-synthetic';
/** Vectors per page-side Float32Array (128 MiB at 512-d). */
const CHUNK = 65536;
/** Rows per IndexedDB write or upsert() message. */
const BATCH = 4096;
const WARMUP = 5;
const TOPICS = 1000;

function normalise(v: Float32Array): Float32Array {
	let n = 0;
	for (let i = 0; i < v.length; i++) n += v[i] * v[i];
	n = Math.sqrt(n);
	for (let i = 0; i < v.length; i++) v[i] /= n;
	return v;
}

/**
 * CLIP-like unit vectors: a direction all share (CLIP's embeddings sit in a narrow cone), one of
 * TOPICS topic directions, and noise. A query is a topic plus noise, so its top k come from a
 * crowd of near-equal scores (the hard case for a quantised scan).
 */
function synthetic(dims: number, seed: number) {
	const r = rng(seed);
	const noise = (amp: number) => (r() * 2 - 1) * Math.sqrt(3) * (amp / Math.sqrt(dims));
	const common = normalise(Float32Array.from({ length: dims }, () => noise(1)));
	const topics = Array.from({ length: TOPICS }, () => normalise(Float32Array.from({ length: dims }, () => noise(1))));
	return {
		vector(out: Float32Array) {
			const t = topics[Math.floor(r() * TOPICS)];
			for (let i = 0; i < dims; i++) out[i] = 0.6 * common[i] + 0.5 * t[i] + noise(0.7);
			normalise(out);
		},
		query(): Float32Array {
			const t = topics[Math.floor(r() * TOPICS)];
			return normalise(Float32Array.from({ length: dims }, (_, i) => 0.3 * common[i] + 0.5 * t[i] + noise(0.8)));
		}
	};
}

/** Asset ids shaped like the app's (UUIDs), so the id memory is realistic. */
const assetId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The baseline: every score with a plain float loop, the top k kept by insertion. */
function floatLoop(query: Float32Array, chunks: Float32Array[], size: number, dims: number, k: number, minScore: number): Array<{ n: number; score: number }> {
	const top: Array<{ n: number; score: number }> = [];
	let floor = minScore;
	for (let n = 0; n < size; n++) {
		const chunk = chunks[Math.floor(n / CHUNK)];
		const base = (n % CHUNK) * dims;
		let s = 0;
		for (let i = 0; i < dims; i++) s += query[i] * chunk[base + i];
		if (s < floor) continue;
		let at = top.length;
		while (at > 0 && top[at - 1].score < s) at--;
		top.splice(at, 0, { n, score: s });
		if (top.length > k) top.pop();
		if (top.length === k) floor = top[k - 1].score;
	}
	return top;
}

/** The query's vector and the time it took to make: synthetic now; the CLIP text encoder goes here. */
async function queryVector(gen: ReturnType<typeof synthetic>): Promise<{ vector: Float32Array; ms: number }> {
	const t0 = performance.now();
	const vector = gen.query();
	return { vector, ms: performance.now() - t0 };
}

async function bench(o: SearchBenchOptions): Promise<SearchBenchResult> {
	const gen = synthetic(o.dims, o.seed);
	const chunks: Float32Array[] = [];
	for (let n = 0; n < o.size; n += CHUNK) {
		const chunk = new Float32Array(Math.min(CHUNK, o.size - n) * o.dims);
		for (let j = 0; j < chunk.length; j += o.dims) gen.vector(chunk.subarray(j, j + o.dims));
		chunks.push(chunk);
	}
	// a copy of one vector: never a view, which would clone its whole chunk
	const vectorOf = (n: number) => chunks[Math.floor(n / CHUNK)].slice((n % CHUNK) * o.dims, ((n % CHUNK) + 1) * o.dims);
	const batches = (fn: (rows: EmbeddingRow[]) => Promise<unknown>) => async () => {
		for (let n = 0; n < o.size; n += BATCH) {
			const rows: EmbeddingRow[] = [];
			for (let m = n; m < Math.min(o.size, n + BATCH); m++) rows.push({ assetId: assetId(m), model: MODEL, vector: vectorOf(m), createdAt: 0 });
			await fn(rows);
		}
	};

	const worker = new Worker(new URL('../../../worker/search/search.worker.ts', import.meta.url), { type: 'module', name: 'search' });
	const api = Comlink.wrap<SearchApi>(worker);
	try {
		await api.configure({ ...(o.floatBudgetMiB !== undefined && { floatBudgetMiB: o.floatBudgetMiB }), ...(o.kernel && { kernel: o.kernel }) });
		await db().embeddings.where('model').equals(MODEL).delete();
		let t0 = performance.now();
		if (o.throughDb) await batches((rows) => db().embeddings.bulkPut(rows))();
		const writeMs = o.throughDb ? performance.now() - t0 : 0;
		t0 = performance.now();
		await api.load(MODEL);
		if (!o.throughDb) await batches((rows) => api.upsert(Comlink.transfer(rows, rows.map((r) => r.vector.buffer))))();
		const fillMs = performance.now() - t0;
		const stats = await api.stats();
		// exact results can be checked only where every row is in IndexedDB or in the worker's memory
		const checkable = o.throughDb || stats.exactSource === 'memory';

		const r: SearchBenchResult = { size: o.size, writeMs, fillMs, stats, embedMs: [], exactMs: [], int8Ms: [], baselineMs: [], scanMs: [], readMs: [], rankMs: [], candidates: [], exactMismatches: checkable ? 0 : null, int8Recall: 0, hitsPerQuery: 0 };
		let found = 0;
		let wanted = 0;
		for (let i = 0; i < WARMUP + o.queries; i++) {
			const timed = i >= WARMUP;
			const q = await queryVector(gen);
			let t = performance.now();
			const exact = await api.query(q.vector, o.k, o.minScore);
			const exactMs = performance.now() - t;
			const last = (await api.stats()).lastQuery!;
			t = performance.now();
			const int8 = await api.query(q.vector, o.k, o.minScore, false);
			const int8Ms = performance.now() - t;
			t = performance.now();
			const ref = floatLoop(q.vector, chunks, o.size, o.dims, o.k, o.minScore);
			const baselineMs = performance.now() - t;
			if (!timed) continue;
			r.embedMs.push(q.ms);
			r.exactMs.push(exactMs);
			r.int8Ms.push(int8Ms);
			r.baselineMs.push(baselineMs);
			r.scanMs.push(last.scanMs);
			r.readMs.push(last.readMs);
			r.rankMs.push(last.rankMs);
			r.candidates.push(last.candidates);
			const refIds = ref.map((h) => assetId(h.n));
			if (r.exactMismatches !== null && exact.map((h) => h.assetId).join() !== refIds.join()) r.exactMismatches++;
			const want = new Set(refIds);
			found += int8.filter((h) => want.has(h.assetId)).length;
			wanted += want.size;
			r.hitsPerQuery += ref.length / o.queries;
		}
		r.int8Recall = wanted ? found / wanted : 1;
		if (o.throughDb) await db().embeddings.where('model').equals(MODEL).delete();
		return r;
	} finally {
		worker.terminate();
	}
}

export interface ShoeboxSearchDev {
	bench: typeof bench;
}

/** Installs window.__shoeboxSearchDev; returns the uninstaller (the page calls it when it goes away). */
export function installSearchDevHook(): () => void {
	const w = window as unknown as { __shoeboxSearchDev?: ShoeboxSearchDev };
	w.__shoeboxSearchDev = { bench };
	return () => {
		delete w.__shoeboxSearchDev;
	};
}
