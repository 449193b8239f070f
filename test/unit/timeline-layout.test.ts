import { describe, expect, it } from 'vitest';
import { bucketize, dayLabel, monthLabel } from '../../src/lib/timeline/buckets';
import { geometry, layoutDays, layoutMonths, monthAt, monthHeight, tileAt, visibleInDay } from '../../src/lib/timeline/layout';

const keys = ['2024-05-17T10:00:00', '2024-05-17T09:00:00', '2024-05-02T08:00:00', '2023-12-31T23:59:59', '2023-12-31T00:00:01'];

describe('bucketize', () => {
	it('groups newest-first keys into months and days with their start indexes', () => {
		const m = bucketize(keys);
		expect(m.map((x) => [x.key, x.count, x.start])).toEqual([
			['2024-05', 3, 0],
			['2023-12', 2, 3]
		]);
		expect(m[0].days.map((d) => [d.key, d.count, d.start])).toEqual([
			['2024-05-17', 2, 0],
			['2024-05-02', 1, 2]
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
