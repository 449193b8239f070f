import { describe, expect, it } from 'vitest';
import { slotsToStart, type QueueLoad } from '../../src/lib/jobs/pick';

const load = (over: Partial<QueueLoad> & Pick<QueueLoad, 'queue'>): QueueLoad => ({
	paused: false,
	concurrency: 4,
	running: 0,
	hasWaiting: true,
	...over
});

describe('slotsToStart', () => {
	it('deals free pool slots round-robin between queues', () => {
		const plan = slotsToStart([load({ queue: 'metadataExtraction' }), load({ queue: 'thumbnailGeneration' })], 4);
		expect(plan.get('metadataExtraction')).toBe(2);
		expect(plan.get('thumbnailGeneration')).toBe(2);
	});

	it('never exceeds a queue concurrency, counting what already runs', () => {
		const plan = slotsToStart([load({ queue: 'thumbnailGeneration', concurrency: 3, running: 2 })], 8);
		expect(plan.get('thumbnailGeneration')).toBe(1);
	});

	it('gives the whole pool to the only queue with work', () => {
		const plan = slotsToStart(
			[load({ queue: 'metadataExtraction', hasWaiting: false }), load({ queue: 'thumbnailGeneration', concurrency: 8 })],
			3
		);
		expect(plan.has('metadataExtraction')).toBe(false);
		expect(plan.get('thumbnailGeneration')).toBe(3);
	});

	it('starts nothing for a paused queue or a full pool', () => {
		expect(slotsToStart([load({ queue: 'metadataExtraction', paused: true })], 4).size).toBe(0);
		expect(slotsToStart([load({ queue: 'metadataExtraction' })], 0).size).toBe(0);
	});

	it('rotates which queue is served first so an odd slot does not always go to the same one', () => {
		const loads = [load({ queue: 'metadataExtraction' }), load({ queue: 'thumbnailGeneration' })];
		expect([...slotsToStart(loads, 1, 0).keys()]).toEqual(['metadataExtraction']);
		expect([...slotsToStart(loads, 1, 1).keys()]).toEqual(['thumbnailGeneration']);
	});
});
