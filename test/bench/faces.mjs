// Face pipeline throughput: the app's ML worker in Chromium (OPFS preview → decode → resize →
// detect → align → embed → crop, driven through the /dev hook window.__shoeboxDev.facesBench) beside
// the same models and steps in onnxruntime-node (scripts/face-reference.mjs: sharp decode and
// resize, the same catalog specs, detection sizes, NMS, alignment and L2), on the same photos.
// Parallelism: 1 worker × 2 threads vs 1 process × 2 intra-op threads; 2 workers × 1 thread vs
// 2 processes × 1 thread. Each app configuration runs in a fresh browser on the imported profile.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { launch, rendererPeakMiB, resetRendererPeaks } from './browser.mjs';
import { importLibrary, mediaDir, median } from './thumbnails.mjs';
import { createNativePipeline, modelsPresent, MODELS_DIR } from '../../scripts/face-reference.mjs';

const SELF = fileURLToPath(import.meta.url);
const FOLDERS = ['group', 'single', 'noface', 'crowd', 'amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon'];
export const FACE_GOAL_RATIO = 0.5;
export const FACE_GOAL_MIB = 300;
const MIN_SCORE = 0.7;

export async function facePhotos() {
	const dir = join(mediaDir(), 'faces');
	const files = [];
	for (const f of FOLDERS) {
		try {
			for (const name of (await readdir(join(dir, f))).sort()) files.push(join(dir, f, name));
		} catch {
			// folder absent
		}
	}
	return files;
}

/** The app's preview of a file, made the same way (shorter side 1440, never upscaled, JPEG q80, orientation applied). */
async function previewJpeg(file) {
	const img = sharp(file).rotate();
	const { width, height } = await img.clone().metadata();
	const short = Math.min(width, height);
	const s = short > 1440 ? 1440 / short : 1;
	return img.resize(Math.round(width * s), Math.round(height * s)).flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer();
}

// ---- native side (child processes) ----------------------------------------------------------

async function child() {
	const { tier, threads, files } = JSON.parse(process.argv[3]);
	const pipe = await createNativePipeline(tier, { threads });
	const previews = await Promise.all(files.map(previewJpeg));
	process.send({ ready: true });
	process.on('message', async (msg) => {
		if (msg.stop) return process.exit(0);
		const { index } = msg;
		const t0 = performance.now();
		const { data, info } = await sharp(previews[index]).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
		const img = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
		const decode = performance.now() - t0;
		const r = await pipe.run(img, { minScore: MIN_SCORE });
		process.send({ index, faces: r.faces.length, timings: { decode, ...r.timings } });
	});
}

function peakMiB(pid) {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

async function nativeRun({ tier, processes, threads, files, passes }) {
	const kids = await Promise.all(
		Array.from({ length: processes }, () => {
			const c = fork(SELF, ['--child', JSON.stringify({ tier, threads, files })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
			return new Promise((ok, fail) => {
				c.once('message', () => ok(c));
				c.once('error', fail);
			});
		})
	);
	const times = [];
	let faces = 0;
	const steps = {};
	const perImage = new Array(files.length).fill(0);
	try {
		for (let pass = 0; pass <= passes; pass++) {
			let next = 0;
			let found = 0;
			const sums = {};
			const t0 = performance.now();
			await Promise.all(
				kids.map(
					(c) =>
						new Promise((done) => {
							const give = () => {
								if (next >= files.length) return done();
								c.send({ index: next++ });
							};
							c.on('message', (m) => {
								if (m.index == null) return;
								found += m.faces;
								perImage[m.index] = m.faces;
								for (const [k, v] of Object.entries(m.timings)) sums[k] = (sums[k] ?? 0) + v;
								give();
							});
							give();
						})
				)
			);
			for (const c of kids) c.removeAllListeners('message');
			if (pass > 0) times.push((performance.now() - t0) / 1000);
			faces = found;
			Object.assign(steps, sums);
		}
		const mem = Math.max(...kids.map((c) => peakMiB(c.pid) ?? 0));
		return { seconds: median(times), times, faces, images: files.length, perSecond: faces / median(times), peakMiB: mem, steps };
	} finally {
		for (const c of kids) c.send({ stop: true });
	}
}

// ---- app side --------------------------------------------------------------------------------

async function appRun({ baseURL, profile, tier, workers, threads, passes }) {
	const { context, page } = await launch(profile);
	try {
		await page.goto(new URL('/dev', baseURL).href);
		await page.waitForFunction(() => !!window.__shoeboxDev, null, { timeout: 60_000 });
		const baseline = rendererPeakMiB(profile);
		const pageNow = resetRendererPeaks(profile);
		const r = await page.evaluate((o) => window.__shoeboxDev.facesBench(o), { tier, minScore: MIN_SCORE, provider: 'wasm', threads, workers, passes });
		const times = r.passes.map((ms) => ms / 1000);
		const peakMiB = rendererPeakMiB(profile);
		// What the ML workers added at their peak: the renderer's peak over the run minus its size when they started.
		const workersMiB = pageNow == null ? null : peakMiB - pageNow;
		return { seconds: median(times), times, faces: r.faces, images: r.images, perSecond: r.faces / median(times), peakMiB, baselineMiB: baseline, pageNowMiB: pageNow, workersMiB, warmMs: r.warmMs, status: r.status, steps: r.steps };
	} finally {
		await context.close();
	}
}

/** The whole benchmark: returns rows and the markdown section. */
export async function facesBench({ baseURL, passes = 3, log = console.log }) {
	if (!modelsPresent()) throw new Error(`face models not found in ${MODELS_DIR} (SHOEBOX_MODELS_DIR)`);
	const files = await facePhotos();
	if (!files.length) throw new Error(`no face photos in ${mediaDir()}/faces`);
	log(`  ${files.length} photos from ${join(mediaDir(), 'faces')} (${FOLDERS.join(', ')})`);
	log('  importing into a fresh profile…');
	const lib = await importLibrary({ baseURL, files, settleAll: true, log });
	const results = [];
	try {
		for (const tier of ['small', 'large']) {
			for (const [workers, threads] of [
				[1, 2],
				[2, 1]
			]) {
				log(`  ${tier}: native ${workers} process${workers > 1 ? 'es' : ''} × ${threads} thread${threads > 1 ? 's' : ''}…`);
				const native = await nativeRun({ tier, processes: workers, threads, files, passes });
				log(`    ${native.faces} faces in ${native.seconds.toFixed(2)} s → ${native.perSecond.toFixed(1)} faces/s`);
				log(`  ${tier}: app ${workers} worker${workers > 1 ? 's' : ''} × ${threads} thread${threads > 1 ? 's' : ''} (fresh browser)…`);
				const app = await appRun({ baseURL, profile: lib.profile, tier, workers, threads, passes });
				log(`    ${app.faces} faces in ${app.seconds.toFixed(2)} s → ${app.perSecond.toFixed(1)} faces/s; renderer peak ${Math.round(app.peakMiB)} MiB; threads used ${app.status.threads}; warm ${app.warmMs.map((x) => Math.round(x)).join('/')} ms`);
				log(`    per image, ms: app ${JSON.stringify(Object.fromEntries(Object.entries(app.steps).map(([k, v]) => [k, +(v / app.images).toFixed(1)])))}; native ${JSON.stringify(Object.fromEntries(Object.entries(native.steps).map(([k, v]) => [k, +(v / native.images).toFixed(1)])))}`);
				results.push({ tier, workers, threads, native, app, ratio: app.perSecond / native.perSecond });
			}
		}
	} finally {
		await rm(lib.profile, { recursive: true, force: true }).catch(() => {});
	}
	return { results, files: files.length, version: lib.version };
}

export function facesMarkdown({ results, files, version, machine, passes }) {
	const mark = (ok) => (ok ? '✅ pass' : '❌ miss');
	const f1 = (x) => x.toFixed(1);
	const steps = (s, n) =>
		Object.entries(s)
			.filter(([k]) => !['total', 'load'].includes(k))
			.map(([k, v]) => `${k} ${f1(v / n)}`)
			.join(', ');
	const rows = results.map((r) => {
		const goal = r.tier === 'small' ? ` — goal ≥ ${FACE_GOAL_RATIO}: ${mark(r.ratio >= FACE_GOAL_RATIO)}` : '';
		// The goal is judged on what the ML workers added (all of them together) where Linux lets the
		// peak be reset; else on the whole renderer (page included), an upper bound.
		const own = r.app.workersMiB ?? r.app.peakMiB;
		const mem = `${r.app.workersMiB == null ? '—' : Math.round(r.app.workersMiB)}${r.tier === 'small' ? ` — goal < ${FACE_GOAL_MIB}: ${mark(own < FACE_GOAL_MIB)}` : ''} | ${Math.round(r.app.peakMiB)} (page ${r.app.pageNowMiB == null ? `peak ${Math.round(r.app.baselineMiB ?? 0)}` : Math.round(r.app.pageNowMiB)})`;
		return `| ${r.tier} | ${r.workers} × ${r.threads} | ${r.native.faces} / ${r.app.faces} | ${f1(r.native.perSecond)} | ${f1(r.app.perSecond)} | ${r.ratio.toFixed(2)}×${goal} | ${Math.round(r.native.peakMiB)} | ${mem} |`;
	});
	return `# Face pipeline benchmark results

Written by \`npm run bench\` (or \`node test/bench/run.mjs faces\` after \`npm run build\`). Figures, not assertions.

- Date: ${machine.date}
- Machine: ${machine.cpu}, ${machine.cores} cores; Chromium ${version} (headless, no GPU: WASM SIMD); Node ${machine.node}; onnxruntime-web 1.30 / onnxruntime-node 1.30.
- Photos: the ${files} files of \`faces/\` in the media corpus (group, single, no-face, crowd and the 150 px identity crops), as previews (shorter side 1440, never upscaled, JPEG q80).
- Tiers (models/catalog.json): small = YuNet-s at the photo's aspect, longer side 480, padded to ×32; large = SCRFD-2.5g letterboxed to 640×640; both + MobileFaceNet (112×112, similarity-aligned). Min score ${MIN_SCORE}. Images with a longer side ≤ 320 get a 25% black border and no upscaling on both sides.
- Medians of ${passes} timed passes after one warm-up pass; faces/s = faces found ÷ wall time of a pass over all photos. 1-minute load average ${machine.loadBefore ?? '?'} before, ${machine.loadAfter ?? '?'} after (the machine may be shared: compare the two sides of one row, not rows of different runs).

| tier | workers × threads (native: processes × intra-op threads) | faces native / app | native faces/s | app faces/s | app ÷ native | native peak MiB | app ML workers' peak MiB | app renderer peak MiB (page when they started) |
|---|---|---:|---:|---:|---|---:|---|---|
${rows.join('\n')}

Per-image step means, ms (app 2 × 1 / native 2 × 1): ${results
		.filter((r) => r.workers === 2)
		.map((r) => `**${r.tier}** app: ${steps(r.app.steps, r.app.images)}; native: ${steps(r.native.steps, r.native.images)}`)
		.join('. ')}.

How each side is measured:
- **app**: a fresh headless Chromium on a profile where the photos were imported through the UI (previews made by the thumbnail queue). On \`/dev\`, \`window.__shoeboxDev.facesBench\` starts N ML workers (\`worker/ml/ml.worker.ts\`, provider \`wasm\`, \`threads\` per session; the page is cross-origin isolated, so 2 threads really run), warms each (sessions created), then the workers share the list of previews: OPFS read → \`createImageBitmap\` decode → the browser's resize to the detection size (drawn, then \`getImageData\`) → detector → decode + NMS → Umeyama alignment + bilinear warp from only the pixels each face's warp reads → MobileFaceNet → L2 → a 160 px JPEG face crop. Memory: the page and its workers share one renderer process, so just before the workers start each renderer's peak (VmHWM) is reset to its current size (\`/proc/<pid>/clear_refs\` 5) and that size is noted ("page when they started"); the ML workers' peak is the renderer's VmHWM at the end minus it: everything the workers held at their peak (WASM memory with the models and tensors, their JS heaps, decoded previews), for all workers together. The goal is judged on it.
- **native**: Node child processes (\`onnxruntime-node\`, CPU EP, \`intraOpNumThreads\` = threads, graph optimisation \`all\`) sharing one queue of the same previews made with sharp: sharp decode → sharp resize to the same detection size → the same models and steps (scripts/face-reference.mjs, written independently of the app's TypeScript) — no face crops. Memory: the largest VmHWM of those processes.
`;
}

if (process.argv[2] === '--child') await child();
