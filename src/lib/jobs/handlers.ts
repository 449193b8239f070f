// What each queue does with one asset: ask a worker, then write the result to the asset's row.
import * as Comlink from 'comlink';
import { db } from '../db/schema';
import type { Asset, QueueName } from '../db/types';
import type { Settings } from '../settings/defaults';
import type { MediaApi, ThumbnailResult, ThumbnailSettings } from '../../../worker/shared/api';
import type { MlApi } from '../../../worker/shared/ml-api';
import { detectFaces, recognizeFaces } from './face-handlers';
import { convertVideo } from './video-handlers';
import { embedForSearch, findNearDuplicates, readText, tagObjects } from './search-handlers';
import type { VideoApi } from '../../../worker/shared/video-api';
import { formatLocal, formatOffset, resolveTakenAt } from '../../../worker/media/dates';
import { placeOf } from '../places/client';

export interface JobContext {
	run<T>(fn: (api: Comlink.Remote<MediaApi>) => Promise<T>): Promise<T>;
	ml<T>(fn: (api: Comlink.Remote<MlApi>) => Promise<T>): Promise<T>;
	video<T>(fn: (api: Comlink.Remote<VideoApi>) => Promise<T>): Promise<T>;
	settings: Settings;
}

export function thumbnailSettings(s: Settings): ThumbnailSettings {
	return {
		thumbnailSize: s.thumbnailSize,
		thumbnailFormat: s.thumbnailFormat,
		previewSize: s.previewSize,
		previewFormat: s.previewFormat,
		quality: s.quality,
		maxPixels: s.maxMegapixels * 1_000_000
	};
}

/** The local time-zone offset in minutes east of UTC at a given instant (DST-aware). */
const localOffsetAt = (ms: number) => -new Date(ms).getTimezoneOffset();

/**
 * What a job found for the asset's own row, given the row as it is when the outcome is written: the
 * scheduler applies it in the transaction that records the job done (one round trip, not two).
 */
export type AssetUpdate = (current: Asset) => Partial<Asset>;

export const handlers: Record<QueueName, (asset: Asset, ctx: JobContext) => Promise<AssetUpdate | void>> = {
	async metadataExtraction(asset, ctx) {
		if (asset.type === 'video') return videoMetadata(asset, ctx);
		const m = await ctx.run((api) => api.extractMetadata(asset.checksum));
		const taken = resolveTakenAt(m, asset.fileModifiedAt, localOffsetAt(asset.fileModifiedAt));
		const place = await placeOf(m.gps);
		return (current) => ({
			...taken,
			mime: m.sniffed.mime,
			width: m.width ?? current.width,
			height: m.height ?? current.height,
			orientation: m.orientation,
			make: m.make,
			model: m.model,
			lens: m.lens,
			exposureTime: m.exposureTime,
			fNumber: m.fNumber,
			iso: m.iso,
			focalLength: m.focalLength,
			gps: m.gps,
			place,
			// a new EXIF warning replaces the one an earlier run left
			warnings: [...current.warnings.filter((w) => !w.startsWith('EXIF')), ...(m.exifWarning ? [m.exifWarning] : [])]
		});
	},

	async thumbnailGeneration(asset, ctx) {
		const s = thumbnailSettings(ctx.settings);
		const r = asset.type === 'video' ? await videoPoster(asset, ctx, s) : await ctx.run((api) => api.makeThumbnails(asset.id, asset.checksum, s));
		return (current) => ({
			thumbhash: r.thumbhash,
			phash: r.phash,
			derivatives: { ...current.derivatives, thumbnail: r.thumbnail, preview: r.preview },
			// The decoded size is the displayed size; keep it when metadata could not tell.
			width: current.width ?? r.width,
			height: current.height ?? r.height
		});
	},

	faceDetection: (asset, ctx) => detectFaces(asset, ctx.ml, ctx.settings),
	facialRecognition: (asset, ctx) => recognizeFaces(asset, ctx.settings),
	smartSearch: (asset, ctx) => embedForSearch(asset, ctx.ml, ctx.settings),
	objectTagging: (asset, ctx) => tagObjects(asset, ctx.ml, ctx.settings),
	ocr: (asset, ctx) => readText(asset, ctx.ml, ctx.settings),
	duplicateDetection: (asset, ctx) => findNearDuplicates(asset, ctx.settings),
	videoConversion: (asset, ctx) => convertVideo(asset, ctx.video, ctx.settings)
};

/**
 * A video's poster: through WebCodecs in the media worker; when the browser cannot decode the stream
 * (HEVC without a hardware decoder, MJPEG in AVI…), a frame from ffmpeg.wasm in the video pool, made
 * into derivatives by the media worker. The frame is taken 10% into the clip, at most 1 s: past a
 * black first frame.
 */
async function videoPoster(asset: Asset, ctx: JobContext, s: ThumbnailSettings): Promise<ThumbnailResult> {
	const r = await ctx.run<ThumbnailResult | { needsConversion: string }>((api) => api.makeVideoPoster(asset.id, asset.checksum, s));
	if (!('needsConversion' in r)) return r;
	const atS = Math.min(1, (asset.durationS ?? 0) * 0.1);
	const png = await ctx.video((api) => api.posterImage(asset.checksum, atS));
	return ctx.run((api) => api.makeThumbnailsFromImage(asset.id, Comlink.transfer(png, [png.buffer]), s));
}

/**
 * A video's probe → its row. The container's creation time is UTC: it becomes the local wall-clock
 * time of this browser's zone at that instant (with that offset), like a phone's gallery shows it.
 */
async function videoMetadata(asset: Asset, ctx: JobContext): Promise<AssetUpdate> {
	const v = await ctx.run((api) => api.probeVideo(asset.checksum));
	const created = v.creationTime ? Date.parse(v.creationTime) : NaN;
	const taken = Number.isFinite(created)
		? { takenAt: formatLocal(created, localOffsetAt(created)), takenAtOffset: formatOffset(localOffsetAt(created)), takenAtSource: 'exif' as const }
		: resolveTakenAt({ dateTaken: null, dateTakenOffset: null }, asset.fileModifiedAt, localOffsetAt(asset.fileModifiedAt));
	const place = await placeOf(v.gps);
	return () => ({
		...taken,
		width: v.width,
		height: v.height,
		gps: v.gps,
		place,
		durationS: v.durationS,
		videoCodec: v.videoCodec,
		videoProfile: v.profile,
		pixelFormat: v.pixelFormat,
		hdr: v.hdr,
		colorPrimaries: v.colorPrimaries,
		colorTransfer: v.colorTransfer,
		colorMatrix: v.colorMatrix,
		audioCodec: v.audioCodec,
		rotation: v.rotation,
		fps: v.fps,
		container: v.container,
		playable: v.playable,
		playableReason: v.playableReason
	});
}
