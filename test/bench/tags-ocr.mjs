// Things (object tags) and text (OCR) per image: the app's ML worker in Chromium (OPFS preview →
// decode → the TypeScript pipeline with onnxruntime-web, WASM, 1 thread per worker; driven through
// the /dev hooks window.__shoeboxDev.tagsBench / textBench) beside the very same TypeScript
// pipeline with onnxruntime-node (intra-op 1 thread per session) in N worker threads
// (native-pool.mjs), on the same photos: media/things for tags, media/text for OCR. Both sides at
// 1 and 2 in parallel; each app configuration in a fresh browser on the imported profile.
// Env: BENCH_ML_PASSES (timed passes, default 5; one untimed pass comes first).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { nativePool } from './native-pool.mjs';
import { previewJpeg } from './preview.mjs';
import { loadTagPipeline } from './tags-native.mjs';
import { importLibrary, mediaDir, median } from './thumbnails.mjs';

export const TAG_GOAL_RATIO = 0.5;

/**
 * Per task: the media folder, the /dev hook, the native runner, and how the steps (the worker's
 * timing keys, summed per image) are grouped for the table. Keys a side lacks count 0 there.
 * `models`: the groups that are (mostly) onnxruntime running a model.
 */
export const TASKS = {
	tags: {
		title: 'Things (object tags, YOLOX-nano 416×416)',
		folder: 'things',
		hook: 'tagsBench',
		module: new URL('./tags-native.mjs', import.meta.url).href,
		factory: 'tagRunner',
		goal: TAG_GOAL_RATIO,
		unit: 'tags',
		models: ['model'],
		steps: [
			['read + decode + resize', ['readDecode', 'resize']],
			['tensor (JS)', ['preprocess']],
			['model', ['model']],
			['postprocess (JS)', ['decode']]
		]
	},
	ocr: {
		title: 'Text (OCR, PP-OCRv4 detector + angle classifier + recogniser)',
		folder: 'text',
		hook: 'textBench',
		module: new URL('./ocr-native.mjs', import.meta.url).href,
		factory: 'ocrRunner',
		goal: null,
		unit: 'lines',
		models: ['det model', 'cls (tensor + model)', 'rec (tensor + model + CTC)'],
		steps: [
			['read + decode', ['readDecode']],
			['det tensor (JS)', ['prepare']],
			['det model', ['det']],
			['boxes (JS)', ['boxes']],
			['crop (JS)', ['crop']],
			['cls (tensor + model)', ['cls']],
			['rec (tensor + model + CTC)', ['rec']]
		]
	}
};

async function photos(folder) {
	const dir = join(mediaDir(), folder);
	const names = (await readdir(dir)).filter((n) => /\.(jpe?g|png|webp|gif)$/i.test(n));
	// the app's hook sorts previews by original name the same way
	return names.sort((a, b) => a.localeCompare(b)).map((n) => join(dir, n));
}

async function appRun({ baseURL, profile, task, workers, passes, minScore }) {
	const { context, page } = await launch(profile);
	try {
		await page.goto(new URL('/dev', baseURL).href);
		await page.waitForFunction(() => !!window.__shoeboxDev, null, { timeout: 60_000 });
		const r = await page.evaluate(({ hook, o }) => window.__shoeboxDev[hook](o), { hook: TASKS[task].hook, o: { provider: 'wasm', threads: 1, workers, passes, minScore } });
		const times = r.passes.map((ms) => ms / 1000);
		const seconds = median(times);
		return { ...r, seconds, times, perSecond: r.images / seconds };
	} finally {
		await context.close();
	}
}

/** ms per image of each step group, and `other`: the rest of a call (bridge, OPFS, session lookup, JS glue). */
export function stepMeans(task, r) {
	const groups = TASKS[task].steps.map(([label, keys]) => [label, keys.reduce((s, k) => s + (r.steps[k] ?? 0), 0) / r.images]);
	const counted = groups.reduce((s, [, v]) => s + v, 0);
	return [...groups, ['other', r.callMs / r.images - counted]];
}

const sameFinds = (app, native) => app.perImage.filter((p, i) => p.summary === native.perImage[i]?.summary).length;

/** The benchmark of one task ('tags' | 'ocr'): rows for 1 and 2 in parallel, both sides. */
export async function tagsOcrBench({ task, baseURL, passes = 5, log = console.log }) {
	const t = TASKS[task];
	const files = await photos(t.folder);
	if (!files.length) throw new Error(`no photos in ${join(mediaDir(), t.folder)}`);
	log(`  ${files.length} photos from ${join(mediaDir(), t.folder)}`);
	const inputs = await Promise.all(files.map(previewJpeg));
	// one runner here first: it fails early without the models, and bundles the pipeline once for the native threads
	await (await (await import(t.module))[t.factory]({ threads: 1 })).release();
	const minScore = (await loadTagPipeline()).TAG_MIN_SCORE;
	log('  importing into a fresh profile…');
	const lib = await importLibrary({ baseURL, files, settleAll: true, log });
	const rows = [];
	try {
		for (const n of [1, 2]) {
			log(`  native: ${n} thread${n > 1 ? 's' : ''} × 1 session (intra-op 1)…`);
			const native = await nativePool({ module: t.module, factory: t.factory, options: { threads: 1 }, inputs, workers: n, passes });
			log(`    ${native.perSecond.toFixed(2)} images/s (${native.found} ${t.unit}); passes ${native.times.map((x) => x.toFixed(2)).join(', ')} s`);
			log(`  app: ${n} worker${n > 1 ? 's' : ''} × 1 WASM thread (fresh browser)…`);
			const app = await appRun({ baseURL, profile: lib.profile, task, workers: n, passes, minScore });
			log(`    ${app.perSecond.toFixed(2)} images/s (${app.found} ${t.unit}); passes ${app.times.map((x) => x.toFixed(2)).join(', ')} s; warm ${app.warmMs.map((x) => Math.round(x)).join('/')} ms; threads ${app.status.threads}`);
			const fmt = (r) => stepMeans(task, r).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
			log(`    ms per image — app: ${fmt(app)}\n                   native: ${fmt(native)}`);
			rows.push({ parallel: n, native, app, ratio: app.perSecond / native.perSecond, same: sameFinds(app, native) });
		}
	} finally {
		await rm(lib.profile, { recursive: true, force: true }).catch(() => {});
	}
	const differ = rows[0].app.perImage.map((p, i) => ({ name: p.name, app: p.summary, native: rows[0].native.perImage[i].summary })).filter((d) => d.app !== d.native);
	return { task, rows, files: files.length, version: lib.version, differ };
}

/** The markdown of one task's part of the "Things and text" section (`heading`: the section's title and notes first). */
export function tagsOcrMarkdown({ task, rows, files, version, differ, machine, passes, heading }) {
	const t = TASKS[task];
	const mark = (ok) => (ok ? '✅ pass' : '❌ miss');
	const f1 = (x) => x.toFixed(1);
	const f2 = (x) => x.toFixed(2);
	const labels = [...TASKS[task].steps.map(([k]) => k), 'other'];
	const line = (setup, r, ratio) => `| ${setup} | ${f2(r.perSecond)} | ${ratio} | ${stepMeans(task, r).map(([, v]) => f1(v)).join(' | ')} | ${f1(r.callMs / r.images)} |`;
	const body = rows.flatMap((r) => {
		const goal = t.goal == null ? '' : ` — goal ≥ ${t.goal}: ${mark(r.ratio >= t.goal)}`;
		return [
			line(`native, ${r.parallel} thread${r.parallel > 1 ? 's' : ''} × 1 session`, r.native, '—'),
			line(`app, ${r.parallel} worker${r.parallel > 1 ? 's' : ''} × 1 WASM thread`, r.app, `${f2(r.ratio)}×${goal}`)
		];
	});
	const scale = (side) => f2(rows[1][side].perSecond / rows[0][side].perSecond);
	// 1 × 1: the models' share of a call on each side, and what the app would reach with nothing else
	const split = (r) => {
		const m = stepMeans(task, r);
		const model = m.filter(([k]) => t.models.includes(k)).reduce((a, [, v]) => a + v, 0);
		return { model, rest: r.callMs / r.images - model };
	};
	const [a, n] = [split(rows[0].app), split(rows[0].native)];
	const where = `Where the time goes at 1 × 1, ms per image: models ${f1(a.model)} in the app against ${f1(n.model)} native (${f1(a.model / n.model)}×); everything else (decode, resize, tensors, JS post-processing, bridge) ${f1(a.rest)} against ${f1(n.rest)}. With nothing but its models the app would reach ${f2((n.model + n.rest) / a.model)}× native.`;
	const head = heading
		? `# Things and text benchmark results

Written by \`node test/bench/run.mjs tags\` and \`… ocr\` (after \`npm run build\`; \`npm run bench\` runs both). Figures, not assertions.

- **app**: a fresh headless Chromium on a profile where the photos were imported through the UI (previews made by the thumbnail queue; every job the import started is left to finish first). On \`/dev\`, \`window.__shoeboxDev.tagsBench\` / \`textBench\` (src/lib/dev/ml-dev.ts) start N ML workers (\`worker/ml/ml.worker.ts\`, provider \`wasm\`, 1 thread each), run each once on the first preview (sessions created, not timed), then the workers share the list of previews for one untimed and ${passes} timed passes: \`tagObjects\` / \`readText\` = OPFS read → \`createImageBitmap\` → canvas draw + \`getImageData\` (tags: drawn at the letterbox size; OCR: full size) → the TypeScript pipeline with onnxruntime-web.
- **native**: the same TypeScript pipelines (bundled with rolldown, test/bench/ts-module.mjs) with onnxruntime-node (CPU EP, \`intraOpNumThreads\` 1, graph optimisation \`all\`), in N Node **worker threads** (one JS thread and one session per model each, as the app's workers; test/bench/native-pool.mjs) sharing the list. Not N sessions in one thread: onnxruntime-node's \`run()\` computes on the calling JS thread, so they would never overlap. Input: the same previews made with sharp as the app makes them (orientation, shorter side ≤ 1440, white under transparency, JPEG q80), decoded by sharp per image (tags: straight to the letterbox size), libvips 1 thread.
- images/s = images ÷ median wall time of a pass. Step columns: mean ms per image as each side's own timers measure them (with 2 in parallel, steps of the two overlap); **other** = a call's time as its caller sees it (ms/call) minus the steps inside it (app: the comlink round trip and session lookup; native: the message to the thread and back).
- Why the app's model step is slower (an onnxruntime per-operator profile of YOLOX-nano, 1 thread, on this machine, 2026-11-25; the profiler itself adds ~0.1 ms a node): onnxruntime-node runs the convolutions as NCHWc-blocked AVX-512 kernels (layout transform of graph level \`all\`) and the SiLU activations (fused to QuickGelu) with vectorised kernels; onnxruntime-web's WASM build has 128-bit SIMD and no NCHWc path: Conv ≈ 54 ms against 5.6 ms, QuickGelu / Sigmoid ≈ 23–25 ms against 1.5 ms per run. onnxruntime-web run in Node (same WASM, no browser) takes the same ~55 ms as in the worker, and graph levels \`disabled\` … \`all\`, or V8's WASM tiering flags, do not change it.

`
		: '';
	// where the two readings part, with a little before it
	const at = (d) => {
		let i = 0;
		while (i < d.app.length && d.app[i] === d.native[i]) i++;
		return Math.max(0, i - 12);
	};
	const diff = differ.length
		? ` Different ${t.unit} at 1 × 1: ${differ.map((d) => `${d.name} (app ${JSON.stringify(d.app.slice(at(d), at(d) + 40))}, native ${JSON.stringify(d.native.slice(at(d), at(d) + 40))})`).join('; ')}.`
		: '';
	return `${head}## ${t.title}

- Date: ${machine.date}
- Machine: ${machine.cpu}, ${machine.cores} cores; ${version.replace('/', ' ')} (headless, no GPU: WASM SIMD); Node ${machine.node}; onnxruntime-web / onnxruntime-node 1.30; 1-minute load average ${machine.loadBefore} before, ${machine.loadAfter} after (compare the two sides of one parallelism, not separate runs).
- Photos: the ${files} files of \`${t.folder}/\` in the media corpus, as previews. Medians of ${passes} timed passes.${t.goal == null ? '' : ` Goal: app ≥ ${t.goal}× native at equal parallelism.`}
- Same ${t.unit} on both sides for ${rows[0].same} of ${files} images at 1 × 1, ${rows[1].same} of ${files} at 2 × 1.${diff} Scaling 2 vs 1: app ${scale('app')}×, native ${scale('native')}×.
- ${where}

| setup | images/s | app ÷ native | ${labels.join(' | ')} | ms/call |
|---|---:|---|${labels.map(() => '---:').join('|')}|---:|
${body.join('\n')}
`;
}
