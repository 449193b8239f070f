// The places worker's typed API (worker/places/places.worker.ts), as the page sees it through comlink.
//
//   const worker = new Worker(new URL('../../worker/places/places.worker.ts', import.meta.url), { type: 'module' });
//   const places = Comlink.wrap<PlacesApi>(worker);
//   const [p] = await places.placesOf([{ lat: 43.7856, lon: 11.2346 }]);
//   p  // { city: 'Florence', region: 'Tuscany', country: 'Italy', countryCode: 'IT' }
//
// The first call fetches the dataset from the app's own origin (precached by the service worker, so
// it works offline) and builds the index (~0.4 s in Chromium); later calls take ~50 µs per point. A failed load (offline before the first visit cached it) rejects with a
// transient MediaError and is retried on the next call.
import type { Gps, Place } from '../../src/lib/db/types';

export interface PlacesApi {
	/**
	 * The place of each point, in order; null where no place is within MAX_PLACE_KM
	 * (src/lib/places/place-index.ts) or the point is not a valid position.
	 */
	placesOf(points: readonly Gps[]): Promise<(Place | null)[]>;
}
