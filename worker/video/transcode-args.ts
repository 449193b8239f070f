// The ffmpeg command lines of a transcode and of a poster frame (pure, tested in Node).
import type { TranscodeOptions } from '../shared/video-api';
import { audioPlan } from './output-codecs';

/**
 * The transcode command line: always H.264 (libx264). VP9 and AV1 come only from the browser's own
 * encoders: ffmpeg.wasm 0.12's libvpx traps mid-encode (ffmpegwasm/ffmpeg.wasm#679, seen here too)
 * and its build has no AV1 encoder.
 */
export function ffmpegArgs(o: TranscodeOptions): string[] {
	const plan = audioPlan(o.audioCodec, o.targetAudio);
	const audio = plan === 'none' ? ['-an'] : plan === 'copy' ? ['-c:a', 'copy'] : ['-c:a', plan === 'aac' ? 'aac' : 'libopus', '-b:a', '128k'];
	return [
		'-nostdin', '-y', '-i', 'in',
		// ffmpeg turns the frames by the display matrix (and clears it): width/height are displayed.
		// setsar=1: the size is the displayed one, so pixels are square (an AVI may carry another aspect).
		'-vf', `scale=${o.width}:${o.height},setsar=1`,
		'-c:v', 'libx264', '-preset', o.preset, '-crf', String(o.crf), '-threads', String(Math.max(1, o.threads)),
		'-pix_fmt', 'yuv420p', '-profile:v', 'high',
		...audio,
		'-movflags', '+faststart', 'out.mp4'
	];
}

/** One frame at `atS` as PNG (`-ss` before `-i`: seek to the key frame before, decode up to the time). */
export function posterArgs(atS: number): string[] {
	return ['-nostdin', '-y', '-ss', Math.max(0, atS).toFixed(3), '-i', 'in', '-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2', 'poster.png'];
}
