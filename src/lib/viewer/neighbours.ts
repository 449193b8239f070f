// Previous (newer) and next (older) assets around the one in the viewer, within the set it was
// opened from: the timeline, the archive, the trash, favorites or an album.
import { albumAssets } from '../db/albums';
import { assetsOfPerson } from '../people/people';
import { db } from '../db/schema';
import type { Asset, AssetState } from '../db/types';

export type ViewerContext =
	| { kind: 'state'; state: AssetState }
	| { kind: 'favorites' }
	| { kind: 'album'; albumId: string }
	| { kind: 'person'; personId: string };

export function contextFrom(params: URLSearchParams): ViewerContext {
	const album = params.get('album');
	if (album) return { kind: 'album', albumId: album };
	const person = params.get('person');
	if (person) return { kind: 'person', personId: person };
	const within = params.get('in');
	if (within === 'favorites') return { kind: 'favorites' };
	if (within === 'archive' || within === 'trash') return { kind: 'state', state: within };
	return { kind: 'state', state: 'timeline' };
}

/** The query string that keeps the context while paging. */
export function contextQuery(c: ViewerContext): string {
	if (c.kind === 'album') return `?album=${encodeURIComponent(c.albumId)}`;
	if (c.kind === 'person') return `?person=${encodeURIComponent(c.personId)}`;
	if (c.kind === 'favorites') return '?in=favorites';
	return c.state === 'timeline' ? '' : `?in=${c.state}`;
}

export interface Neighbours {
	newer: string | null;
	older: string | null;
}

export async function neighbours(a: Asset, c: ViewerContext): Promise<Neighbours> {
	if (c.kind === 'state') {
		const idx = db().assets.where('[state+takenAt+id]');
		const key: [string, string, string] = [c.state, a.takenAt, a.id];
		const [older, newer] = await Promise.all([
			idx.between([c.state, '', ''], key, true, false).reverse().first(),
			idx.between(key, [c.state, '\uffff', '\uffff'], false, true).first()
		]);
		return { newer: newer?.id ?? null, older: older?.id ?? null };
	}
	const list =
		c.kind === 'album'
			? (await albumAssets(c.albumId)).map((x) => x.id)
			: c.kind === 'person'
				? (await assetsOfPerson(c.personId)).filter((x) => x.state === 'timeline').map((x) => x.id)
				: ((await db().assets.where('[favorite+takenAt]').between([1, ''], [1, '\uffff']).reverse().primaryKeys()) as string[]);
	const i = list.indexOf(a.id);
	return { newer: i > 0 ? list[i - 1] : null, older: i >= 0 && i + 1 < list.length ? list[i + 1] : null };
}
