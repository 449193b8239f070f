// The job counts kept by the Dexie middleware (src/lib/db/job-counts.ts), on fake-indexeddb (an
// in-memory IndexedDB): after every kind of change the app makes to `jobs` — bulkAdd with
// refused duplicates, put, the scheduler's transactions, deletes by key, by index and clear —
// the `jobCounts` rows equal a count of the rows themselves (held: skipped with a reason, apart).
// And the schema upgrade fills them.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_STATUSES, emptyCounts, tally } from '../../src/lib/db/job-counts';
import { ShoeboxDb, versions } from '../../src/lib/db/schema';
import type { JobRow, JobStatus, QueueName } from '../../src/lib/db/types';

const QUEUES: QueueName[] = ['metadataExtraction', 'thumbnailGeneration', 'faceDetection'];
let n = 0;
const open: Dexie[] = [];
function freshDb(): ShoeboxDb {
	const d = new ShoeboxDb(`job-counts-${n++}`);
	open.push(d);
	return d;
}
afterEach(async () => {
	for (const d of open.splice(0)) {
		d.close();
		await Dexie.delete(d.name);
	}
});

const job = (queue: QueueName, assetId: string, status: JobStatus, error: string | null = null): JobRow =>
	({ queue, assetId, status, attempts: 0, notBefore: 0, enqueuedAt: 1, updatedAt: 1, error }) as JobRow;

/** Counts from the rows themselves, beside the kept ones (queues with no jobs left may keep zero rows). */
async function expectCountsMatch(d: ShoeboxDb) {
	const truth = tally(await d.jobs.toArray(), 1);
	const kept = new Map((await d.jobCounts.toArray()).map(({ queue, heldReason: _, ...c }) => [queue as string, c]));
	for (const q of new Set([...truth.keys(), ...kept.keys()])) expect(kept.get(q) ?? emptyCounts(), q).toEqual(truth.get(q) ?? emptyCounts());
}

describe('job counts kept beside the jobs', () => {
	it('follow bulkAdd (refused duplicates included), put, transactions and every kind of delete', async () => {
		const d = freshDb();
		await d.jobs.bulkAdd(QUEUES.flatMap((q) => Array.from({ length: 20 }, (_, i) => job(q, `a${i}`, 'waiting'))));
		await expectCountsMatch(d);
		expect((await d.jobCounts.get('faceDetection'))?.waiting).toBe(20);

		// Duplicates refused by bulkAdd: only the new rows count.
		await expect(d.jobs.bulkAdd([job('faceDetection', 'a1', 'done'), job('faceDetection', 'new', 'waiting')])).rejects.toThrow();
		await expectCountsMatch(d);
		expect((await d.jobCounts.get('faceDetection'))?.waiting).toBe(21);

		// The scheduler's claim and finish: status changes by put, inside transactions with other tables.
		await d.transaction('rw', d.jobs, d.assets, async () => {
			const due = await d.jobs.where('[queue+status]').equals(['thumbnailGeneration', 'waiting']).limit(5).toArray();
			await d.jobs.bulkPut(due.map((j) => ({ ...j, status: 'active' as const })));
			await d.assets.put({ id: 'x' } as never);
		});
		await d.jobs.put(job('thumbnailGeneration', 'a0', 'done'));
		await d.jobs.put(job('thumbnailGeneration', 'a1', 'failed'));
		await d.jobs.put(job('thumbnailGeneration', 'a2', 'skipped'));
		await expectCountsMatch(d);
		expect(await d.jobCounts.get('thumbnailGeneration')).toMatchObject({ waiting: 14, active: 3, done: 1, failed: 1, skipped: 1 }) // a0, a1 of the 5 claimed (a0 a1 a10 a11 a12) finished;

		// A transaction that fails leaves the counts as they were.
		await expect(
			d.transaction('rw', d.jobs, async () => {
				await d.jobs.put(job('metadataExtraction', 'a3', 'done'));
				throw new Error('abort');
			})
		).rejects.toThrow('abort');
		await expectCountsMatch(d);

		await d.jobs.where('[queue+status]').equals(['thumbnailGeneration', 'waiting']).delete(); // clear waiting
		await d.jobs.where('assetId').anyOf(['a3', 'a4']).delete(); // an asset purged
		await d.jobs.delete(['metadataExtraction', 'a5']);
		await d.jobs.delete(['metadataExtraction', 'absent']);
		await expectCountsMatch(d);
		expect((await d.jobCounts.get('thumbnailGeneration'))?.waiting).toBe(0);

		// Held: skipped with a reason (models missing), apart from skipped with nothing to do; the last reason kept.
		await d.jobs.bulkPut([job('faceDetection', 'a6', 'skipped', 'Face detection needs YuNet'), job('faceDetection', 'a7', 'skipped'), job('faceDetection', 'a8', 'skipped', 'Face detection needs YuNet and MobileFaceNet')]);
		await expectCountsMatch(d);
		expect(await d.jobCounts.get('faceDetection')).toMatchObject({ skipped: 3, held: 2, heldReason: 'Face detection needs YuNet and MobileFaceNet' });
		await d.jobs.put(job('faceDetection', 'a6', 'waiting')); // "Missing" after the install
		expect(await d.jobCounts.get('faceDetection')).toMatchObject({ skipped: 2, held: 1 });

		await d.jobs.clear();
		await expectCountsMatch(d);
		for (const q of QUEUES) for (const s of [...JOB_STATUSES, 'held'] as const) expect((await d.jobCounts.get(q))?.[s] ?? 0).toBe(0);
	});

	it('are filled by the schema upgrade from a database that had only the jobs', async () => {
		const name = `job-counts-upgrade-${n++}`;
		const old = new Dexie(name);
		for (const v of versions.filter((v) => v.version < 5)) old.version(v.version).stores(v.stores);
		await old.table('jobs').bulkAdd([job('metadataExtraction', 'a', 'done'), job('metadataExtraction', 'b', 'failed'), job('ocr', 'a', 'waiting'), job('ocr', 'b', 'skipped', 'needs models'), job('ocr', 'c', 'skipped')]);
		old.close();

		const d = new ShoeboxDb(name);
		open.push(d);
		await expectCountsMatch(d);
		expect(await d.jobCounts.get('metadataExtraction')).toMatchObject({ done: 1, failed: 1, waiting: 0 });
		expect(await d.jobCounts.get('ocr')).toMatchObject({ waiting: 1, skipped: 2, held: 1 });
	});
});
