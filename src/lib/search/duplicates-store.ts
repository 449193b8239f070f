// The duplicates page's data: groups among the timeline and the archive (never the trash), the
// groups a person said are not duplicates, and what the page's buttons do.
import { setState } from '../db/organise';
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { groupDuplicates, type DuplicateGroup, type Strictness } from './duplicates';

/** Row of the settings table holding dismissed groups (each a sorted list of asset ids). */
export const DISMISSED_KEY = 'duplicatesDismissed';

export interface DuplicatesView {
	groups: DuplicateGroup[];
	/** The groups' assets by id. */
	assets: Map<string, Asset>;
}

async function shownAssets(): Promise<Asset[]> {
	const idx = db().assets.where('[state+takenAt+id]');
	const [timeline, archive] = await Promise.all(
		(['timeline', 'archive'] as const).map((s) => idx.between([s, '', ''], [s, '\uffff', '\uffff']).toArray())
	);
	return [...timeline, ...archive];
}

export async function readDismissed(): Promise<string[][]> {
	const row = await db().settings.get(DISMISSED_KEY);
	return Array.isArray(row?.value) ? (row.value as string[][]) : [];
}

export async function loadDuplicates(strictness: Strictness): Promise<DuplicatesView> {
	const [assets, dismissed] = await Promise.all([shownAssets(), readDismissed()]);
	const groups = groupDuplicates(assets, strictness, dismissed);
	const byId = new Map(assets.map((a) => [a.id, a]));
	return { groups, assets: new Map(groups.flatMap((g) => g.ids.map((id) => [id, byId.get(id)!] as const))) };
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
