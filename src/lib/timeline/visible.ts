// What to draw for a window of the virtual timeline: headers, tiles of loaded months, and
// placeholder blocks for months whose rows are still loading. Positions are virtual px.
import type { MonthBucket } from './buckets';
import { layoutDays, monthAt, tileAt, visibleInDay, type Geometry } from './layout';

export type Item<A> =
	| { kind: 'month'; key: string; month: string; y: number }
	| { kind: 'day'; key: string; day: string; y: number; ids: () => string[] }
	| { kind: 'tile'; key: string; asset: A; x: number; y: number }
	| { kind: 'placeholder'; key: string; y: number; h: number };

export interface Window<A> {
	items: Item<A>[];
	/** Months intersecting the window: the ones to load. */
	months: string[];
}

export function visibleItems<A extends { id: string }>(
	months: MonthBucket[],
	tops: Float64Array,
	rows: ReadonlyMap<string, A[]>,
	g: Geometry,
	from: number,
	to: number
): Window<A> {
	const items: Item<A>[] = [];
	const shown: string[] = [];
	// While rows move between months (metadata found the real date), an asset can sit in a stale
	// month and its new one at once for a moment: draw it once.
	const drawn = new Set<string>();
	if (months.length === 0) return { items, months: shown };
	for (let i = monthAt(tops, from); i < months.length && tops[i] < to; i++) {
		const m = months[i];
		const top = tops[i];
		shown.push(m.key);
		items.push({ kind: 'month', key: `m${m.key}`, month: m.key, y: top });
		const assets = rows.get(m.key);
		for (const d of layoutDays(m, g)) {
			const dayTop = top + d.top;
			const rowsH = Math.ceil(d.count / g.cols) * (g.tile + g.gap);
			if (dayTop > to) break;
			if (dayTop + g.dayHeader + rowsH < from) continue;
			const dayAssets = assets?.slice(d.offset, d.offset + d.count);
			items.push({ kind: 'day', key: `d${d.key}`, day: d.key, y: dayTop, ids: () => (dayAssets ?? []).map((a) => a.id) });
			if (!dayAssets) {
				items.push({ kind: 'placeholder', key: `p${d.key}`, y: dayTop + g.dayHeader, h: rowsH - g.gap });
				continue;
			}
			const [a, b] = visibleInDay(d.count, from - dayTop, to - dayTop, g);
			for (let k = a; k < b && k < dayAssets.length; k++) {
				if (drawn.has(dayAssets[k].id)) continue;
				drawn.add(dayAssets[k].id);
				const p = tileAt(k, g);
				items.push({ kind: 'tile', key: dayAssets[k].id, asset: dayAssets[k], x: p.x, y: dayTop + p.y });
			}
		}
	}
	return { items, months: shown };
}
