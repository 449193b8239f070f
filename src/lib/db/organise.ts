// Favorite, archive, trash and restore: small writes on many assets at once.
import { db } from './schema';
import type { AssetState } from './types';

export async function setFavorite(ids: string[], favorite: boolean): Promise<void> {
	await db().assets.where('id').anyOf(ids).modify({ favorite: favorite ? 1 : 0 });
}

/** Moves assets to the timeline (unarchive, restore), the archive or the trash. */
export async function setState(ids: string[], state: AssetState, now = Date.now()): Promise<void> {
	await db().assets.where('id').anyOf(ids).modify({ state, trashedAt: state === 'trash' ? now : null });
}

export const TRASH_DAYS = 30;

/** Ids of trashed assets older than the trash's keeping time. */
export async function expiredTrash(now = Date.now(), days = TRASH_DAYS): Promise<string[]> {
	return (await db().assets.where('trashedAt').below(now - days * 86_400_000).primaryKeys()) as string[];
}

export async function trashIds(): Promise<string[]> {
	return (await db().assets.where('trashedAt').aboveOrEqual(0).primaryKeys()) as string[];
}
