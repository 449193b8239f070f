// Geometry of the timeline: a square grid per day, days grouped in months. Pure arithmetic on
// counts, so the layout of a million assets is a few array passes.
import type { MonthBucket } from './buckets';

export interface Geometry {
	width: number;
	cols: number;
	/** Tile edge, px. */
	tile: number;
	gap: number;
	monthHeader: number;
	dayHeader: number;
	/** Space after a month. */
	monthGap: number;
}

export function geometry(width: number, targetTile = width < 600 ? 118 : 190): Geometry {
	const gap = 4;
	const cols = Math.max(3, Math.round((width + gap) / (targetTile + gap)));
	const tile = Math.max(40, (width - gap * (cols - 1)) / cols);
	return { width, cols, tile, gap, monthHeader: 52, dayHeader: 34, monthGap: 12 };
}

const rows = (n: number, cols: number) => Math.ceil(n / cols);

function daysHeight(count: number, g: Geometry): number {
	const r = rows(count, g.cols);
	return g.dayHeader + r * g.tile + Math.max(0, r - 1) * g.gap + g.gap;
}

export function monthHeight(m: MonthBucket, g: Geometry): number {
	let h = g.monthHeader + g.monthGap;
	for (const d of m.days) h += daysHeight(d.count, g);
	return h;
}

export interface MonthLayout {
	/** Top of each month in the whole timeline, px. */
	tops: Float64Array;
	heights: Float64Array;
	total: number;
}

export function layoutMonths(months: MonthBucket[], g: Geometry): MonthLayout {
	const tops = new Float64Array(months.length);
	const heights = new Float64Array(months.length);
	let y = 0;
	for (let i = 0; i < months.length; i++) {
		tops[i] = y;
		heights[i] = monthHeight(months[i], g);
		y += heights[i];
	}
	return { tops, heights, total: y };
}

/** Index of the month that contains `y` (binary search over the tops). */
export function monthAt(tops: Float64Array, y: number): number {
	let lo = 0;
	let hi = tops.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (tops[mid] <= y) lo = mid;
		else hi = mid - 1;
	}
	return Math.max(0, lo);
}

export interface DaySlot {
	key: string;
	/** Relative to the month's top. */
	top: number;
	/** Index of the day's first asset within its month. */
	offset: number;
	count: number;
}

/** Day headers inside one month, relative to the month's top. */
export function layoutDays(m: MonthBucket, g: Geometry): DaySlot[] {
	let y = g.monthHeader;
	let offset = 0;
	return m.days.map((d) => {
		const slot = { key: d.key, top: y, offset, count: d.count };
		y += daysHeight(d.count, g);
		offset += d.count;
		return slot;
	});
}

/** Position of the `i`-th asset of a day, relative to the day's top. */
export function tileAt(i: number, g: Geometry): { x: number; y: number } {
	return { x: (i % g.cols) * (g.tile + g.gap), y: g.dayHeader + Math.floor(i / g.cols) * (g.tile + g.gap) };
}

/** Range of asset indexes within a day whose rows intersect [from, to) (relative to the day's top). */
export function visibleInDay(count: number, from: number, to: number, g: Geometry): [number, number] {
	const pitch = g.tile + g.gap;
	const first = Math.max(0, Math.floor((from - g.dayHeader) / pitch));
	const last = Math.min(rows(count, g.cols) - 1, Math.floor((to - g.dayHeader) / pitch));
	if (last < first) return [0, 0];
	return [first * g.cols, Math.min(count, (last + 1) * g.cols)];
}
