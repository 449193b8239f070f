// Query planning, the search URL, the perceptual hash and the filter facets (pure).
import { describe, expect, it } from 'vitest';
import type { Asset, Person } from '../../src/lib/db/types';
import { facetsOf } from '../../src/lib/search/facets';
import { fuse, parseQuery, passes, wordsOf } from '../../src/lib/search/query';
import { requestFromUrl, urlOf } from '../../src/lib/search/url';
import { dHash, hammingHex } from '../../worker/media/phash';

const asset = (over: Partial<Asset>): Asset =>
	({
		id: 'a',
		originalName: 'IMG_1.jpg',
		type: 'image',
		state: 'timeline',
		favorite: 0,
		takenAt: '2019-06-02T10:00:00',
		make: 'Canon',
		model: 'EOS 40D',
		place: { city: 'Paris', region: 'Île-de-France', country: 'France', countryCode: 'FR' },
		...over
	}) as Asset;

describe('parseQuery', () => {
	it('keeps the words that carry meaning, lower-cased, and takes years out as dates', () => {
		expect(parseQuery('A dog on the Beach')).toEqual({ terms: ['dog', 'beach'], phrase: 'a dog on the beach', years: [] });
		expect(parseQuery('Paris 2019')).toEqual({ terms: ['paris'], phrase: 'paris 2019', years: [2019] });
		// other numbers are words ("24 hours"); punctuation splits; any script counts as letters
		expect(parseQuery('OPEN 24 hours!').terms).toEqual(['open', '24', 'hours']);
		expect(wordsOf('Zürich, São Paulo — 東京')).toEqual(['zürich', 'são', 'paulo', '東京']);
	});
});

describe('passes', () => {
	it('applies each filter and never returns the trash; the archive only when asked', () => {
		expect(passes(asset({}), {})).toBe(true);
		expect(passes(asset({ state: 'trash' }), { archived: true })).toBe(false);
		expect(passes(asset({ state: 'archive' }), {})).toBe(false);
		expect(passes(asset({ state: 'archive' }), { archived: true })).toBe(true);
		expect(passes(asset({}), { type: 'video' })).toBe(false);
		expect(passes(asset({}), { favorites: true })).toBe(false);
		expect(passes(asset({}), { from: '2019-06-02', to: '2019-06-02' })).toBe(true);
		expect(passes(asset({}), { from: '2019-06-03' })).toBe(false);
		expect(passes(asset({}), {}, [2018])).toBe(false);
		expect(passes(asset({}), { make: 'canon', model: 'eos 40d' })).toBe(true);
		expect(passes(asset({}), { place: 'france' })).toBe(true);
		expect(passes(asset({}), { place: 'Lyon' })).toBe(false);
		expect(passes(asset({ place: null }), { place: 'Paris' })).toBe(false);
	});
});

describe('fuse', () => {
	it('ranks by reciprocal rank summed over lists: agreement wins, reasons are merged', () => {
		const kw = [
			{ assetId: 'x', score: 3, why: ['tag:dog'] },
			{ assetId: 'y', score: 1, why: ['name'] }
		];
		const clip = [
			{ assetId: 'z', score: 0.31, why: ['clip'] },
			{ assetId: 'y', score: 0.3, why: ['clip'] }
		];
		const out = fuse([kw, clip]);
		expect(out.map((h) => h.assetId)).toEqual(['y', 'x', 'z']);
		expect(out[0].why).toEqual(['name', 'clip']);
		expect(out[0].score).toBeCloseTo(1 / 62 + 1 / 62);
	});
});

describe('search URL', () => {
	it('round-trips text, filters and similar', () => {
		const req = { text: 'dog', filters: { personIds: ['p1', 'p2'], place: 'Paris', from: '2019-01-01', type: 'video' as const, favorites: true, archived: true } };
		const url = urlOf(req);
		expect(url).toBe('/search?q=dog&person=p1&person=p2&place=Paris&from=2019-01-01&type=video&favorites=1&archived=1');
		expect(requestFromUrl(new URL(url, 'http://x').searchParams)).toEqual(req);
		expect(urlOf({ text: ' ', filters: {}, similarTo: 'a1' })).toBe('/search?similar=a1');
		expect(requestFromUrl(new URLSearchParams('type=other')).filters).toEqual({});
	});
});

describe('dHash', () => {
	const gradient = (f: (x: number, y: number) => number) => {
		const rgba = new Uint8Array(9 * 8 * 4);
		for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) rgba.fill(f(x, y), (y * 9 + x) * 4, (y * 9 + x) * 4 + 3);
		return rgba;
	};
	it('sets a bit where the left neighbour is brighter', () => {
		expect(dHash(gradient((x) => 255 - x * 20))).toBe('ffffffffffffffff');
		expect(dHash(gradient((x) => x * 20))).toBe('0000000000000000');
		// one row reversed: one byte differs
		expect(dHash(gradient((x, y) => (y === 3 ? 255 - x * 20 : x * 20)))).toBe('000000ff00000000');
		expect(() => dHash(new Uint8Array(10))).toThrow(/9×8/);
	});
	it('counts differing bits', () => {
		expect(hammingHex('ffffffffffffffff', '0000000000000000')).toBe(64);
		expect(hammingHex('000000ff00000000', '0000000000000000')).toBe(8);
		expect(hammingHex('0123456789abcdef', '0123456789abcdef')).toBe(0);
	});
});

describe('facetsOf', () => {
	it('lists places, makes with their models and named visible people, sorted; the trash is left out', () => {
		const people = [
			{ id: 'p1', name: 'Zoe', hidden: 0 },
			{ id: 'p2', name: null, hidden: 0 },
			{ id: 'p3', name: 'Ann', hidden: 0 },
			{ id: 'p4', name: 'Hid', hidden: 1 }
		] as Person[];
		const f = facetsOf([asset({}), asset({ id: 'b', make: 'Apple', model: 'iPhone 6', place: null }), asset({ id: 'c', make: 'Nikon', model: 'D1', state: 'trash' })], people);
		expect(f).toEqual({
			places: ['France', 'Paris'],
			makes: ['Apple', 'Canon'],
			models: { Canon: ['EOS 40D'], Apple: ['iPhone 6'] },
			people: [
				{ id: 'p3', name: 'Ann' },
				{ id: 'p1', name: 'Zoe' }
			]
		});
	});
});
