// The playback decision: rules first, then the browser's answers (faked here).
import { describe, expect, it } from 'vitest';
import { decidePlayable, mseType, notPlayableMessage, playableByRules, type BrowserSupport, type ProbeFacts } from '../../src/lib/video/playable';

const h264: ProbeFacts = { container: 'mp4', videoCodec: 'h264', profile: 'High', bitDepth: 8, chroma: '420', audioCodec: 'aac', codecString: 'avc1.64001f', audioCodecString: 'mp4a.40.2' };
const yes: BrowserSupport = { mse: () => true, decoder: async () => true };

describe('can the browser play the original', () => {
	it('plays 8-bit 4:2:0 H.264/VP9/AV1 in MP4, MOV and WebM', async () => {
		expect(await decidePlayable(h264, yes)).toEqual({ playable: true, reason: null });
		expect((await decidePlayable({ ...h264, container: 'mov' }, yes)).playable).toBe(true);
		expect((await decidePlayable({ ...h264, container: 'webm', videoCodec: 'vp9', profile: 'Profile 0', audioCodec: 'opus', codecString: 'vp09.00.21.08', audioCodecString: 'opus' }, yes)).playable).toBe(true);
		expect(mseType(h264)).toBe('video/mp4; codecs="avc1.64001f, mp4a.40.2"');
	});

	it('refuses what no browser here decodes, whatever the codec string checks say', () => {
		expect(playableByRules({ ...h264, videoCodec: 'hevc', profile: 'Main' })).toEqual({ playable: false, reason: 'HEVC' });
		expect(playableByRules({ ...h264, profile: 'High 10', bitDepth: 10 })).toEqual({ playable: false, reason: 'H.264 High 10 (10-bit)' });
		expect(playableByRules({ ...h264, profile: 'High 4:4:4 Predictive', chroma: '444' }).reason).toBe('H.264 High 4:4:4 Predictive (4:4:4 chroma)');
		expect(playableByRules({ ...h264, container: 'avi', videoCodec: 'mjpeg', profile: null, audioCodec: 'pcm_s16le' }).reason).toBe('MJPEG');
		expect(playableByRules({ ...h264, container: 'avi' }).reason).toBe('H.264 in the AVI container');
		expect(playableByRules({ ...h264, audioCodec: 'pcm_s16le' }).reason).toBe('pcm_s16le audio');
	});

	it('follows the browser when it says no, and does not treat a missing API as a no', async () => {
		expect(await decidePlayable(h264, { mse: () => false, decoder: async () => true })).toEqual({ playable: false, reason: 'H.264' });
		expect(await decidePlayable(h264, { mse: () => null, decoder: async () => false })).toEqual({ playable: false, reason: 'H.264' });
		expect((await decidePlayable(h264, { mse: () => null, decoder: async () => null })).playable).toBe(true);
	});

	it('words the viewer message', () => {
		expect(notPlayableMessage('HEVC', false)).toBe('This browser cannot play HEVC; it has not been converted (see the video conversion settings).');
		expect(notPlayableMessage('HEVC', true)).toMatch(/being converted/);
	});
});

describe('tile duration', async () => {
	const { formatDuration } = await import('../../src/lib/video/format');
	it('formats m:ss and h:mm:ss, never 0:00', () => {
		expect(formatDuration(0.21)).toBe('0:01');
		expect(formatDuration(4.007)).toBe('0:04');
		expect(formatDuration(62)).toBe('1:02');
		expect(formatDuration(3723)).toBe('1:02:03');
	});
});
