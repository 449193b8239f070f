// The OPFS blob store. Originals live by content hash, derivatives by asset id:
//   originals/<aa>/<sha1>          (aa = first two hex digits, to keep folders small)
//   derived/<assetId>/<kind>.<ext>
// Works in the page and in workers (both have navigator.storage.getDirectory).

export type DerivativeKind = 'thumbnail' | 'preview' | 'transcode';

/** How deep each top folder is shared by many files and never removed while the app runs. */
const LASTING_DEPTH: Record<string, number> = { originals: 2, derived: 1 };
/** Handles of those lasting folders: every step down is a round trip to the browser process. */
const lasting = new Map<string, Promise<FileSystemDirectoryHandle>>();

function cached(key: string, open: () => Promise<FileSystemDirectoryHandle>): Promise<FileSystemDirectoryHandle> {
	let p = lasting.get(key);
	if (!p) {
		p = open();
		lasting.set(key, p);
		p.catch(() => lasting.delete(key));
	}
	return p;
}

async function dir(path: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
	let d = await cached('', () => navigator.storage.getDirectory());
	for (const [i, part] of path.entries()) {
		const parent = d;
		const open = () => parent.getDirectoryHandle(part, { create });
		// A failed lookup is forgotten at once; lookups with and without `create` are kept apart so
		// that a read that finds nothing never fails a concurrent write.
		d = i < (LASTING_DEPTH[path[0]] ?? 0) ? await cached(path.slice(0, i + 1).join('/') + (create ? '' : '?'), open) : await open();
	}
	return d;
}

export function originalPath(checksum: string): string[] {
	return ['originals', checksum.slice(0, 2), checksum];
}

export function derivativePath(assetId: string, kind: DerivativeKind, ext: string): string[] {
	return ['derived', assetId, `${kind}.${ext}`];
}

/** A stored file, or null when it is not there. */
export async function readBlob(path: string[]): Promise<File | null> {
	try {
		const d = await dir(path.slice(0, -1), false);
		return await (await d.getFileHandle(path[path.length - 1])).getFile();
	} catch (err) {
		if (err instanceof DOMException && (err.name === 'NotFoundError' || err.name === 'TypeMismatchError')) return null;
		throw err;
	}
}

export async function fileHandle(path: string[], create: boolean): Promise<FileSystemFileHandle> {
	const d = await dir(path.slice(0, -1), create);
	return d.getFileHandle(path[path.length - 1], { create });
}

/** Writes bytes atomically enough for us: a crash mid-write leaves an orphan, never a row without bytes. */
export async function writeBlob(path: string[], data: Blob | BufferSource): Promise<void> {
	const handle = await fileHandle(path, true);
	const w = await handle.createWritable();
	try {
		await w.write(data);
		await w.close();
	} catch (err) {
		await w.abort().catch(() => {});
		throw err;
	}
}

export async function removeBlob(path: string[]): Promise<void> {
	try {
		const d = await dir(path.slice(0, -1), false);
		await d.removeEntry(path[path.length - 1], { recursive: true });
	} catch (err) {
		if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
	}
}

/** Readable message for storage failures; a full quota is the one a person can act on. */
export function storageErrorMessage(err: unknown): string | null {
	// OPFS throws a DOMException; Dexie wraps IndexedDB's in its own error of the same name.
	const name = (err as { name?: string } | null)?.name;
	if (name === 'QuotaExceededError' || (err as { inner?: { name?: string } } | null)?.inner?.name === 'QuotaExceededError') {
		return 'Storage is full: the browser refused to store more for Shoebox. Free space or delete items, then import again.';
	}
	return null;
}
