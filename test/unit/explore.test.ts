import { describe, expect, it } from 'vitest';
import { groupPlaces, groupThings } from '../../src/lib/explore/explore';
import { placeName } from '../../src/lib/explore/findings';
import type { Asset, Place } from '../../src/lib/db/types';

const asset = (id: string, takenAt: string, over: Partial<Asset> = {}): Asset =>
	({ id, takenAt, derivatives: { thumbnail: `derived/${id}/thumb.webp` }, state: 'timeline', place: null, ...over }) as Asset;
const tag = (assetId: string, label: string, score: number, box: [number, number, number, number] = [0.2, 0.4, 0.2, 0.2]) => ({ assetId, label, score, box });
const at = (city: string, country = 'Italy', region: string | null = null): Place => ({ city, region, country, countryCode: country.slice(0, 2).toUpperCase() });

describe('Explore: things', () => {
	const shown = new Map(
		[asset('a', '2020-01-01T00:00:00'), asset('b', '2021-01-01T00:00:00'), asset('c', '2022-01-01T00:00:00'), asset('nothumb', '2023-01-01T00:00:00', { derivatives: {} })].map((a) => [a.id, a])
	);

	it('counts each label over the shown assets only, most photos first, then by label', () => {
		const tags = [tag('a', 'dog', 0.5), tag('b', 'dog', 0.7), tag('c', 'cup', 0.6), tag('trashed', 'cup', 0.9), tag('trashed', 'zebra', 0.9), tag('a', 'cat', 0.6), tag('c', 'dog', 0.4)];
		const things = groupThings(tags, shown);
		expect(things.map((t) => [t.label, t.count])).toEqual([
			['dog', 3],
			['cat', 1],
			['cup', 1]
		]);
	});

	it('takes as cover the photo where the label scored best, centred on the thing', () => {
		const [dog] = groupThings([tag('a', 'dog', 0.5), tag('b', 'dog', 0.8, [0.5, 0, 0.5, 0.2]), tag('c', 'dog', 0.6)], shown);
		expect(dog.cover.id).toBe('b');
		expect(dog.focus).toEqual([0.75, 0.1]);
	});

	it('prefers a cover with a thumbnail, then the newer photo on equal scores', () => {
		expect(groupThings([tag('nothumb', 'dog', 0.99), tag('a', 'dog', 0.5)], shown)[0].cover.id).toBe('a');
		expect(groupThings([tag('a', 'dog', 0.5), tag('c', 'dog', 0.5), tag('b', 'dog', 0.5)], shown)[0].cover.id).toBe('c');
	});
});

describe('Explore: places', () => {
	it('groups by city, most photos first, with the newest photo as cover and the commonest country', () => {
		const places = groupPlaces([
			asset('1', '2020-01-01T00:00:00', { place: at('Arezzo', 'Italy', 'Tuscany') }),
			asset('2', '2021-05-01T00:00:00', { place: at('Paris', 'France') }),
			asset('3', '2022-01-01T00:00:00', { place: at('Arezzo', 'Italy', 'Tuscany') }),
			asset('4', '2019-01-01T00:00:00', { place: at('Paris', 'United States', 'Texas') }),
			asset('5', '2018-01-01T00:00:00', { place: at('Paris', 'France') }),
			asset('6', '2024-01-01T00:00:00'),
			asset('7', '2025-01-01T00:00:00', { place: at('Arezzo', 'Italy', 'Tuscany'), derivatives: {} })
		]);
		expect(places.map((p) => [p.city, p.country, p.count, p.cover.id])).toEqual([
			['Arezzo', 'Italy', 3, '3'],
			['Paris', 'France', 3, '2']
		]);
	});

	it('is empty when no asset has a place', () => {
		expect(groupPlaces([asset('1', '2020-01-01T00:00:00')])).toEqual([]);
	});
});

describe('placeName', () => {
	it('joins city, region and country, skipping a missing or repeated part', () => {
		expect(placeName(at('Arezzo', 'Italy', 'Tuscany'))).toBe('Arezzo, Tuscany, Italy');
		expect(placeName(at('Monaco', 'Monaco', null))).toBe('Monaco');
		expect(placeName(at('Berlin', 'Germany', 'Berlin'))).toBe('Berlin, Germany');
	});
});
