// The workers' reads and writes of library storage (OPFS), failing with words a person can act on.
import { originalPath, readBlob, storageErrorMessage, writeBlob } from '../../src/lib/blobs/store';
import { MediaError } from './errors';

/** An asset's original; a missing one is a permanent, readable failure. */
export async function originalFile(checksum: string): Promise<File> {
	const file = await readBlob(originalPath(checksum));
	if (!file) throw new MediaError('The original file is missing from the library storage.', true);
	return file;
}

/** A full disk is worth retrying later (space may be freed), in words a person understands; other errors pass as they are. */
export function storageFailure(err: unknown): unknown {
	const full = storageErrorMessage(err);
	return full ? new MediaError(full, false) : err;
}

/** Writes a derived file (thumbnail, preview, transcode). */
export async function storeDerived(path: string[], data: Blob | BufferSource): Promise<void> {
	try {
		await writeBlob(path, data);
	} catch (err) {
		throw storageFailure(err);
	}
}
