// The duplicates page's data: groups among the timeline and the archive (never the trash), found
// in the search worker, the groups a person said are not duplicates, and what the page's buttons do.
import { setState } from '../db/organise';
import { db } from '../db/schema';
import { searchCall } from './client';
import type { DuplicateGroup, Strictness } from './duplicates';
import type { DuplicatesView } from './duplicates-view';

export type { DuplicatesView };

/** Row of the settings table holding dismissed groups (each a sorted list of asset ids). */
export const DISMISSED_KEY = 'duplicatesDismissed';

export async function readDismissed(): Promise<string[][]> {
	const row = await db().settings.get(DISMISSED_KEY);
	return Array.isArray(row?.value) ? (row.value as string[][]) : [];
}

/** The groups, from the search worker: the page neither reads every asset nor groups them. */
export async function loadDuplicates(strictness: Strictness): Promise<DuplicatesView> {
	const dismissed = await readDismissed();
	return searchCall((api) => api.duplicates(strictness, dismissed));
}

/** "Not duplicates": the group stays hidden until another near-duplicate joins it. */
export async function dismissGroup(ids: string[]): Promise<void> {
	const d = db();
	await d.transaction('rw', d.settings, async () => {
		const list = await readDismissed();
		await d.settings.put({ key: DISMISSED_KEY, value: [...list, [...ids].sort()] });
	});
}

/** Keeps one photo of a group and moves the others to the trash. */
export async function keepOnly(keep: string, group: DuplicateGroup): Promise<void> {
	await setState(group.ids.filter((id) => id !== keep), 'trash');
}

/** Keeps every group's suggested keeper and moves the rest to the trash. */
export async function trashSuggested(groups: DuplicateGroup[]): Promise<void> {
	await setState(groups.flatMap((g) => g.ids.filter((id) => id !== g.keeper)), 'trash');
}
