// The typed APIs the workers expose through comlink. The page only ever sees these signatures.
import type { AssetType, ExtractedMetadata, Gps } from '../../src/lib/db/types';

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
	/** 64-bit difference hash (worker/media/phash.ts), 16 hex digits: near-duplicates without CLIP. */
	phash: string;
	thumbnail: string;
	preview: string;
	/** Displayed size of the decoded image (orientation applied). */
	width: number;
	height: number;
}

/** What probeVideo reads from a video (see worker/video/probe.ts). Codec names as ffprobe prints them. */
export interface VideoProbe {
	/** mp4 | mov | webm | mkv | avi */
	container: string;
	mime: string;
	/** h264, hevc, vp8, vp9, av1, mjpeg …; null when the track's codec is unknown. */
	videoCodec: string | null;
	/** RFC 6381 codec string (avc1.64001f), when the demuxer knows it. */
	codecString: string | null;
	/** High, Main, High 10, Profile 0 … */
	profile: string | null;
	/** yuv420p, yuv420p10le, yuv444p … */
	pixelFormat: string | null;
	bitDepth: number | null;
	chroma: '400' | '420' | '422' | '444' | null;
	codedWidth: number;
	codedHeight: number;
	/** Displayed size: rotation applied. */
	width: number;
	height: number;
	/** Degrees clockwise to display (the track matrix). */
	rotation: number;
	fps: number | null;
	durationS: number | null;
	/** aac, opus, mp3, pcm_s16le …; null when there is no audio track. */
	audioCodec: string | null;
	audioCodecString: string | null;
	/** 'pq' or 'hlg' when the picture is HDR (by its transfer function), else null. */
	hdr: 'pq' | 'hlg' | null;
	/** The colour description as ffprobe names it (bt2020, smpte2084, bt2020nc …); null when the file does not say. */
	colorPrimaries: string | null;
	colorTransfer: string | null;
	colorMatrix: string | null;
	/** ISO UTC from the container (mvhd / DateUTC), null when unset. */
	creationTime: string | null;
	gps: Gps | null;
}

/** A probe plus the page-independent answer to "can a browser like this one play the original". */
export type VideoMetadata = VideoProbe & { playable: boolean; playableReason: string | null };

export interface MediaApi {
	extractMetadata(checksum: string): Promise<ExtractedMetadata & { sniffed: Sniffed }>;
	makeThumbnails(assetId: string, checksum: string, settings: ThumbnailSettings): Promise<ThumbnailResult>;
	/** Video metadata (permanent MediaError for a truncated or unreadable file). */
	probeVideo(checksum: string): Promise<VideoMetadata>;
	/**
	 * A poster frame → preview + thumbnail + thumbhash, stored like an image's; or, when this browser
	 * cannot decode the stream, which codec it is (the job then gets the frame from ffmpeg.wasm).
	 */
	makeVideoPoster(assetId: string, checksum: string, settings: ThumbnailSettings): Promise<ThumbnailResult | { needsConversion: string }>;
	/** Derivatives from an encoded still (a video frame ffmpeg.wasm extracted), stored like an image's. */
	makeThumbnailsFromImage(assetId: string, image: Uint8Array, settings: ThumbnailSettings): Promise<ThumbnailResult>;
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
