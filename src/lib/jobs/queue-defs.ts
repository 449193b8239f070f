// Which assets each queue works on, and what must be done first. Pure: the importer, the
// scheduler and the queue commands all ask these same questions.
import type { Asset, QueueName } from '../db/types';
import { defaultWorkers, mlQueueOn, type Settings } from '../settings/defaults';

export interface QueueDef {
	/** Asset types the queue has work for. */
	types: ReadonlyArray<Asset['type']>;
	/** A queue whose result this one reads: its jobs are created when that one is done. */
	after?: QueueName;
	/** A machine-learning feature: it has its own switch in the settings. */
	ml?: boolean;
	/**
	 * Which worker pool runs it. 'page': the handler is called from the page one job at a time and
	 * hands its work to a worker of its own (people clustering, the search worker).
	 */
	pool: PoolName;
}

export type PoolName = 'media' | 'ml' | 'page' | 'video';

/**
 * Jobs claimed beyond a pool's workers and kept ready at it: a worker that finishes a short job
 * starts the next at once instead of idling while the last outcome is written and the next job is
 * claimed from IndexedDB (about 12 ms a thumbnail, a quarter of its time). Long transcodes and
 * page work gain nothing from it.
 */
export const STAGED: Record<PoolName, number> = { media: 1, ml: 1, page: 0, video: 0 };

export const QUEUE_DEFS: Record<QueueName, QueueDef> = {
	metadataExtraction: { types: ['image', 'video'], pool: 'media' },
	thumbnailGeneration: { types: ['image', 'video'], pool: 'media' },
	// Faces are found in the preview, so detection waits for the thumbnails.
	faceDetection: { types: ['image'], after: 'thumbnailGeneration', ml: true, pool: 'ml' },
	// Clustering, in the people worker (src/lib/people/client.ts).
	facialRecognition: { types: ['image'], after: 'faceDetection', ml: true, pool: 'page' },
	// Search reads the preview too (a video's is its poster).
	smartSearch: { types: ['image', 'video'], after: 'thumbnailGeneration', ml: true, pool: 'ml' },
	objectTagging: { types: ['image', 'video'], after: 'thumbnailGeneration', ml: true, pool: 'ml' },
	ocr: { types: ['image'], after: 'thumbnailGeneration', ml: true, pool: 'ml' },
	// CLIP near-duplicates, found in the search worker once the embedding is stored (the perceptual
	// hash for near-duplicates without CLIP comes with the thumbnails).
	duplicateDetection: { types: ['image', 'video'], after: 'smartSearch', ml: true, pool: 'page' },
	// Transcodes wait for the probe (which decides whether the browser plays the original).
	videoConversion: { types: ['video'], after: 'metadataExtraction', pool: 'video' }
};

/** Which queues the settings switch on: ML queues follow their switches, the rest always run. */
export function enabledBy(s: Pick<Settings, 'mlEnabled' | 'mlQueues'>): (q: QueueName) => boolean {
	return (q) => !QUEUE_DEFS[q].ml || mlQueueOn(s, q);
}

/** Whether a queue has work for an asset, given which queues are switched on. */
export function applies(queue: QueueName, asset: Pick<Asset, 'type'>, enabled: (q: QueueName) => boolean): boolean {
	return enabled(queue) && QUEUE_DEFS[queue].types.includes(asset.type);
}

/** Queues that start once `queue` has finished an asset. */
export function dependents(queue: QueueName): QueueName[] {
	return (Object.keys(QUEUE_DEFS) as QueueName[]).filter((q) => QUEUE_DEFS[q].after === queue);
}

/** A queue may use the whole pool by default: the pool size is the real cap on parallel work. */
export function defaultConcurrency(queue: QueueName, cores: number): number {
	if (queue === 'facialRecognition' || queue === 'videoConversion') return 1; // clustering decisions depend on the previous batch
	if (QUEUE_DEFS[queue].pool === 'ml') return Math.max(1, Math.min(2, defaultWorkers(cores)));
	return Math.max(queue === 'metadataExtraction' ? 2 : 1, defaultWorkers(cores));
}
