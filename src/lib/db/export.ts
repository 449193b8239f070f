// library.json: the stable export of the library's metadata. Schema: docs/export.md.
import type { Album, AlbumAsset, Asset, Face, FailedImport, Gps, JobRow, JobStatus, Person, QueueName, TagRow, TextRow } from './types';
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
	/** Videos only (null for images, and until the video is probed). */
	durationS: number | null;
	videoCodec: string | null;
	audioCodec: string | null;
	rotation: number | null;
	fps: number | null;
	favorite: boolean;
	archived: boolean;
	trashed: boolean;
	/** Nearest city to the GPS position; null without GPS, with no city near, or until looked up. */
	place: { city: string; region: string | null; country: string } | null;
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

export interface ExportedFace {
	assetId: string;
	/** [x, y, w, h], normalised 0–1 in the displayed image. */
	box: [number, number, number, number];
	score: number;
	personId: string | null;
}

export interface ExportedPerson {
	id: string;
	name: string | null;
	hidden: boolean;
	faceCount: number;
}

export interface ExportedTag {
	assetId: string;
	label: string;
	score: number;
}

export interface ExportedText {
	assetId: string;
	text: string;
}

export interface LibraryRows {
	assets: Asset[];
	jobs: JobRow[];
	failed: FailedImport[];
	albums: Album[];
	members: AlbumAsset[];
	/** Face rows (their embeddings are not exported); absent = none. */
	faces?: Pick<Face, 'assetId' | 'box' | 'score' | 'personId'>[];
	people?: Person[];
	/** Things found (objectTagging) and text found (ocr); absent = none. */
	tags?: Pick<TagRow, 'assetId' | 'label' | 'score'>[];
	texts?: Pick<TextRow, 'assetId' | 'text'>[];
}

export interface LibraryExport {
	version: number;
	exportedAt: string;
	assets: ExportedAsset[];
	albums: ExportedAlbum[];
	failedImports: Array<{ name: string; reason: string }>;
	faces: ExportedFace[];
	people: ExportedPerson[];
	tags: ExportedTag[];
	text: ExportedText[];
}

/** Pure: rows in, document out. */
export function toExport({ assets, jobs, failed, albums, members, faces = [], people = [], tags = [], texts = [] }: LibraryRows, now: Date): LibraryExport {
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
				durationS: a.durationS ?? null,
				videoCodec: a.videoCodec ?? null,
				audioCodec: a.audioCodec ?? null,
				rotation: a.rotation ?? null,
				fps: a.fps ?? null,
				favorite: a.favorite === 1,
				archived: a.state === 'archive',
				trashed: a.state === 'trash',
				place: a.place ? { city: a.place.city, region: a.place.region, country: a.place.country } : null,
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
		failedImports: failed.map((f) => ({ name: f.name, reason: f.reason })),
		...exportFaces(assets, faces, people),
		...exportFindings(assets, tags, texts)
	};
}

/** Tags (asset order, best score first, then by label) and non-empty text of the exported assets. */
function exportFindings(assets: Asset[], tags: NonNullable<LibraryRows['tags']>, texts: NonNullable<LibraryRows['texts']>): Pick<LibraryExport, 'tags' | 'text'> {
	const order = new Map(assets.map((a, i) => [a.id, i]));
	return {
		tags: tags
			.filter((t) => order.has(t.assetId))
			.sort((a, b) => order.get(a.assetId)! - order.get(b.assetId)! || b.score - a.score || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
			.map((t) => ({ assetId: t.assetId, label: t.label, score: t.score })),
		text: texts
			.filter((t) => order.has(t.assetId) && t.text.trim() !== '')
			.sort((a, b) => order.get(a.assetId)! - order.get(b.assetId)!)
			.map((t) => ({ assetId: t.assetId, text: t.text }))
	};
}

/**
 * Faces of the exported assets (in asset order, then left to right) and the people they name;
 * a person with no exported face is still listed (faceCount 0) when exporting the whole library.
 */
function exportFaces(assets: Asset[], faces: NonNullable<LibraryRows['faces']>, people: Person[]): Pick<LibraryExport, 'faces' | 'people'> {
	const order = new Map(assets.map((a, i) => [a.id, i]));
	const kept = faces
		.filter((f) => order.has(f.assetId))
		.sort((a, b) => order.get(a.assetId)! - order.get(b.assetId)! || a.box[0] - b.box[0] || a.box[1] - b.box[1]);
	const known = new Set(people.map((p) => p.id));
	const counts = new Map<string, number>();
	for (const f of kept) if (f.personId && known.has(f.personId)) counts.set(f.personId, (counts.get(f.personId) ?? 0) + 1);
	return {
		faces: kept.map((f) => ({
			assetId: f.assetId,
			box: [f.box[0], f.box[1], f.box[2], f.box[3]],
			score: f.score,
			personId: f.personId && known.has(f.personId) ? f.personId : null
		})),
		people: people.map((p) => ({ id: p.id, name: p.name, hidden: p.hidden === 1, faceCount: counts.get(p.id) ?? 0 }))
	};
}

/**
 * The rows behind library.json: the whole library, or the chosen assets with what refers to them
 * (their albums, restricted to them, their faces and those faces' people, their tags and text).
 */
export async function libraryRows(choice: string[] | 'all' = 'all'): Promise<LibraryRows> {
	const d = db();
	return d.transaction('r', [d.assets, d.jobs, d.failedImports, d.albums, d.albumAssets, d.faces, d.people, d.tags, d.texts], async () => {
		if (choice === 'all')
			return {
				assets: await d.assets.orderBy('takenAt').reverse().toArray(),
				jobs: await d.jobs.toArray(),
				failed: await d.failedImports.toArray(),
				albums: await d.albums.toArray(),
				members: await d.albumAssets.toArray(),
				faces: await d.faces.toArray(),
				people: await d.people.toArray(),
				tags: await d.tags.toArray(),
				texts: await d.texts.toArray()
			};
		const assets = (await d.assets.bulkGet(choice)).filter((a): a is Asset => !!a);
		assets.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
		const ids = assets.map((a) => a.id);
		const inSet = new Set(ids);
		const members = await d.albumAssets.where('assetId').anyOf(ids).toArray();
		const albums = (await d.albums.bulkGet([...new Set(members.map((m) => m.albumId))])).filter((a): a is Album => !!a);
		const faces = await d.faces.where('assetId').anyOf(ids).toArray();
		const personIds = [...new Set(faces.map((f) => f.personId).filter((p): p is string => !!p))];
		return {
			assets,
			jobs: await d.jobs.where('assetId').anyOf(ids).toArray(),
			failed: [],
			// Every id in the document names an asset in it: covers outside the set are dropped.
			albums: albums.map((a) => ({ ...a, coverAssetId: a.coverAssetId && inSet.has(a.coverAssetId) ? a.coverAssetId : null })),
			members,
			faces,
			people: (await d.people.bulkGet(personIds)).filter((p): p is Person => !!p),
			tags: (await Promise.all(ids.map((id) => d.tags.where('[assetId+label]').between([id, ''], [id, '\uffff']).toArray()))).flat(),
			texts: (await d.texts.bulkGet(ids)).filter((t): t is TextRow => !!t)
		};
	});
}

export async function exportLibrary(choice: string[] | 'all' = 'all'): Promise<LibraryExport> {
	return toExport(await libraryRows(choice), new Date());
}
