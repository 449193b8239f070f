// HDR test clips made by native ffmpeg (the optional @ffmpeg-installer/linux-x64 binary) from a test
// card written here: a row of grey patches at known HDR levels above four colour patches. PQ in
// H.264 High 10 (MP4), HLG in VP9 profile 2 (WebM): both 10-bit BT.2020, tagged in the stream and the
// container. Shared by the unit tests (probe) and the e2e test (conversion).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const CARD = { width: 640, height: 360, fps: 24, seconds: 2, greys: 8 } as const;
/** Grey patches of the PQ clip, in nits (cd/m²): 203 is HDR reference white (ITU-R BT.2408). */
export const PQ_NITS = [0, 5, 50, 100, 203, 400, 1000, 4000];
/** Grey patches of the HLG clip, as signal levels (0.75 is reference white). */
export const HLG_LEVELS = [0, 0.1, 0.3, 0.5, 0.6, 0.75, 0.9, 1];
/** The colour patches' RGB as fractions of the reference-white signal: red, green, blue, a warm tone. */
export const COLOURS = [
	[1, 0.3, 0.3],
	[0.3, 1, 0.3],
	[0.3, 0.3, 1],
	[1, 0.8, 0.6]
];

/** The native binary, or null where the optional dependency is not installed. */
export function nativeFfmpeg(): string | null {
	const bin = join(REPO, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
	if (!existsSync(bin)) return null;
	chmodSync(bin, 0o755); // its postinstall (chmod) may not have run
	return bin;
}

/** SMPTE ST 2084 inverse EOTF: nits → signal 0–1. */
export function pqSignal(nits: number): number {
	const [m1, m2, c1, c2, c3] = [0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875];
	const y = (nits / 10000) ** m1;
	return ((c1 + c2 * y) / (1 + c3 * y)) ** m2;
}

/** One 10-bit 4:2:0 frame (yuv420p10le, limited range, BT.2020 matrix) of the card. */
function card(greys: number[], white: number): Buffer {
	const { width: W, height: H } = CARD;
	const y = new Uint16Array(W * H);
	const u = new Uint16Array((W * H) / 4);
	const v = new Uint16Array((W * H) / 4);
	for (let row = 0; row < H; row++) {
		for (let col = 0; col < W; col++) {
			const rgb = row < H / 2 ? [0, 0, 0].map(() => greys[Math.floor((col * CARD.greys) / W)]) : COLOURS[Math.floor((col * COLOURS.length) / W)].map((f) => f * white);
			const luma = 0.2627 * rgb[0] + 0.678 * rgb[1] + 0.0593 * rgb[2];
			y[row * W + col] = Math.round(64 + 876 * luma);
			if (row % 2 === 0 && col % 2 === 0) {
				const i = (row / 2) * (W / 2) + col / 2;
				u[i] = Math.round(512 + (896 * (rgb[2] - luma)) / 1.8814);
				v[i] = Math.round(512 + (896 * (rgb[0] - luma)) / 1.4746);
			}
		}
	}
	return Buffer.concat([y, u, v].map((a) => Buffer.from(a.buffer)));
}

export function runFfmpeg(bin: string, args: string[], cwd?: string): Promise<void> {
	return new Promise((ok, fail) => {
		const p = spawn(bin, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
		let err = '';
		p.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
		p.on('error', fail);
		p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`ffmpeg exited ${code}: ${err}`))));
	});
}

/** Writes hdr_pq.mp4 and hdr_hlg.webm into `dir`; their paths. */
export async function makeHdrClips(bin: string, dir: string): Promise<{ pq: string; hlg: string }> {
	const raw = (file: string) => ['-f', 'rawvideo', '-pix_fmt', 'yuv420p10le', '-s', `${CARD.width}x${CARD.height}`, '-r', String(CARD.fps), '-stream_loop', String(CARD.fps * CARD.seconds - 1), '-i', file];
	const tags = (trc: string) => ['-pix_fmt', 'yuv420p10le', '-color_primaries', 'bt2020', '-color_trc', trc, '-colorspace', 'bt2020nc', '-color_range', 'tv'];
	await writeFile(join(dir, 'pq.yuv'), card(PQ_NITS.map(pqSignal), pqSignal(203)));
	await writeFile(join(dir, 'hlg.yuv'), card(HLG_LEVELS, 0.75));
	const pq = join(dir, 'hdr_pq.mp4');
	const hlg = join(dir, 'hdr_hlg.webm');
	await runFfmpeg(bin, [...raw(join(dir, 'pq.yuv')), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', ...tags('smpte2084'), '-movflags', '+write_colr', pq]);
	await runFfmpeg(bin, [...raw(join(dir, 'hlg.yuv')), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-crf', '20', '-b:v', '0', ...tags('arib-std-b67'), hlg]);
	return { pq, hlg };
}

export interface Patches {
	/** Mean luma (Rec. 601 weights, 0–255) of each grey patch, left to right. */
	greys: number[];
	/** Mean [r, g, b] of each colour patch. */
	colours: number[][];
}

/** The card's patches measured in an RGBA picture of it at any size (the middle of each patch). */
export function measureCard(rgba: ArrayLike<number>, width: number, height: number): Patches {
	const mean = (x0: number, x1: number, y0: number, y1: number) => {
		const s = [0, 0, 0];
		let n = 0;
		for (let y = Math.round(y0 * height); y < Math.round(y1 * height); y++) {
			for (let x = Math.round(x0 * width); x < Math.round(x1 * width); x++) {
				for (let c = 0; c < 3; c++) s[c] += rgba[(y * width + x) * 4 + c];
				n++;
			}
		}
		return s.map((t) => t / n);
	};
	const cell = (i: number, count: number, y0: number, y1: number) => mean((i + 0.25) / count, (i + 0.75) / count, y0, y1);
	const greys = Array.from({ length: CARD.greys }, (_, i) => {
		const [r, g, b] = cell(i, CARD.greys, 0.1, 0.4);
		return 0.299 * r + 0.587 * g + 0.114 * b;
	});
	return { greys, colours: COLOURS.map((_, i) => cell(i, COLOURS.length, 0.6, 0.9)) };
}
