// Library-wide reads that are too slow for the page: walking every timeline index key.
import * as Comlink from 'comlink';
import { db } from '../../src/lib/db/schema';
import type { TimelineSummary } from '../../src/lib/db/types';
import { bucketize } from '../../src/lib/timeline/buckets';
import { TIMELINE_RANGE } from '../../src/lib/timeline/range';

const api = {
	/** Recounts the timeline's months and days and stores the summary. */
	async timelineSummary(): Promise<TimelineSummary> {
		const keys = (await db().assets.where('[state+takenAt+id]').between(...TIMELINE_RANGE).reverse().keys()) as unknown as Array<[string, string, string]>;
		const months = bucketize(keys.map((k) => k[1]));
		const summary: TimelineSummary = { key: 'timeline', months, total: keys.length, computedAt: Date.now() };
		await db().summaries.put(summary);
		return summary;
	}
};

export type LibraryApi = typeof api;
Comlink.expose(api);
