import { describe, expect, it } from 'vitest';
import { webCodecsRefusal } from '../../worker/video/webcodecs-refusal';

const H264_AAC = { video: 'h264', audio: 'aac' } as const;

describe('webCodecsRefusal', () => {
	it('takes a file whose tracks all survive', () => {
		expect(webCodecsRefusal([], H264_AAC)).toBeNull();
		// Extra tracks of a kind the output already has (a second audio language) are not a loss.
		expect(webCodecsRefusal([{ type: 'audio', codec: 'aac', reason: 'max_track_count_of_type_reached' }], H264_AAC)).toBeNull();
	});

	it('names the codec the browser cannot decode', () => {
		expect(webCodecsRefusal([{ type: 'video', codec: 'hevc', reason: 'undecodable_source_codec' }], H264_AAC)).toBe('this browser cannot decode its HEVC (H.265) video');
		expect(webCodecsRefusal([{ type: 'audio', codec: 'pcm-s16', reason: 'undecodable_source_codec' }], H264_AAC)).toBe('this browser cannot decode its PCM-S16 audio');
	});

	it('refuses when the picture or the sound would be lost for want of an encoder', () => {
		expect(webCodecsRefusal([{ type: 'video', codec: 'avc', reason: 'no_encodable_target_codec' }], H264_AAC)).toBe('this browser cannot encode H.264 at this size');
		expect(webCodecsRefusal([{ type: 'audio', codec: 'mp3', reason: 'no_encodable_target_codec' }], H264_AAC)).toBe('this browser cannot encode AAC audio (for its MP3 audio)');
		expect(webCodecsRefusal([{ type: 'video', codec: 'avc', reason: 'no_encodable_target_codec' }], { video: 'av1', audio: 'opus' })).toBe('this browser cannot encode AV1 at this size');
		expect(webCodecsRefusal([{ type: 'video', codec: null, reason: 'unknown_source_codec' }], H264_AAC)).toBe("its video codec is not known to the browser's converter");
	});
});
