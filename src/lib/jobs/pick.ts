import type { QueueName } from '../db/types';
import type { PoolName } from './queue-defs';

export interface QueueLoad {
	queue: QueueName;
	pool: PoolName;
	paused: boolean;
	concurrency: number;
	running: number;
	/** Whether waiting jobs are known to exist (cheap hint; the picker checks for real). */
	hasWaiting: boolean;
}

/**
 * How many jobs each queue may start now. Queues on the same pool share its free slots, dealt
 * round-robin starting after the queue that was served first last time, so no queue starves.
 */
export function slotsToStart(loads: QueueLoad[], poolFree: Partial<Record<PoolName, number>>, startAt = 0): Map<QueueName, number> {
	const out = new Map<QueueName, number>();
	for (const [pool, capacity] of Object.entries(poolFree) as Array<[PoolName, number]>) {
		const mine = loads.filter((l) => l.pool === pool);
		const eligible = () => mine.filter((l) => !l.paused && l.hasWaiting && l.running + (out.get(l.queue) ?? 0) < l.concurrency);
		let i = startAt;
		for (let free = capacity; free > 0; ) {
			const open = eligible();
			if (open.length === 0) break;
			const l = open[i++ % open.length];
			out.set(l.queue, (out.get(l.queue) ?? 0) + 1);
			free--;
		}
	}
	return out;
}
