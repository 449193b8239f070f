// Which videos get a transcode, and at what size.
import { describe, expect, it } from 'vitest';
import { needsTranscode, targetSize, type TranscodeFacts } from '../../src/lib/video/transcode-policy';
import { ffmpegArgs, posterArgs } from '../../worker/video/transcode-args';
import { audioPlan, quantizerFor } from '../../worker/video/output-codecs';
import type { TranscodeOptions } from '../../worker/shared/video-api';

const hevc: TranscodeFacts = { type: 'video', playable: false, width: 1280, height: 720 };
const h264: TranscodeFacts = { type: 'video', playable: true, width: 1280, height: 720 };
const small: TranscodeFacts = { type: 'video', playable: true, width: 640, height: 360 };

describe('needsTranscode', () => {
	it("'required' converts only what the browser cannot play (unknown is not a no)", () => {
		const s = { videoPolicy: 'required' as const, videoTargetHeight: 480 as const };
		expect(needsTranscode(hevc, s)).toBe(true);
		expect(needsTranscode(h264, s)).toBe(false);
		expect(needsTranscode({ ...h264, playable: null }, s)).toBe(false);
		expect(needsTranscode({ ...h264, playable: undefined }, s)).toBe(false);
	});
	it("'optimal' also converts videos larger than the target (shorter side)", () => {
		const s = { videoPolicy: 'optimal' as const, videoTargetHeight: 480 as const };
		expect(needsTranscode(h264, s)).toBe(true);
		expect(needsTranscode(small, s)).toBe(false);
		expect(needsTranscode({ ...h264, width: 720, height: 1280 }, s)).toBe(true);
		expect(needsTranscode(h264, { ...s, videoTargetHeight: 720 })).toBe(false);
		expect(needsTranscode(h264, { ...s, videoTargetHeight: 0 })).toBe(false);
		expect(needsTranscode(hevc, { ...s, videoTargetHeight: 1080 })).toBe(true);
	});
	it("'all' converts every video, 'disabled' none; images never", () => {
		expect(needsTranscode(small, { videoPolicy: 'all', videoTargetHeight: 720 })).toBe(true);
		expect(needsTranscode(hevc, { videoPolicy: 'disabled', videoTargetHeight: 720 })).toBe(false);
		expect(needsTranscode({ ...hevc, type: 'image' }, { videoPolicy: 'all', videoTargetHeight: 720 })).toBe(false);
	});
});

describe('targetSize', () => {
	it('scales the shorter side to the target, keeps even sides, never upscales', () => {
		expect(targetSize(1920, 1080, 720)).toEqual({ width: 1280, height: 720 });
		expect(targetSize(1080, 1920, 720)).toEqual({ width: 720, height: 1280 });
		expect(targetSize(640, 360, 720)).toEqual({ width: 640, height: 360 });
		expect(targetSize(1920, 1080, 0)).toEqual({ width: 1920, height: 1080 });
		expect(targetSize(854, 480, 360)).toEqual({ width: 640, height: 360 });
	});
});

describe('ffmpeg arguments', () => {
	const o = { width: 1280, height: 720, crf: 23, preset: 'ultrafast', threads: 2, audioCodec: 'aac', videoCodec: 'h264', targetAudio: 'aac', durationS: 4, engine: 'ffmpeg' } as const;
	const args = (x: Partial<TranscodeOptions>) => ffmpegArgs({ ...o, ...x }).join(' ');
	it('always passes an explicit thread count and H.264 yuv420p with faststart', () => {
		const a = args({});
		expect(a).toContain('-threads 2');
		expect(a).toContain('-vf scale=1280:720,setsar=1');
		expect(a).toContain('-c:v libx264 -preset ultrafast -crf 23');
		expect(a).toContain('-pix_fmt yuv420p');
		expect(a).toContain('-movflags +faststart');
		expect(a).toContain('-c:a copy');
	});
	it('copies the audio Chromium plays in MP4, encodes the rest to the target, drops absent audio', () => {
		expect(args({ audioCodec: 'opus' })).toContain('-c:a copy');
		expect(args({ audioCodec: 'mp3', targetAudio: 'opus' })).toContain('-c:a copy');
		expect(args({ audioCodec: 'pcm_s16le' })).toContain('-c:a aac -b:a 128k');
		expect(args({ audioCodec: 'pcm_s16le', targetAudio: 'opus' })).toContain('-c:a libopus -b:a 128k');
		expect(ffmpegArgs({ ...o, audioCodec: null })).toContain('-an');
		expect(args({ threads: 0 })).toContain('-threads 1');
	});
	it('is H.264 whatever codec is asked (VP9 and AV1 come from the browser encoder only)', () => {
		expect(args({ videoCodec: 'vp9' })).toContain('-c:v libx264');
		expect(args({ videoCodec: 'av1' })).toContain('-c:v libx264');
	});
});

describe('audioPlan and quantizerFor', () => {
	it('keeps accepted audio, encodes the rest, has nothing to do without audio', () => {
		expect(audioPlan('aac', 'opus')).toBe('copy');
		expect(audioPlan('vorbis', 'opus')).toBe('opus');
		expect(audioPlan('pcm_mulaw', 'aac')).toBe('aac');
		expect(audioPlan(null, 'aac')).toBe('none');
		// CRF 23 (x264's scale, 0–51) is the same point of VP9/AV1's 0–63.
		expect(quantizerFor('vp9', 23)).toBe(28);
		expect(quantizerFor('h264', 23)).toBe(23);
	});
});

describe('posterArgs', () => {
	it('seeks before the input and writes one PNG frame', () => {
		expect(posterArgs(0.4).join(' ')).toBe('-nostdin -y -ss 0.400 -i in -frames:v 1 -update 1 -c:v png -f image2 poster.png');
		expect(posterArgs(-1)).toContain('0.000');
	});
});
