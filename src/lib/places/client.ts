// The places worker of this tab, started on the first GPS position a job meets (its dataset costs
// ~25 MB of memory, so a library without GPS never loads it) and ended after a minute unused.
import * as Comlink from 'comlink';
import type { Gps, Place } from '../db/types';
import type { PlacesApi } from '../../../worker/shared/places-api';

const IDLE_MS = 60_000;
let worker: { raw: Worker; api: Comlink.Remote<PlacesApi> } | null = null;
let idle: ReturnType<typeof setTimeout> | null = null;

function placesWorker(): Comlink.Remote<PlacesApi> {
	if (!worker) {
		const raw = new Worker(new URL('../../../worker/places/places.worker.ts', import.meta.url), { type: 'module', name: 'places' });
		worker = { raw, api: Comlink.wrap<PlacesApi>(raw) };
	}
	if (idle) clearTimeout(idle);
	idle = setTimeout(() => {
		worker?.raw.terminate();
		worker = null;
	}, IDLE_MS);
	return worker.api;
}

export async function placeOf(gps: Gps | null): Promise<Place | null> {
	if (!gps) return null;
	return (await placesWorker().placesOf([gps]))[0];
}
