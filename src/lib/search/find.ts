// One search, as the search worker runs it: filters and people first, then the query's words
// (keywords) and its CLIP embedding (vectors) as two ranked lists merged by rank fusion; or the
// photos most like one asset (CLIP embedding, else perceptual hash).
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { hammingHex } from '../../../worker/media/phash';
import { assetsWithPeople, keywordSearch, searchableAssets } from './keyword-search';
import { fuse, parseQuery, passes, type Ranked, type SearchRequest } from './query';

/** The vector index as find() needs it (the search worker's). */
export interface Vectors {
	/** The index holds `model`'s embeddings as IndexedDB has them now. */
	sync(model: string): Promise<void>;
	query(vector: Float32Array, k: number, minScore: number): Promise<Array<{ assetId: string; score: number }>>;
	similar(assetId: string, k: number, minScore: number): Promise<Array<{ assetId: string; score: number }>>;
}

/** CLIP text–image cosine below this is noise for ViT-B/32 (matches sit at 0.25–0.35). */
export const CLIP_MIN_SCORE = 0.2;
/** Image–image cosine for "similar photos". */
export const SIMILAR_MIN_SCORE = 0.6;
/** Differing bits of 64 within which a perceptual hash counts as similar. */
export const SIMILAR_MAX_BITS = 14;
const MAX_RESULTS = 1000;

export async function find(req: SearchRequest, model: string | null, vector: Float32Array | undefined, vectors: Vectors): Promise<Ranked[]> {
	const q = parseQuery(req.text);
	const assets = await searchableAssets();
	const people = await assetsWithPeople(req.filters.personIds ?? []);
	const ok = (a: Asset | undefined): a is Asset => !!a && passes(a, req.filters, q.years) && (!people || people.has(a.id));
	const byId = new Map(assets.map((a) => [a.id, a]));
	const kept = (hits: Array<{ assetId: string; score: number }>, why: string): Ranked[] =>
		hits.filter((h) => ok(byId.get(h.assetId))).map((h) => ({ assetId: h.assetId, score: h.score, why: [why] }));

	if (req.similarTo) {
		if (model && (await db().embeddings.get([req.similarTo, model]))) {
			await vectors.sync(model);
			return kept(await vectors.similar(req.similarTo, MAX_RESULTS, SIMILAR_MIN_SCORE), 'similar');
		}
		return similarByHash(req.similarTo, assets, byId, ok);
	}

	const lists: Ranked[][] = [];
	if (q.terms.length) lists.push(await keywordSearch(q, assets, ok));
	if (vector && model && q.terms.length) {
		await vectors.sync(model);
		lists.push(kept(await vectors.query(vector, MAX_RESULTS, CLIP_MIN_SCORE), 'clip'));
	}
	if (!q.terms.length) {
		// Only filters (or a year): everything that passes, newest first.
		return assets
			.filter(ok)
			.sort((a, b) => (a.takenAt < b.takenAt ? 1 : -1))
			.map((a) => ({ assetId: a.id, score: 0, why: ['filter'] }));
	}
	return fuse(lists).slice(0, MAX_RESULTS);
}

/** Without the asset's CLIP embedding: the photos whose perceptual hash is within SIMILAR_MAX_BITS of its own. */
function similarByHash(assetId: string, assets: Asset[], byId: ReadonlyMap<string, Asset>, ok: (a: Asset | undefined) => a is Asset): Ranked[] {
	const target = byId.get(assetId)?.phash;
	if (!target) return [];
	return assets
		.filter((a) => a.id !== assetId && a.phash && ok(a))
		.map((a) => ({ assetId: a.id, bits: hammingHex(target, a.phash!) }))
		.filter((x) => x.bits <= SIMILAR_MAX_BITS)
		.sort((a, b) => a.bits - b.bits)
		.map((x) => ({ assetId: x.assetId, score: 1 - x.bits / 64, why: ['similar'] }));
}
