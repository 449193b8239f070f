// The typed APIs the workers expose through comlink. The page only ever sees these signatures.
import type { AssetType, ExtractedMetadata } from '../../src/lib/db/types';

/** What the content of a file is, read from its first bytes (never from its name). */
export interface Sniffed {
	type: AssetType;
	mime: string;
	/** Short format name: jpeg, png, webp, gif, avif, heic, mp4, mov, webm, avi, mkv … */
	format: string;
	/** Stored pixel size from the header, when the header says it (no decoding). */
	width: number | null;
	height: number | null;
}

export interface ThumbnailSettings {
	thumbnailSize: number;
	thumbnailFormat: 'webp' | 'jpeg';
	previewSize: number;
	previewFormat: 'webp' | 'jpeg';
	quality: number;
	maxPixels: number;
}

export interface ThumbnailResult {
	thumbhash: string;
	thumbnail: string;
	preview: string;
	/** Displayed size of the decoded image (orientation applied). */
	width: number;
	height: number;
}

export interface MediaApi {
	extractMetadata(checksum: string): Promise<ExtractedMetadata & { sniffed: Sniffed }>;
	makeThumbnails(assetId: string, checksum: string, settings: ThumbnailSettings): Promise<ThumbnailResult>;
}

export type IngestResult =
	| { ok: true; checksum: string; bytes: number; sniffed: Sniffed; alreadyStored: boolean }
	| { ok: false; reason: string };

export interface ImportApi {
	/**
	 * Streams the file once: SHA-1 and an OPFS copy at the same time; the original lands by checksum.
	 * Images whose header declares more than `maxPixels` are refused before any copy is made.
	 */
	ingest(file: File, maxPixels: number): Promise<IngestResult>;
	/** Removes partial copies older than the given age (left by a tab closed mid-import). */
	sweepTemporary(olderThanMs: number): Promise<number>;
}
