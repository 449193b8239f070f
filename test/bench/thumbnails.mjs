// Thumbnail throughput: the app's real pipeline in Chromium (OPFS read → media worker decode →
// resize → encode → OPFS write → IndexedDB row), driven through its UI, beside sharp (libvips)
// making the same outputs from the same photos.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { browserThreadCpu, cpuDelta, launch, rendererPeakMiB } from './browser.mjs';
import { makeDerivatives } from './sharp-thumbs.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../..');
/** HEIC/HEIF are left out on both sides: sharp's prebuilt libvips has no HEVC decoder. */
const FORMATS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif']);

export const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- photos ---------------------------------------------------------------------------------

export function mediaDir() {
	return resolve(process.env.SHOEBOX_MEDIA_DIR ?? join(REPO, '../shared/media'));
}

/** A few large camera-sized JPEGs, for a machine without the shared media folder. */
async function generatePhotos() {
	const dir = await mkdtemp(join(tmpdir(), 'shoebox-bench-photos-'));
	const sizes = [
		[6000, 4000],
		[4032, 3024],
		[4000, 6000],
		[3264, 2448],
		[2592, 1944],
		[4608, 3456]
	];
	const files = [];
	for (const [i, [w, h]] of sizes.entries()) {
		// Noise plus gradients, so the encoders have real work to do.
		const noise = await sharp({ create: { width: w, height: h, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
			.blur(1.5)
			.toBuffer();
		const file = join(dir, `generated_${i}_${w}x${h}.jpg`);
		await sharp(noise, { raw: { width: w, height: h, channels: 3 } })
			.jpeg({ quality: 90 })
			.withMetadata({ orientation: i % 3 === 2 ? 6 : 1 })
			.toFile(file);
		files.push(file);
	}
	return { dir, files, generated: true };
}

/**
 * The benchmark's photos: JPEG/PNG/WebP/GIF of media/photos (byte-identical copies once, as the
 * app's import dedupes them), or generated JPEGs when the media folder is absent.
 */
export async function listPhotos() {
	const dir = join(mediaDir(), 'photos');
	if (!existsSync(dir)) return generatePhotos();
	const seen = new Set();
	const files = [];
	const skipped = [];
	for (const name of (await readdir(dir)).sort()) {
		const file = join(dir, name);
		if (!FORMATS.has(extname(name).toLowerCase())) {
			skipped.push(name);
			continue;
		}
		const sha = createHash('sha1').update(await readFile(file)).digest('hex');
		if (seen.has(sha)) continue;
		seen.add(sha);
		files.push(file);
	}
	return { dir, files, skipped, generated: false };
}

/** Pixel count (as displayed) of each file; files sharp cannot read are reported, not counted. */
export async function describe(files) {
	let pixels = 0;
	const unreadable = [];
	for (const f of files) {
		try {
			const m = await sharp(f).metadata();
			pixels += m.width * (m.pageHeight ?? m.height);
		} catch (e) {
			unreadable.push(`${basename(f)}: ${e.message}`);
		}
	}
	return { megapixels: pixels / 1e6, unreadable };
}

/** One in-process pass with sharp that keeps the files both sides can really process. */
export async function checkWithSharp(files) {
	const out = await mkdtemp(join(tmpdir(), 'shoebox-bench-check-'));
	const ok = [];
	const failed = [];
	try {
		for (const [i, f] of files.entries()) {
			try {
				await makeDerivatives(f, out, `c${i}`);
				ok.push(f);
			} catch (e) {
				failed.push({ file: f, error: String(e.message ?? e) });
			}
		}
	} finally {
		await rm(out, { recursive: true, force: true });
	}
	return { ok, failed };
}

// ---- sharp ----------------------------------------------------------------------------------

/** N sharp processes sharing one queue of files (each takes the next file when it is free). */
class SharpPool {
	constructor({ processes, threads, mode, outDir }) {
		this.children = [];
		this.opts = { processes, threads, mode, outDir };
		this.nextId = 0;
		this.pending = new Map();
	}

	async start() {
		const { processes, threads, mode, outDir } = this.opts;
		const script = join(HERE, 'sharp-thumbs.mjs');
		await Promise.all(
			Array.from({ length: processes }, (_, i) => {
				const child = fork(script, [], {
					env: {
						...process.env,
						SHARP_BENCH_CHILD: '1',
						SHARP_THREADS: String(threads),
						SHARP_MODE: mode,
						SHARP_OUT_DIR: join(outDir, `p${i}`),
						// One image at a time per process: libuv's pool never runs two pipelines at once.
						UV_THREADPOOL_SIZE: String(Math.max(1, threads))
					},
					stdio: ['ignore', 'inherit', 'inherit', 'ipc']
				});
				this.children.push(child);
				child.on('message', (m) => {
					const p = this.pending.get(m.id);
					if (p) {
						this.pending.delete(m.id);
						p(m);
					}
				});
				return new Promise((ok, fail) => {
					child.once('message', (m) => (m.ready ? ok() : fail(new Error('sharp child did not start'))));
					child.once('error', fail);
				});
			})
		);
	}

	ask(child, msg) {
		const id = this.nextId++;
		return new Promise((ok) => {
			this.pending.set(id, ok);
			child.send({ ...msg, id });
		});
	}

	/** One pass over `files`; resolves with seconds and failures. */
	async pass(files) {
		let next = 0;
		const failures = [];
		const t0 = performance.now();
		await Promise.all(
			this.children.map(async (child) => {
				for (;;) {
					const i = next++;
					if (i >= files.length) return;
					const r = await this.ask(child, { file: files[i], name: `img${i}` });
					if (!r.ok) failures.push(`${basename(files[i])}: ${r.error}`);
				}
			})
		);
		return { seconds: (performance.now() - t0) / 1000, failures };
	}

	async peakMiB() {
		const peaks = await Promise.all(this.children.map((c) => this.ask(c, { cmd: 'peak' })));
		const v = peaks.map((p) => p.peakMiB).filter((x) => x != null);
		return v.length ? Math.max(...v) : null;
	}

	/** CPU seconds the sharp processes have used so far (Linux; 0 elsewhere). */
	cpuSeconds() {
		let sum = 0;
		for (const c of this.children) {
			try {
				const stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
				const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				sum += (Number(f[11]) + Number(f[12])) / 100;
			} catch {
				// not Linux
			}
		}
		return sum;
	}

	close() {
		for (const c of this.children) c.send({ cmd: 'exit' });
	}
}

// ---- the app --------------------------------------------------------------------------------

async function gotoApp(page, baseURL, path) {
	await page.goto(new URL(path, baseURL).href);
	await page.getByTestId('import-input').waitFor({ state: 'attached' });
}

/** Client-side navigation through the app's own links (keeps the engine and its workers). */
async function navigate(page, baseURL, path) {
	const link = page.locator(`a[href="${path}"]`).first();
	if (await link.count()) {
		await link.click();
		await page.waitForURL((u) => u.pathname === path);
	} else {
		await gotoApp(page, baseURL, path);
	}
}

const tileOf = (q) => `[data-testid="queue-${q}"]`;

async function readTile(page, q) {
	return page.evaluate((sel) => {
		const el = document.querySelector(sel);
		if (!el) return null;
		const n = (k) => Number(el.dataset[k]);
		return { active: n('active'), waiting: n('waiting'), failed: n('failed'), done: n('done') };
	}, tileOf(q));
}

/** On /jobs: waits until both queues are idle (several polls in a row), with at least `minDone` finished. */
async function waitQueuesIdle(page, minDone, timeoutMs = 600_000) {
	const deadline = Date.now() + timeoutMs;
	let streak = 0;
	let last;
	while (Date.now() < deadline) {
		last = { m: await readTile(page, 'metadataExtraction'), t: await readTile(page, 'thumbnailGeneration') };
		const idle = [last.m, last.t].every((s) => s && s.active === 0 && s.waiting === 0 && s.done + s.failed >= minDone);
		streak = idle ? streak + 1 : 0;
		if (streak >= 4) return last;
		await page.waitForTimeout(250);
	}
	throw new Error(`queues not idle: ${JSON.stringify(last)}`);
}

/** Reads rows straight from the app's IndexedDB (read-only; used for timing and checks). */
export function readStore(page, store) {
	return page.evaluate(
		(store) =>
			new Promise((ok, fail) => {
				const req = indexedDB.open('shoebox');
				req.onerror = () => fail(req.error);
				req.onsuccess = () => {
					const db = req.result;
					const get = db.transaction(store).objectStore(store).getAll();
					get.onsuccess = () => {
						db.close();
						ok(get.result);
					};
					get.onerror = () => fail(get.error);
				};
			}),
		store
	);
}

/** "HeadlessChrome/156.0.8078.79" (the user agent only carries the major version). */
/** Waits until no job of any queue is waiting or running (the ML jobs that followed the import must not run beside the timed passes). */
export async function settle(page, log, timeoutMs = 600_000) {
	const deadline = Date.now() + timeoutMs;
	let streak = 0;
	let busy = [];
	while (Date.now() < deadline) {
		busy = (await readStore(page, 'jobs')).filter((j) => j.status === 'waiting' || j.status === 'active');
		streak = busy.length ? 0 : streak + 1;
		if (streak >= 3) return;
		await page.waitForTimeout(500);
	}
	log(`    warning: jobs still busy after ${timeoutMs / 1000} s: ${[...new Set(busy.map((j) => j.queue))].join(', ')}`);
}

async function browserProduct(context, page) {
	try {
		const cdp = await context.newCDPSession(page);
		return (await cdp.send('Browser.getVersion')).product;
	} catch {
		return page.evaluate(() => navigator.userAgent);
	}
}

/** Waits until the import of `n` files that runs in this page has finished (leaving the page would stop it). */
export function waitForImport(page, n, timeout = 600_000) {
	return page.waitForFunction(
		(n) => {
			const el = document.querySelector('[data-testid="import-progress"]');
			return !!el && el.dataset.running === 'false' && Number(el.dataset.total) === n && el.dataset.processed === el.dataset.total;
		},
		n,
		{ polling: 100, timeout }
	);
}

/**
 * A fresh profile with `files` imported and both queues idle (with `settleAll`, every queue: the ML
 * jobs that follow an import must not run beside a later measurement); the browser is closed afterwards.
 */
export async function importLibrary({ baseURL, files, settleAll = false, log = () => {} }) {
	const profile = await mkdtemp(join(tmpdir(), 'shoebox-bench-profile-'));
	const { context, page } = await launch(profile);
	try {
		await gotoApp(page, baseURL, '/');
		const t0 = performance.now();
		await page.getByTestId('import-input').setInputFiles(files);
		await waitForImport(page, files.length);
		const progress = await page.getByTestId('import-progress').evaluate((el) => ({ ...el.dataset }));
		log(`  import: ${progress.imported} imported, ${progress.duplicates} duplicates, ${progress.failed} failed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		await navigate(page, baseURL, '/jobs');
		const idle = await waitQueuesIdle(page, Number(progress.imported));
		log(`  first processing done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(idle)}`);
		if (settleAll) await settle(page, log);
		const jobs = (await readStore(page, 'jobs')).filter((j) => j.queue === 'thumbnailGeneration');
		const assets = await readStore(page, 'assets');
		const failed = jobs.filter((j) => j.status === 'failed').map((j) => `${assets.find((a) => a.id === j.assetId)?.originalName}: ${j.error}`);
		return { profile, imported: Number(progress.imported), thumbnailJobs: jobs.length, failed, version: await browserProduct(context, page) };
	} finally {
		await context.close();
	}
}

/** Sets the workers slider on /settings the way a person dragging it would. */
async function setWorkers(page, baseURL, n) {
	await navigate(page, baseURL, '/settings');
	const slider = page.getByTestId('setting-workers');
	await slider.waitFor();
	const max = Number(await slider.getAttribute('max'));
	if (max < n) throw new Error(`the workers slider stops at ${max}; cannot set ${n}`);
	await slider.evaluate((el, v) => {
		Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, String(v));
		el.dispatchEvent(new Event('input', { bubbles: true }));
		el.dispatchEvent(new Event('change', { bubbles: true }));
	}, n);
	await page.waitForFunction((n) => document.querySelector('[data-testid="pool-status"]')?.dataset.size === String(n), n, { timeout: 10_000 }).catch(() => {
		throw new Error(`pool-status data-size did not become ${n} after setting the workers slider`);
	});
	// Only thumbnails are measured: finished thumbnails would otherwise start face detection
	// (its own ML workers) beside them, as sharp has nothing like it running.
	const ml = page.getByTestId('setting-ml-enabled');
	if (await ml.isChecked()) await ml.uncheck();
}

async function setThumbnailConcurrency(page, n) {
	const input = page.locator(`${tileOf('thumbnailGeneration')} [data-testid="queue-concurrency"]`);
	await input.fill(String(n));
	await input.dispatchEvent('change');
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const q = (await readStore(page, 'queues')).find((r) => r.queue === 'thumbnailGeneration');
		if (q?.concurrency === n) return;
		await page.waitForTimeout(100);
	}
	throw new Error(`thumbnailGeneration concurrency did not become ${n}`);
}

/**
 * One "All" on the thumbnail tile, timed two ways: the UI (until the tile shows every item
 * finished, polled every 50 ms in the page) and IndexedDB (click → the last job's `updatedAt`,
 * which the scheduler writes after the asset row; no UI refresh latency in it).
 */
async function appPass(page, expected) {
	await page.evaluate((sel) => {
		const w = window;
		w.__benchSeen = false;
		w.__benchMaxActive = 0;
		w.__benchT0 = Date.now();
		w.__benchP0 = performance.now();
		document.querySelector(`${sel} [data-testid="queue-all"]`).click();
	}, tileOf('thumbnailGeneration'));
	await page.waitForFunction(
		({ sel, n }) => {
			const w = window;
			const el = document.querySelector(sel);
			if (!el) return false;
			const [a, wa, d, f] = ['active', 'waiting', 'done', 'failed'].map((k) => Number(el.dataset[k]));
			if (a + wa > 0 || d + f < n) w.__benchSeen = true;
			w.__benchMaxActive = Math.max(w.__benchMaxActive, a);
			if (w.__benchSeen && a === 0 && wa === 0 && d + f >= n) {
				w.__benchP1 = performance.now();
				return true;
			}
			return false;
		},
		{ sel: tileOf('thumbnailGeneration'), n: expected },
		{ polling: 50, timeout: 600_000 }
	);
	const { t0, ui, maxActive } = await page.evaluate(() => ({
		t0: window.__benchT0,
		ui: (window.__benchP1 - window.__benchP0) / 1000,
		maxActive: window.__benchMaxActive
	}));
	const jobs = (await readStore(page, 'jobs')).filter((j) => j.queue === 'thumbnailGeneration' && j.enqueuedAt >= t0 - 5);
	const last = Math.max(...jobs.map((j) => j.updatedAt));
	return {
		seconds: (last - t0) / 1000,
		uiSeconds: ui,
		maxActive,
		done: jobs.filter((j) => j.status === 'done').length,
		failed: jobs.filter((j) => j.status === 'failed').length,
		requeued: jobs.length
	};
}

/** Sums a pass list into one figure: the median time, and the CPU the passes used. */
function summarize(images, runs, cpuSeconds) {
	const seconds = median(runs.map((r) => r.seconds));
	const wall = runs.reduce((a, r) => a + r.seconds, 0);
	return { images, seconds, perSecond: images / seconds, times: runs.map((r) => r.seconds), coresUsed: cpuSeconds / wall };
}

/**
 * A fresh browser on the imported profile with `workers` workers (slider and queue concurrency set
 * through the UI) and a warm-up pass done; `pass()` runs one timed "All".
 */
export async function openApp({ baseURL, profile, workers, expected, log = () => {} }) {
	const { context, page } = await launch(profile);
	try {
		await gotoApp(page, baseURL, '/');
		await setWorkers(page, baseURL, workers);
		await navigate(page, baseURL, '/jobs');
		await page.locator(tileOf('thumbnailGeneration')).waitFor();
		await setThumbnailConcurrency(page, workers);
		await waitQueuesIdle(page, expected);
		const role = await page.getByTestId('scheduler-role').textContent();
		if (!new RegExp(`up to ${workers} worker`).test(role ?? '')) log(`  note: scheduler-role says "${role?.trim()}"`);
		const warm = await appPass(page, expected);
		log(`  app warm-up ${warm.seconds.toFixed(2)} s (UI ${warm.uiSeconds.toFixed(2)} s), done ${warm.done}, failed ${warm.failed}`);
	} catch (e) {
		await context.close();
		throw e;
	}
	const runs = [];
	const threadCpu = new Map();
	return {
		async pass() {
			const before = browserThreadCpu(profile);
			const r = await appPass(page, expected);
			for (const [k, v] of Object.entries(cpuDelta(before, browserThreadCpu(profile), 0))) threadCpu.set(k, (threadCpu.get(k) ?? 0) + v);
			runs.push(r);
			return r;
		},
		summary() {
			const threads = [...threadCpu].sort((a, b) => b[1] - a[1]);
			const wall = runs.reduce((a, r) => a + r.seconds, 0);
			return {
				...summarize(expected, runs, threads.reduce((a, [, v]) => a + v, 0)),
				uiSeconds: median(runs.map((r) => r.uiSeconds)),
				failed: runs.at(-1)?.failed ?? 0,
				maxActive: Math.max(...runs.map((r) => r.maxActive)),
				threads: threads.slice(0, 6).map(([k, v]) => [k, v / wall]),
				peakMiB: rendererPeakMiB(profile)
			};
		},
		close: () => context.close()
	};
}

/** A sharp pool with a warm-up pass done; `pass()` runs one timed pass over `files`. */
export async function openSharp({ files, processes, threads = 1, mode = 'raw', log = () => {} }) {
	const outDir = await mkdtemp(join(tmpdir(), 'shoebox-bench-sharp-'));
	const pool = new SharpPool({ processes, threads, mode, outDir });
	try {
		await pool.start();
		const warm = await pool.pass(files);
		log(`  sharp warm-up ${warm.seconds.toFixed(2)} s`);
	} catch (e) {
		pool.close();
		await rm(outDir, { recursive: true, force: true });
		throw e;
	}
	const runs = [];
	let cpu = 0;
	return {
		async pass() {
			const before = pool.cpuSeconds();
			const r = await pool.pass(files);
			cpu += pool.cpuSeconds() - before;
			runs.push(r);
			return r;
		},
		async summary() {
			return { ...summarize(files.length, runs, cpu), failures: runs.at(-1)?.failures ?? [], peakMiB: await pool.peakMiB() };
		},
		async close() {
			pool.close();
			await rm(outDir, { recursive: true, force: true });
		}
	};
}

/**
 * sharp and the app at the same parallelism, their timed passes alternating (sharp, app, sharp,
 * app…) so that both see the same background load on a shared machine.
 */
export async function sideBySide({ files, baseURL, profile, expected, parallel, passes = 5, log = () => {} }) {
	const sh = await openSharp({ files, processes: parallel, threads: 1, log });
	let app;
	try {
		app = await openApp({ baseURL, profile, workers: parallel, expected, log });
		for (let i = 0; i < passes; i++) {
			const s = await sh.pass();
			const a = await app.pass();
			log(
				`  pass ${i + 1}: sharp ${s.seconds.toFixed(2)} s (${(files.length / s.seconds).toFixed(1)}/s) · app ${a.seconds.toFixed(2)} s ` +
					`(${(expected / a.seconds).toFixed(1)}/s; UI ${a.uiSeconds.toFixed(2)} s; done ${a.done}, failed ${a.failed}, most active ${a.maxActive})`
			);
		}
		const out = { sharp: await sh.summary(), app: app.summary() };
		log(`  CPU busy (cores, mean over timed passes): sharp ${out.sharp.coresUsed.toFixed(2)}, app ${out.app.coresUsed.toFixed(2)} = ${out.app.threads.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
		return out;
	} finally {
		await app?.close();
		await sh.close();
	}
}

/** sharp alone (the extra lines): warm-up, `passes` timed passes. */
export async function benchSharp({ files, processes, threads = 1, mode = 'raw', passes = 5, log = () => {} }) {
	const sh = await openSharp({ files, processes, threads, mode, log });
	try {
		for (let i = 0; i < passes; i++) {
			const r = await sh.pass();
			log(`  pass ${i + 1}: ${r.seconds.toFixed(2)} s (${(files.length / r.seconds).toFixed(1)} images/s)`);
		}
		return await sh.summary();
	} finally {
		await sh.close();
	}
}

export async function cleanup(paths) {
	for (const p of paths) if (p) await rm(p, { recursive: true, force: true }).catch(() => {});
}
