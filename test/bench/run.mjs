// `npm run bench`: two benchmarks, each writing its own section of test/bench/RESULTS.md (the other
// section is kept as it was). No assertions: figures only.
//   thumbnails: thumbnail throughput of the app (Chromium, real worker pipeline, driven through the
//     UI) beside sharp (libvips), at 1 and 2 workers/processes, in one run.
//   timeline: first paint, long tasks while scrolling and scrubbing, and heap with 10k/100k/1M
//     synthetic assets (test/bench/timeline.mjs; its env is described there).
//   faces: faces/s through preview → detect → align → embed in the ML worker beside onnxruntime-node,
//     per tier, 1 worker × 2 threads and 2 workers × 1 thread, and peak memory (test/bench/faces.mjs;
//     env BENCH_FACE_PASSES, default 3).
//   transcode: seconds of video converted per second by the app's engines (WebCodecs, ffmpeg.wasm
//     multi-thread, 'auto'; ffmpeg.wasm single-thread in a page served without isolation) beside native
//     ffmpeg with the same command line (test/bench/transcode.mjs).
//   search: smart search query latency (p50/p95) of the search worker beside a plain-JS float loop at
//     100k and 1M synthetic embeddings, and its memory (test/bench/search.mjs; its env is described there).
//   tags, ocr: things and text per image in the ML worker beside the same TypeScript pipelines on
//     onnxruntime-node, 1 and 2 in parallel (test/bench/tags-ocr.mjs; env BENCH_ML_PASSES, default 5).
// `node test/bench/run.mjs thumbnails|timeline|faces|transcode|search|tags|ocr` runs one of them (after `npm run build`); no
// argument runs all.
//
// Thumbnails env: // Env: SHOEBOX_MEDIA_DIR (default ../shared/media), CHROMIUM_PATH, BENCH_PASSES (timed passes per
// setup, default 5; a warm-up pass comes first), BENCH_EXTRAS=0 to skip the extra sharp lines.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { benchSharp, checkWithSharp, cleanup, describe, importLibrary, listPhotos, mediaDir, sideBySide } from './thumbnails.mjs';
import { timelineBench, timelineConfig, timelineMarkdown, timelineTable } from './timeline.mjs';
import { facesBench, facesMarkdown } from './faces.mjs';
import { speedOver, transcodeBench } from './transcode.mjs';
import { searchBench, searchMarkdown } from './search.mjs';
import { tagsOcrBench, tagsOcrMarkdown } from './tags-ocr.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../..');
const BUILD = join(REPO, 'build');
const PASSES = Math.max(3, Number(process.env.BENCH_PASSES ?? 7));
const EXTRAS = process.env.BENCH_EXTRAS !== '0';
const GOAL_VS_SHARP = 0.8;
const GOAL_SCALING = 1.6;

const log = (s) => console.log(s);

function machine() {
	let cpu = 'unknown';
	try {
		cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
	} catch {
		cpu = cpus()[0]?.model ?? cpu;
	}
	return { cpu, cores: cpus().length, node: process.version, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
}

const mark = (ok) => (ok ? '✅ pass' : '❌ miss');
const f2 = (x) => x.toFixed(2);
const f1 = (x) => x.toFixed(1);

// RESULTS.md holds one section per benchmark; a run rewrites only its own. The timeline section
// starts at TIMELINE_MARK; hand-written notes after NOTES_MARK (inside it) survive reruns.
const RESULTS = join(HERE, 'RESULTS.md');
const TIMELINE_MARK = '<!-- bench:timeline -->';
const NOTES_MARK = '<!-- bench:timeline-notes (kept across runs) -->';
// The faces section (test/bench/faces.mjs) comes last, after FACES_MARK.
const FACES_MARK = '<!-- bench:faces -->';
// The transcode section comes after the faces one, after TRANSCODE_MARK.
const TRANSCODE_MARK = '<!-- bench:transcode -->';
// The search section comes last, after SEARCH_MARK.
const SEARCH_MARK = '<!-- bench:search -->';
// The "Things and text" section comes after it: its tags part after TAGS_MARK, its OCR part after OCR_MARK.
const TAGS_MARK = '<!-- bench:tags -->';
const OCR_MARK = '<!-- bench:ocr -->';

/** Splits `text` at `mark`: what comes before it, and the part after it (trimmed; '' without the mark). */
function cut(text, mark) {
	const i = text.indexOf(mark);
	return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + mark.length).trim()];
}

async function readSections() {
	const [rest, ocr] = cut(existsSync(RESULTS) ? await readFile(RESULTS, 'utf8') : '', OCR_MARK);
	const [file, tags] = cut(rest, TAGS_MARK);
	const q = file.indexOf(SEARCH_MARK);
	const search = q < 0 ? '' : file.slice(q + SEARCH_MARK.length).trim();
	const whole = q < 0 ? file : file.slice(0, q);
	const t = whole.indexOf(TRANSCODE_MARK);
	const transcode = t < 0 ? '' : whole.slice(t + TRANSCODE_MARK.length).trim();
	const all = t < 0 ? whole : whole.slice(0, t);
	const f = all.indexOf(FACES_MARK);
	const text = f < 0 ? all : all.slice(0, f);
	const faces = f < 0 ? '' : all.slice(f + FACES_MARK.length).trim();
	const i = text.indexOf(TIMELINE_MARK);
	const thumbnails = (i < 0 ? text : text.slice(0, i)).trimEnd();
	const timeline = i < 0 ? '' : text.slice(i + TIMELINE_MARK.length).trim();
	const j = timeline.indexOf(NOTES_MARK);
	return { thumbnails, timeline, faces, transcode, search, tags, ocr, notes: j < 0 ? '' : timeline.slice(j) };
}

async function writeSection(name, md) {
	const s = await readSections();
	s[name] = md.trim();
	await writeFile(RESULTS, [s.thumbnails, s.timeline ? `${TIMELINE_MARK}\n${s.timeline}` : '', s.faces ? `${FACES_MARK}\n${s.faces}` : '', s.transcode ? `${TRANSCODE_MARK}\n${s.transcode}` : '', s.search ? `${SEARCH_MARK}\n${s.search}` : '', s.tags ? `${TAGS_MARK}\n${s.tags}` : '', s.ocr ? `${OCR_MARK}\n${s.ocr}` : ''].filter(Boolean).join('\n\n') + '\n');
}

async function timeline() {
	if (!existsSync(join(BUILD, 'index.html'))) throw new Error('build/ is missing: run `npm run build` first (npm run bench does).');
	const m = machine();
	const cfg = timelineConfig();
	log(`Shoebox timeline benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}; sizes ${cfg.sizes.join(', ')}`);
	// A snapshot of build/, so that a rebuild during the run (the tree may be shared) changes nothing
	// measured, and the minified positions in the CPU profiles can be looked up afterwards.
	const snapshot = join(cfg.profiles, 'build-snapshot');
	await rm(snapshot, { recursive: true, force: true });
	await cp(BUILD, snapshot, { recursive: true });
	log(`  serving a copy of build/ from ${snapshot}`);
	// A fixed port: the origin must stay the same for the generated profiles to be found again.
	const server = await serve({ root: snapshot, port: cfg.port });
	try {
		const { results, chromium } = await timelineBench({ baseURL: `http://127.0.0.1:${cfg.port}/`, cfg, log });
		log('\n' + timelineTable(results));
		const { notes } = await readSections();
		await writeSection('timeline', timelineMarkdown({ results, chromium, cfg, machine: m, notes: notes ? `\n${notes}` : '' }));
		log(`\nWrote the timeline section of ${join('test/bench', 'RESULTS.md')}`);
	} finally {
		server.close();
	}
}

async function thumbnails() {
	if (!existsSync(join(BUILD, 'index.html'))) throw new Error('build/ is missing: run `npm run build` first (npm run bench does).');
	const m = machine();
	log(`Shoebox thumbnail benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);

	const photos = await listPhotos();
	log(photos.generated ? `No media folder at ${mediaDir()}: generated ${photos.files.length} JPEGs in ${photos.dir}` : `Photos: ${photos.dir}`);
	if (photos.skipped?.length) log(`  left out (not JPEG/PNG/WebP/GIF): ${photos.skipped.join(', ')}`);
	const check = await checkWithSharp(photos.files);
	for (const f of check.failed) log(`  left out (sharp cannot process it): ${basename(f.file)}: ${f.error}`);
	const files = check.ok;
	const { megapixels } = await describe(files);
	log(`  ${files.length} images, ${f1(megapixels)} MP in all`);

	const server = await serve({ root: BUILD, port: 0 });
	const baseURL = `http://127.0.0.1:${server.address().port}/`;
	const cleanups = [];
	const rows = [];
	let lib;
	try {
		log('\nImporting into a fresh profile…');
		lib = await importLibrary({ baseURL, files, log });
		cleanups.push(lib.profile);
		if (lib.failed.length) log(`  thumbnail failures in the app: ${lib.failed.join('; ')}`);
		const expected = lib.thumbnailJobs;
		if (expected !== files.length) log(`  note: ${files.length} files gave ${expected} thumbnail jobs`);
		const chromium = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(lib.version)?.[1] ?? lib.version;

		const results = {};
		const loadBefore = loadavg()[0];
		for (const n of [1, 2]) {
			log(`\n${n} × parallel: sharp ${n} process${n > 1 ? 'es' : ''} (libvips 1 thread each) and the app with ${n} worker${n > 1 ? 's' : ''} (fresh browser), passes alternating…`);
			const r = await sideBySide({ files, baseURL, profile: lib.profile, expected, parallel: n, passes: PASSES, log });
			results[`sharp${n}`] = r.sharp;
			results[`app${n}`] = r.app;
		}
		if (EXTRAS) {
			log(`\nextra: sharp, 1 process, libvips ${m.cores} threads…`);
			results.sharpThreads = await benchSharp({ files, processes: 1, threads: m.cores, passes: PASSES, log });
			for (const n of [1, 2]) {
				log(`extra: sharp clone() pipelines (shrink-on-load), ${n} process${n > 1 ? 'es' : ''}…`);
				results[`clone${n}`] = await benchSharp({ files, processes: n, threads: 1, mode: 'clone', passes: PASSES, log });
			}
		}

		const loadAfter = loadavg()[0];
		const r = results;
		const vs1 = r.app1.perSecond / r.sharp1.perSecond;
		const vs2 = r.app2.perSecond / r.sharp2.perSecond;
		const appScale = r.app2.perSecond / r.app1.perSecond;
		const sharpScale = r.sharp2.perSecond / r.sharp1.perSecond;
		const mem = (x) => (x.peakMiB == null ? '—' : `${Math.round(x.peakMiB)}`);
		const row = (setup, x, ratio) => ({ setup, images: x.images, seconds: f2(x.seconds), perSecond: f1(x.perSecond), ratio, mem: mem(x), cpu: f2(x.coresUsed) });
		rows.push(row('sharp, 1 process (libvips 1 thread)', r.sharp1, '—'));
		rows.push(row('app, 1 worker', r.app1, `${f2(vs1)}× sharp 1 — goal ≥ ${GOAL_VS_SHARP}: ${mark(vs1 >= GOAL_VS_SHARP)}`));
		rows.push(row('sharp, 2 processes (libvips 1 thread each)', r.sharp2, `${f2(sharpScale)}× sharp 1`));
		rows.push(row('app, 2 workers', r.app2, `${f2(vs2)}× sharp 2 — goal ≥ ${GOAL_VS_SHARP}: ${mark(vs2 >= GOAL_VS_SHARP)}`));
		rows.push({ setup: 'app scaling, 2 workers vs 1', images: '', seconds: '', perSecond: '', ratio: `${f2(appScale)}× — goal ≥ ${GOAL_SCALING}: ${mark(appScale >= GOAL_SCALING)}`, mem: '', cpu: '' });
		if (EXTRAS) {
			rows.push(row(`extra: sharp, 1 process, libvips ${m.cores} threads`, r.sharpThreads, `${f2(r.sharpThreads.perSecond / r.sharp1.perSecond)}× sharp 1`));
			rows.push(row('extra: sharp clone() pipelines, 1 process', r.clone1, `${f2(r.clone1.perSecond / r.sharp1.perSecond)}× sharp 1`));
			rows.push(row('extra: sharp clone() pipelines, 2 processes', r.clone2, `${f2(r.clone2.perSecond / r.sharp2.perSecond)}× sharp 2`));
		}

		const header = ['setup', 'images', 'seconds', 'images/s', 'ratio', 'peak MiB', 'CPU cores busy'];
		const lines = [
			`| ${header.join(' | ')} |`,
			`|${header.map((h, i) => (i === 0 || i === 4 ? '---' : '---:')).join('|')}|`,
			...rows.map((x) => `| ${x.setup} | ${x.images} | ${x.seconds} | ${x.perSecond} | ${x.ratio} | ${x.mem} | ${x.cpu} |`)
		];
		log('\n' + lines.join('\n'));

		const passesLine = (x) => x.times.map(f2).join(', ');
		const md = `# Thumbnail benchmark results

Written by \`npm run bench\` (test/bench/run.mjs); rerun to refresh. Figures, not assertions.

- Date: ${m.date}
- Machine: ${m.cpu}, ${m.cores} cores; Chromium ${chromium} (headless, \`${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}\`); Node ${m.node}; sharp ${(await import('sharp')).default.versions.sharp} (libvips ${(await import('sharp')).default.versions.vips})
- Photos: ${photos.generated ? `${files.length} generated JPEGs (no media folder found)` : `the JPEG/PNG/WebP/GIF files of \`${photos.dir}\``}: ${files.length} images, ${f1(megapixels)} MP in all.${photos.skipped?.length ? ` HEIC/HEIF (${photos.skipped.join(', ')}) are left out on both sides: sharp's prebuilt libvips has no HEVC decoder.` : ''}${check.failed.length ? ` Left out because sharp cannot process them: ${check.failed.map((f) => basename(f.file)).join(', ')}.` : ''}${lib.failed.length ? ` The app failed: ${lib.failed.join('; ')}.` : ''}
- Outputs, both sides: thumbnail WebP shorter side 250 px, preview JPEG shorter side 1440 px (never upscaled), quality 80, EXIF orientation applied, plus a thumbhash (fit in 100×100, RGBA, \`rgbaToThumbHash\`).
- Medians of ${PASSES} timed passes after one warm-up pass per setup; at each parallelism sharp's and the app's timed
  passes alternate, so both see the same background load. 1-minute load average: ${f1(loadBefore)} before the timed runs,
  ${f1(loadAfter)} after (the machine may be shared; differences under ~15% are noise).

## Goals

App ≥ ${GOAL_VS_SHARP}× sharp at equal parallelism; app with 2 workers ≥ ${GOAL_SCALING}× app with 1 worker.

| ${header.join(' | ')} |
${lines.slice(1).join('\n')}

## How each side is measured

- **app**: the built app (\`build/\`, served with COOP/COEP) in headless Chromium. The photos are imported once through
  \`import-input\` into a fresh profile and both queues run to idle. Then, for each worker count, a **fresh browser on that
  profile**: the \`setting-workers\` slider on /settings and the thumbnailGeneration tile's concurrency on /jobs are set to N,
  and the tile's **All** is clicked for a warm-up pass and ${PASSES} timed passes. That is the whole real pipeline per image:
  OPFS read → media worker (sniff, decode once with orientation — a large JPEG at the smallest n/8 scale that covers the preview —, resize twice + thumbhash and dHash, encode WebP/JPEG) → OPFS writes →
  IndexedDB row, plus the scheduler's own IndexedDB bookkeeping. A pass is timed from the click to the last job's
  \`updatedAt\` in IndexedDB (written after the asset row); the tile's UI shows "idle" later by its 250 ms refresh
  (UI-observed medians: ${f2(r.app1.uiSeconds)} s at 1 worker, ${f2(r.app2.uiSeconds)} s at 2).
  Peak MiB: the largest VmHWM of the browser's renderer processes (page + media workers) over that browser's life.
  CPU cores busy: CPU seconds of every process of that browser (renderer, browser, GPU process) during the timed passes ÷
  their wall time. Busiest threads (cores): 1 worker: ${r.app1.threads.map(([k, v]) => `${k} ${f2(v)}`).join(', ')};
  2 workers: ${r.app2.threads.map(([k, v]) => `${k} ${f2(v)}`).join(', ')}. Most jobs seen active at once: ${r.app1.maxActive} / ${r.app2.maxActive} (the scheduler keeps one job claimed beyond the workers, queued inside a worker, so that no worker waits on IndexedDB between two photos).
- **sharp**: Node child processes sharing one queue of files (each takes the next file when free), \`sharp.concurrency(1)\`
  (libvips threads per image) and \`sharp.cache(false)\`. Per image, as Immich does: read the file, decode once
  (\`.rotate()\`) to raw pixels, then from that buffer the preview (JPEG, white background for alpha), the thumbnail (WebP)
  and the thumbhash input; outputs are written to a temp dir. Peak MiB: the largest VmHWM of the sharp processes;
  CPU cores busy: their CPU seconds during the timed passes ÷ wall time.
  Extras: the same with libvips using every core in one process (sharp's own default on glibc Linux without jemalloc is
  1 thread), and \`sharp(file).rotate()\` + three \`clone()\` pipelines, where libvips can shrink-on-load (a reduced JPEG
  decode per output instead of one full decode).

Timed passes (seconds): sharp 1 [${passesLine(r.sharp1)}], app 1 [${passesLine(r.app1)}], sharp 2 [${passesLine(r.sharp2)}], app 2 [${passesLine(r.app2)}].
`;
		await writeSection('thumbnails', md);
		log(`\nWrote the thumbnail section of ${join('test/bench', 'RESULTS.md')}`);
	} finally {
		server.close();
		await cleanup(cleanups);
	}
}

/**
 * Serves a copy of build/ (a rebuild during the run, the tree may be shared, changes nothing measured) while
 * `fn(baseURL, plainURL)` runs; `plain` adds a second server of the same copy without cross-origin isolation.
 */
async function servingSnapshot(name, fn, { plain = false } = {}) {
	if (!existsSync(join(BUILD, 'index.html'))) throw new Error('build/ is missing: run `npm run build` first (npm run bench does).');
	const snapshot = await mkdtemp(join(tmpdir(), `shoebox-bench-${name}-build-`));
	await cp(BUILD, snapshot, { recursive: true });
	const server = await serve({ root: snapshot, port: 0 });
	const plainServer = plain ? await serve({ root: snapshot, port: 0, isolate: false }) : null;
	const url = (s) => `http://127.0.0.1:${s.address().port}/`;
	try {
		return await fn(url(server), plainServer && url(plainServer));
	} finally {
		server.close();
		plainServer?.close();
		await rm(snapshot, { recursive: true, force: true });
	}
}

async function faces() {
	const m = machine();
	const passes = Math.max(2, Number(process.env.BENCH_FACE_PASSES ?? 3));
	log(`Shoebox face pipeline benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
	await servingSnapshot('faces', async (baseURL) => {
		const loadBefore = loadavg()[0].toFixed(1);
		const r = await facesBench({ baseURL, passes, log });
		Object.assign(m, { loadBefore, loadAfter: loadavg()[0].toFixed(1) });
		const chromium = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(r.version)?.[1] ?? r.version;
		const md = facesMarkdown({ ...r, version: chromium, machine: m, passes });
		log('\n' + md);
		await writeSection('faces', md);
		log(`\nWrote the faces section of ${join('test/bench', 'RESULTS.md')}`);
	});
}

const GOAL_VS_NATIVE = 0.5;

function transcodeMarkdown(r, m, chromium) {
	const nativeN = r.native[r.threads];
	/** Speed of `runs` ÷ native's (`nativeRuns`) over the same clips, or null. */
	const vs = (runs, nativeRuns) => {
		if (!nativeRuns) return null;
		const base = speedOver(r.clips.filter((c) => runs.has(c.name)), nativeRuns);
		return base.speed > 0 ? speedOver(r.clips, runs).speed / base.speed : null;
	};
	const row = (label, runs, note = '') => {
		const s = speedOver(r.clips, runs);
		const ratio = vs(runs, nativeN);
		return { md: `| ${label} | ${s.clips} | ${f1(s.video)} | ${f2(s.wall)} | ${f2(s.speed)} | ${ratio === null ? '—' : `${f2(ratio)}×`}${note} |`, ratio };
	};
	const st = r.app.ffmpegSt;
	const stVs1 = st && vs(st, r.native[1]);
	const engines = (per) => [...new Set([...per.values()].map((x) => x.engine))].join(' + ');
	const rows = [];
	if (nativeN) {
		rows.push(row(`native ffmpeg, 1 thread`, r.native[1]).md);
		rows.push(row(`native ffmpeg, ${r.threads} threads`, nativeN).md);
	}
	rows.push(row(`app, WebCodecs forced (${engines(r.app.webcodecs)})`, r.app.webcodecs, '; only the clips it can decode').md);
	rows.push(row(`app, ffmpeg.wasm forced (${engines(r.app.ffmpeg)}, -threads ${r.threads})`, r.app.ffmpeg).md);
	if (st) rows.push(row(`app, ffmpeg.wasm single-thread forced (${engines(st)}, threads=1 as the app runs it; page not cross-origin isolated)`, st, stVs1 === null ? '' : `; ${f2(stVs1)}× native 1 thread`).md);
	const auto = row(`app, auto = default (${engines(r.app.auto)})`, r.app.auto);
	rows.push(auto.ratio === null ? auto.md : auto.md.replace(/ \|$/, ` — goal ≥ ${GOAL_VS_NATIVE}: ${mark(auto.ratio >= GOAL_VS_NATIVE)} |`));
	const perClip = r.clips
		.map((c) => {
			const a = r.app.auto.get(c.name);
			const secs = (per) => (per?.get(c.name) ? f2(per.get(c.name).seconds) : '—');
			return `| ${c.name.replace('video/', '')} | ${f2(c.durationS)} | ${r.native[1] ? f2(r.native[1].get(c.name)) : '—'} | ${nativeN ? f2(nativeN.get(c.name)) : '—'} | ${a ? `${f2(a.seconds)} (${a.engine})` : 'failed'} | ${secs(r.app.webcodecs)} | ${secs(r.app.ffmpeg)} | ${secs(st)} |`;
		})
		.join('\n');
	return `# Video conversion benchmark results

Written by \`npm run bench\` (or \`node test/bench/run.mjs transcode\` after \`npm run build\`). Figures, not assertions.

- Date: ${m.date}
- Machine: ${m.cpu}, ${m.cores} cores; Chromium ${chromium} (headless, no GPU: WebCodecs runs its software codecs); Node ${m.node}; native: ${r.ffmpegVersion ?? 'none'}; 1-minute load average ${m.loadBefore} before, ${m.loadAfter} after (the machine may be shared)
- Clips: every video of \`<media>/video\` (MANIFEST.json), converted to H.264 with the shorter side at 720 (never up), crf 23, preset ultrafast, audio copied where Chromium plays it in MP4 (AAC, MP3, Opus) else made AAC, rotation baked in: the app's own command line (\`worker/video/transcode-args.ts\`) for native ffmpeg and ffmpeg.wasm; the same size and a constant quantizer of 23 for WebCodecs.
- App: the built app, policy 'all', each engine setting in turn, the videoConversion tile's **All**; seconds per clip are measured in the video worker (reading the original, converting, writing the MP4 to OPFS). The first clip of an ffmpeg.wasm run includes loading the core in the worker. Native: best of 2 runs per clip, process start and file I/O included (\`-strict experimental\` added: ffmpeg 4.1 calls Opus in MP4 experimental). The app's page is cross-origin isolated, so its ffmpeg.wasm runs are the multi-thread core. The single-thread core, which the app loads only in a page that is not isolated, is measured in a second fresh browser on the same build served without COOP/COEP (service workers blocked: the app's own adds the headers back); \`crossOriginIsolated === false\` there is checked, and every converted row's \`transcodeEngine\` is \`ffmpeg-st\`. That core runs with threads=1 as the app runs it (whatever videoThreads says), so compare it with native 1 thread.

## Goal

The engine the app picks by default ('auto') at least ${GOAL_VS_NATIVE}× native ffmpeg (at the same thread count, over the same clips).

| setup | clips | seconds of video | wall (s) | video s per s | vs native ${r.threads} threads |
|---|---:|---:|---:|---:|---|
${rows.join('\n')}

Per clip (seconds of wall time):

| clip | duration | native 1 thread | native ${r.threads} threads | app auto (engine) | app WebCodecs | app ffmpeg.wasm (mt) | app ffmpeg.wasm (st, threads=1) |
|---|---:|---:|---:|---|---:|---:|---:|
${perClip}
`;
}

async function transcode() {
	const m = machine();
	log(`Shoebox video conversion benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
	await servingSnapshot(
		'video',
		async (baseURL, plainURL) => {
			m.loadBefore = loadavg()[0].toFixed(1);
			const r = await transcodeBench({ baseURL, plainURL, log });
			m.loadAfter = loadavg()[0].toFixed(1);
			const md = transcodeMarkdown(r, m, r.chromium);
			log('\n' + md);
			await writeSection('transcode', md);
			log(`\nWrote the transcode section of ${join('test/bench', 'RESULTS.md')}`);
		},
		{ plain: true }
	);
}

async function search() {
	const m = machine();
	log(`Shoebox smart search benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
	await servingSnapshot('search', async (baseURL) => {
		const loadBefore = loadavg()[0].toFixed(1);
		const r = await searchBench({ baseURL, log });
		Object.assign(m, { loadBefore, loadAfter: loadavg()[0].toFixed(1) });
		const md = searchMarkdown({ ...r, machine: m });
		log('\n' + md);
		await writeSection('search', md);
		log(`\nWrote the search section of ${join('test/bench', 'RESULTS.md')}`);
	});
}

/** Object tags ('tags') or OCR ('ocr'): its part of the "Things and text" section. */
async function tagsOrOcr(task) {
	const m = machine();
	const passes = Math.max(2, Number(process.env.BENCH_ML_PASSES ?? 5));
	log(`Shoebox ${task} benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
	await servingSnapshot(task, async (baseURL) => {
		const loadBefore = loadavg()[0].toFixed(1);
		const r = await tagsOcrBench({ task, baseURL, passes, log });
		Object.assign(m, { loadBefore, loadAfter: loadavg()[0].toFixed(1) });
		// the section's title and notes head the tags part, or the OCR part while there is no tags part
		const heading = task === 'tags' || !(await readSections()).tags;
		const md = tagsOcrMarkdown({ ...r, machine: m, passes, heading });
		log('\n' + md);
		await writeSection(task, md);
		log(`\nWrote the ${task} part of the "Things and text" section of ${join('test/bench', 'RESULTS.md')}`);
	});
}

async function main() {
	const parts = { thumbnails, timeline, faces, transcode, search, tags: () => tagsOrOcr('tags'), ocr: () => tagsOrOcr('ocr') };
	const asked = process.argv.slice(2);
	for (const a of asked) if (!parts[a]) throw new Error(`unknown benchmark "${a}": use ${Object.keys(parts).join(' or ')} (or nothing for both)`);
	for (const name of asked.length ? asked : Object.keys(parts)) await parts[name]();
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
