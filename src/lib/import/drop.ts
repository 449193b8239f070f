// Files from a drag and drop, walking into dropped folders (FileSystemEntry API).

async function* walk(entry: FileSystemEntry): AsyncGenerator<File> {
	if (entry.isFile) {
		yield await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
		return;
	}
	if (!entry.isDirectory) return;
	const reader = (entry as FileSystemDirectoryEntry).createReader();
	// readEntries returns the listing in batches until it returns an empty one.
	for (;;) {
		const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
		if (batch.length === 0) break;
		for (const child of batch) yield* walk(child);
	}
}

export async function filesFromDrop(dt: DataTransfer): Promise<File[]> {
	const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
	if (entries.length === 0) return [...dt.files];
	const files: File[] = [];
	for (const e of entries) for await (const f of walk(e)) files.push(f);
	return files;
}

/** Hidden files and OS clutter that a folder pick brings along. */
export function isClutter(f: File): boolean {
	return f.name.startsWith('.') || f.name === 'Thumbs.db' || f.name === 'desktop.ini';
}
