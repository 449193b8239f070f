// What a transcode's tracks become (pure): the video codec the settings ask for, and the audio kept
// as it is when Chromium plays it in MP4 (as Immich's "accepted audio codecs") or re-encoded to the
// target codec otherwise.

export type OutputVideoCodec = 'h264' | 'vp9' | 'av1';
export type OutputAudioCodec = 'aac' | 'opus';

/** Source audio an MP4 transcode keeps unchanged: Chromium plays these in MP4. */
const ACCEPTED_AUDIO = new Set(['aac', 'opus', 'mp3']);

/** 'none' (no audio track), 'copy', or the codec to encode to. */
export function audioPlan(source: string | null, target: OutputAudioCodec): 'none' | 'copy' | OutputAudioCodec {
	if (source === null) return 'none';
	return ACCEPTED_AUDIO.has(source) ? 'copy' : target;
}

/**
 * The quality setting is on x264's CRF scale (0–51); VP9 and AV1 quantizers run 0–63, so the same
 * setting is scaled to the same place in their range (23 → 28).
 */
export function quantizerFor(codec: OutputVideoCodec, crf: number): number {
	return codec === 'h264' ? crf : Math.round((crf * 63) / 51);
}

export const VIDEO_CODEC_NAMES: Record<OutputVideoCodec, string> = { h264: 'H.264', vp9: 'VP9', av1: 'AV1' };
export const AUDIO_CODEC_NAMES: Record<OutputAudioCodec, string> = { aac: 'AAC', opus: 'Opus' };
