import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../src/lib/db/types';
import { applies, dependents, QUEUE_DEFS } from '../../src/lib/jobs/queue-defs';
import { jobsAfter, jobsForNewAsset } from '../../src/lib/jobs/queues';

describe('queue definitions', () => {
	it('give a new image a waiting job in every queue that does not wait for another', () => {
		const jobs = jobsForNewAsset({ id: 'a', type: 'image' }, 5);
		const first = QUEUE_NAMES.filter((q) => !QUEUE_DEFS[q].after);
		expect(jobs.filter((j) => j.status === 'waiting').map((j) => j.queue)).toEqual(first);
		// A queue for videos only is marked skipped for an image at once.
		expect(jobs.find((j) => j.queue === 'videoConversion')?.status).toBe('skipped');
		expect(jobs.every((j) => j.enqueuedAt === 5 && j.attempts === 0)).toBe(true);
	});

	it('mark a switched-off queue as skipped', () => {
		const jobs = jobsForNewAsset({ id: 'a', type: 'image' }, 0, (q) => q !== 'thumbnailGeneration');
		expect(jobs.find((j) => j.queue === 'thumbnailGeneration')?.status).toBe('skipped');
		expect(applies('thumbnailGeneration', { type: 'image' }, () => false)).toBe(false);
	});

	it('start dependent queues only after their prerequisite, for the asset types they handle', () => {
		for (const q of QUEUE_NAMES) {
			const after = jobsAfter(q, { id: 'a', type: 'image' }, 1, () => true).map((j) => j.queue);
			expect(after).toEqual(dependents(q).filter((d) => QUEUE_DEFS[d].types.includes('image')));
			for (const d of after) expect(QUEUE_DEFS[d].after).toBe(q);
		}
	});
});
