// Row shapes stored in IndexedDB. Pure types: shared by the UI, the job layer and the workers.

export type AssetType = 'image' | 'video';

export interface Gps {
	lat: number;
	lon: number;
}

/** What the metadataExtraction job finds in a file. Every field may be absent in a real file. */
export interface ExtractedMetadata {
	/** Pixel size as displayed: EXIF orientation applied (HEIF: its own transforms only). */
	width: number | null;
	height: number | null;
	orientation: number | null;
	/** Local wall-clock time `YYYY-MM-DDTHH:MM:SS` from DateTimeOriginal, or null when absent. */
	dateTaken: string | null;
	/** `+HH:MM` from OffsetTimeOriginal, or null. */
	dateTakenOffset: string | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	exposureTime: string | null;
	fNumber: number | null;
	iso: number | null;
	focalLength: number | null;
	gps: Gps | null;
	/** Set when the EXIF block could not be read: the asset still imports. */
	exifWarning: string | null;
}

export interface Asset {
	id: string;
	/** SHA-1 of the original's bytes, lowercase hex. */
	checksum: string;
	originalName: string;
	/** Folder path within a picked folder, when imported from one. */
	relativePath: string | null;
	type: AssetType;
	mime: string;
	bytes: number;
	/** The file's own last-modified time (ms since epoch): the fallback for the date taken. */
	fileModifiedAt: number;
	/** When this asset was imported (ms since epoch). */
	importedAt: number;
	/** Sort key for the timeline: local wall-clock `YYYY-MM-DDTHH:MM:SS`. */
	takenAt: string;
	takenAtOffset: string | null;
	takenAtSource: 'exif' | 'file';
	width: number | null;
	height: number | null;
	orientation: number | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	exposureTime: string | null;
	fNumber: number | null;
	iso: number | null;
	focalLength: number | null;
	gps: Gps | null;
	/** Base64 thumbhash placeholder, once thumbnails are made. */
	thumbhash: string | null;
	/** Which derivatives exist in the blob store. */
	derivatives: { thumbnail?: string; preview?: string; transcode?: string };
	/** Non-fatal notes a person may want to see (e.g. unreadable EXIF). */
	warnings: string[];
	/** Where the asset shows: the timeline, the archive (hidden from the timeline) or the trash. */
	state: AssetState;
	/** 1 for a favorite (a number so that IndexedDB can index it). */
	favorite: 0 | 1;
	/** When it went to the trash (ms), for the 30-day purge; null outside the trash. */
	trashedAt: number | null;
	// ---- videos (set by metadataExtraction; absent or null for images and until probed) ----
	/** Seconds. */
	durationS?: number | null;
	/** ffprobe-style names: h264, hevc, vp9, av1, mjpeg …; audioCodec null when there is no audio. */
	videoCodec?: string | null;
	videoProfile?: string | null;
	/** yuv420p, yuv420p10le … */
	pixelFormat?: string | null;
	/** 'pq' | 'hlg' for an HDR picture (its transfer function), null for SDR. */
	hdr?: 'pq' | 'hlg' | null;
	/** Colour description, ffprobe's names (bt2020 / smpte2084 / bt2020nc …); null when the file does not say. */
	colorPrimaries?: string | null;
	colorTransfer?: string | null;
	colorMatrix?: string | null;
	audioCodec?: string | null;
	/** Degrees clockwise the track matrix turns the stored frames (width/height are displayed). */
	rotation?: number | null;
	fps?: number | null;
	container?: string | null;
	/** Whether this browser plays the original as it is (decided at probe time); null until known. */
	playable?: boolean | null;
	/** Why it cannot, in words for the viewer ("HEVC", "H.264 High 10"). */
	playableReason?: string | null;
	/** When the transcode at derivatives.transcode was made (ms); absent until videoConversion made one. */
	transcodedAt?: number | null;
	/** Which engine made that transcode (WebCodecs, or ffmpeg.wasm's multi- or single-thread core). */
	transcodeEngine?: 'webcodecs' | 'ffmpeg-mt' | 'ffmpeg-st' | null;
	/** The transcode's video codec (the setting, or H.264 where ffmpeg.wasm made it). */
	transcodeCodec?: 'h264' | 'vp9' | 'av1' | null;
	// ---- search (set by their jobs; absent until then) ----
	/** Nearest city to the GPS position (offline reverse geocoding); null when there is no GPS or no city near. */
	place?: Place | null;
	/** 64-bit perceptual hash (dHash of the thumbnail) as 16 hex digits, for near-duplicates without CLIP. */
	phash?: string | null;
	/** Near-duplicates by CLIP embedding among assets embedded before it (smartSearch), closest first. */
	nearDuplicates?: NearDuplicate[];
}

/** Another asset whose CLIP embedding is within the loosest duplicate distance (src/lib/search/duplicates.ts). */
export interface NearDuplicate {
	assetId: string;
	/** Cosine similarity of the two embeddings. */
	score: number;
}

/** A GeoNames-derived place name. */
export interface Place {
	city: string;
	/** First-level division (state, region, province) or null where the dataset has none. */
	region: string | null;
	country: string;
	/** ISO 3166-1 alpha-2. */
	countryCode: string;
}

/** A CLIP image embedding of an asset (smartSearch). One row per asset and model. */
export interface EmbeddingRow {
	assetId: string;
	/** Catalog id of the image encoder that made it. */
	model: string;
	/** L2-normalised. */
	vector: Float32Array;
	createdAt: number;
}

/** A thing found in an asset (objectTagging): one row per asset and label, its best detection. */
export interface TagRow {
	assetId: string;
	/** COCO class name ("dog", "dining table"). */
	label: string;
	score: number;
	/** [x, y, w, h] normalised 0–1 in the displayed image. */
	box: [number, number, number, number];
	model: string;
}

/** One recognised line of text. */
export interface TextLine {
	text: string;
	/** Axis-aligned [x, y, w, h] normalised 0–1 in the displayed image. */
	box: [number, number, number, number];
	score: number;
}

/** Text found in an asset (ocr). */
export interface TextRow {
	assetId: string;
	/** The lines joined with newlines, in reading order. */
	text: string;
	lines: TextLine[];
	/** Lower-cased words of `text`, indexed for search. */
	words: string[];
	model: string;
}

export type AssetState = 'timeline' | 'archive' | 'trash';

export interface Album {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	/** Chosen cover; null means the newest photo in the album. */
	coverAssetId: string | null;
}

/** Album membership: one row per (album, asset), so big albums never rewrite one huge row. */
export interface AlbumAsset {
	albumId: string;
	assetId: string;
	addedAt: number;
}

export const QUEUE_NAMES = [
	'metadataExtraction',
	'thumbnailGeneration',
	'faceDetection',
	'facialRecognition',
	'smartSearch',
	'objectTagging',
	'ocr',
	'duplicateDetection',
	'videoConversion'
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export type JobStatus = 'waiting' | 'active' | 'done' | 'failed' | 'skipped';

/** One item of one queue. Primary key [queue+assetId]: an asset is in a queue at most once. */
export interface JobRow {
	queue: QueueName;
	assetId: string;
	status: JobStatus;
	attempts: number;
	/** Earliest time (ms) a waiting job may start again: the retry back-off. */
	notBefore: number;
	enqueuedAt: number;
	updatedAt: number;
	error: string | null;
}

/** Per-queue switches a person sets on the jobs page. */
export interface QueueState {
	queue: QueueName;
	paused: boolean;
	concurrency: number;
}

/** A file that never became an asset, with a reason a person understands. */
export interface FailedImport {
	id?: number;
	name: string;
	reason: string;
	at: number;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

/** The timeline's months and days with their counts, newest first (see src/lib/timeline/buckets.ts). */
export interface TimelineSummary {
	key: 'timeline';
	months: Array<{ key: string; count: number; days: Array<{ key: string; count: number }> }>;
	total: number;
	computedAt: number;
}

/** A face found in an asset (faceDetection), assigned to a person by facialRecognition. */
export interface Face {
	id: string;
	assetId: string;
	/** [x, y, w, h], normalised 0–1 in the displayed image. */
	box: [number, number, number, number];
	/** 5 points (eyes, nose, mouth corners) as 10 numbers, normalised 0–1. */
	landmarks: number[];
	score: number;
	/** L2-normalised embedding. */
	embedding: Float32Array;
	/** Which detector and embedder made it (catalog ids), so a model change can redo it. */
	model: string;
	/** Face crop in OPFS (derived/<assetId>/face-<id>.jpg; .webp before session 10). */
	cropPath: string | null;
	personId: string | null;
	/** 'user' when a person assigned or removed it by hand: clustering never overrides that. */
	assignedBy: 'auto' | 'user' | null;
	createdAt: number;
}

export interface Person {
	id: string;
	name: string | null;
	hidden: 0 | 1;
	coverFaceId: string | null;
	createdAt: number;
	updatedAt: number;
}
