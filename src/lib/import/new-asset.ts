import type { IngestResult } from '../../../worker/shared/api';
import type { Asset } from '../db/types';
import { resolveTakenAt } from '../../../worker/media/dates';

/** The first row of a freshly stored file; the metadata job fills in the rest. */
export function newAsset(file: File, r: Extract<IngestResult, { ok: true }>, now = Date.now()): Asset {
	const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath || '';
	const fileModifiedAt = file.lastModified || now;
	const taken = resolveTakenAt({ dateTaken: null, dateTakenOffset: null }, fileModifiedAt, -new Date(fileModifiedAt).getTimezoneOffset());
	return {
		id: crypto.randomUUID(),
		checksum: r.checksum,
		originalName: file.name,
		relativePath: relative ? relative.slice(0, relative.length - file.name.length - 1) || null : null,
		type: r.sniffed.type,
		mime: r.sniffed.mime,
		bytes: r.bytes,
		fileModifiedAt,
		importedAt: now,
		...taken,
		width: null,
		height: null,
		orientation: null,
		make: null,
		model: null,
		lens: null,
		exposureTime: null,
		fNumber: null,
		iso: null,
		focalLength: null,
		gps: null,
		thumbhash: null,
		derivatives: {},
		warnings: [],
		state: 'timeline',
		favorite: 0,
		trashedAt: null
	};
}
