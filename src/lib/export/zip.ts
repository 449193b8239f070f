// Download originals as a zip, streamed from OPFS to disk: the archive is never in memory.
//
//   originals (OPFS Files, read in chunks) ─► client-zip (stored, no compression; ZIP64 when big)
//        ─► a file the person picked (showSaveFilePicker), or a temporary OPFS file that the
//           browser then downloads through an object URL (an OPFS File is disk-backed).
//
// The zip holds each original under its imported name (sanitised, de-duplicated) and, last,
// `library.json`: the same document as the metadata export, restricted to the assets in the zip
// (docs/export.md), with each asset's entry name in `file`.
import { makeZip } from 'client-zip';
import { libraryRows, toExport, type ExportedAsset, type LibraryExport } from '../db/export';
import type { Asset } from '../db/types';
import { originalPath, readBlob } from '../blobs/store';
import { NameDeduper } from './names';

export const LIBRARY_ENTRY = 'library.json';
const EXPORT_DIR = 'exports';
/** Temporary zips older than this are removed (the browser has long finished copying them). */
export const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

export interface ZipProgress {
	files: number;
	totalFiles: number;
	bytes: number;
	/** Approximate: the originals' sizes (entry headers and library.json come on top). */
	totalBytes: number;
}

export interface ZipResult {
	files: number;
	bytes: number;
	/** Assets whose original was not found in storage (left out of the zip and of library.json). */
	missing: string[];
	/** How the archive reached the disk. */
	via: 'picker' | 'download' | 'memory';
}

export type ZippedAsset = ExportedAsset & { file: string };
export type ZipLibrary = Omit<LibraryExport, 'assets'> & { assets: ZippedAsset[] };

/** The rows of the chosen assets (all of them for `'all'`), in export order, and their library.json. */
export async function zipContents(choice: string[] | 'all'): Promise<{ assets: Asset[]; doc: LibraryExport }> {
	const rows = await libraryRows(choice);
	return { assets: rows.assets, doc: toExport(rows, new Date()) };
}

// ---- where the bytes go -------------------------------------------------------------------

interface SaveFilePickerWindow {
	showSaveFilePicker?: (opts: {
		suggestedName?: string;
		types?: Array<{ description: string; accept: Record<string, string[]> }>;
	}) => Promise<FileSystemFileHandle>;
}

/** A place to write the zip to, chosen before any slow work (the picker needs the click's activation). */
export interface ZipTarget {
	via: ZipResult['via'];
	writable: WritableStream<Uint8Array>;
	/** After the stream closed: hands the file to the person (the download, for the fallback). */
	finish(): Promise<void>;
}

/**
 * Asks where to save (Chromium desktop), else prepares a temporary OPFS file. Resolves null when the
 * person cancels the picker. Call it first thing in a click handler.
 */
export async function chooseTarget(filename: string): Promise<ZipTarget | null> {
	const w = window as unknown as SaveFilePickerWindow;
	if (typeof w.showSaveFilePicker === 'function') {
		let handle: FileSystemFileHandle;
		try {
			handle = await w.showSaveFilePicker({ suggestedName: filename, types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }] });
		} catch (err) {
			if ((err as { name?: string })?.name === 'AbortError') return null;
			// SecurityError (no activation, cross-origin frame …): fall back to the download.
			return tempTarget(filename);
		}
		return { via: 'picker', writable: await handle.createWritable(), finish: async () => {} };
	}
	return tempTarget(filename);
}

async function exportDir(): Promise<FileSystemDirectoryHandle> {
	return (await navigator.storage.getDirectory()).getDirectoryHandle(EXPORT_DIR, { create: true });
}

async function tempTarget(filename: string): Promise<ZipTarget> {
	await sweepExportTemp().catch(() => {});
	const dir = await exportDir();
	const tempName = `${Date.now()}-${crypto.randomUUID()}.zip`;
	const handle = await dir.getFileHandle(tempName, { create: true });
	if (typeof handle.createWritable !== 'function') return memoryTarget(filename, () => dir.removeEntry(tempName).catch(() => {}));
	const writable = await handle.createWritable();
	return {
		via: 'download',
		writable,
		finish: async () => {
			// A File from OPFS is backed by the file on disk: the download reads it from there. The
			// file stays until a later sweep, since deleting it now would cut a slow download short.
			triggerDownload(await handle.getFile(), filename);
		}
	};
}

/** Last resort (no createWritable, e.g. older Safari): a Blob the browser may keep on disk itself. */
function memoryTarget(filename: string, cleanup: () => Promise<unknown>): ZipTarget {
	const parts: Blob[] = [];
	return {
		via: 'memory',
		writable: new WritableStream<Uint8Array>({ write: (chunk) => void parts.push(new Blob([chunk as BlobPart])) }),
		finish: async () => {
			await cleanup();
			triggerDownload(new Blob(parts, { type: 'application/zip' }), filename);
		}
	};
}

function triggerDownload(file: Blob, filename: string) {
	const url = URL.createObjectURL(file);
	const a = Object.assign(document.createElement('a'), { href: url, download: filename, rel: 'noopener' });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Removes temporary zips left by earlier downloads (older than `maxAgeMs`). */
export async function sweepExportTemp(maxAgeMs = TEMP_MAX_AGE_MS, now = Date.now()): Promise<number> {
	let dir: FileSystemDirectoryHandle;
	try {
		dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(EXPORT_DIR);
	} catch {
		return 0;
	}
	let removed = 0;
	const names: string[] = [];
	for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
	for (const name of names) {
		try {
			const f = await (await dir.getFileHandle(name)).getFile();
			if (now - f.lastModified < maxAgeMs) continue;
			await dir.removeEntry(name);
			removed++;
		} catch {
			// in use by a writer, or already gone
		}
	}
	return removed;
}

// ---- the archive --------------------------------------------------------------------------

export interface ZipOptions {
	signal?: AbortSignal;
	onProgress?: (p: ZipProgress) => void;
}

/** Streams the chosen originals and library.json into `target`. */
export async function writeZip(choice: string[] | 'all', target: ZipTarget, { signal, onProgress }: ZipOptions = {}): Promise<ZipResult> {
	const { assets, doc } = await zipContents(choice);
	const progress: ZipProgress = { files: 0, totalFiles: assets.length, bytes: 0, totalBytes: assets.reduce((s, a) => s + a.bytes, 0) };
	onProgress?.({ ...progress });
	const names = new NameDeduper([LIBRARY_ENTRY]);
	const written = new Map<string, string>();
	const missing: string[] = [];

	async function* entries() {
		for (const a of assets) {
			signal?.throwIfAborted();
			const file = await readBlob(originalPath(a.checksum));
			if (!file) {
				missing.push(a.id);
				continue;
			}
			const name = names.next(a.originalName);
			written.set(a.id, name);
			progress.files++;
			yield { name, input: file, size: file.size, lastModified: new Date(a.fileModifiedAt || a.importedAt) };
		}
		// Last, so that it describes exactly what went in.
		const lib: ZipLibrary = {
			...doc,
			assets: doc.assets.filter((a) => written.has(a.id)).map((a) => ({ ...a, file: written.get(a.id)! })),
			albums: doc.albums.map((al) => ({ ...al, assetIds: al.assetIds.filter((id) => written.has(id)) })),
			faces: doc.faces.filter((f) => written.has(f.assetId)),
			tags: doc.tags.filter((t) => written.has(t.assetId)),
			text: doc.text.filter((t) => written.has(t.assetId))
		};
		yield { name: LIBRARY_ENTRY, input: new TextEncoder().encode(JSON.stringify(lib, null, 2)), lastModified: new Date() };
	}

	let last = 0;
	const counter = new TransformStream<Uint8Array, Uint8Array>({
		transform(chunk, ctl) {
			progress.bytes += chunk.byteLength;
			const t = performance.now();
			if (t - last > 150) {
				last = t;
				onProgress?.({ ...progress });
			}
			ctl.enqueue(chunk);
		}
	});
	await makeZip(entries(), { buffersAreUTF8: true }).pipeThrough(counter).pipeTo(target.writable, { signal });
	onProgress?.({ ...progress });
	await target.finish();
	return { files: written.size, bytes: progress.bytes, missing, via: target.via };
}

/** A file name for the archive: `shoebox-2026-11-25.zip`, `shoebox-3-items-2026-11-25.zip`. */
export function zipFilename(count: number | 'all', now = new Date()): string {
	const day = now.toISOString().slice(0, 10);
	return count === 'all' ? `shoebox-library-${day}.zip` : `shoebox-${count}-item${count === 1 ? '' : 's'}-${day}.zip`;
}
