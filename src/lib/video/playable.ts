// Can this browser play a video's original as it is? Decided once, at probe time, from the container,
// the codecs and their profile / bit depth / chroma, then confirmed with the browser's own answers
// (MediaSource.isTypeSupported, VideoDecoder.isConfigSupported). The rules are pure (tested in Node);
// the browser questions are passed in, so the same decision runs in the media worker.
import type { VideoProbe } from '../../../worker/shared/api';

/** Containers a <video> element in Chromium/Firefox/Safari opens. */
const CONTAINERS = new Set(['mp4', 'mov', 'webm']);
/** Video codecs browsers decode, when 8-bit 4:2:0. */
const VIDEO = new Set(['h264', 'vp8', 'vp9', 'av1']);
/** Audio codecs that play inside those containers. */
const AUDIO = new Set(['aac', 'opus', 'vorbis', 'mp3', 'flac']);

export interface Verdict {
	playable: boolean;
	/** Why not, in words for the viewer; null when playable. */
	reason: string | null;
}

export type ProbeFacts = Pick<VideoProbe, 'container' | 'videoCodec' | 'profile' | 'bitDepth' | 'chroma' | 'audioCodec' | 'codecString' | 'audioCodecString'>;

/** The codec as a person would read it: "HEVC", "H.264 High 10", "MJPEG". */
export function codecLabel(p: Pick<VideoProbe, 'videoCodec' | 'profile'>): string {
	const names: Record<string, string> = { h264: 'H.264', hevc: 'HEVC', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mjpeg: 'MJPEG', mpeg4: 'MPEG-4 Part 2' };
	const base = p.videoCodec ? (names[p.videoCodec] ?? p.videoCodec.toUpperCase()) : 'this video format';
	const profile = p.profile && p.videoCodec === 'h264' && !/^(Constrained Baseline|Baseline|Main|High)$/.test(p.profile) ? ` ${p.profile}` : '';
	return base + profile;
}

/** The rules alone: what no browser plays, whatever it says about the codec string. */
export function playableByRules(p: ProbeFacts): Verdict {
	const no = (reason: string): Verdict => ({ playable: false, reason });
	if (!p.videoCodec || !VIDEO.has(p.videoCodec)) return no(codecLabel(p));
	if (!CONTAINERS.has(p.container)) return no(`${codecLabel(p)} in the ${p.container.toUpperCase()} container`);
	if (p.bitDepth !== null && p.bitDepth !== 8) return no(`${codecLabel(p)} (${p.bitDepth}-bit)`);
	if (p.chroma !== null && p.chroma !== '420') return no(`${codecLabel(p)} (4:${p.chroma.slice(1, 2)}:${p.chroma.slice(2)} chroma)`);
	// The SPS could not be read: an H.264 profile beyond High may be 10-bit or 4:4:4.
	if (p.videoCodec === 'h264' && p.bitDepth === null && p.profile && !/^(Constrained Baseline|Baseline|Main|High)$/.test(p.profile)) return no(codecLabel(p));
	if (p.audioCodec && !AUDIO.has(p.audioCodec)) return no(`${p.audioCodec} audio`);
	return { playable: true, reason: null };
}

/** `video/mp4; codecs="avc1.64001f, mp4a.40.2"` for MediaSource.isTypeSupported (QuickTime as MP4). */
export function mseType(p: ProbeFacts): string | null {
	if (!p.codecString) return null;
	const base = p.container === 'webm' ? 'video/webm' : 'video/mp4';
	const codecs = [p.codecString, p.audioCodecString].filter(Boolean).join(', ');
	return `${base}; codecs="${codecs}"`;
}

export interface BrowserSupport {
	/** MediaSource.isTypeSupported, or null when MediaSource is not available here. */
	mse(type: string): boolean | null;
	/** VideoDecoder.isConfigSupported for the codec string, or null when WebCodecs is not available. */
	decoder(codec: string): Promise<boolean | null>;
}

/** Rules first; then the browser must not say no (an unavailable API is not a no). */
export async function decidePlayable(p: ProbeFacts, support: BrowserSupport): Promise<Verdict> {
	const rules = playableByRules(p);
	if (!rules.playable) return rules;
	const type = mseType(p);
	const mse = type ? support.mse(type) : null;
	const decoder = p.codecString ? await support.decoder(p.codecString) : null;
	if (mse === false || (mse === null && decoder === false)) return { playable: false, reason: codecLabel(p) };
	return rules;
}

/** The questions asked of the browser this code runs in (page or worker). */
export const browserSupport: BrowserSupport = {
	mse(type) {
		const MS = (globalThis as { MediaSource?: { isTypeSupported(t: string): boolean } }).MediaSource;
		return MS ? MS.isTypeSupported(type) : null;
	},
	async decoder(codec) {
		if (typeof VideoDecoder === 'undefined') return null;
		try {
			return (await VideoDecoder.isConfigSupported({ codec })).supported === true;
		} catch {
			return false;
		}
	}
};

/** The viewer's line for a video it will not play. */
export function notPlayableMessage(reason: string | null, converting: boolean): string {
	if (converting) return 'This video is being converted so that this browser can play it.';
	return `This browser cannot play ${reason ?? 'this video format'}; it has not been converted (see the video conversion settings).`;
}
