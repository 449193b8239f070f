// The Explore page's sections: the things found (one per label) and the places (one per city), each
// with how many photos show it and a cover. Only photos on the timeline count (not archived, not in
// the trash). The grouping is pure; `exploreData` reads the rows once per refresh.
import { cachedUntilChanged } from '../db/live';
import { db } from '../db/schema';
import type { Asset, TagRow } from '../db/types';
import { TIMELINE_RANGE } from '../timeline/range';

export interface ThingGroup {
	/** COCO label ("dog", "dining table"). */
	label: string;
	/** Timeline photos showing it. */
	count: number;
	/** The photo where it scored best (one with a thumbnail when there is one). */
	cover: Asset;
	/** Centre of the thing in the cover, 0–1, so a square crop keeps it in view. */
	focus: [number, number];
}

export interface PlaceGroup {
	city: string;
	/** The country most of its photos are in (two cities may share a name). */
	country: string;
	count: number;
	/** The newest photo taken there (one with a thumbnail when there is one). */
	cover: Asset;
}

export interface ExploreData {
	things: ThingGroup[];
	places: PlaceGroup[];
}

type TagLike = Pick<TagRow, 'assetId' | 'label' | 'score' | 'box'>;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const thumbFirst = (a: Asset, b: Asset) => Number(!!b.derivatives.thumbnail) - Number(!!a.derivatives.thumbnail);
/** Negative when `a` makes the better cover than `b` for the same score: a thumbnail, then newer, then the id. */
const betterCover = (a: Asset, b: Asset) => thumbFirst(a, b) || cmp(b.takenAt, a.takenAt) || cmp(b.id, a.id);
const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;

/** One group per label among the tags of `shown` assets, most photos first, then by label. */
export function groupThings(tags: TagLike[], shown: ReadonlyMap<string, Asset>): ThingGroup[] {
	const best = new Map<string, { count: number; tag: TagLike; asset: Asset }>();
	for (const t of tags) {
		const asset = shown.get(t.assetId);
		if (!asset) continue;
		const g = best.get(t.label);
		if (!g) {
			best.set(t.label, { count: 1, tag: t, asset });
			continue;
		}
		g.count++;
		// A thumbnail beats none; then the higher score; then the newer photo, then the id (stable).
		if ((thumbFirst(asset, g.asset) || g.tag.score - t.score || betterCover(asset, g.asset)) < 0) Object.assign(g, { tag: t, asset });
	}
	return [...best]
		.map(([label, g]) => ({ label, count: g.count, cover: g.asset, focus: [g.tag.box[0] + g.tag.box[2] / 2, g.tag.box[1] + g.tag.box[3] / 2] as [number, number] }))
		.sort((a, b) => byCount(a, b) || a.label.localeCompare(b.label));
}

/** One group per city name (the unit `/search?place=` finds), most photos first, then by name. */
export function groupPlaces(assets: Iterable<Asset>): PlaceGroup[] {
	const groups = new Map<string, { count: number; cover: Asset; countries: Map<string, number> }>();
	for (const a of assets) {
		if (!a.place) continue;
		const g = groups.get(a.place.city);
		if (!g) {
			groups.set(a.place.city, { count: 1, cover: a, countries: new Map([[a.place.country, 1]]) });
			continue;
		}
		g.count++;
		g.countries.set(a.place.country, (g.countries.get(a.place.country) ?? 0) + 1);
		if (betterCover(a, g.cover) < 0) g.cover = a;
	}
	return [...groups]
		.map(([city, g]) => ({ city, country: [...g.countries].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0][0], count: g.count, cover: g.cover }))
		.sort((a, b) => byCount(a, b) || a.city.localeCompare(b.city));
}

/**
 * Reads the timeline's asset rows once (through the [state+takenAt+id] index, so archived and
 * trashed ones are never read) and every tag row in label order, then groups them. Kept until the
 * assets or tags change: jobs write other tables (jobs, faces, embeddings) all the time.
 */
export const exploreData: () => Promise<ExploreData> = cachedUntilChanged(['assets', 'tags'], () => {
	const d = db();
	return d.transaction('r', d.assets, d.tags, async () => {
		const assets = await d.assets.where('[state+takenAt+id]').between(...TIMELINE_RANGE).toArray();
		const tags = await d.tags.orderBy('label').toArray();
		return { things: groupThings(tags, new Map(assets.map((a) => [a.id, a]))), places: groupPlaces(assets) };
	});
});
