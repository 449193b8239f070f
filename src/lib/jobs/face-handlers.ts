// The face queues: detection in an ML worker (on the preview), then clustering into people in the
// people worker.
import { writeBlob } from '../blobs/store';
import { db } from '../db/schema';
import type { Asset, Face } from '../db/types';
import { recognizeAssets } from '../people/client';
import { modelsForQueue } from '../models/queue-models';
import { requireModels } from './model-check';
import { mlRunOptions, previewOf, type MlRun } from './ml-job';
import type { Settings } from '../settings/defaults';

/**
 * Finds the faces of one asset and replaces its face rows (a re-run, e.g. after a model change,
 * starts that asset over). Crops go to OPFS before the rows: blob first, row second.
 */
export async function detectFaces(asset: Asset, ml: MlRun, s: Settings): Promise<void> {
	await requireModels(modelsForQueue('faceDetection', s), 'Face detection');
	const preview = previewOf(asset, 'faces are found in the preview');
	const r = await ml((api) => api.detectFaces(preview, { ...mlRunOptions(s), tier: s.faceTier, minScore: s.faceMinScore }));
	const now = Date.now();
	const faces: Face[] = [];
	for (const f of r.faces) {
		const id = crypto.randomUUID();
		const cropPath = ['derived', asset.id, `face-${id}.jpg`];
		await writeBlob(cropPath, f.crop);
		faces.push({ id, assetId: asset.id, box: f.box, landmarks: f.landmarks, score: f.score, embedding: f.embedding, model: r.model, cropPath: cropPath.join('/'), personId: null, assignedBy: null, createdAt: now });
	}
	const d = db();
	await d.transaction('rw', d.faces, async () => {
		await d.faces.where('assetId').equals(asset.id).delete();
		await d.faces.bulkAdd(faces);
	});
}

/**
 * Assigns the asset's new faces to people (or forms new people), by the clustering rules, in the
 * people worker: the page never reads every face nor clusters them. A worker lost mid-call rejects,
 * and the job is retried like any other.
 */
export async function recognizeFaces(asset: Asset, s: Settings): Promise<void> {
	await recognizeAssets([asset.id], s);
}
