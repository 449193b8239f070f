import type { QueueName } from '../db/types';
import type { OutputAudioCodec, OutputVideoCodec } from '../../../worker/video/output-codecs';

/** Every setting with its type; defaults come from the device (see `defaultSettings`). */
export interface Settings {
	/** Size of the media worker pool. */
	workers: number;
	/** A job running longer than this ends its worker and is retried. */
	jobTimeoutS: number;
	/** Idle workers are ended after this. */
	workerIdleS: number;
	maxAttempts: number;
	thumbnailSize: number;
	thumbnailFormat: 'webp' | 'jpeg';
	previewSize: number;
	previewFormat: 'webp' | 'jpeg';
	quality: number;
	/** Images larger than this are refused before decoding (decompression bombs). */
	maxMegapixels: number;
	/** Machine learning as a whole; each ML queue also has its own switch. */
	mlEnabled: boolean;
	/** Per-feature switches, by queue name (absent = on). */
	mlQueues: Partial<Record<QueueName, boolean>>;
	/** Model size for faces. */
	faceTier: 'small' | 'large';
	mlProvider: 'auto' | 'wasm' | 'webgpu';
	/** WASM threads per inference session (only when the page is cross-origin isolated). */
	mlThreads: number;
	/** ML workers (each holds its own sessions). */
	mlWorkers: number;
	/** Sessions are unloaded after this long unused, to give memory back. */
	mlIdleUnloadS: number;
	faceMinScore: number;
	/** Cosine distance within which a face joins a person. */
	faceMaxDistance: number;
	/** Faces that must agree before a new person is formed. */
	faceMinFaces: number;
	/** CLIP model size for smart search. */
	clipTier: 'small' | 'large';
	/** Object tags below this detector score are not kept. */
	tagMinScore: number;
	/** How alike two photos must be to count as near-duplicates. */
	duplicateStrictness: 'strict' | 'normal' | 'loose';
	/** Which videos get a transcode: 'required' (only what this browser cannot play), 'optimal' (also
	 *  those taller than the target), 'all', or 'disabled'. */
	videoPolicy: VideoPolicy;
	/** Height of the transcode in pixels (never upscaled); 0 keeps the original size. */
	videoTargetHeight: 480 | 720 | 1080 | 0;
	videoCodec: OutputVideoCodec;
	/** What audio the browser cannot play in MP4 becomes (AAC, MP3 and Opus are kept as they are). */
	videoAudioCodec: OutputAudioCodec;
	/** x264 constant rate factor: lower is better and larger (VP9/AV1 get the same point of their scale). */
	videoCrf: number;
	videoPreset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
	/** Threads for the encoder (the multi-thread ffmpeg.wasm core, when the page is cross-origin isolated). */
	videoThreads: number;
	/** Transcoding engine: 'auto' (WebCodecs where it can, else ffmpeg.wasm) or one forced. */
	videoEngine: 'auto' | 'ffmpeg' | 'webcodecs';
	/** Transcodes run in their own pool, one worker per job. */
	videoWorkers: number;
}

export type VideoPolicy = 'required' | 'optimal' | 'all' | 'disabled';

export interface DeviceFacts {
	cores: number;
}

/** One less worker than cores keeps the page responsive; never fewer than one. */
export function defaultWorkers(cores: number): number {
	return Math.max(1, Math.floor(cores) - 1);
}

export function defaultSettings(device: DeviceFacts): Settings {
	const workers = defaultWorkers(device.cores);
	return {
		workers,
		jobTimeoutS: 120,
		workerIdleS: 30,
		maxAttempts: 3,
		thumbnailSize: 250,
		thumbnailFormat: 'webp',
		previewSize: 1440,
		previewFormat: 'jpeg',
		quality: 80,
		maxMegapixels: 100,
		mlEnabled: true,
		// Text in photos is off by default, as in the issue: it is the slowest feature.
		mlQueues: { ocr: false },
		faceTier: 'small',
		mlProvider: 'auto',
		// Measured here: for bulk indexing, more workers with one thread each beat one worker with
		// several threads; an interactive single image prefers threads.
		mlThreads: 1,
		mlWorkers: Math.max(1, Math.min(2, workers)),
		mlIdleUnloadS: 120,
		faceMinScore: 0.7,
		// Tuned on the shared faces corpus (docs/people.md): precision and recall 1.0 at 0.55–0.65.
		faceMaxDistance: 0.6,
		faceMinFaces: 3,
		clipTier: 'small',
		// Measured on the shared things photos (worker/ml/tags/pipeline.ts): 24/25 expected tags, 1 wrong.
		tagMinScore: 0.45,
		duplicateStrictness: 'strict',
		videoPolicy: 'required',
		videoTargetHeight: 720,
		videoCodec: 'h264',
		videoAudioCodec: 'aac',
		videoCrf: 23,
		videoPreset: 'ultrafast',
		videoThreads: workers,
		videoEngine: 'auto',
		videoWorkers: 1
	};
}

/** Whether an ML queue is switched on (ML on, and its own switch not turned off). */
export function mlQueueOn(s: Pick<Settings, 'mlEnabled' | 'mlQueues'>, queue: QueueName): boolean {
	return s.mlEnabled && s.mlQueues[queue] !== false;
}


/** Clamps a stored value to what the device allows (a library synced from a bigger machine). */
export function clampWorkers(n: number, cores: number): number {
	return Math.min(Math.max(1, Math.round(n)), Math.max(1, cores));
}
