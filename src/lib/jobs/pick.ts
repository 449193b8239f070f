import type { QueueName } from '../db/types';

export interface QueueLoad {
	queue: QueueName;
	paused: boolean;
	concurrency: number;
	running: number;
	/** Whether waiting jobs are known to exist (cheap hint; the picker checks for real). */
	hasWaiting: boolean;
}

/**
 * How many jobs each queue may start now. Queues share the worker pool: free pool slots are dealt
 * round-robin, starting after the queue that was served first last time, so no queue starves.
 */
export function slotsToStart(loads: QueueLoad[], poolFree: number, startAt = 0): Map<QueueName, number> {
	const out = new Map<QueueName, number>();
	const eligible = () =>
		loads.filter((l) => !l.paused && l.hasWaiting && l.running + (out.get(l.queue) ?? 0) < l.concurrency);
	let i = startAt;
	for (let free = poolFree; free > 0; ) {
		const open = eligible();
		if (open.length === 0) break;
		const l = open[i++ % open.length];
		out.set(l.queue, (out.get(l.queue) ?? 0) + 1);
		free--;
	}
	return out;
}
