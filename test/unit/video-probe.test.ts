// Video metadata in Node: the real probe (mediabunny over a Blob, plus the container readers) on the
// corpus clips, checked against MANIFEST.json's `expect`. Skipped when the corpus is absent.
import { existsSync, openAsBlob } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../../worker/video/probe';

const MEDIA = resolve(process.env.SHOEBOX_MEDIA_DIR && process.env.SHOEBOX_MEDIA_DIR !== 'generate' ? process.env.SHOEBOX_MEDIA_DIR : join(__dirname, '../../../shared/media'));
const HAVE = existsSync(join(MEDIA, 'MANIFEST.json'));

interface VideoExpect {
	video_codec: string;
	profile?: string;
	pix_fmt?: string;
	width: number;
	height: number;
	display_width: number;
	display_height: number;
	rotation: number;
	fps: number;
	duration_s: number;
	audio_codec: string | null;
	has_audio: boolean;
	creation_time?: string | null;
	gps?: { lat: number; lon: number };
}

const clips: Array<{ path: string; expect: VideoExpect }> = HAVE
	? (JSON.parse(readFileSync(join(MEDIA, 'MANIFEST.json'), 'utf8')).files as Array<{ path: string; kind: string; expect: VideoExpect }>).filter((f) => f.kind === 'video')
	: [];

describe.skipIf(!HAVE)('probeVideo on the corpus', () => {
	it.each(clips.map((c) => [c.path, c.expect] as const))('%s', async (path, e) => {
		const p = await probeVideo(await openAsBlob(join(MEDIA, path)));
		expect(p.videoCodec).toBe(e.video_codec);
		// MJPEG-in-AVI: the AVI header names neither profile nor pixel format (null, not a guess).
		if (e.video_codec !== 'mjpeg') {
			expect(p.profile).toBe(e.profile);
			expect(p.pixelFormat).toBe(e.pix_fmt);
		}
		expect([p.codedWidth, p.codedHeight]).toEqual([e.width, e.height]);
		expect([p.width, p.height]).toEqual([e.display_width, e.display_height]);
		expect(p.rotation).toBe(e.rotation);
		expect(Math.abs((p.durationS ?? -1) - e.duration_s)).toBeLessThanOrEqual(0.1);
		expect(Math.abs((p.fps ?? -1) - e.fps)).toBeLessThan(0.01);
		expect(p.audioCodec !== null).toBe(e.has_audio);
		expect(p.audioCodec).toBe(e.audio_codec);
		if (e.creation_time !== undefined) expect(p.creationTime).toBe(e.creation_time === null ? null : new Date(e.creation_time).toISOString());
		if (e.gps) {
			expect(p.gps?.lat).toBeCloseTo(e.gps.lat, 5);
			expect(p.gps?.lon).toBeCloseTo(e.gps.lon, 5);
		}
	});

	it('fails a truncated moov with a permanent, readable error', async () => {
		const err = await probeVideo(await openAsBlob(join(MEDIA, 'bad/truncated_moov.mp4'))).catch((e) => e);
		expect(err).toBeInstanceOf(Error);
		expect(err.name).toBe('PermanentMediaError');
		expect(err.message).toMatch(/truncated|damaged/i);
	});
});
