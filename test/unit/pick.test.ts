import { describe, expect, it } from 'vitest';
import { slotsToStart, type QueueLoad } from '../../src/lib/jobs/pick';

const load = (over: Partial<QueueLoad> & Pick<QueueLoad, 'queue'>): QueueLoad => ({
	pool: 'media',
	paused: false,
	concurrency: 4,
	running: 0,
	hasWaiting: true,
	...over
});

describe('slotsToStart', () => {
	it('deals free pool slots round-robin between queues', () => {
		const plan = slotsToStart([load({ queue: 'metadataExtraction' }), load({ queue: 'thumbnailGeneration' })], { media: 4 });
		expect(plan.get('metadataExtraction')).toBe(2);
		expect(plan.get('thumbnailGeneration')).toBe(2);
	});

	it('never exceeds a queue concurrency, counting what already runs', () => {
		const plan = slotsToStart([load({ queue: 'thumbnailGeneration', concurrency: 3, running: 2 })], { media: 8 });
		expect(plan.get('thumbnailGeneration')).toBe(1);
	});

	it('gives the whole pool to the only queue with work', () => {
		const plan = slotsToStart(
			[load({ queue: 'metadataExtraction', hasWaiting: false }), load({ queue: 'thumbnailGeneration', concurrency: 8 })],
			{ media: 3 }
		);
		expect(plan.has('metadataExtraction')).toBe(false);
		expect(plan.get('thumbnailGeneration')).toBe(3);
	});

	it('starts nothing for a paused queue or a full pool', () => {
		expect(slotsToStart([load({ queue: 'metadataExtraction', paused: true })], { media: 4 }).size).toBe(0);
		expect(slotsToStart([load({ queue: 'metadataExtraction' })], { media: 0 }).size).toBe(0);
	});

	it('deals each pool its own slots', () => {
		const plan = slotsToStart(
			[load({ queue: 'thumbnailGeneration', concurrency: 8 }), load({ queue: 'faceDetection', pool: 'ml', concurrency: 8 }), load({ queue: 'facialRecognition', pool: 'page', concurrency: 1 })],
			{ media: 3, ml: 1, page: 1 }
		);
		expect(Object.fromEntries(plan)).toEqual({ thumbnailGeneration: 3, faceDetection: 1, facialRecognition: 1 });
	});

	it('rotates which queue is served first so an odd slot does not always go to the same one', () => {
		const loads = [load({ queue: 'metadataExtraction' }), load({ queue: 'thumbnailGeneration' })];
		expect([...slotsToStart(loads, { media: 1 }, 0).keys()]).toEqual(['metadataExtraction']);
		expect([...slotsToStart(loads, { media: 1 }, 1).keys()]).toEqual(['thumbnailGeneration']);
	});
});
