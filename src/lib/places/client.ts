// The places worker of this tab, started on the first GPS position a job meets (its dataset costs
// ~25 MB of memory, so a library without GPS never loads it).
import * as Comlink from 'comlink';
import type { Gps, Place } from '../db/types';
import type { PlacesApi } from '../../../worker/shared/places-api';

let worker: Comlink.Remote<PlacesApi> | null = null;

export async function placeOf(gps: Gps | null): Promise<Place | null> {
	if (!gps) return null;
	worker ??= Comlink.wrap<PlacesApi>(new Worker(new URL('../../../worker/places/places.worker.ts', import.meta.url), { type: 'module', name: 'places' }));
	return (await worker.placesOf([gps]))[0];
}
