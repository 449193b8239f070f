// The search worker's typed API (worker/search/search.worker.ts), as the page sees it through comlink.
import type { Strictness } from '../../src/lib/search/duplicates';
import type { DuplicatesView } from '../../src/lib/search/duplicates-view';
import type { Facets } from '../../src/lib/search/facets';
import type { Ranked, SearchRequest } from '../../src/lib/search/query';
//
//   const worker = new Worker(new URL('../../worker/search/search.worker.ts', import.meta.url), { type: 'module', name: 'search' });
//   const search = Comlink.wrap<SearchApi>(worker);
//   await search.load('clip-vit-b32-image');                    // that model's embeddings, from IndexedDB
//   const hits = await search.query(textEmbedding, 50, 0.2);    // [{ assetId, score }], best first
//   await search.upsert([row]); await search.remove([assetId]); // keep it current as the smartSearch job writes rows
//
// The index holds one model's vectors as int8 codes (about 0.5 KiB a 512-d vector) and, while they
// fit in `floatBudgetMiB`, their float32 values too (2 KiB); beyond that the few candidates a query
// keeps are re-read from IndexedDB (slower: about 0.1 ms a row). Either way `query` returns the
// exact top k.

export interface SearchHit {
	assetId: string;
	/** Dot product with the query (cosine for L2-normalised vectors). */
	score: number;
}

/** A vector to index: an EmbeddingRow, already stored in IndexedDB (the exact ranking may re-read it there). */
export interface SearchRow {
	assetId: string;
	model: string;
	vector: Float32Array;
}

export interface SearchConfig {
	/** Float32 copies are kept in memory while count × dims × 4 bytes stays within this; default defaultFloatBudgetMiB(). */
	floatBudgetMiB: number;
	/** 'js' forces the plain-JS scan (for tests and comparisons); 'auto' uses WASM SIMD where it runs. */
	kernel: 'auto' | 'js';
}

/**
 * 32 MiB per GB of device memory (navigator.deviceMemory; 4 where unknown), at most 256 MiB: the
 * floats of 100k+ 512-d vectors on a desktop, about 65k on a 4 GB phone.
 */
export function defaultFloatBudgetMiB(deviceMemoryGb: number | undefined): number {
	return Math.min(256, 32 * (deviceMemoryGb ?? 4));
}

/** Where the exact scores of a query's candidates come from. */
export type ExactSource = 'memory' | 'database';

export interface QueryTimings {
	/** int8 scan and candidate selection, ms. */
	scanMs: number;
	/** Vectors that could be in the exact top k (scored exactly). */
	candidates: number;
	/** Reading the candidates' float vectors from IndexedDB, ms (0 from memory or when not exact). */
	readMs: number;
	/** Exact scoring and sorting of the candidates, ms. */
	rankMs: number;
	totalMs: number;
	exact: boolean;
}

export interface SearchStats {
	model: string | null;
	count: number;
	dims: number;
	kernel: 'wasm-simd' | 'js' | null;
	exactSource: ExactSource;
	floatBudgetMiB: number;
	/** Memory the index holds, bytes (ids: an estimate). */
	bytes: { codes: number; floats: number; meta: number; ids: number; total: number };
	/** The last load(): rows read and ms. */
	load: { rows: number; ms: number } | null;
	lastQuery: QueryTimings | null;
}

export interface SearchApi {
	configure(config: Partial<SearchConfig>): Promise<void>;
	/** Replaces the index with `model`'s embeddings, read from IndexedDB with one cursor (never more than a row in hand). */
	load(model: string): Promise<SearchStats>;
	/** Adds or replaces vectors of the loaded model (rows of other models are ignored); resolves to how many were applied. */
	upsert(rows: SearchRow[]): Promise<number>;
	/** Resolves to how many were in the index. */
	remove(assetIds: string[]): Promise<number>;
	/**
	 * The top k by score, best first, scores ≥ minScore. `exact` (default true) scores the int8 scan's
	 * candidates in float32; false ranks by the int8 estimates alone, which are then the scores (no float reads; near-exact).
	 */
	query(vector: Float32Array, k: number, minScore: number, exact?: boolean): Promise<SearchHit[]>;
	/** The k assets most like this one (itself left out); [] when it has no embedding of the loaded model. */
	similar(assetId: string, k: number, minScore: number): Promise<SearchHit[]>;
	stats(): Promise<SearchStats>;
	/** Brings the index up to date with `model`'s rows in IndexedDB (loading it when another model is loaded). */
	sync(model: string): Promise<void>;
	/**
	 * One search of the library (src/lib/search/find.ts): `model` is the CLIP image encoder whose
	 * embeddings to use (null without CLIP), `vector` the query's text embedding.
	 */
	find(req: SearchRequest, model: string | null, vector?: Float32Array): Promise<Ranked[]>;
	/** The places, cameras and people the filters offer. */
	facets(): Promise<Facets>;
	/**
	 * Near-duplicate groups among the timeline and the archive at `strictness`, less the groups in
	 * `dismissed` (src/lib/search/duplicates-view.ts), with the grouped assets' rows.
	 */
	duplicates(strictness: Strictness, dismissed: string[][]): Promise<DuplicatesView>;
}
