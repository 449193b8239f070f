// Counts of each queue's jobs by status, kept in the `jobCounts` table by a Dexie middleware in
// the same IndexedDB transaction as every change to `jobs`. IndexedDB's count() walks the index
// range, so counting 9 queues × 4 states took ~0.6 s at 20,000 assets, and the jobs page did it
// four times a second while an import ran; reading 9 rows takes a millisecond at any size.
import type { DBCore, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import type { JobRow, JobStatus, QueueName } from './types';

export const JOB_STATUSES = ['waiting', 'active', 'done', 'failed', 'skipped'] as const satisfies readonly JobStatus[];

/**
 * Per status, plus `held`: the skipped jobs that carry a reason (a feature waiting for its models),
 * which "Missing" runs again once they are installed; other skipped jobs had nothing to do.
 */
export type StatusCounts = Record<JobStatus | 'held', number>;
export interface JobCountRow extends StatusCounts {
	queue: QueueName;
	/** The reason of the last job held, for the jobs page. */
	heldReason?: string;
}

const KEYS = [...JOB_STATUSES, 'held'] as const;
export const emptyCounts = (): StatusCounts => ({ waiting: 0, active: 0, done: 0, failed: 0, skipped: 0, held: 0 });

/** Adds `sign` for each row's (queue, status) into `into`. */
export function tally(rows: Iterable<Pick<JobRow, 'queue' | 'status' | 'error'> | undefined>, sign: 1 | -1, into = new Map<string, StatusCounts>()) {
	for (const row of rows) {
		if (!row) continue;
		const c = into.get(row.queue) ?? emptyCounts();
		c[row.status] += sign;
		if (row.status === 'skipped' && row.error) c.held += sign;
		into.set(row.queue, c);
	}
	return into;
}

/** The rows a mutation will replace or remove, read in the mutation's transaction just before it runs. */
async function rowsBefore(jobs: DBCoreTable, req: DBCoreMutateRequest): Promise<(JobRow | undefined)[]> {
	if (req.type === 'deleteRange') {
		const { result } = await jobs.query({ trans: req.trans, values: true, query: { index: jobs.schema.primaryKey, range: req.range } });
		return result as JobRow[];
	}
	const keys = req.type === 'delete' ? req.keys : (req.keys ?? req.values.map((v) => jobs.schema.primaryKey.extractKey!(v)));
	return jobs.getMany({ trans: req.trans, keys });
}

async function applyDelta(counts: DBCoreTable, trans: DBCoreTransaction, delta: Map<string, StatusCounts>, reasons: Map<string, string>) {
	for (const [queue, d] of delta) {
		if (KEYS.every((k) => d[k] === 0)) continue;
		const row: JobCountRow = { queue: queue as QueueName, ...emptyCounts(), ...(await counts.get({ trans, key: queue })) };
		for (const k of KEYS) row[k] += d[k];
		const reason = reasons.get(queue);
		if (reason) row.heldReason = reason;
		await counts.mutate({ trans, type: 'put', values: [row] });
	}
}

/**
 * The middleware: every read-write transaction that includes `jobs` also gets `jobCounts`, and
 * each mutation of `jobs` moves the counts of the rows it replaced, added or removed.
 */
export const jobCountsMiddleware: Middleware<DBCore> = {
	stack: 'dbcore',
	name: 'jobCounts',
	create: (down) => ({
		...down,
		transaction: (stores, mode, options) =>
			down.transaction(mode === 'readwrite' && stores.includes('jobs') && !stores.includes('jobCounts') ? [...stores, 'jobCounts'] : stores, mode, options),
		table: (name) => {
			const table = down.table(name);
			if (name !== 'jobs') return table;
			return {
				...table,
				mutate: async (req) => {
					const before = await rowsBefore(table, req);
					const res = await table.mutate(req);
					const failed = (i: number) => res.failures[i] !== undefined;
					const delta = tally(
						before.filter((_, i) => req.type === 'deleteRange' || req.type === 'delete' || !failed(i)),
						-1
					);
					const reasons = new Map<string, string>();
					if (req.type === 'add' || req.type === 'put') {
						const written = (req.values as JobRow[]).filter((_, i) => !failed(i));
						tally(written, 1, delta);
						for (const j of written) if (j.status === 'skipped' && j.error) reasons.set(j.queue, j.error);
					}
					await applyDelta(down.table('jobCounts'), req.trans, delta, reasons);
					return res;
				}
			};
		}
	})
};
