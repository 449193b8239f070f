// Whether a video gets a transcode, under the video policy (Immich's): pure, so the handler and the
// tests ask the same question.
import type { Asset } from '../db/types';
import type { Settings } from '../settings/defaults';

export type TranscodeFacts = Pick<Asset, 'type' | 'playable' | 'width' | 'height'>;
export type TranscodeSettings = Pick<Settings, 'videoPolicy' | 'videoTargetHeight'>;

/**
 * 'required': only when this browser cannot play the original (`playable === false`; unknown is not
 * a no). HDR alone is no reason: Chromium tone-maps HDR video for an SDR screen as it plays it (and
 * a 10-bit HDR clip is not playable by the rules anyway, so it is converted, tone-mapped). 'optimal': also when the displayed video is larger than the target (its shorter side above
 * the target height). 'all': every video. 'disabled': none.
 */
export function needsTranscode(asset: TranscodeFacts, s: TranscodeSettings): boolean {
	if (asset.type !== 'video' || s.videoPolicy === 'disabled') return false;
	if (s.videoPolicy === 'all') return true;
	if (asset.playable === false) return true;
	if (s.videoPolicy === 'optimal' && s.videoTargetHeight > 0 && asset.width != null && asset.height != null) {
		return Math.min(asset.width, asset.height) > s.videoTargetHeight;
	}
	return false;
}

/**
 * The output's displayed size: the shorter side scaled to the target (never upscaled), both sides
 * even (H.264 4:2:0). `width`/`height` are the displayed size (rotation applied).
 */
export function targetSize(width: number, height: number, targetHeight: number): { width: number; height: number } {
	const short = Math.min(width, height);
	const scale = targetHeight > 0 && short > targetHeight ? targetHeight / short : 1;
	const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
	return { width: even(width), height: even(height) };
}
