// Object tags natively: the app's own TypeScript tag pipeline (worker/ml/tags/pipeline.ts, bundled
// with rolldown by ts-module.mjs, so Node runs the very same code as the ML worker) with onnxruntime-node, on
// the photos as the app's tagging job sees them (the preview: orientation applied, shorter side
// 1440, never upscaled, JPEG q80). The native side of the Chromium-vs-native tagging bench.
// Env: SHOEBOX_MODELS_DIR (default ../shared/models), SHOEBOX_MEDIA_DIR (default ../shared/media).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeRgba, previewJpeg } from './preview.mjs';
import { importTs } from './ts-module.mjs';

export { decodeRgba };

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(REPO, '../shared/models'));
export const MEDIA_DIR = resolve(process.env.SHOEBOX_MEDIA_DIR ?? join(REPO, '../shared/media'));

/** worker/ml/tags/pipeline.ts and all it imports (the catalog JSON included) as one ES module. */
export const loadTagPipeline = () => importTs('worker/ml/tags/pipeline.ts');

/** The app's preview of a file (test/bench/preview.mjs), decoded to RGBA. */
export async function previewRgba(file) {
	return decodeRgba(await previewJpeg(file));
}

/**
 * One onnxruntime-node session (`threads` intra-op threads) behind the pipeline's RunModel, or
 * null when the model file is absent here.
 */
export async function nativeTagger({ threads = 1 } = {}) {
	const { tagModel, tagImage } = await loadTagPipeline();
	const model = tagModel();
	const file = join(MODELS_DIR, model.file);
	if (!existsSync(file)) return null;
	const ort = (await import('onnxruntime-node')).default;
	const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
	const run = async (input, dims) => {
		const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [...dims]) });
		return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data]));
	};
	return { model, run, tag: (img, opts = {}) => tagImage(model.spec, img, run, opts), release: () => session.release() };
}

/**
 * Tags `paths` natively with `threads` intra-op threads, one image at a time, `passes` timed passes
 * after one warm-up (previews are made and decoded before timing; the decode is timed apart).
 * → per image: tags and best-pass ms; totals: median ms per image, tags per second, step sums (ms).
 */
export async function tagFilesNative(paths, threads = 1, { passes = 3, minScore } = {}) {
	const tagger = await nativeTagger({ threads });
	if (!tagger) throw new Error(`The object-tag model is not in ${MODELS_DIR}.`);
	const { emptyTagTimings } = await loadTagPipeline();
	try {
		const images = [];
		for (const path of paths) {
			const t0 = performance.now();
			const img = await previewRgba(path);
			images.push({ path, img, decodeMs: performance.now() - t0 });
		}
		const results = images.map(({ path, img, decodeMs }) => ({ path, width: img.width, height: img.height, decodeMs, ms: Infinity, tags: [] }));
		const passTimes = [];
		let steps = emptyTagTimings();
		for (let pass = 0; pass <= passes; pass++) {
			const timings = emptyTagTimings();
			const t0 = performance.now();
			for (const [i, { img }] of images.entries()) {
				const t = performance.now();
				const tags = await tagger.tag(img, { minScore, timings });
				if (pass === 0) continue; // warm-up
				results[i].tags = tags;
				results[i].ms = Math.min(results[i].ms, performance.now() - t);
			}
			if (pass > 0) {
				passTimes.push(performance.now() - t0);
				if (passTimes.length === 1 || passTimes.at(-1) <= Math.min(...passTimes)) steps = timings;
			}
		}
		const median = [...passTimes].sort((a, b) => a - b)[Math.floor(passTimes.length / 2)];
		const tagCount = results.reduce((n, r) => n + r.tags.length, 0);
		const per = (ms) => ms / images.length;
		return {
			threads,
			images: results.map(({ path, width, height, ms, decodeMs, tags }) => ({ path, width, height, ms, decodeMs, tags })),
			msPerImage: per(median),
			imagesPerSecond: (1000 * images.length) / median,
			tagsPerImage: tagCount / images.length,
			steps: { preprocess: per(steps.preprocess), model: per(steps.model), decode: per(steps.decode) }
		};
	} finally {
		await tagger.release();
	}
}

/**
 * The tag runner of test/bench/native-pool.mjs: per preview JPEG, sharp decodes it straight to the
 * letterbox size (as the worker has the browser draw it at that size), then the pipeline runs.
 * Timings: readDecode (sharp decode + resize) and the pipeline's preprocess / model / decode.
 */
export async function tagRunner({ threads = 1 } = {}) {
	sharp.concurrency(1);
	const tagger = await nativeTagger({ threads });
	if (!tagger) throw new Error(`The object-tag model is not in ${MODELS_DIR}.`);
	const [{ emptyTagTimings }, { planLetterbox }] = await Promise.all([loadTagPipeline(), importTs('worker/ml/tags/yolox.ts')]);
	return {
		async run(jpeg) {
			const t = performance.now();
			const { width, height } = await sharp(jpeg).metadata();
			const img = await decodeRgba(jpeg, planLetterbox(tagger.model.spec, width, height));
			const readDecode = performance.now() - t;
			const timings = emptyTagTimings();
			const tags = await tagger.tag(img, { timings });
			return { found: tags.length, summary: tags.map((x) => x.label).sort().join(','), timings: { readDecode, ...timings } };
		},
		release: () => tagger.release()
	};
}
