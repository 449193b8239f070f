// The WebCodecs engine: mediabunny demuxes the original straight from its Blob (only what it needs is
// read), the browser's own VideoDecoder/VideoEncoder do the codec work (native speed, hardware where
// the device has it), and the MP4 is streamed into OPFS as it is made (nothing whole in memory).
// Rotation is baked into the frames, as the ffmpeg engine does: the output's size is its displayed size.
import { ALL_FORMATS, BlobSource, Conversion, Input, Mp4OutputFormat, Output, Quality, StreamTarget, type InputTrack, type StreamTargetChunk } from 'mediabunny';
import type { TranscodeOptions, TranscodeProgress } from '../shared/video-api';
import { audioPlan, quantizerFor, type OutputVideoCodec } from './output-codecs';
import { webCodecsRefusal } from './webcodecs-refusal';

const MEDIABUNNY_CODEC: Record<OutputVideoCodec, 'avc' | 'vp9' | 'av1'> = { h264: 'avc', vp9: 'vp9', av1: 'av1' };

/** Why this engine will not take a file (the caller falls back to ffmpeg.wasm, or reports it). */
export class WebCodecsRefused extends Error {}

/** A fallback bitrate for encoders without a constant-quantizer mode: ~0.1 bit per pixel at 30 fps. */
const fallbackBitrate = (o: TranscodeOptions) => Math.round(o.width * o.height * 30 * 0.1);

/**
 * Converts `file`, handing each piece of the MP4 (bytes at a position) to `write`; resolves when the
 * MP4 is complete. Committing or discarding what was written is the caller's: mediabunny closes its
 * stream even on cancel, which for an OPFS file would keep a half-made one.
 */
export async function transcodeWebCodecs(
	file: Blob,
	write: (chunk: StreamTargetChunk) => Promise<void>,
	o: TranscodeOptions,
	onProgress?: (p: TranscodeProgress) => void
): Promise<void> {
	if (typeof VideoEncoder === 'undefined' || typeof VideoDecoder === 'undefined') throw new WebCodecsRefused('this browser has no WebCodecs');
	const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
	try {
		try {
			await input.getFormat();
		} catch {
			throw new WebCodecsRefused("the browser's converter does not read this container");
		}
		const output = new Output({ format: new Mp4OutputFormat(), target: new StreamTarget(new WritableStream({ write }), { chunked: true }) });
		const conversion = await Conversion.init({
			input,
			output,
			tracks: 'primary',
			video: {
				codec: MEDIABUNNY_CODEC[o.videoCodec],
				width: o.width,
				height: o.height,
				fit: 'fill',
				allowTransformationMetadata: false,
				forceTranscode: true,
				quality: new Quality({ quantizer: quantizerFor(o.videoCodec, o.crf), bitrate: fallbackBitrate(o) })
			},
			// Accepted audio is copied; the rest is encoded to the target (a browser without an AAC encoder refuses it).
			audio: () => {
				const plan = audioPlan(o.audioCodec, o.targetAudio);
				return plan === 'copy' || plan === 'none' ? {} : { codec: plan, bitrate: 128_000, forceTranscode: true };
			},
			showWarnings: false
		});
		const refusal = webCodecsRefusal(
			conversion.discardedTracks.map((d) => ({ type: (d.track as InputTrack).type as 'video' | 'audio', codec: d.track.codec ?? null, reason: d.reason })),
			{ video: o.videoCodec, audio: o.targetAudio }
		);
		if (refusal || !conversion.isValid) throw new WebCodecsRefused(refusal ?? 'the browser cannot convert this file');
		if (onProgress) conversion.onProgress = (ratio) => onProgress({ ratio: Math.min(1, Math.max(0, ratio)) });
		await conversion.execute();
	} finally {
		input.dispose();
	}
}
