// The page's side of search: one search worker per tab (its vector index loads on first use), the
// query's CLIP text embedding from the ML pool when smart search is on and its models are here.
import * as Comlink from 'comlink';
import type { SearchApi } from '../../../worker/shared/search-api';
import { engine } from '../jobs/engine.svelte';
import { modelFor } from '../models/catalog';
import { missingModels } from '../models/store';
import { mlQueueOn } from '../settings/defaults';
import { settings } from '../settings/settings.svelte';
import { parseQuery, type Ranked, type SearchRequest } from './query';

let worker: Comlink.Remote<SearchApi> | null = null;

export function searchWorker(): Comlink.Remote<SearchApi> {
	worker ??= Comlink.wrap<SearchApi>(new Worker(new URL('../../../worker/search/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }));
	return worker;
}

/** The CLIP encoders of the chosen size, when smart search is switched on and both can be had. */
async function clipModels() {
	const s = settings().current;
	if (!mlQueueOn(s, 'smartSearch')) return null;
	const image = modelFor('clipImage', s.clipTier);
	const text = modelFor('clipText', s.clipTier);
	if (!image || !text || (await missingModels([image, text])).length) return null;
	return { image, text };
}

export interface SearchOutcome {
	hits: Ranked[];
	/** Whether CLIP took part (false: keywords, places, people and names only). */
	clip: boolean;
	/** Query text → embedding, ms (0 without CLIP). */
	embedMs: number;
}

export async function searchLibrary(req: SearchRequest): Promise<SearchOutcome> {
	const clip = await clipModels();
	let vector: Float32Array | undefined;
	let embedMs = 0;
	if (clip && !req.similarTo && parseQuery(req.text).terms.length) {
		const s = settings().current;
		const t0 = performance.now();
		vector = await engine().mlPool.run((api) => api.embedText(req.text, { tier: s.clipTier, provider: s.mlProvider, threads: s.mlThreads, idleUnloadS: s.mlIdleUnloadS }));
		embedMs = performance.now() - t0;
	}
	const hits = await searchWorker().find(req, clip?.image.id ?? null, vector ? Comlink.transfer(vector, [vector.buffer as ArrayBuffer]) : undefined);
	return { hits, clip: !!clip, embedMs };
}
