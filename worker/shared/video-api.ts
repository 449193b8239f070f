// The transcode worker's API (worker/video/transcode.worker.ts), through comlink.
import type { OutputAudioCodec, OutputVideoCodec } from '../video/output-codecs';

export interface TranscodeOptions {
	/** Displayed size of the output (rotation applied, even numbers). */
	width: number;
	height: number;
	crf: number;
	preset: string;
	/** Encoder threads; the multi-thread core is used only when the page is cross-origin isolated. */
	threads: number;
	/** The original's audio codec (null: no audio); see worker/video/output-codecs.ts for what is copied. */
	audioCodec: string | null;
	videoCodec: OutputVideoCodec;
	/** What audio that cannot be copied becomes. */
	targetAudio: OutputAudioCodec;
	/** Seconds, for progress when ffmpeg cannot tell. */
	durationS: number | null;
	/** 'auto': WebCodecs when the browser can do the file, else ffmpeg.wasm; or force one. */
	engine: 'auto' | 'ffmpeg' | 'webcodecs';
}

export interface TranscodeProgress {
	/** 0–1. */
	ratio: number;
}

export interface TranscodeResult {
	/** OPFS path, '/'-joined: derived/<assetId>/transcode.mp4 */
	path: string;
	bytes: number;
	/** Which engine made it: the browser's codecs, or ffmpeg.wasm's multi- or single-thread core. */
	engine: 'webcodecs' | 'ffmpeg-mt' | 'ffmpeg-st';
	/** The codec made: the one asked for, or H.264 where ffmpeg.wasm had to make it. */
	videoCodec: OutputVideoCodec;
	/** Under 'auto', why WebCodecs was passed over for ffmpeg.wasm, and any codec change (null when neither). */
	fallback: string | null;
	/** Wall time of the conversion (s), for the figures. */
	seconds: number;
}

export interface VideoApi {
	/**
	 * A poster frame of a video this browser cannot decode: PNG at the displayed size, taken at `atS`
	 * seconds (or the first frame when that is past the end).
	 */
	posterImage(checksum: string, atS: number): Promise<Uint8Array>;
	transcode(assetId: string, checksum: string, opts: TranscodeOptions, onProgress?: (p: TranscodeProgress) => void): Promise<TranscodeResult>;
}
