// library.json: the stable export of the library's metadata. Schema: docs/export.md.
import type { Album, AlbumAsset, Asset, FailedImport, Gps, JobRow, JobStatus, QueueName } from './types';
import { db } from './schema';

export const EXPORT_VERSION = 1;

export interface ExportedAsset {
	id: string;
	checksum: string;
	originalName: string;
	type: Asset['type'];
	mime: string;
	bytes: number;
	width: number | null;
	height: number | null;
	takenAt: string;
	takenAtOffset: string | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	gps: Gps | null;
	favorite: boolean;
	archived: boolean;
	trashed: boolean;
	jobs: Partial<Record<QueueName, JobStatus>>;
	errors: Array<{ queue: QueueName; message: string }>;
}

export interface ExportedAlbum {
	id: string;
	name: string;
	createdAt: string;
	coverAssetId: string | null;
	assetIds: string[];
}

export interface LibraryRows {
	assets: Asset[];
	jobs: JobRow[];
	failed: FailedImport[];
	albums: Album[];
	members: AlbumAsset[];
}

export interface LibraryExport {
	version: number;
	exportedAt: string;
	assets: ExportedAsset[];
	albums: ExportedAlbum[];
	failedImports: Array<{ name: string; reason: string }>;
}

/** Pure: rows in, document out. */
export function toExport({ assets, jobs, failed, albums, members }: LibraryRows, now: Date): LibraryExport {
	const byAsset = new Map<string, JobRow[]>();
	for (const j of jobs) byAsset.set(j.assetId, [...(byAsset.get(j.assetId) ?? []), j]);
	return {
		version: EXPORT_VERSION,
		exportedAt: now.toISOString(),
		assets: assets.map((a) => {
			const rows = byAsset.get(a.id) ?? [];
			return {
				id: a.id,
				checksum: a.checksum,
				originalName: a.originalName,
				type: a.type,
				mime: a.mime,
				bytes: a.bytes,
				width: a.width,
				height: a.height,
				takenAt: a.takenAt,
				takenAtOffset: a.takenAtOffset,
				make: a.make,
				model: a.model,
				lens: a.lens,
				gps: a.gps,
				favorite: a.favorite === 1,
				archived: a.state === 'archive',
				trashed: a.state === 'trash',
				jobs: Object.fromEntries(rows.map((j) => [j.queue, j.status])),
				errors: rows.filter((j) => j.status === 'failed' && j.error).map((j) => ({ queue: j.queue, message: j.error as string }))
			};
		}),
		albums: albums.map((al) => ({
			id: al.id,
			name: al.name,
			createdAt: new Date(al.createdAt).toISOString(),
			coverAssetId: al.coverAssetId,
			assetIds: members
				.filter((m) => m.albumId === al.id)
				.sort((x, y) => x.addedAt - y.addedAt)
				.map((m) => m.assetId)
		})),
		failedImports: failed.map((f) => ({ name: f.name, reason: f.reason }))
	};
}

export async function exportLibrary(): Promise<LibraryExport> {
	const d = db();
	return d.transaction('r', [d.assets, d.jobs, d.failedImports, d.albums, d.albumAssets], async () =>
		toExport(
			{
				assets: await d.assets.orderBy('takenAt').reverse().toArray(),
				jobs: await d.jobs.toArray(),
				failed: await d.failedImports.toArray(),
				albums: await d.albums.toArray(),
				members: await d.albumAssets.toArray()
			},
			new Date()
		)
	);
}
