// Video conversion speed: the app's engines in Chromium (WebCodecs, ffmpeg.wasm multi-thread, 'auto',
// the default, which picks per clip, and ffmpeg.wasm single-thread in a page without isolation) beside
// native ffmpeg (the @ffmpeg-installer binary) making the same 720p H.264 from the same clips with the
// same command line (worker/video/transcode-args.ts).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserVersion, launch } from './browser.mjs';
import { mediaDir, readStore, waitForImport } from './thumbnails.mjs';
import { importTs } from './ts-module.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../..');
const TARGET = 720;

/** The app's own ffmpeg command line (TypeScript bundled with its imports), so both sides run the same one. */
const appArgs = () => importTs('worker/video/transcode-args.ts');

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
			const app = ffmpegArgs({ width: c.width, height: c.height, crf: 23, preset: 'ultrafast', threads, audioCodec: c.audio, videoCodec: 'h264', targetAudio: 'aac', durationS: c.durationS, engine: 'ffmpeg' }).map((a) =>
				a === 'in' ? c.path : a
			);
			// ffmpeg 4.1 calls Opus copied into MP4 experimental (later ones, the wasm core's too, do not).
			const args = [...app.slice(0, -1), '-strict', 'experimental', app.at(-1)];
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

/**
 * Every clip converted by the app under each engine setting: seconds per clip (from the worker) and the
 * engine used. `isolated: false` is the page served without COOP/COEP, with service workers blocked
 * (the app's one adds the headers to what it serves, which would isolate the page again).
 */
async function app(baseURL, clips, engines, threads, log, { isolated = true } = {}) {
	const profile = await mkdtemp(join(tmpdir(), 'shoebox-bench-video-'));
	const { context, page } = await launch(profile, isolated ? {} : { serviceWorkers: 'block' });
	const lines = [];
	page.on('console', (m) => {
		const t = m.text();
		if (t.startsWith('transcode ')) lines.push(t);
	});
	try {
		await page.goto(new URL('/settings', baseURL).href);
		if ((await page.evaluate(() => self.crossOriginIsolated)) !== isolated) throw new Error(`the page's crossOriginIsolated is not ${isolated}`);
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
			if ((await page.evaluate(() => self.crossOriginIsolated)) !== isolated) throw new Error(`the page's crossOriginIsolated is not ${isolated}`);
			const per = new Map();
			const ids = new Set();
			for (const l of lines) {
				// "transcode <id>: <engine> <output codec> in <s> s…" (video-handlers.ts)
				const m = /^transcode (\S+): (\S+) \S+ in ([\d.]+) s/.exec(l);
				if (!m) continue;
				ids.add(m[1]);
				per.set(clips.find((c) => c.name.endsWith(nameOf.get(m[1])))?.name, { engine: m[2], seconds: Number(m[3]) });
			}
			// The rows say which engine made each transcode: the single-thread core without isolation.
			const rows = (await readStore(page, 'assets')).filter((a) => ids.has(a.id));
			if (!isolated && (!rows.length || rows.some((a) => a.transcodeEngine !== 'ffmpeg-st')))
				throw new Error(`not isolated, engine ${engine}: transcodeEngine ${rows.map((a) => `${a.originalName} ${a.transcodeEngine}`).join(', ') || 'none'}`);
			log(`  app${isolated ? '' : ' (not isolated)'}, engine setting ${engine}: ${[...per].map(([n, r]) => `${n.replace('video/', '')} ${r.engine} ${r.seconds.toFixed(2)} s`).join(', ')}`);
			out[engine] = per;
		}
		return out;
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
}

/** `plainURL`: the same build served without cross-origin isolation, for the single-thread core. */
export async function transcodeBench({ baseURL, plainURL, log, passes = 2 }) {
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
	// The single-thread core: the app loads it only in a page that is not cross-origin isolated, and
	// runs it with threads=1 whatever videoThreads says (worker/video/ffmpeg-engine.ts).
	if (plainURL) log('  app, single-thread ffmpeg.wasm core: a fresh browser on the build served without COOP/COEP (threads=1, as the app runs that core)…');
	if (plainURL) apps.ffmpegSt = (await app(plainURL, clips, ['ffmpeg'], threads, log, { isolated: false })).ffmpeg;
	return { clips, threads, native: nativeRuns, app: apps, chromium, ffmpegVersion: bin ? 'ffmpeg 4.1 (@ffmpeg-installer/linux-x64)' : null };
}

/** Seconds of video per second over the clips a run converted. */
export function speedOver(clips, secondsByClip) {
	const done = clips.filter((c) => secondsByClip.has(c.name));
	const video = done.reduce((s, c) => s + c.durationS, 0);
	const wall = done.reduce((s, c) => s + (typeof secondsByClip.get(c.name) === 'number' ? secondsByClip.get(c.name) : secondsByClip.get(c.name).seconds), 0);
	return { clips: done.length, video, wall, speed: wall > 0 ? video / wall : 0 };
}
