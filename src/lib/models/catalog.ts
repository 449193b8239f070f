// The typed model catalog (models/catalog.json is the single source of truth; docs/models.md).
// Pure data + lookups: usable in the page, in workers and in Node (vitest).
import raw from '../../../models/catalog.json';

export const MODEL_TASKS = ['faceDetection', 'faceEmbedding', 'clipImage', 'clipText', 'objectTags', 'ocrDetect', 'ocrRecognise', 'ocrAngle'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];
export const MODEL_TIERS = ['small', 'large'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

/** One file of a model. `name` is its path under the models folder (/models/<name>, OPFS models/<name>). */
export interface CatalogFile {
	name: string;
	/** Exact size, or null where unknown (unverified entries). */
	bytes: number | null;
	/** Lower-case hex sha256, or null where unknown: then only the size (if known) is checked. */
	sha256: string | null;
	/** Public URLs, tried in order after the app's own origin. */
	urls: string[];
}

/**
 * What the code reads to run the model. Common keys are typed; decoders may carry more
 * (see models/catalog.json for each entry's exact spec).
 */
export interface ModelSpec {
	/** yunet | scrfd | mobilefacenet | yolox | ppocr-det | ppocr-rec | ppocr-cls | clip-image | clip-text */
	decoder: string;
	input: string;
	layout: 'NCHW' | 'NHWC' | 'NL';
	size?: {
		dynamic: boolean;
		width?: number;
		height?: number;
		/** Dynamic inputs: the longer side is scaled to at most this. */
		maxSide?: number;
		multipleOf?: number;
		widthMultipleOf?: number;
		keepAspect?: boolean;
		pad?: string;
	};
	colour?: 'RGB' | 'BGR';
	/** value = (pixel · scale − mean) / std, per channel in `colour` order. */
	scale?: number;
	mean?: number[];
	std?: number[];
	outputs: Record<string, string | string[]>;
	[key: string]: unknown;
}

export interface CatalogEntry {
	id: string;
	task: ModelTask;
	tier: ModelTier;
	name: string;
	licence: string;
	/** Shown beside the licence where it matters (non-commercial weights, unknown origin, unverified files). */
	licenceNote?: string;
	/** false: some file has no sha256 (and maybe no size) in the catalog; it is checked by size only, if known. */
	verified: boolean;
	/** Where the files come from, as owner/repo@commit:path or npm package@version:path. */
	source?: string;
	files: CatalogFile[];
	spec: ModelSpec;
}

export interface Catalog {
	version: number;
	models: CatalogEntry[];
}

export const catalog: Catalog = raw as unknown as Catalog;
export const models: readonly CatalogEntry[] = catalog.models;

export function modelById(id: string): CatalogEntry | undefined {
	return models.find((m) => m.id === id);
}

/**
 * The entries that serve `task` at `tier`. A task with no entry of that tier uses the other
 * tier's (MobileFaceNet serves both face tiers; OCR and tags have one tier).
 */
export function modelsFor(task: ModelTask, tier: ModelTier): CatalogEntry[] {
	const forTask = models.filter((m) => m.task === task);
	const exact = forTask.filter((m) => m.tier === tier);
	return exact.length ? exact : forTask;
}

/** The first entry for task + tier (see modelsFor), or undefined where the catalog has none. */
export function modelFor(task: ModelTask, tier: ModelTier): CatalogEntry | undefined {
	return modelsFor(task, tier)[0];
}

/** Total bytes of an entry's files, or null when any size is unknown. */
export function entryBytes(entry: CatalogEntry): number | null {
	let sum = 0;
	for (const f of entry.files) {
		if (f.bytes == null) return null;
		sum += f.bytes;
	}
	return sum;
}
