// Which videos get a transcode, and at what size.
import { describe, expect, it } from 'vitest';
import { needsTranscode, targetSize, type TranscodeFacts } from '../../src/lib/video/transcode-policy';
import { ffmpegArgs, posterArgs } from '../../worker/video/transcode-args';

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
	const o = { width: 1280, height: 720, crf: 23, preset: 'ultrafast', threads: 2, audioCodec: 'aac', durationS: 4, engine: 'ffmpeg' as const };
	it('always passes an explicit thread count and H.264 yuv420p with faststart', () => {
		const a = ffmpegArgs(o).join(' ');
		expect(a).toContain('-threads 2');
		expect(a).toContain('-vf scale=1280:720,setsar=1');
		expect(a).toContain('-c:v libx264 -preset ultrafast -crf 23');
		expect(a).toContain('-pix_fmt yuv420p');
		expect(a).toContain('-movflags +faststart');
		expect(a).toContain('-c:a copy');
	});
	it('re-encodes other audio to AAC and drops absent audio', () => {
		expect(ffmpegArgs({ ...o, audioCodec: 'opus' }).join(' ')).toContain('-c:a aac');
		expect(ffmpegArgs({ ...o, audioCodec: null })).toContain('-an');
		expect(ffmpegArgs({ ...o, threads: 0 }).join(' ')).toContain('-threads 1');
	});
});

describe('posterArgs', () => {
	it('seeks before the input and writes one PNG frame', () => {
		expect(posterArgs(0.4).join(' ')).toBe('-nostdin -y -ss 0.400 -i in -frames:v 1 -update 1 -c:v png -f image2 poster.png');
		expect(posterArgs(-1)).toContain('0.000');
	});
});
