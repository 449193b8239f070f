// The timeline's state: months from the cached summary (instant), rows loaded month by month as
// they come into view, everything kept current as the library changes (in any tab).
import * as Comlink from 'comlink';
import Dexie from 'dexie';
import { SvelteMap } from 'svelte/reactivity';
import type { LibraryApi } from '../../../worker/library/library.worker';
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { bucketize, sameMonth, type MonthBucket } from './buckets';
import { prefixRange } from './range';
import { watchThrottled } from '../db/live';
import { assetsOfPerson } from '../people/people';

/** Months whose rows stay in memory; the farthest from view are dropped first. */
const KEEP_MONTHS = 48;
/** Recounts at most this often while the library changes (a recount of 100,000 takes ~2 s)… */
const SUMMARY_EVERY_MS = 3000;
/** …and sooner when loaded rows show that assets moved to other months. */
const MOVED_RECOUNT_MS = 800;
/**
 * Recounts and re-reads of loaded months take at most this share of the time: a big library
 * imported with the timeline open changes all the time, and they must not take the import's CPU.
 */
const BUSY_SHARE = 0.1;

/** A subset shown on the timeline instead of the whole library (small: read whole, no summary). */
export type TimelineFilter = { personId: string } | null;

export class TimelineState {
	months = $state.raw<MonthBucket[]>([]);
	/** Rows of loaded months, newest first. */
	readonly rows = new SvelteMap<string, Asset[]>();
	ready = $state(false);
	/** False while a change has not yet reached the months (a recount is pending or running). */
	settled = $state(false);
	private loading = new Set<string>();
	private worker: Worker | null = null;
	private library: Comlink.Remote<LibraryApi> | null = null;
	private summaryTimer: ReturnType<typeof setTimeout> | null = null;
	private reloadTimer: ReturnType<typeof setTimeout> | null = null;
	private lastSummary = 0;
	private summaryDue = 0;
	/** How long the last recount and the last reload of loaded months took (ms). */
	private summaryMs = 0;
	private reloadMs = 0;
	/** Library changes seen so far: a recount is current only if none came while it ran. */
	private changes = 0;
	private counting = false;

	constructor(private readonly filter: TimelineFilter = null) {}

	/** Starts watching; returns a function that stops. */
	start(): () => void {
		if (this.filter) return this.startFiltered(this.filter);
		void db()
			.summaries.get('timeline')
			.then((s) => {
				if (s && this.months.length === 0) this.months = s.months;
				this.ready = true;
				this.refreshSummary();
			});
		const onChange = (parts: Record<string, unknown>) => {
			if (!Object.keys(parts).some((k) => k.includes('/assets/'))) return;
			this.settled = false;
			this.changes++;
			this.scheduleReload();
			this.scheduleSummary();
		};
		Dexie.on('storagemutated', onChange);
		return () => {
			Dexie.on('storagemutated').unsubscribe(onChange);
			for (const t of [this.summaryTimer, this.reloadTimer]) if (t) clearTimeout(t);
			this.worker?.terminate();
		};
	}

	/** One person's photos: few enough to read at once, re-read after library changes. */
	private startFiltered(f: NonNullable<TimelineFilter>): () => void {
		const read = async () => {
			const assets = (await assetsOfPerson(f.personId)).filter((a) => a.state === 'timeline');
			const byMonth = new Map<string, Asset[]>();
			for (const a of assets) byMonth.set(a.takenAt.slice(0, 7), [...(byMonth.get(a.takenAt.slice(0, 7)) ?? []), a]);
			this.rows.clear();
			for (const [m, rows] of byMonth) this.rows.set(m, rows);
			this.months = bucketize(assets.map((a) => a.takenAt));
			this.ready = this.settled = true;
		};
		return watchThrottled(read, 500, () => {});
	}

	/** Loads a month's rows if they are not in memory yet. */
	ensure(month: string): void {
		if (this.filter || this.rows.has(month) || this.loading.has(month)) return;
		void this.load(month);
	}

	/** Drops loaded months far from the ones in view, to keep memory bounded. */
	trim(visible: string[]): void {
		if (this.filter || this.rows.size <= KEEP_MONTHS || visible.length === 0) return;
		const index = new Map(this.months.map((m, i) => [m.key, i]));
		const centre = index.get(visible[0]) ?? 0;
		const far = [...this.rows.keys()].sort((a, b) => Math.abs((index.get(b) ?? 0) - centre) - Math.abs((index.get(a) ?? 0) - centre));
		for (const k of far.slice(0, this.rows.size - KEEP_MONTHS)) this.rows.delete(k);
	}

	private async load(month: string): Promise<void> {
		this.loading.add(month);
		try {
			const rows = await db().assets.where('[state+takenAt+id]').between(...prefixRange(month)).reverse().toArray();
			this.rows.set(month, rows);
			this.reconcile(month, rows);
		} finally {
			this.loading.delete(month);
		}
	}

	/** The rows are the truth: a stale summary month is replaced by what was actually read. */
	private reconcile(month: string, rows: Asset[]): void {
		const actual = bucketize(rows.map((r) => r.takenAt))[0];
		const i = this.months.findIndex((m) => m.key === month);
		if (!actual) {
			if (i >= 0) this.months = this.months.filter((_, j) => j !== i);
			this.scheduleSummary(MOVED_RECOUNT_MS);
			return;
		}
		if (i >= 0 && sameMonth(this.months[i], actual)) return;
		// Rows moved between months (e.g. metadata found the real date): recount soon.
		this.scheduleSummary(MOVED_RECOUNT_MS);
		const next = i >= 0 ? this.months.with(i, actual) : [...this.months, actual].sort((a, b) => (a.key < b.key ? 1 : -1));
		this.months = next;
	}

	private scheduleReload(): void {
		this.reloadTimer ??= setTimeout(() => {
			this.reloadTimer = null;
			const t = performance.now();
			void Promise.all([...this.rows.keys()].map((m) => this.load(m))).then(() => (this.reloadMs = performance.now() - t));
		}, Math.max(300, this.reloadMs / BUSY_SHARE));
	}

	private scheduleSummary(every = SUMMARY_EVERY_MS): void {
		const wait = Math.max(300, this.lastSummary + Math.max(every, this.summaryMs / BUSY_SHARE) - Date.now());
		if (this.summaryTimer) {
			if (Date.now() + wait >= this.summaryDue) return;
			clearTimeout(this.summaryTimer);
		}
		this.summaryDue = Date.now() + wait;
		this.summaryTimer = setTimeout(() => {
			this.summaryTimer = null;
			this.refreshSummary();
		}, wait);
	}

	/**
	 * Recounts in the library worker; the page never walks the whole index itself. One recount at a
	 * time: changes that arrive meanwhile ask for another, so a late result never looks current.
	 */
	private refreshSummary(): void {
		if (this.counting) return this.scheduleSummary();
		this.counting = true;
		this.lastSummary = Date.now();
		this.settled = false;
		const seen = this.changes;
		if (!this.library) {
			this.worker = new Worker(new URL('../../../worker/library/library.worker.ts', import.meta.url), { type: 'module', name: 'library' });
			this.library = Comlink.wrap<LibraryApi>(this.worker);
		}
		const t = performance.now();
		void this.library
			.timelineSummary()
			.then((s) => {
				this.summaryMs = performance.now() - t;
				// Loaded months are the truth (their rows were read after the change that moved them).
				this.months = s.months.flatMap((m) => {
					const rows = this.rows.get(m.key);
					return rows ? bucketize(rows.map((r) => r.takenAt)).slice(0, 1) : [m];
				});
			})
			.catch((err) => {
				// A failed recount is not a current one: try again shortly.
				console.error('timeline summary', err);
				this.changes++;
			})
			.finally(() => {
				this.counting = false;
				if (this.changes !== seen) this.scheduleSummary();
				else if (!this.summaryTimer && !this.reloadTimer) this.settled = true;
			});
	}
}
