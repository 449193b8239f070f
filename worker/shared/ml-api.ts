// The ML worker's typed API (worker/ml/ml.worker.ts), as the page sees it through comlink.
//
//   const worker = new Worker(new URL('../../worker/ml/ml.worker.ts', import.meta.url), { type: 'module' });
//   const ml = Comlink.wrap<MlApi>(worker);
//   await ml.configure({ idleUnloadS: 120 });                  // optional
//   const r = await ml.detectFaces(asset.derivatives.preview!.split('/'), { tier: 'small', minScore: 0.7, provider: 'auto', threads: 2 });
//   r.faces[0].box  // [x, y, w, h] normalised 0–1 in the displayed image (the preview's orientation)
//
// The worker reads the preview itself from OPFS (no pixels cross the bridge), creates its
// onnxruntime-web sessions once (model bytes through src/lib/models/store.ts: OPFS cache → the app's
// /models/ → public URLs) and keeps them until unload(), a different tier/provider, or idleUnloadS
// seconds without a call (default 300; 0 = never).

export type FaceTier = 'small' | 'large';
/** 'auto': WebGPU where a real (non-fallback) adapter exists and it measured faster on this device; WASM otherwise. */
export type MlProvider = 'auto' | 'wasm' | 'webgpu';

/** How any model runs: its provider, WASM threads and the idle unload. */
export interface MlRunOptions {
	provider: MlProvider;
	/**
	 * WASM threads per session. Used only when the page is cross-origin isolated; fixed for the
	 * worker's life at its first session (onnxruntime-web initialises its WASM once): to change it,
	 * end the worker and start a new one.
	 */
	threads: number;
	/** Same as configure({ idleUnloadS }) when given. */
	idleUnloadS?: number;
}

export interface FaceOptions extends MlRunOptions {
	tier: FaceTier;
	/** Detector score threshold, 0–1 (the app's default is 0.7). */
	minScore: number;
}

export interface TagOptions extends MlRunOptions {
	/** Tags below this detector score are dropped. */
	minScore: number;
}

export interface ClipOptions extends MlRunOptions {
	/** CLIP model size (catalog tier of clipImage / clipText). */
	tier: 'small' | 'large';
}

/** A preview's CLIP image embedding. */
export interface EmbedResult {
	/** L2-normalised. */
	vector: Float32Array;
	/** Catalog id of the image encoder (embeddings of different models never mix). */
	model: string;
	provider: string;
	timings: Record<string, number>;
}

/** Text read in a preview (PP-OCR). */
export interface TextResult {
	/** Lines in reading order (rows joined by spaces, rows by newlines). */
	text: string;
	lines: Array<{ text: string; box: [number, number, number, number]; score: number }>;
	timings: Record<string, number>;
	provider: string;
	model: string;
}

/** Things found in a preview: one entry per label (its best box). */
export interface TagResult {
	tags: Array<{ label: string; score: number; box: [number, number, number, number] }>;
	timings: Record<string, number>;
	provider: string;
	model: string;
}

export interface MlConfig {
	/** Sessions are released after this many seconds without a call; 0 keeps them. Default 300. */
	idleUnloadS: number;
}

export interface DetectedFace {
	/** x, y, w, h normalised 0–1 in the displayed image. */
	box: [number, number, number, number];
	/** 5 points (eyes, nose tip, mouth corners) × (x, y), normalised 0–1. */
	landmarks: number[];
	score: number;
	/** L2-normalised (128-d for MobileFaceNet); compare by dot product. */
	embedding: Float32Array;
	/** WebP face thumbnail, square, FACE_CROP_SIZE px (smaller when the face is smaller). */
	crop: Blob;
}

export interface FaceResult {
	/** Size of the preview the faces were found in (displayed orientation). */
	width: number;
	height: number;
	faces: DetectedFace[];
	/** Milliseconds per step: read, decode, resize, detect, decode, align, embed, crop, total (+ load when sessions were created). */
	timings: Record<string, number>;
	/** What ran the models: 'wasm' | 'webgpu' (detector and embedder may differ: 'webgpu+wasm'). */
	provider: string;
	/** Catalog ids of the detector and the embedder (store them with the faces). */
	model: string;
}

export interface MlStatus {
	loaded: string[];
	/** Provider decided per model id (by 'auto' measurement or forced). */
	providers: Record<string, string>;
	crossOriginIsolated: boolean;
	threads: number;
	webgpu: 'none' | 'fallback' | 'hardware';
}

export interface MlApi {
	detectFaces(previewPath: string[], opts: FaceOptions): Promise<FaceResult>;
	tagObjects(previewPath: string[], opts: TagOptions): Promise<TagResult>;
	embedImage(previewPath: string[], opts: ClipOptions): Promise<EmbedResult>;
	readText(previewPath: string[], opts: MlRunOptions): Promise<TextResult>;
	/** A search query's CLIP text embedding (L2-normalised), comparable with embedImage's of the same tier. */
	embedText(text: string, opts: ClipOptions): Promise<Float32Array>;
	/** Creates the tier's sessions now (first call ~1–2 s); resolves to the provider used. */
	warm(tier: FaceTier, opts?: Partial<FaceOptions>): Promise<string>;
	/** Releases every session (memory back); the next call creates them again. */
	unload(): Promise<void>;
	configure(config: Partial<MlConfig>): Promise<void>;
	status(): Promise<MlStatus>;
}

export const FACE_CROP_SIZE = 160;
export const DEFAULT_IDLE_UNLOAD_S = 300;
