// Live counts per queue for the jobs page, from IndexedDB (so every tab sees the same numbers),
// plus throughput and ETA measured over a sliding window of recent counts.
import { watchThrottled } from '../db/live';
import { QUEUE_NAMES, type QueueName, type QueueState } from '../db/types';
import { countQueues, queueStates, type QueueCounts } from './queues';
import { rate, type Sample } from './rate';

export interface QueueView extends QueueCounts {
	state: QueueState;
	itemsPerSecond: number | null;
	etaSeconds: number | null;
}

export class QueueStats {
	queues = $state<Record<string, QueueView>>({});
	private samples = new Map<QueueName, Sample[]>();

	/** Starts watching; returns a function that stops. */
	watch(): () => void {
		return watchThrottled(
			async () => {
				const [states, counts] = await Promise.all([queueStates(), countQueues()]);
				return QUEUE_NAMES.map((q, i) => ({ q, counts: counts.get(q)!, state: states[i] }));
			},
			250,
			(rows) => {
				const now = performance.now();
				const next: Record<string, QueueView> = {};
				for (const { q, counts, state } of rows) {
					const s = [...(this.samples.get(q) ?? []), { t: now, done: counts.done + counts.failed }].filter((x) => now - x.t < 10_000);
					this.samples.set(q, s);
					const r = counts.active > 0 || counts.waiting > 0 ? rate(s) : null;
					next[q] = { ...counts, state, itemsPerSecond: r, etaSeconds: r ? (counts.waiting + counts.active) / r : null };
				}
				this.queues = next;
			}
		);
	}
}
