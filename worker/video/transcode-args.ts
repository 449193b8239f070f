// The ffmpeg command lines of a transcode and of a poster frame (pure, tested in Node).
import type { TranscodeOptions } from '../shared/video-api';
import type { SourceColour } from './colour';
import { audioPlan } from './output-codecs';

/** Names zscale takes as ffprobe prints them; others fall back to BT.2100's own (BT.2020). */
const ZSCALE_PRIMARIES = new Set(['bt709', 'bt470bg', 'smpte170m', 'bt2020', 'smpte432']);
const ZSCALE_MATRIX = new Set(['bt709', 'bt470bg', 'smpte170m', 'bt2020nc']);

/**
 * HDR (PQ or HLG) → SDR BT.709, 8-bit 4:2:0, at `size` when given (zscale and tonemap: the
 * ffmpeg.wasm 0.12 core is built with libzimg). The source's colour is named explicitly, since a
 * decoder does not always pass on what only the container says. Linear light with 100 nits as 1.0,
 * in float; BT.2020 → BT.709 primaries; the Hable curve (Immich's default) without desaturation;
 * tonemap takes the peak from the stream's mastering metadata, else 1000 nits.
 */
export function toneMapFilter(c: SourceColour, out: 'yuv420p' | 'gbrp', size?: { width: number; height: number }): string {
	const tin = c.hdr === 'hlg' ? 'arib-std-b67' : 'smpte2084';
	const pin = c.primaries && ZSCALE_PRIMARIES.has(c.primaries) ? c.primaries : 'bt2020';
	const min = c.matrix && ZSCALE_MATRIX.has(c.matrix) ? c.matrix : 'bt2020nc';
	// Scaling in the first step keeps the float stages at the output's size (a 4K source made 720p).
	const resize = size ? `w=${size.width}:h=${size.height}:` : '';
	// A still marked BT.709 gets a PNG gamma of 1.96 that the browser honours (brighter than the same
	// video plays): marked sRGB, it shows as the transcode does.
	const last = out === 'yuv420p' ? 'zscale=t=bt709:m=bt709:r=tv,format=yuv420p' : 'zscale=t=bt709,format=gbrp,setparams=color_trc=iec61966-2-1';
	return [
		`zscale=${resize}tin=${tin}:pin=${pin}:min=${min}:t=linear:npl=100`,
		'format=gbrpf32le',
		'zscale=p=bt709',
		'tonemap=tonemap=hable:desat=0',
		last
	].join(',');
}

/**
 * The transcode command line: always H.264 (libx264). VP9 and AV1 come only from the browser's own
 * encoders: ffmpeg.wasm 0.12's libvpx traps mid-encode (ffmpegwasm/ffmpeg.wasm#679, seen here too)
 * and its build has no AV1 encoder.
 */
export function ffmpegArgs(o: TranscodeOptions, colour: SourceColour | null = null): string[] {
	const plan = audioPlan(o.audioCodec, o.targetAudio);
	const audio = plan === 'none' ? ['-an'] : plan === 'copy' ? ['-c:a', 'copy'] : ['-c:a', plan === 'aac' ? 'aac' : 'libopus', '-b:a', '128k'];
	const size = { width: o.width, height: o.height };
	// An HDR source is tone-mapped and the output says it is BT.709 (in the stream and in the MP4's colr box).
	const hdr = colour?.hdr ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'] : [];
	return [
		'-nostdin', '-y', '-i', 'in',
		// ffmpeg turns the frames by the display matrix (and clears it): width/height are displayed.
		// setsar=1: the size is the displayed one, so pixels are square (an AVI may carry another aspect).
		'-vf', `${colour?.hdr ? toneMapFilter(colour, 'yuv420p', size) : `scale=${o.width}:${o.height}`},setsar=1`,
		'-c:v', 'libx264', '-preset', o.preset, '-crf', String(o.crf), '-threads', String(Math.max(1, o.threads)),
		'-pix_fmt', 'yuv420p', '-profile:v', 'high',
		...hdr,
		...audio,
		'-movflags', colour?.hdr ? '+faststart+write_colr' : '+faststart', 'out.mp4'
	];
}

/**
 * One frame at `atS` as PNG (`-ss` before `-i`: seek to the key frame before, decode up to the time);
 * an HDR frame tone-mapped as its transcode is.
 */
export function posterArgs(atS: number, colour: SourceColour | null = null): string[] {
	const tone = colour?.hdr ? ['-vf', toneMapFilter(colour, 'gbrp')] : [];
	return ['-nostdin', '-y', '-ss', Math.max(0, atS).toFixed(3), '-i', 'in', '-frames:v', '1', ...tone, '-update', '1', '-c:v', 'png', '-f', 'image2', 'poster.png'];
}
