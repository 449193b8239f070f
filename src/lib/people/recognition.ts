// The facialRecognition job: what the queue calls after faceDetection has stored face rows. It runs
// in the people worker (worker/people/people.worker.ts): the page calls it through
// src/lib/people/client.ts, never directly (reading every face and clustering them is heavy).
//
//   runFacialRecognition(faceIds: string[], settings: RecognitionSettings): Promise<RecognitionResult>
//     Clusters a batch of newly detected faces into people (join the closest person within max
//     distance; else wait until min faces agree and form a new person) and writes the result.
//     Faces already with a person, or handled by the user, are left alone; re-running is harmless.
//     Call it one batch at a time (the queue's concurrency must be 1): each call reads every face
//     row once, so larger batches (e.g. all faces of up to a few hundred assets) are cheaper.
//
//   recognizeAssets(assetIds: string[], settings): Promise<RecognitionResult>
//     The same for every face of these assets (for a queue whose jobs are per asset).
//
//   reclusterEverything(settings): Promise<RecognitionResult>
//     "Re-cluster everything": drops automatic assignments of people the user has not confirmed
//     (named, hidden or merged) and clusters all those faces again; user choices are kept.
//
// `settings` is the app's Settings (faceMaxDistance, faceMinFaces) or any object with those fields.
import { db } from '../db/schema';
import type { Face } from '../db/types';
import { assign, reclusterAll, DEFAULT_MAX_DISTANCE, DEFAULT_MIN_FACES, type ClusterOptions } from './cluster';
import { applyDecisions } from './people';

export interface RecognitionSettings {
	faceMaxDistance?: number;
	faceMinFaces?: number;
}

export interface RecognitionResult {
	/** Faces given a person. */
	assigned: number;
	/** People formed. */
	created: number;
	/** Faces left (or put back) waiting unassigned. */
	unassigned: number;
	/** People deleted (re-cluster only: unconfirmed people left without faces). */
	removed: number;
}

export function clusterOptions(s: RecognitionSettings): ClusterOptions {
	return { maxDistance: s.faceMaxDistance ?? DEFAULT_MAX_DISTANCE, minFaces: s.faceMinFaces ?? DEFAULT_MIN_FACES, linkage: 'centroid' };
}

const byCreation = (a: Face, b: Face) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

export async function runFacialRecognition(faceIds: string[], settings: RecognitionSettings): Promise<RecognitionResult> {
	const wanted = new Set(faceIds);
	if (!wanted.size) return { assigned: 0, created: 0, unassigned: 0, removed: 0 };
	const all = (await db().faces.toArray()).sort(byCreation);
	const fresh = all.filter((f) => wanted.has(f.id));
	const waiting = all.filter((f) => !wanted.has(f.id) && f.personId === null && f.assignedBy !== 'user');
	const decisions = assign(fresh, { assigned: all.filter((f) => f.personId !== null), waiting, options: clusterOptions(settings) });
	const r = await applyDecisions(decisions, 'incremental');
	return { ...r, unassigned: fresh.filter((f) => f.personId === null && f.assignedBy !== 'user').length - decisions.assign.filter((a) => wanted.has(a.faceId)).length };
}

export async function recognizeAssets(assetIds: string[], settings: RecognitionSettings): Promise<RecognitionResult> {
	const ids = (await db().faces.where('assetId').anyOf(assetIds).primaryKeys()) as string[];
	return runFacialRecognition(ids, settings);
}

export async function reclusterEverything(settings: RecognitionSettings): Promise<RecognitionResult> {
	const x = db();
	const [faces, people] = await Promise.all([x.faces.toArray(), x.people.toArray()]);
	const decisions = reclusterAll(faces.sort(byCreation), people, clusterOptions(settings));
	return applyDecisions(decisions, 'recluster');
}
