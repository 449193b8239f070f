// The ffmpeg command line of a transcode (pure, tested in Node).
import type { TranscodeOptions } from '../shared/video-api';

export function ffmpegArgs(o: TranscodeOptions): string[] {
	const audio = o.audioCodec === null ? ['-an'] : o.audioCodec === 'aac' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k'];
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
