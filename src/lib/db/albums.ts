// Albums and their members. Membership rows keep big albums cheap to change.
import { db } from './schema';
import type { Album, Asset } from './types';

export interface AlbumSummary extends Album {
	count: number;
	cover: Asset | null;
}

export async function createAlbum(name: string, assetIds: string[] = []): Promise<string> {
	const now = Date.now();
	const album: Album = { id: crypto.randomUUID(), name: name.trim() || 'Untitled album', createdAt: now, updatedAt: now, coverAssetId: null };
	const d = db();
	await d.transaction('rw', d.albums, d.albumAssets, async () => {
		await d.albums.add(album);
		await d.albumAssets.bulkPut(assetIds.map((assetId) => ({ albumId: album.id, assetId, addedAt: now })));
	});
	return album.id;
}

export async function renameAlbum(id: string, name: string): Promise<void> {
	await db().albums.update(id, { name: name.trim() || 'Untitled album', updatedAt: Date.now() });
}

export async function addToAlbum(albumId: string, assetIds: string[]): Promise<void> {
	const now = Date.now();
	const d = db();
	await d.transaction('rw', d.albums, d.albumAssets, async () => {
		const have = new Set((await d.albumAssets.where('[albumId+assetId]').anyOf(assetIds.map((a) => [albumId, a])).toArray()).map((r) => r.assetId));
		await d.albumAssets.bulkAdd(assetIds.filter((a) => !have.has(a)).map((assetId) => ({ albumId, assetId, addedAt: now })));
		await d.albums.update(albumId, { updatedAt: now });
	});
}

export async function removeFromAlbum(albumId: string, assetIds: string[]): Promise<void> {
	const d = db();
	await d.transaction('rw', d.albums, d.albumAssets, async () => {
		await d.albumAssets.bulkDelete(assetIds.map((a) => [albumId, a] as [string, string]));
		const album = await d.albums.get(albumId);
		const coverGone = album?.coverAssetId && assetIds.includes(album.coverAssetId);
		await d.albums.update(albumId, { updatedAt: Date.now(), ...(coverGone ? { coverAssetId: null } : {}) });
	});
}

export async function setAlbumCover(albumId: string, assetId: string | null): Promise<void> {
	await db().albums.update(albumId, { coverAssetId: assetId, updatedAt: Date.now() });
}

/** Deletes the album only; its photos stay in the library. */
export async function deleteAlbum(albumId: string): Promise<void> {
	const d = db();
	await d.transaction('rw', d.albums, d.albumAssets, async () => {
		await d.albumAssets.where('[albumId+addedAt]').between([albumId, -Infinity], [albumId, Infinity]).delete();
		await d.albums.delete(albumId);
	});
}

/** The album's assets (not trashed), newest taken first. */
export async function albumAssets(albumId: string): Promise<Asset[]> {
	const ids = (await db().albumAssets.where('[albumId+addedAt]').between([albumId, -Infinity], [albumId, Infinity]).toArray()).map((r) => r.assetId);
	const assets = (await db().assets.bulkGet(ids)).filter((a): a is Asset => !!a && a.state !== 'trash');
	return assets.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
}

export async function albumSummaries(): Promise<AlbumSummary[]> {
	const albums = await db().albums.orderBy('updatedAt').reverse().toArray();
	return Promise.all(
		albums.map(async (a) => {
			const assets = await albumAssets(a.id);
			const cover = assets.find((x) => x.id === a.coverAssetId) ?? assets[0] ?? null;
			return { ...a, count: assets.length, cover };
		})
	);
}

export async function albumsOf(assetId: string): Promise<Album[]> {
	const ids = (await db().albumAssets.where('assetId').equals(assetId).toArray()).map((r) => r.albumId);
	return (await db().albums.bulkGet(ids)).filter((a): a is Album => !!a);
}
