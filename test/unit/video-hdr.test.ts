// HDR sources: the colour description (mediabunny's names → ffprobe's, HDR by transfer), the
// tone-mapping ffmpeg command lines, WebCodecs' refusal, the policy, and the real probe on HDR clips
// made by native ffmpeg (that part skipped, with the reason, where the optional binary is absent).
import { mkdtemp, rm } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsTranscode, type TranscodeFacts } from '../../src/lib/video/transcode-policy';
import type { TranscodeOptions } from '../../worker/shared/video-api';
import { sourceColour, type SourceColour } from '../../worker/video/colour';
import { probeColour, probeVideo } from '../../worker/video/probe';
import { ffmpegArgs, posterArgs, toneMapFilter } from '../../worker/video/transcode-args';
import { hdrRefusal } from '../../worker/video/webcodecs-refusal';
import { makeHdrClips, nativeFfmpeg, pqSignal } from '../hdr-clips';

const PQ: SourceColour = { hdr: 'pq', primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc' };
const HLG: SourceColour = { hdr: 'hlg', primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc' };
const o: TranscodeOptions = { width: 1280, height: 720, crf: 23, preset: 'ultrafast', threads: 2, audioCodec: 'aac', videoCodec: 'h264', targetAudio: 'aac', durationS: 4, engine: 'auto' };
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('sourceColour', () => {
	it('names PQ and HLG as HDR, in ffprobe’s words', () => {
		expect(sourceColour({ primaries: 'bt2020', transfer: 'pq', matrix: 'bt2020-ncl' })).toEqual(PQ);
		expect(sourceColour({ primaries: 'bt2020', transfer: 'hlg', matrix: 'bt2020-ncl' })).toEqual(HLG);
	});
	it('SDR, wide-gamut SDR and an unsaid colour are not HDR', () => {
		expect(sourceColour({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' })).toEqual({ hdr: null, primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' });
		expect(sourceColour({ primaries: 'bt2020', transfer: 'bt709', matrix: 'bt2020-ncl' }).hdr).toBeNull();
		expect(sourceColour({ transfer: 'iec61966-2-1', matrix: 'rgb' })).toEqual({ hdr: null, primaries: null, transfer: 'iec61966-2-1', matrix: 'gbr' });
		expect(sourceColour({})).toEqual({ hdr: null, primaries: null, transfer: null, matrix: null });
		expect(sourceColour(null)).toEqual({ hdr: null, primaries: null, transfer: null, matrix: null });
	});
});

describe('tone mapping in the ffmpeg command lines', () => {
	it('an HDR transcode is linearised at its size, mapped to BT.709 by Hable, 8-bit 4:2:0 and tagged BT.709', () => {
		const a = ffmpegArgs(o, PQ);
		expect(after(a, '-vf')).toBe(
			'zscale=w=1280:h=720:tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,setsar=1'
		);
		expect([after(a, '-color_primaries'), after(a, '-color_trc'), after(a, '-colorspace'), after(a, '-color_range')]).toEqual(['bt709', 'bt709', 'bt709', 'tv']);
		expect(after(a, '-pix_fmt')).toBe('yuv420p');
		expect(after(a, '-movflags')).toBe('+faststart+write_colr');
		expect(a.at(-1)).toBe('out.mp4');
	});
	it('HLG is read as HLG; primaries or matrix zscale does not know fall back to BT.2020', () => {
		expect(after(ffmpegArgs(o, HLG), '-vf')).toMatch(/^zscale=w=1280:h=720:tin=arib-std-b67:pin=bt2020:min=bt2020nc:/);
		expect(toneMapFilter({ hdr: 'pq', primaries: null, transfer: 'smpte2084', matrix: 'gbr' }, 'yuv420p')).toMatch(/^zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear/);
		expect(toneMapFilter({ ...PQ, primaries: 'bt709', matrix: 'bt709' }, 'yuv420p')).toMatch(/^zscale=tin=smpte2084:pin=bt709:min=bt709:/);
	});
	it('SDR (or unknown) colour leaves the command line as it was', () => {
		expect(ffmpegArgs(o, { hdr: null, primaries: 'bt2020', transfer: 'bt709', matrix: 'bt2020nc' })).toEqual(ffmpegArgs(o));
		expect(ffmpegArgs(o, null)).toEqual(ffmpegArgs(o));
		expect(after(ffmpegArgs(o), '-vf')).toBe('scale=1280:720,setsar=1');
		expect(ffmpegArgs(o)).not.toContain('-color_trc');
	});
	it('an HDR poster frame is tone-mapped the same way, to 8-bit RGB marked sRGB, at its own size', () => {
		const a = posterArgs(0.5, HLG);
		expect(after(a, '-vf')).toBe('zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709,format=gbrp,setparams=color_trc=iec61966-2-1');
		expect(a.indexOf('-vf')).toBeGreaterThan(a.indexOf('-i'));
		expect(posterArgs(0.5, null)).not.toContain('-vf');
	});
});

describe('WebCodecs and HDR', () => {
	it('refuses in words naming the kind of HDR', () => {
		expect(hdrRefusal('pq')).toBe('its picture is HDR (PQ), which this engine does not tone-map to SDR');
		expect(hdrRefusal('hlg')).toMatch(/HDR \(HLG\)/);
	});
});

describe("'required' and HDR", () => {
	it('a playable HDR clip is not converted for being HDR (the browser tone-maps it as it plays)', () => {
		const hdrClip = { type: 'video' as const, playable: true, width: 1920, height: 1080, hdr: 'pq' as const };
		const facts: TranscodeFacts = hdrClip;
		expect(needsTranscode(facts, { videoPolicy: 'required', videoTargetHeight: 720 })).toBe(false);
		expect(needsTranscode({ ...facts, playable: false }, { videoPolicy: 'required', videoTargetHeight: 720 })).toBe(true);
	});
});

describe('pqSignal (the test card’s levels)', () => {
	it('follows SMPTE ST 2084: 0 → 0, 10000 nits → 1, 100 nits ≈ 0.508', () => {
		expect(pqSignal(0)).toBeCloseTo(0, 5);
		expect(pqSignal(10000)).toBeCloseTo(1, 6);
		expect(pqSignal(100)).toBeCloseTo(0.508, 3);
	});
});

const bin = nativeFfmpeg();
if (!bin) console.warn('video-hdr: native ffmpeg (@ffmpeg-installer/linux-x64, optional) is absent: the probe of generated HDR clips is skipped');

describe.skipIf(!bin)('probeVideo on HDR clips made by native ffmpeg', () => {
	let dir = '';
	let clips: { pq: string; hlg: string };
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-hdr-'));
		clips = await makeHdrClips(bin!, dir);
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	it('PQ H.264 High 10 in MP4', async () => {
		const p = await probeVideo(await openAsBlob(clips.pq));
		expect({ hdr: p.hdr, primaries: p.colorPrimaries, transfer: p.colorTransfer, matrix: p.colorMatrix }).toEqual({ hdr: 'pq', primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc' });
		expect([p.videoCodec, p.profile, p.pixelFormat]).toEqual(['h264', 'High 10', 'yuv420p10le']);
		expect(await probeColour(await openAsBlob(clips.pq))).toEqual(PQ);
	});
	it('HLG VP9 profile 2 in WebM', async () => {
		const p = await probeVideo(await openAsBlob(clips.hlg));
		expect({ hdr: p.hdr, primaries: p.colorPrimaries, transfer: p.colorTransfer, matrix: p.colorMatrix }).toEqual({ hdr: 'hlg', primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc' });
		expect([p.videoCodec, p.bitDepth]).toEqual(['vp9', 10]);
	});
});
