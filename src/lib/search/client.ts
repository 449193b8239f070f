// The page's side of search: one search worker per tab (its vector index loads on first use), the
// query's CLIP text embedding from the ML pool when smart search is on and its models are here.
import * as Comlink from 'comlink';
import type { SearchApi } from '../../../worker/shared/search-api';
import { engine } from '../jobs/engine.svelte';
import { WorkerPool } from '../jobs/pool';
import { modelsForQueue } from '../models/queue-models';
import { missingOf } from '../jobs/model-check';
import { mlRunOptions } from '../jobs/ml-job';
import { mlQueueOn } from '../settings/defaults';
import { settings } from '../settings/settings.svelte';
import { parseQuery, type Ranked, type SearchRequest } from './query';

/** A load of a big index (a million vectors) takes most of a minute: only a worker that truly stopped answering is ended. */
const CALL_TIMEOUT_MS = 3 * 60 * 1000;
/** The index holds up to a few hundred MB: given back after a while without searches (reloaded on the next). */
const IDLE_MS = 5 * 60 * 1000;

let pool: WorkerPool<SearchApi> | null = null;

/**
 * A call to this tab's search worker, behind a pool of one: a worker that crashes or hangs is ended,
 * the call rejects, and the next call starts a fresh one (which loads its index again).
 */
export function searchCall<T>(fn: (api: Comlink.Remote<SearchApi>) => Promise<T>): Promise<T> {
	pool ??= new WorkerPool<SearchApi>(() => new Worker(new URL('../../../worker/search/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }), {
		size: 1,
		timeoutMs: CALL_TIMEOUT_MS,
		idleMs: IDLE_MS
	});
	return pool.run(fn);
}

/** The CLIP encoders of the chosen size, when smart search is switched on and both can be had. */
async function clipModels() {
	const s = settings().current;
	if (!mlQueueOn(s, 'smartSearch')) return null;
	const [image, text] = modelsForQueue('smartSearch', s);
	if (!image || !text || (await missingOf([image, text])).length) return null;
	return { image, text };
}

export interface SearchOutcome {
	hits: Ranked[];
	/** Whether CLIP took part (false: keywords, places, people and names only). */
	clip: boolean;
	/** Query text → embedding, ms (0 without CLIP). */
	embedMs: number;
}

/**
 * Query embeddings already made: the results page re-runs its search whenever the library changes
 * (jobs writing rows), and the same words need not go through the text encoder again.
 */
const embedded = new Map<string, Float32Array>();
const EMBEDDED_MAX = 32;

async function queryVector(text: string, model: string): Promise<{ vector: Float32Array; ms: number }> {
	const key = `${model}\n${text}`;
	const known = embedded.get(key);
	if (known) return { vector: known, ms: 0 };
	const s = settings().current;
	const t0 = performance.now();
	const vector = await engine().mlPool.run((api) => api.embedText(text, { ...mlRunOptions(s), tier: s.clipTier }));
	if (embedded.size >= EMBEDDED_MAX) embedded.delete(embedded.keys().next().value!);
	embedded.set(key, vector);
	return { vector, ms: performance.now() - t0 };
}

export async function searchLibrary(req: SearchRequest): Promise<SearchOutcome> {
	const clip = await clipModels();
	let vector: Float32Array | undefined;
	let embedMs = 0;
	if (clip && !req.similarTo && parseQuery(req.text).terms.length) ({ vector, ms: embedMs } = await queryVector(req.text, clip.text.id));
	// a copy crosses to the worker: the cached vector stays here
	const copy = vector?.slice();
	const hits = await searchCall((api) => api.find(req, clip?.image.id ?? null, copy));
	return { hits, clip: !!clip, embedMs };
}
