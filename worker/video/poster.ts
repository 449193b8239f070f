// A video's poster frame: decoded through WebCodecs (mediabunny's CanvasSink drives a VideoDecoder and
// draws each frame with the track's rotation applied), the first frame that is not black within the
// first second, else the frame at 10% of the duration. Streams this browser cannot decode are named
// (NeedsConversion): the job then asks ffmpeg.wasm for the frame (jobs/handlers.ts).
import { ALL_FORMATS, BlobSource, CanvasSink, Input } from 'mediabunny';
import type { VideoProbe } from '../shared/api';
import { MediaError } from '../shared/errors';
import { codecLabel, playableByRules } from '../../src/lib/video/playable';

/** Mean luma (0–255) above which a frame is not "black". */
export const BLACK_LUMA = 24;
/** How far into the clip to look for a non-black frame (seconds). */
export const SEARCH_S = 1;
/** Frames looked at within that second, at most (a 240 fps clip need not be decoded whole). */
const MAX_FRAMES = 30;

/** Rec. 601 mean luma of RGBA pixels. */
export function meanLuma(rgba: Uint8ClampedArray | Uint8Array): number {
	let sum = 0;
	const n = rgba.length >> 2;
	for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
	return n ? sum / n : 0;
}

/** When no frame of the first second is bright enough: 10% into the clip (never past its end). */
export function fallbackTime(start: number, durationS: number): number {
	return start + Math.max(0, durationS) * 0.1;
}

/** The browser cannot decode this stream: the poster must come from ffmpeg.wasm. */
export class NeedsConversion extends Error {
	constructor(readonly codec: string) {
		super(`${codec} cannot be decoded by this browser`);
	}
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

function lumaOf(canvas: AnyCanvas): number {
	const probe = new OffscreenCanvas(32, 32);
	const ctx = probe.getContext('2d', { willReadFrequently: true })!;
	ctx.drawImage(canvas, 0, 0, 32, 32);
	return meanLuma(ctx.getImageData(0, 0, 32, 32).data);
}

/**
 * The poster as an ImageBitmap at the displayed size (rotation applied). The caller owns (closes) it.
 * `probe` is the clip's metadata (for the codec facts that decide whether WebCodecs can decode it).
 */
export async function posterFrame(file: Blob, probe: VideoProbe): Promise<ImageBitmap> {
	const label = codecLabel(probe);
	// Decoders that exist in Chromium say yes to High 10 / 4:4:4 codec strings and then fail: the
	// 8-bit 4:2:0 rule comes first, then the browser's own answer.
	const rules = playableByRules({ ...probe, container: 'mp4', audioCodec: null });
	// HDR: a canvas draws it as the browser sees fit; ffmpeg.wasm tone-maps it as the transcode is.
	if (!rules.playable || probe.container === 'avi' || probe.hdr) throw new NeedsConversion(label);

	const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
	try {
		const track = await input.getPrimaryVideoTrack();
		if (!track) throw new MediaError('No video track could be read for the poster.', true);
		if (typeof VideoDecoder === 'undefined' || !(await track.canDecode())) throw new NeedsConversion(label);

		const sink = new CanvasSink(track, { poolSize: 0 });
		const start = await track.getFirstTimestamp();
		let chosen: AnyCanvas | null = null;
		try {
			let seen = 0;
			for await (const wrapped of sink.canvases(start, start + SEARCH_S)) {
				if (lumaOf(wrapped.canvas) > BLACK_LUMA) {
					chosen = wrapped.canvas;
					break;
				}
				if (++seen >= MAX_FRAMES) break;
			}
			if (!chosen) {
				const duration = await track.computeDuration();
				chosen = (await sink.getCanvas(fallbackTime(start, duration - start)))?.canvas ?? (await sink.getCanvas(start))?.canvas ?? null;
			}
		} catch (err) {
			if (err instanceof MediaError || err instanceof NeedsConversion) throw err;
			// The decoder accepted the configuration and then failed on the stream.
			console.warn('poster decode failed', err);
			throw new NeedsConversion(label);
		}
		if (!chosen) throw new MediaError('The video has no frame that could be decoded for a poster.', true);
		return await createImageBitmap(chosen);
	} finally {
		input.dispose();
	}
}
