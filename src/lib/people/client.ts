// The page's side of people clustering: one people worker (worker/people/people.worker.ts) behind a
// pool of one, so a worker that crashes or stops answering is ended, its call rejects (the
// facialRecognition job then takes the scheduler's usual retry path) and the next call starts a
// fresh worker. Calls queue for that one worker: a re-cluster and a job never cluster at once.
import type { PeopleApi } from '../../../worker/shared/people-api';
import { WorkerPool } from '../jobs/pool';
import type { Settings } from '../settings/defaults';
import type { RecognitionResult, RecognitionSettings } from './recognition';

/**
 * The limit of a call that is not a job: re-clustering grows with the square of the faces (20,000
 * faces: 2.6 min in Node here), so only a worker that truly stopped answering is ended.
 */
const LONG_TIMEOUT_MS = 2 * 60 * 60 * 1000;
/** The worker keeps nothing between calls: it ends soon after the queue goes quiet. */
const IDLE_MS = 30 * 1000;

let pool: WorkerPool<PeopleApi> | null = null;

function people(): WorkerPool<PeopleApi> {
	pool ??= new WorkerPool<PeopleApi>(
		() => new Worker(new URL('../../../worker/people/people.worker.ts', import.meta.url), { type: 'module', name: 'people' }),
		{ size: 1, timeoutMs: LONG_TIMEOUT_MS, idleMs: IDLE_MS }
	);
	return pool;
}

/** The two thresholds only: the settings object itself may be a proxy, which cannot be posted. */
const thresholds = (s: RecognitionSettings): RecognitionSettings => ({ faceMaxDistance: s.faceMaxDistance, faceMinFaces: s.faceMinFaces });

/** Clusters every face of these assets: the facialRecognition job, under the per-item time limit. */
export function recognizeAssets(assetIds: string[], s: RecognitionSettings & Pick<Settings, 'jobTimeoutS'>): Promise<RecognitionResult> {
	return people().run((api) => api.recognizeAssets(assetIds, thresholds(s)), undefined, s.jobTimeoutS * 1000);
}

/** Clusters these newly stored faces. */
export function recognizeFaces(faceIds: string[], s: RecognitionSettings): Promise<RecognitionResult> {
	return people().run((api) => api.recognizeFaces(faceIds, thresholds(s)));
}

/** "Re-cluster everything": the user's names, hidden people, merges and assignments are kept. */
export function reclusterEverything(s: RecognitionSettings): Promise<RecognitionResult> {
	return people().run((api) => api.reclusterEverything(thresholds(s)));
}
