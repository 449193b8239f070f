// Intake worker: reads each picked file exactly once, hashing it and copying it into OPFS together,
// so that a large video is never held in memory whole.
import * as Comlink from 'comlink';
import { createSHA1 } from 'hash-wasm';
import { fileHandle, originalPath, readBlob, removeBlob, storageErrorMessage } from '../../src/lib/blobs/store';
import type { ImportApi, IngestResult } from '../shared/api';
import { messageOf } from '../shared/errors';
import { assertPixelLimit, sniff } from '../media/sniff';

const HEAD_BYTES = 1 << 20;

async function ingest(file: File, maxPixels: number): Promise<IngestResult> {
	const tmp = ['tmp', `${crypto.randomUUID()}.part`];
	try {
		const sniffed = await sniff(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()));
		if (sniffed.type === 'image' && sniffed.width && sniffed.height) assertPixelLimit(sniffed.width, sniffed.height, maxPixels);

		const hasher = await createSHA1();
		const access = await (await fileHandle(tmp, true)).createSyncAccessHandle();
		let at = 0;
		try {
			const reader = file.stream().getReader();
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				hasher.update(value);
				at += access.write(value, { at });
			}
			access.flush();
		} finally {
			access.close();
		}
		if (at !== file.size) throw new Error(`Only ${at} of ${file.size} bytes could be read from the file.`);

		const checksum = hasher.digest('hex');
		const dest = originalPath(checksum);
		const alreadyStored = (await readBlob(dest))?.size === file.size;
		if (alreadyStored) await removeBlob(tmp);
		else {
			const handle = await fileHandle(tmp, false);
			const destDir = await dirOf(dest);
			await (handle as FileSystemFileHandle & { move(d: FileSystemDirectoryHandle, name: string): Promise<void> }).move(destDir, dest[dest.length - 1]);
		}
		return { ok: true, checksum, bytes: file.size, sniffed, alreadyStored };
	} catch (err) {
		await removeBlob(tmp).catch(() => {});
		return { ok: false, reason: storageErrorMessage(err) ?? readableReadError(err) };
	}
}

async function dirOf(path: string[]): Promise<FileSystemDirectoryHandle> {
	let d = await navigator.storage.getDirectory();
	for (const part of path.slice(0, -1)) d = await d.getDirectoryHandle(part, { create: true });
	return d;
}

function readableReadError(err: unknown): string {
	if (err instanceof DOMException && err.name === 'NotReadableError')
		return 'The file could not be read (it may have been moved, or access to it was lost).';
	return messageOf(err);
}

/** Removes partial copies left by an import that a closed tab interrupted. */
async function sweepTemporary(olderThanMs: number): Promise<number> {
	let removed = 0;
	try {
		const tmpDir = await (await navigator.storage.getDirectory()).getDirectoryHandle('tmp');
		for await (const [name, handle] of tmpDir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
			if (handle.kind !== 'file') continue;
			const f = await (handle as FileSystemFileHandle).getFile();
			if (Date.now() - f.lastModified > olderThanMs) {
				await tmpDir.removeEntry(name);
				removed++;
			}
		}
	} catch (err) {
		if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
	}
	return removed;
}

const api: ImportApi = { ingest, sweepTemporary };
Comlink.expose(api);
