// The scheduler runs in one tab at a time (Web Lock): it claims waiting jobs, runs them through the
// worker pool and records each outcome. All state lives in IndexedDB, so another tab, or this one
// after a reload, picks up exactly where it stopped.
import { db } from '../db/schema';
import { QUEUE_NAMES, type Asset, type JobRow, type QueueName } from '../db/types';
import type { Settings } from '../settings/defaults';
import { isPermanent, isSkip, messageOf } from '../../../worker/shared/errors';
import type { MediaApi } from '../../../worker/shared/api';
import type { MlApi } from '../../../worker/shared/ml-api';
import type { VideoApi } from '../../../worker/shared/video-api';
import { handlers, type AssetUpdate, type JobContext } from './handlers';
import { slotsToStart, type QueueLoad } from './pick';
import { allEnabled, jobsAfter, queueStates, type Enabled } from './queues';
import { decideRetry, recoverInterrupted } from './retry';
import type { WorkerPool } from './pool';
import { QUEUE_DEFS, STAGED, type PoolName } from './queue-defs';

export interface Pools {
	media: WorkerPool<MediaApi>;
	ml: WorkerPool<MlApi>;
	video: WorkerPool<VideoApi>;
}

const LOCK = 'shoebox-scheduler';
export const CANCELLED = 'Cancelled by you. Run the queue again ("missing") to retry it.';
/** Fallback poll: picks up work enqueued by other tabs and retries whose back-off has passed. */
const POLL_MS = 1000;

export class Scheduler {
	private running = new Map<QueueName, number>();
	private ticking = false;
	/** Whether this tab holds the scheduling role: only then does it claim jobs. */
	private scheduling = false;
	private again = false;
	private round = 0;
	private timer: ReturnType<typeof setInterval> | null = null;
	/** The running jobs of this tab, by `queue/assetId`: aborting one ends its worker. */
	private readonly controllers = new Map<string, AbortController>();

	constructor(
		private readonly pools: Pools,
		private readonly settings: () => Settings,
		private readonly enabled: Enabled = allEnabled
	) {}

	/** Waits for the scheduling role, then keeps it until the tab goes away. */
	start(onRole: (scheduling: boolean) => void): void {
		if (!('locks' in navigator)) {
			onRole(true);
			void this.run();
			return;
		}
		void navigator.locks.request(LOCK, async () => {
			onRole(true);
			await this.run();
			await new Promise(() => {}); // hold the lock for the life of the tab
		});
		onRole(false);
	}

	/** Asks for a scheduling pass soon (after an import, a command, a finished job). */
	kick(): void {
		if (!this.scheduling) return; // another tab schedules (or this one has not started yet)
		if (this.ticking) {
			this.again = true;
			return;
		}
		void this.tick();
	}

	private async run(): Promise<void> {
		this.scheduling = true;
		await this.recover();
		this.timer = setInterval(() => this.kick(), POLL_MS);
		this.kick();
	}

	/** Jobs a closed or crashed tab left active go back to waiting (or fail after too many tries). */
	private async recover(): Promise<void> {
		const d = db();
		const now = Date.now();
		const max = this.settings().maxAttempts;
		await d.transaction('rw', d.jobs, async () => {
			for (const q of QUEUE_NAMES) {
				const stuck = await d.jobs.where('[queue+status]').equals([q, 'active']).toArray();
				await d.jobs.bulkPut(stuck.map((j) => ({ ...j, ...recoverInterrupted(j.attempts, max, now), updatedAt: now })));
			}
		});
	}

	private async tick(): Promise<void> {
		this.ticking = true;
		try {
			do {
				this.again = false;
				const s = this.settings();
				// The kept counts (db/job-counts.ts): Dexie turns limit(1).count() into a count of the whole range.
				const [states, counts] = await Promise.all([queueStates(), db().jobCounts.toArray()]);
				const waiting = new Map(counts.map((c) => [c.queue, c.waiting]));
				const loads: QueueLoad[] = states.map(({ queue, paused, concurrency }) => {
					const pool = QUEUE_DEFS[queue].pool;
					return { queue, pool, paused, concurrency: concurrency + STAGED[pool], running: this.running.get(queue) ?? 0, hasWaiting: (waiting.get(queue) ?? 0) > 0 };
				});
				const busy = (pool: PoolName) => loads.filter((l) => l.pool === pool).reduce((n, l) => n + l.running, 0);
				// 'page' jobs (clustering, CLIP neighbours) run one at a time, each handing its work to its worker.
				const size = { media: s.workers, ml: s.mlWorkers, page: 1, video: s.videoWorkers };
				const free = Object.fromEntries((Object.keys(size) as PoolName[]).map((p) => [p, size[p] + STAGED[p] - busy(p)]));
				const plan = slotsToStart(loads, free, this.round++);
				for (const [queue, n] of plan) {
					for (const { job, asset } of await this.claim(queue, n)) void this.execute(job, asset, s);
				}
			} while (this.again);
		} catch (err) {
			console.error('scheduler', err);
		} finally {
			this.ticking = false;
		}
	}

	/** Marks up to `n` due waiting jobs active, oldest first, and reads their assets, in one transaction. */
	private async claim(queue: QueueName, n: number): Promise<Array<{ job: JobRow; asset: Asset | undefined }>> {
		const d = db();
		const now = Date.now();
		return d.transaction('rw', d.jobs, d.assets, async () => {
			const due = await d.jobs
				.where('[queue+status+enqueuedAt]')
				.between([queue, 'waiting', 0], [queue, 'waiting', Infinity])
				.filter((j) => j.notBefore <= now)
				.limit(n)
				.toArray();
			const claimed = due.map((j) => ({ ...j, status: 'active' as const, updatedAt: now }));
			await d.jobs.bulkPut(claimed);
			const assets = await d.assets.bulkGet(claimed.map((j) => j.assetId));
			return claimed.map((job, i) => ({ job, asset: assets[i] }));
		});
	}

	private async execute(job: JobRow, asset: Asset | undefined, s: Settings): Promise<void> {
		const { queue, assetId } = job;
		const key = `${queue}/${assetId}`;
		const controller = new AbortController();
		const signal = controller.signal;
		this.controllers.set(key, controller);
		this.running.set(queue, (this.running.get(queue) ?? 0) + 1);
		try {
			if (!asset) {
				await db().jobs.delete([queue, assetId]);
				return;
			}
			const ctx = { settings: s, run: (fn) => this.pools.media.run(fn, signal), ml: (fn) => this.pools.ml.run(fn, signal), video: (fn) => this.pools.video.run(fn, signal) } satisfies JobContext;
			const update = await handlers[queue](asset, ctx);
			signal.throwIfAborted(); // a cancel that came after the last worker call still wins
			await this.finish(job, { status: 'done', error: null }, jobsAfter(queue, asset, Date.now(), this.enabled), update ?? undefined);
		} catch (err) {
			if (isSkip(err)) {
				await this.finish(job, { status: 'skipped', error: messageOf(err) }).catch((e) => console.error('job outcome', e));
				return;
			}
			const attempts = job.attempts + 1;
			// A cancelled job fails at once: the person asked for it to stop, not to be tried again.
			const d = signal.aborted ? { status: 'failed' as const, notBefore: Date.now() } : decideRetry(attempts, s.maxAttempts, isPermanent(err), Date.now());
			const error = signal.aborted ? CANCELLED : messageOf(err);
			await this.finish(job, { ...d, attempts, error }).catch((e) => console.error('job outcome', e));
		} finally {
			this.controllers.delete(key);
			this.running.set(queue, (this.running.get(queue) ?? 1) - 1);
			this.kick();
		}
	}

	/** Stops a job running in this tab: its worker is ended and the job fails as cancelled. */
	cancel(queue: QueueName, assetId: string): boolean {
		const c = this.controllers.get(`${queue}/${assetId}`);
		c?.abort();
		return !!c;
	}

	/**
	 * Records an outcome unless the job was cleared or re-queued meanwhile, and in the same
	 * transaction writes what the job found for the asset's row (whatever became of the job: the
	 * result is still true) and queues the jobs that were waiting for this one (never over a running one).
	 */
	private async finish(job: JobRow, patch: Partial<JobRow>, next: JobRow[] = [], update?: AssetUpdate): Promise<void> {
		const d = db();
		await d.transaction('rw', d.jobs, d.assets, async () => {
			if (update) {
				const asset = await d.assets.get(job.assetId);
				if (asset) await d.assets.put({ ...asset, ...update(asset) }); // update() would read the row again
			}
			const current = await d.jobs.get([job.queue, job.assetId]);
			if (current?.status !== 'active' || current.enqueuedAt !== job.enqueuedAt) return;
			await d.jobs.put({ ...current, ...patch, updatedAt: Date.now() });
			for (const n of next) if ((await d.jobs.get([n.queue, n.assetId]))?.status !== 'active') await d.jobs.put(n);
		});
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}
}
