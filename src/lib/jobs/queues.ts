// Queue commands, usable from any tab: they only write IndexedDB; the scheduling tab reacts.
import Dexie from 'dexie';
import { cachedUntilChanged } from '../db/live';
import { db } from '../db/schema';
import type { Asset, JobRow, JobStatus, QueueName, QueueState } from '../db/types';
import { QUEUE_NAMES } from '../db/types';
import { applies, defaultConcurrency, dependents, QUEUE_DEFS } from './queue-defs';
import { cores } from '../settings/device';

/** Queues switched on by the settings (all of them unless a feature is turned off). */
export type Enabled = (q: QueueName) => boolean;
export const allEnabled: Enabled = () => true;

export function newJob(queue: QueueName, assetId: string, now: number, status: JobStatus = 'waiting'): JobRow {
	return { queue, assetId, status, attempts: 0, notBefore: 0, enqueuedAt: now, updatedAt: now, error: null };
}

/**
 * Jobs for a newly created asset: waiting where it has work, skipped where it has none. Queues
 * that wait for another one get their job when that one is done (see `jobsAfter`).
 */
export function jobsForNewAsset(asset: Pick<Asset, 'id' | 'type'>, now: number, enabled: Enabled = allEnabled): JobRow[] {
	return QUEUE_NAMES.filter((q) => !QUEUE_DEFS[q].after || !applies(q, asset, enabled)).map((q) =>
		newJob(q, asset.id, now, applies(q, asset, enabled) ? 'waiting' : 'skipped')
	);
}

/** Jobs that become possible once `queue` has finished this asset. */
export function jobsAfter(queue: QueueName, asset: Pick<Asset, 'id' | 'type'>, now: number, enabled: Enabled): JobRow[] {
	return dependents(queue)
		.filter((q) => applies(q, asset, enabled))
		.map((q) => newJob(q, asset.id, now));
}

const defaultState = (queue: QueueName): QueueState => ({ queue, paused: false, concurrency: defaultConcurrency(queue, cores) });

export async function queueState(queue: QueueName): Promise<QueueState> {
	return (await db().queues.get(queue)) ?? defaultState(queue);
}

const storedStates = cachedUntilChanged(['queues'], () => db().queues.toArray());

/** Every queue's state, read again only after a pause or a concurrency change: the scheduler asks after every job. */
export async function queueStates(): Promise<QueueState[]> {
	const stored = new Map((await storedStates()).map((r) => [r.queue, r]));
	return QUEUE_NAMES.map((q) => stored.get(q) ?? defaultState(q));
}

async function patchQueue(queue: QueueName, patch: Partial<QueueState>): Promise<void> {
	await db().transaction('rw', db().queues, async () => {
		await db().queues.put({ ...(await queueState(queue)), ...patch });
	});
}

export const setPaused = (queue: QueueName, paused: boolean) => patchQueue(queue, { paused });
export const setConcurrency = (queue: QueueName, concurrency: number) =>
	patchQueue(queue, { concurrency: Math.max(1, Math.min(64, Math.round(concurrency))) });

/** Queues every asset of the right type that has no finished result in this queue (new, failed, or skipped for want of models). */
export async function enqueueMissing(queue: QueueName): Promise<number> {
	return requeue(queue, (row) => !row || row.status === 'failed' || row.status === 'skipped');
}

/** Queues every asset of the right type again, except those running now. */
export async function enqueueAll(queue: QueueName): Promise<number> {
	return requeue(queue, (row) => !row || row.status !== 'active');
}

async function requeue(queue: QueueName, want: (row: JobRow | undefined) => boolean): Promise<number> {
	const d = db();
	const before = QUEUE_DEFS[queue].after;
	const jobsOf = async (q: QueueName) =>
		new Map((await d.jobs.where('[queue+status]').between([q, Dexie.minKey], [q, Dexie.maxKey]).toArray()).map((j) => [j.assetId, j]));
	return d.transaction('rw', d.assets, d.jobs, async () => {
		const now = Date.now();
		const existing = await jobsOf(queue);
		const prerequisite = before ? await jobsOf(before) : null;
		const rows: JobRow[] = [];
		await d.assets.each((a) => {
			if (!applies(queue, a, allEnabled)) return;
			if (prerequisite && prerequisite.get(a.id)?.status !== 'done') return;
			const row = existing.get(a.id);
			if (want(row) && row?.status !== 'waiting') rows.push(newJob(queue, a.id, now));
		});
		await d.jobs.bulkPut(rows);
		return rows.length;
	});
}

/** Drops the waiting items of a queue (they show again under "missing"). */
export async function clearWaiting(queue: QueueName): Promise<number> {
	return db().jobs.where('[queue+status]').equals([queue, 'waiting']).delete();
}

export async function clearFailed(queue: QueueName): Promise<number> {
	return db().jobs.where('[queue+status]').equals([queue, 'failed']).delete();
}

export interface QueueCounts extends Record<Exclude<JobStatus, 'skipped'>, number> {
	/** Skipped with a reason (a feature waiting for its models), and the last reason. */
	held: number;
	heldReason: string | null;
}

/** Every queue's counts, from the rows kept beside the jobs (db/job-counts.ts): one read, whatever the library's size. */
export async function countQueues(): Promise<Map<QueueName, QueueCounts>> {
	const rows = new Map((await db().jobCounts.toArray()).map((r) => [r.queue, r]));
	return new Map(
		QUEUE_NAMES.map((q) => {
			const { waiting = 0, active = 0, done = 0, failed = 0, held = 0, heldReason = null } = rows.get(q) ?? {};
			return [q, { waiting, active, done, failed, held, heldReason }];
		})
	);
}

/** The most recent failures of a queue with the asset's file name, for the jobs page. */
export async function recentFailures(queue: QueueName, limit = 50): Promise<Array<{ name: string; error: string }>> {
	const failed = await db().jobs.where('[queue+status]').equals([queue, 'failed']).limit(limit).toArray();
	const assets = await db().assets.bulkGet(failed.map((j) => j.assetId));
	return failed.map((j, i) => ({ name: assets[i]?.originalName ?? j.assetId, error: j.error ?? 'Unknown error' }));
}
