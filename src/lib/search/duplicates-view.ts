// The duplicates page's groups, read and grouped in the search worker (`SearchApi.duplicates`):
// every shown asset's row is read and, at 'loose', 100,000 of them take seconds to group, which
// the page must not spend on its main thread. Only the grouped assets travel back to the page.
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { groupDuplicates, type DuplicateGroup, type Strictness } from './duplicates';
import { stateRange } from '../timeline/range';

export interface DuplicatesView {
	groups: DuplicateGroup[];
	/** The groups' assets by id. */
	assets: Map<string, Asset>;
}

/** The timeline and the archive (never the trash). */
async function shownAssets(): Promise<Asset[]> {
	const idx = db().assets.where('[state+takenAt+id]');
	const [timeline, archive] = await Promise.all(
		(['timeline', 'archive'] as const).map((s) => idx.between(...stateRange(s)).toArray())
	);
	return [...timeline, ...archive];
}

/** Near-duplicate groups among the shown assets at `strictness`, less those a person dismissed. */
export async function duplicatesView(strictness: Strictness, dismissed: string[][]): Promise<DuplicatesView> {
	const assets = await shownAssets();
	const groups = groupDuplicates(assets, strictness, dismissed);
	const byId = new Map(assets.map((a) => [a.id, a]));
	return { groups, assets: new Map(groups.flatMap((g) => g.ids.map((id) => [id, byId.get(id)!] as const))) };
}
