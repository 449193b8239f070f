// Deleting assets for good (emptying the trash, the 30-day purge). Rows go first, then bytes: a
// crash in between leaves orphan blobs, never a row whose bytes are gone.
import { db } from '../db/schema';
import { expiredTrash, trashIds } from '../db/organise';
import { originalPath, removeBlob } from './store';

export async function purgeAssets(ids: string[]): Promise<number> {
	if (ids.length === 0) return 0;
	const d = db();
	const assets = (await d.assets.bulkGet(ids)).filter((a) => !!a);
	await d.transaction('rw', [d.assets, d.jobs, d.albumAssets, d.albums, d.faces, d.people], async () => {
		const faceIds = new Set((await d.faces.where('assetId').anyOf(ids).primaryKeys()) as string[]);
		await d.assets.bulkDelete(ids);
		await d.jobs.where('assetId').anyOf(ids).delete();
		await d.albumAssets.where('assetId').anyOf(ids).delete();
		await d.faces.bulkDelete([...faceIds]);
		await d.albums.toCollection().modify((a) => {
			if (a.coverAssetId && ids.includes(a.coverAssetId)) a.coverAssetId = null;
		});
		await d.people.toCollection().modify((p) => {
			if (p.coverFaceId && faceIds.has(p.coverFaceId)) p.coverFaceId = null;
		});
	});
	for (const a of assets) {
		await removeBlob(originalPath(a.checksum));
		await removeBlob(['derived', a.id]);
	}
	return assets.length;
}

export const emptyTrash = async () => purgeAssets(await trashIds());
export const purgeExpiredTrash = async (now = Date.now()) => purgeAssets(await expiredTrash(now));
