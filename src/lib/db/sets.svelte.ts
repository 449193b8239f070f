// The asset sets of the organising pages (favorites, archive, trash, recently added, an album),
// each read through an index and kept live across tabs by watchThrottled.
import { albumAssets } from './albums';
import { watchThrottled } from './live';
import { db } from './schema';
import type { Asset } from './types';
import { stateRange } from '../timeline/range';

export const RECENT_DAYS = 30;
export const RECENT_MAX = 500;
const DAY = 86_400_000;

/** Favorites that are not in the trash (archived ones included), newest taken first. */
export async function favoriteAssets(): Promise<Asset[]> {
	const rows = await db().assets.where('[favorite+takenAt]').between([1, ''], [1, '\uffff']).reverse().toArray();
	return rows.filter((a) => a.state !== 'trash');
}

export async function archivedAssets(): Promise<Asset[]> {
	return db().assets.where('[state+takenAt+id]').between(...stateRange('archive')).reverse().toArray();
}

/** The trash, most recently trashed first. */
export async function trashedAssets(): Promise<Asset[]> {
	return db().assets.where('trashedAt').aboveOrEqual(0).reverse().toArray();
}

/** "Recently added": imported in the last 30 days, newest import first, at most 500; trash excluded. */
export async function recentAssets(now = Date.now()): Promise<Asset[]> {
	return db()
		.assets.where('importedAt')
		.aboveOrEqual(now - RECENT_DAYS * DAY)
		.reverse()
		.filter((a) => a.state !== 'trash')
		.limit(RECENT_MAX)
		.toArray();
}

export { albumAssets };

/** A query's latest result as Svelte state; `watch()` belongs in an `$effect` (it returns the stop). */
export class Live<T> {
	value = $state<T>() as T;
	loaded = $state(false);

	constructor(
		private readonly query: () => Promise<T>,
		initial: T,
		private readonly ms = 300
	) {
		this.value = initial;
	}

	watch(): () => void {
		return watchThrottled(this.query, this.ms, (v) => {
			this.value = v;
			this.loaded = true;
		});
	}
}
