// Why the WebCodecs engine cannot convert a file, in words a person reads on the jobs page (pure).
import { HDR_NAMES, type Hdr } from './colour';
import { AUDIO_CODEC_NAMES, VIDEO_CODEC_NAMES, type OutputAudioCodec, type OutputVideoCodec } from './output-codecs';

export interface DroppedTrack {
	type: 'video' | 'audio';
	/** mediabunny's codec name ('avc', 'hevc', 'aac'…), null when unknown. */
	codec: string | null;
	/** mediabunny's discard reason. */
	reason: string;
}

const NAMES: Record<string, string> = { avc: 'H.264', hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', aac: 'AAC', opus: 'Opus', mp3: 'MP3', flac: 'FLAC', vorbis: 'Vorbis' };
const nameOf = (codec: string | null) => (codec ? (NAMES[codec] ?? codec.toUpperCase()) : 'an unknown');

/**
 * Null when every track the output needs survives; otherwise the first reason. Any dropped video
 * or audio track is a refusal: a transcode must keep the picture and the sound.
 */
export function webCodecsRefusal(dropped: DroppedTrack[], target: { video: OutputVideoCodec; audio: OutputAudioCodec }): string | null {
	const d = dropped.find((t) => t.reason !== 'discarded_by_user' && t.reason !== 'max_track_count_of_type_reached') ?? null;
	if (!d) return null;
	const what = `${nameOf(d.codec)} ${d.type}`;
	switch (d.reason) {
		case 'undecodable_source_codec':
			return `this browser cannot decode its ${what}`;
		case 'unknown_source_codec':
			return `its ${d.type} codec is not known to the browser's converter`;
		case 'no_encodable_target_codec':
			return d.type === 'video'
				? `this browser cannot encode ${VIDEO_CODEC_NAMES[target.video]} at this size`
				: `this browser cannot encode ${AUDIO_CODEC_NAMES[target.audio]} audio (for its ${what})`;
		default:
			return `its ${what} cannot be converted (${d.reason})`;
	}
}

/**
 * An HDR source is left to ffmpeg.wasm: mediabunny hands decoded frames to the encoder as they are
 * (PQ/HLG values encoded as if SDR: washed out) or through a 2D canvas, whose HDR → SDR conversion
 * is the browser's own (by version and GPU) and untagged; tone mapping in a `process` step would be
 * a per-pixel shader of our own. ffmpeg's zscale + tonemap do it the same everywhere.
 */
export function hdrRefusal(hdr: Hdr): string {
	return `its picture is ${HDR_NAMES[hdr]}, which this engine does not tone-map to SDR`;
}
