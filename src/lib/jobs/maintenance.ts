// Housekeeping that runs in the one scheduling tab: the 30-day trash purge (once at start, then
// hourly) and the sweep of temporary zip files. The decisions (what is expired, how long is left)
// are pure functions so that unit tests can run them with hand-made timestamps.
import { TRASH_DAYS } from '../db/organise';

export const DAY_MS = 86_400_000;
export const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

/** Whether an item trashed at `trashedAt` is past the trash's keeping time at `now`. */
export function isExpired(trashedAt: number | null, now: number, days = TRASH_DAYS): boolean {
	return trashedAt !== null && trashedAt < now - days * DAY_MS;
}

/** The trashed items among `rows` that the purge deletes at `now`. */
export function expiredIds(rows: Array<{ id: string; trashedAt: number | null }>, now: number, days = TRASH_DAYS): string[] {
	return rows.filter((r) => isExpired(r.trashedAt, now, days)).map((r) => r.id);
}

/** Whole days until the purge deletes an item trashed at `trashedAt` (0: at the next run). */
export function daysLeft(trashedAt: number, now: number, days = TRASH_DAYS): number {
	return Math.max(0, Math.ceil((trashedAt + days * DAY_MS - now) / DAY_MS));
}

export interface MaintenanceDeps {
	/** Deletes expired trash; resolves to the number purged. */
	purge: () => Promise<number>;
	/** Removes stale temporary files. */
	sweep?: () => Promise<unknown>;
	intervalMs?: number;
	log?: (msg: string, err?: unknown) => void;
}

/** Runs the tasks now and every `intervalMs`; returns the function that stops them. */
export function startMaintenance({ purge, sweep, intervalMs = MAINTENANCE_INTERVAL_MS, log = console.warn }: MaintenanceDeps): () => void {
	let running = false;
	const run = async () => {
		if (running) return;
		running = true;
		try {
			const n = await purge();
			if (n > 0) log(`maintenance: purged ${n} item(s) trashed over ${TRASH_DAYS} days ago`);
		} catch (err) {
			log('maintenance: trash purge failed', err);
		}
		try {
			await sweep?.();
		} catch (err) {
			log('maintenance: sweep failed', err);
		}
		running = false;
	};
	void run();
	const timer = setInterval(run, intervalMs);
	return () => clearInterval(timer);
}

let stop: (() => void) | null = null;

/** Follows the scheduling role: maintenance runs while this tab schedules, and stops when it doesn't. */
export function maintenanceRole(scheduling: boolean): void {
	if (!scheduling) {
		stop?.();
		stop = null;
		return;
	}
	if (stop) return;
	stop = startMaintenance({
		purge: async () => (await import('../blobs/purge')).purgeExpiredTrash(),
		sweep: async () => (await import('../export/zip')).sweepExportTemp(),
		log: (msg, err) => (err ? console.error(msg, err) : console.info(msg))
	});
}
