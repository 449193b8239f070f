// The ffmpeg.wasm engine: the core runs in the calling worker (so cancelling = terminating that worker
// ends ffmpeg and its threads at once). The cores are static files (scripts/ffmpeg-cores.mjs →
// /ffmpeg/mt/, /ffmpeg/st/), loaded by absolute URL: the multi-thread core when the page is
// cross-origin isolated, the single-thread one otherwise. The original is not copied into ffmpeg's
// memory: a WORKERFS mount reads it from its Blob as ffmpeg asks (a file of several GB works); the
// output, far smaller, is made in memory and read back whole.
import { MediaError } from '../shared/errors';
import type { TranscodeOptions, TranscodeProgress } from '../shared/video-api';
import type { SourceColour } from './colour';
import { ffmpegArgs, posterArgs } from './transcode-args';

interface FFmpegCore {
	FS: {
		readFile(path: string): Uint8Array;
		unlink(path: string): void;
		mkdir(path: string): void;
		symlink(target: string, path: string): void;
		mount(type: unknown, opts: { blobs: Array<{ name: string; data: Blob }> }, mountpoint: string): void;
		unmount(mountpoint: string): void;
		filesystems: { WORKERFS: unknown };
	};
	exec(...args: string[]): number;
	ret: number;
	reset(): void;
	setLogger(fn: (l: { type: string; message: string }) => void): void;
	setProgress(fn: (p: { progress: number; time: number }) => void): void;
	setTimeout(ms: number): void;
}

const LOAD_TIMEOUT_MS = 60_000;
let core: { ffmpeg: FFmpegCore; kind: 'mt' | 'st' } | null = null;
let log: string[] = [];
let progress: ((p: TranscodeProgress) => void) | null = null;

async function loadCore(): Promise<{ ffmpeg: FFmpegCore; kind: 'mt' | 'st' }> {
	if (core) return core;
	const kind = self.crossOriginIsolated ? 'mt' : 'st';
	const base = new URL(`/ffmpeg/${kind}/`, self.location.origin).href;
	const coreURL = `${base}ffmpeg-core.js`;
	const wasmURL = `${base}ffmpeg-core.wasm`;
	const workerURL = `${base}ffmpeg-core.worker.js`;
	const load = (async () => {
		const create = (await import(/* @vite-ignore */ coreURL)).default as (o: object) => Promise<FFmpegCore>;
		// As @ffmpeg/ffmpeg's own worker does: the wasm and pthread-worker URLs ride in the script URL.
		return create({ mainScriptUrlOrBlob: `${coreURL}#${btoa(JSON.stringify({ wasmURL, workerURL }))}` });
	})();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new MediaError(`The video converter (ffmpeg.wasm) did not load within ${LOAD_TIMEOUT_MS / 1000} s.`, false)), LOAD_TIMEOUT_MS);
	});
	try {
		const ffmpeg = await Promise.race([load, timeout]);
		ffmpeg.setLogger(({ message }) => {
			log.push(message);
			if (log.length > 200) log = log.slice(-100);
		});
		ffmpeg.setProgress(({ progress: p }) => {
			if (Number.isFinite(p) && p >= 0 && p <= 1) progress?.({ ratio: p });
		});
		core = { ffmpeg, kind };
		return core;
	} catch (err) {
		if (err instanceof MediaError) throw err;
		throw new MediaError(`The video converter (ffmpeg.wasm) could not be loaded: ${err instanceof Error ? err.message : String(err)}`, false);
	} finally {
		clearTimeout(timer);
	}
}

/** ffmpeg's own words for why it failed: the last lines that look like an error. */
function failureText(lines: string[]): string {
	const bad = lines.filter((l) => /error|invalid|moov atom|no such|could not|failed|corrupt|unsupported/i.test(l));
	const pick = (bad.length ? bad : lines).slice(-3).map((l) => l.trim()).filter(Boolean);
	return pick.join(' — ') || 'unknown error';
}

const INPUT_DIR = '/input';

/** `file` readable as 'in' in ffmpeg's working folder: a link into a WORKERFS mount of the Blob. */
function mountInput(ffmpeg: FFmpegCore, file: Blob) {
	try {
		ffmpeg.FS.mkdir(INPUT_DIR);
	} catch {
		/* made by an earlier run */
	}
	ffmpeg.FS.mount(ffmpeg.FS.filesystems.WORKERFS, { blobs: [{ name: 'in', data: file }] }, INPUT_DIR);
	ffmpeg.FS.symlink(`${INPUT_DIR}/in`, 'in');
}

function unmountInput(ffmpeg: FFmpegCore) {
	try {
		ffmpeg.FS.unlink('in');
		ffmpeg.FS.unmount(INPUT_DIR);
	} catch {
		/* not mounted */
	}
}

/** Runs one ffmpeg command on `file` (as 'in') and returns the bytes of `outName`. */
async function run(file: Blob, args: (kind: 'mt' | 'st') => string[], outName: string, what: string, onProgress?: (p: TranscodeProgress) => void) {
	const { ffmpeg, kind } = await loadCore();
	log = [];
	progress = onProgress ?? null;
	mountInput(ffmpeg, file);
	try {
		ffmpeg.setTimeout(-1);
		let ret: number;
		try {
			ffmpeg.exec(...args(kind));
			ret = ffmpeg.ret;
			ffmpeg.reset();
		} catch (err) {
			core = null; // a trap leaves the core unusable: the next job loads a fresh one
			const trap = err instanceof Error ? err.message : String(err);
			throw new MediaError(`${what} failed: the converter stopped (${trap}) after: ${failureText(log)}`, true);
		}
		if (ret !== 0) throw new MediaError(`${what} failed: ${failureText(log)}`, true);
		let out: Uint8Array;
		try {
			out = ffmpeg.FS.readFile(outName);
		} catch {
			out = new Uint8Array();
		}
		if (out.byteLength === 0) throw new MediaError(`${what} produced nothing: ${failureText(log)}`, true);
		return { out, kind };
	} finally {
		progress = null;
		unmountInput(ffmpeg);
		try {
			ffmpeg.FS.unlink(outName);
		} catch {
			/* not there */
		}
	}
}

/**
 * The MP4 bytes of `file` converted under `o` (H.264 whatever `o.videoCodec` says), and which core
 * made them. An HDR `colour` is tone-mapped to SDR BT.709.
 */
export function transcodeFfmpeg(file: Blob, o: TranscodeOptions, colour: SourceColour | null, onProgress?: (p: TranscodeProgress) => void): Promise<{ out: Uint8Array; kind: 'mt' | 'st' }> {
	return run(file, (kind) => ffmpegArgs(kind === 'mt' ? o : { ...o, threads: 1 }, colour), 'out.mp4', 'Conversion', onProgress);
}

/** One frame at `atS` seconds as a PNG at the displayed size (ffmpeg applies the rotation; HDR tone-mapped). */
export async function frameFfmpeg(file: Blob, atS: number, colour: SourceColour | null): Promise<Uint8Array> {
	return (await run(file, () => posterArgs(atS, colour), 'poster.png', 'Reading a frame for the poster')).out;
}
