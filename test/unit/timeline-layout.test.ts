import { describe, expect, it } from 'vitest';
import { bucketize, dayLabel, monthLabel } from '../../src/lib/timeline/buckets';
import { visibleItems } from '../../src/lib/timeline/visible';
import { geometry, layoutDays, layoutMonths, monthAt, monthHeight, tileAt, visibleInDay } from '../../src/lib/timeline/layout';

const keys = ['2024-05-17T10:00:00', '2024-05-17T09:00:00', '2024-05-02T08:00:00', '2023-12-31T23:59:59', '2023-12-31T00:00:01'];

describe('bucketize', () => {
	it('groups newest-first keys into months and days with their start indexes', () => {
		const m = bucketize(keys);
		expect(m.map((x) => [x.key, x.count])).toEqual([
			['2024-05', 3],
			['2023-12', 2]
		]);
		expect(m[0].days.map((d) => [d.key, d.count])).toEqual([
			['2024-05-17', 2],
			['2024-05-02', 1]
		]);
	});
	it('labels months and days', () => {
		expect(monthLabel('2024-05')).toBe('May 2024');
		expect(dayLabel('2024-05-17')).toBe('Fri, May 17');
	});
});

describe('layout', () => {
	const g = geometry(1000);
	it('fits whole columns to the width', () => {
		expect(g.cols).toBe(5);
		expect(g.tile * g.cols + g.gap * (g.cols - 1)).toBeCloseTo(1000);
		expect(geometry(390).cols).toBe(3);
	});
	it('stacks months and finds the month under a position', () => {
		const months = bucketize(keys);
		const l = layoutMonths(months, g);
		expect(l.tops[0]).toBe(0);
		expect(l.tops[1]).toBe(monthHeight(months[0], g));
		expect(l.total).toBe(l.heights[0] + l.heights[1]);
		expect(monthAt(l.tops, 0)).toBe(0);
		expect(monthAt(l.tops, l.tops[1] + 1)).toBe(1);
		expect(monthAt(l.tops, l.total * 10)).toBe(1);
	});
	it('places day headers and tiles in rows', () => {
		const days = layoutDays(bucketize(keys)[0], g);
		expect(days[0].top).toBe(g.monthHeader);
		expect(days[1].top).toBe(g.monthHeader + g.dayHeader + g.tile + g.gap);
		expect(days.map((d) => d.offset)).toEqual([0, 2]);
		expect(tileAt(6, g)).toEqual({ x: g.tile + g.gap, y: g.dayHeader + g.tile + g.gap });
	});
	it('finds the tiles of a day that intersect a window', () => {
		const pitch = g.tile + g.gap;
		expect(visibleInDay(23, 0, g.dayHeader - 1, g)).toEqual([0, 0]); // only the header shows
		expect(visibleInDay(23, 0, g.dayHeader + 1, g)).toEqual([0, 5]);
		expect(visibleInDay(23, g.dayHeader + pitch * 2 + 1, g.dayHeader + pitch * 3 - 10, g)).toEqual([10, 15]);
		expect(visibleInDay(23, g.dayHeader + pitch * 4, g.dayHeader + pitch * 9, g)).toEqual([20, 23]);
		expect(visibleInDay(3, 10_000, 20_000, g)).toEqual([0, 0]);
	});
});

describe('visibleItems', () => {
	const g = geometry(1000);
	const months = bucketize(keys);
	const l = layoutMonths(months, g);
	const rows = new Map([['2024-05', keys.slice(0, 3).map((k, i) => ({ id: `a${i}`, takenAt: k }))]]);

	it('draws tiles of loaded months and placeholders for the others', () => {
		const w = visibleItems(months, l.tops, rows, g, 0, l.total);
		expect(w.months).toEqual(['2024-05', '2023-12']);
		expect(w.items.filter((i) => i.kind === 'tile').map((i) => i.key)).toEqual(['a0', 'a1', 'a2']);
		expect(w.items.filter((i) => i.kind === 'placeholder').map((i) => i.key)).toEqual(['p2023-12-31']);
		const day = w.items.find((i) => i.kind === 'day' && i.day === '2024-05-17');
		expect(day?.kind === 'day' && day.ids()).toEqual(['a0', 'a1']);
	});

	it('draws only what intersects the window', () => {
		const w = visibleItems(months, l.tops, rows, g, l.tops[1] + 1, l.total);
		expect(w.months).toEqual(['2023-12']);
		expect(w.items.some((i) => i.kind === 'tile')).toBe(false);
	});

	it('draws an asset once even while it sits in two loaded months', () => {
		const both = new Map([
			['2024-05', keys.slice(0, 3).map((k, i) => ({ id: `a${i}`, takenAt: k }))],
			['2023-12', [{ id: 'a0', takenAt: keys[3] }, { id: 'b', takenAt: keys[4] }]]
		]);
		const w = visibleItems(months, l.tops, both, g, 0, l.total);
		expect(w.items.filter((i) => i.kind === 'tile').map((i) => i.key)).toEqual(['a0', 'a1', 'a2', 'b']);
	});
});
