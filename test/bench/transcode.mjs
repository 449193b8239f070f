// Video conversion speed: the app's engines in Chromium (WebCodecs, ffmpeg.wasm, and 'auto', the
// default, which picks per clip) beside native ffmpeg (the @ffmpeg-installer binary) making the same
// 720p H.264 from the same clips with the same command line (worker/video/transcode-args.ts).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/experimental';
import { browserVersion, launch } from './browser.mjs';
import { mediaDir, readStore, waitForImport } from './thumbnails.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../..');
const TARGET = 720;

/** The app's own ffmpeg command line (TypeScript, types stripped here), so both sides run the same one. */
async function appArgs() {
	const file = join(REPO, 'worker/video/transcode-args.ts');
	const { code } = transformSync(file, await readFile(file, 'utf8'));
	return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

function nativeFfmpeg() {
	const bin = join(REPO, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
	if (!existsSync(bin)) return null;
	chmodSync(bin, 0o755); // its postinstall (chmod) may not have run
	return bin;
}

/** Same rounding as the app's targetSize: shorter side to the target, never up, even sides. */
function target(w, h) {
	const scale = Math.min(1, TARGET / Math.min(w, h));
	const even = (n) => Math.max(2, Math.round((n * scale) / 2) * 2);
	return { width: even(w), height: even(h) };
}

async function clipsOf(media) {
	const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8'));
	return manifest.files
		.filter((f) => f.kind === 'video')
		.map((f) => ({ path: join(media, f.path), name: f.path, durationS: f.expect.duration_s, audio: f.expect.audio_codec ?? null, ...target(f.expect.display_width, f.expect.display_height) }));
}

function run(bin, args, cwd) {
	return new Promise((ok, fail) => {
		const p = spawn(bin, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
		let err = '';
		p.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
		p.on('error', fail);
		p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`ffmpeg exited ${code}: ${err}`))));
	});
}

/** Native ffmpeg on every clip, `threads` encoder threads: seconds per clip (best of `passes`). */
async function native(bin, ffmpegArgs, clips, threads, passes) {
	const dir = await mkdtemp(join(tmpdir(), 'shoebox-bench-ffmpeg-'));
	try {
		const out = new Map();
		for (const c of clips) {
			const args = ffmpegArgs({ width: c.width, height: c.height, crf: 23, preset: 'ultrafast', threads, audioCodec: c.audio, videoCodec: 'h264', targetAudio: 'aac', durationS: c.durationS, engine: 'ffmpeg' }).map((a) =>
				a === 'in' ? c.path : a
			);
			let best = Infinity;
			for (let i = 0; i < passes; i++) {
				const t0 = performance.now();
				await run(bin, args, dir);
				best = Math.min(best, (performance.now() - t0) / 1000);
			}
			out.set(c.name, best);
		}
		return out;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function setChoice(page, key, value) {
	await page.getByTestId(`setting-${key}`).selectOption(value);
	await stored(page, key, value);
}

/** Waits until a setting is written to IndexedDB (a write in flight is lost on navigation). */
function stored(page, key, value) {
	return page.waitForFunction(
		({ key, value }) =>
			new Promise((ok) => {
				const req = indexedDB.open('shoebox');
				req.onsuccess = () => {
					const get = req.result.transaction('settings').objectStore('settings').get(key);
					get.onsuccess = () => {
						req.result.close();
						ok(get.result?.value === value);
					};
				};
			}),
		{ key, value },
		{ polling: 100, timeout: 15_000 }
	);
}

async function waitIdle(page, timeoutMs = 900_000) {
	const deadline = Date.now() + timeoutMs;
	let streak = 0;
	while (Date.now() < deadline) {
		const idle = await page.evaluate(() =>
			[...document.querySelectorAll('[data-testid^="queue-"][data-active]')].every((el) => el.dataset.active === '0' && el.dataset.waiting === '0')
		);
		streak = idle ? streak + 1 : 0;
		if (streak >= 4) return;
		await page.waitForTimeout(500);
	}
	throw new Error('queues not idle');
}

/** Every clip converted by the app under each engine setting: seconds per clip (from the worker) and the engine used. */
async function app(baseURL, clips, engines, threads, log) {
	const profile = await mkdtemp(join(tmpdir(), 'shoebox-bench-video-'));
	const { context, page } = await launch(profile);
	const lines = [];
	page.on('console', (m) => {
		const t = m.text();
		if (t.startsWith('transcode ')) lines.push(t);
	});
	try {
		await page.goto(new URL('/settings', baseURL).href);
		const ml = page.getByTestId('setting-ml-enabled');
		if (await ml.isChecked()) await ml.uncheck();
		await setChoice(page, 'videoPolicy', 'all');
		// The same encoder thread count as the native baseline (the app's default is one less than the cores).
		const threadsInput = page.getByTestId('setting-videoThreads');
		await threadsInput.fill(String(threads));
		await threadsInput.dispatchEvent('change');
		await stored(page, 'videoThreads', threads);
		await page.goto(new URL('/', baseURL).href);
		await page.getByTestId('import-input').setInputFiles(clips.map((c) => c.path));
		await waitForImport(page, clips.length);
		await page.goto(new URL('/jobs', baseURL).href);
		await waitIdle(page);
		const assets = await readStore(page, 'assets');
		const nameOf = new Map(assets.map((a) => [a.id, a.originalName]));
		const out = { chromium: await browserVersion(context) };
		for (const engine of engines) {
			await page.goto(new URL('/settings', baseURL).href);
			await setChoice(page, 'videoEngine', engine);
			await page.goto(new URL('/jobs', baseURL).href);
			lines.length = 0;
			await page.locator('[data-testid="queue-videoConversion"] [data-testid="queue-all"]').click();
			await page.waitForTimeout(1000);
			await waitIdle(page);
			const per = new Map();
			for (const l of lines) {
				const m = /^transcode (\S+): (\S+) in ([\d.]+) s/.exec(l);
				if (m) per.set(clips.find((c) => c.name.endsWith(nameOf.get(m[1])))?.name, { engine: m[2], seconds: Number(m[3]) });
			}
			log(`  app, engine setting ${engine}: ${[...per].map(([n, r]) => `${n.replace('video/', '')} ${r.engine} ${r.seconds.toFixed(2)} s`).join(', ')}`);
			out[engine] = per;
		}
		return out;
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
}

export async function transcodeBench({ baseURL, log, passes = 2 }) {
	const media = mediaDir();
	if (!existsSync(join(media, 'MANIFEST.json'))) throw new Error(`no video corpus at ${media}`);
	const clips = await clipsOf(media);
	const threads = cpus().length; // set in the app too (its videoThreads)
	const bin = nativeFfmpeg();
	const { ffmpegArgs } = await appArgs();
	const nativeRuns = {};
	if (bin) {
		for (const t of [1, threads]) {
			nativeRuns[t] = await native(bin, ffmpegArgs, clips, t, passes);
			log(`  native ffmpeg, ${t} thread(s): ${[...nativeRuns[t]].map(([n, s]) => `${n.replace('video/', '')} ${s.toFixed(2)} s`).join(', ')}`);
		}
	} else log('  native ffmpeg: @ffmpeg-installer/linux-x64 is not installed here (an optional dependency): no baseline');
	const { chromium, ...apps } = await app(baseURL, clips, ['webcodecs', 'ffmpeg', 'auto'], threads, log);
	return { clips, threads, native: nativeRuns, app: apps, chromium, ffmpegVersion: bin ? 'ffmpeg 4.1 (@ffmpeg-installer/linux-x64)' : null };
}

/** Seconds of video per second over the clips a run converted. */
export function speedOver(clips, secondsByClip) {
	const done = clips.filter((c) => secondsByClip.has(c.name));
	const video = done.reduce((s, c) => s + c.durationS, 0);
	const wall = done.reduce((s, c) => s + (typeof secondsByClip.get(c.name) === 'number' ? secondsByClip.get(c.name) : secondsByClip.get(c.name).seconds), 0);
	return { clips: done.length, video, wall, speed: wall > 0 ? video / wall : 0 };
}
