import { describe, expect, it } from 'vitest';
import { webCodecsRefusal } from '../../worker/video/webcodecs-refusal';

describe('webCodecsRefusal', () => {
	it('takes a file whose tracks all survive', () => {
		expect(webCodecsRefusal([])).toBeNull();
		// Extra tracks of a kind the output already has (a second audio language) are not a loss.
		expect(webCodecsRefusal([{ type: 'audio', codec: 'aac', reason: 'max_track_count_of_type_reached' }])).toBeNull();
	});

	it('names the codec the browser cannot decode', () => {
		expect(webCodecsRefusal([{ type: 'video', codec: 'hevc', reason: 'undecodable_source_codec' }])).toBe('this browser cannot decode its HEVC (H.265) video');
		expect(webCodecsRefusal([{ type: 'audio', codec: 'pcm-s16', reason: 'undecodable_source_codec' }])).toBe('this browser cannot decode its PCM-S16 audio');
	});

	it('refuses when the picture or the sound would be lost for want of an encoder', () => {
		expect(webCodecsRefusal([{ type: 'video', codec: 'avc', reason: 'no_encodable_target_codec' }])).toBe('this browser cannot encode H.264 at this size');
		expect(webCodecsRefusal([{ type: 'audio', codec: 'mp3', reason: 'no_encodable_target_codec' }])).toBe('this browser cannot re-encode its MP3 audio to AAC or Opus');
		expect(webCodecsRefusal([{ type: 'video', codec: null, reason: 'unknown_source_codec' }])).toBe("its video codec is not known to the browser's converter");
	});
});
