// The search queues: things (object tags), text in photos (OCR) and CLIP embeddings come from the ML
// worker (on the preview), CLIP near-duplicates from the search worker. Each result replaces the
// asset's earlier one.
import { SkipJob } from '../../../worker/shared/errors';
import { db } from '../db/schema';
import type { Asset, TagRow } from '../db/types';
import { modelsForQueue } from '../models/queue-models';
import type { Settings } from '../settings/defaults';
import { requireModels } from './model-check';
import { mlRunOptions, previewOf, type MlRun } from './ml-job';
import { wordsOf } from '../search/query';
import { CLIP_KEEP_MIN_SCORE, CLIP_NEIGHBOURS } from '../search/duplicates';

const SEARCHED = 'it is searched through its preview';

export async function tagObjects(asset: Asset, ml: MlRun, s: Settings): Promise<void> {
	await requireModels(modelsForQueue('objectTagging', s), 'Finding things');
	const preview = previewOf(asset, SEARCHED);
	const r = await ml((api) => api.tagObjects(preview, { ...mlRunOptions(s), minScore: s.tagMinScore }));
	const rows: TagRow[] = r.tags.map((t) => ({ assetId: asset.id, label: t.label, score: t.score, box: t.box, model: r.model }));
	const d = db();
	await d.transaction('rw', d.tags, async () => {
		await d.tags.where('[assetId+label]').between([asset.id, ''], [asset.id, '\uffff']).delete();
		await d.tags.bulkPut(rows);
	});
}

export async function readText(asset: Asset, ml: MlRun, s: Settings): Promise<void> {
	await requireModels(modelsForQueue('ocr', s), 'Text in photos');
	const preview = previewOf(asset, SEARCHED);
	const r = await ml((api) => api.readText(preview, mlRunOptions(s)));
	const d = db();
	await d.transaction('rw', d.texts, async () => {
		if (!r.text.trim()) return void (await d.texts.delete(asset.id));
		await d.texts.put({ assetId: asset.id, text: r.text, lines: r.lines, words: [...new Set(wordsOf(r.text))], model: r.model });
	});
}

export async function embedForSearch(asset: Asset, ml: MlRun, s: Settings): Promise<void> {
	await requireModels(modelsForQueue('smartSearch', s), 'Smart search');
	const preview = previewOf(asset, SEARCHED);
	const r = await ml((api) => api.embedImage(preview, { ...mlRunOptions(s), tier: s.clipTier }));
	const d = db();
	// One embedding per asset: a model change replaces the old one (search only reads the current model's).
	await d.transaction('rw', d.embeddings, async () => {
		await d.embeddings.where('[assetId+model]').between([asset.id, ''], [asset.id, '\uffff']).delete();
		await d.embeddings.put({ assetId: asset.id, model: r.model, vector: r.vector, createdAt: Date.now() });
	});
}

/**
 * duplicateDetection (after smartSearch, as in Immich): the asset's CLIP near-duplicates among the
 * assets embedded so far, kept on the asset for the duplicates page. The perceptual hash needs no
 * job: the thumbnail job makes it.
 */
export async function findNearDuplicates(asset: Asset, s: Settings): Promise<void> {
	const model = modelsForQueue('smartSearch', s)[0];
	if (!model || !(await db().embeddings.get([asset.id, model.id]))) throw new SkipJob('No CLIP embedding of this item yet: near-duplicates are found by its perceptual hash alone.');
	// Loaded on demand: the search client reaches the engine, which reaches these handlers.
	const { searchCall } = await import('../search/client');
	const hits = await searchCall(async (api) => {
		await api.sync(model.id);
		return api.similar(asset.id, CLIP_NEIGHBOURS, CLIP_KEEP_MIN_SCORE);
	});
	await db().assets.update(asset.id, { nearDuplicates: hits.map((h) => ({ assetId: h.assetId, score: h.score })) });
}
