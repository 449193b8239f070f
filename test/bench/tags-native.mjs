// Object tags natively: the app's own TypeScript tag pipeline (worker/ml/tags/pipeline.ts, bundled
// here with rolldown so Node runs the very same code as the ML worker) with onnxruntime-node, on
// the photos as the app's tagging job sees them (the preview: orientation applied, shorter side
// 1440, never upscaled, JPEG q80). The native side of the Chromium-vs-native tagging bench.
// Env: SHOEBOX_MODELS_DIR (default ../shared/models), SHOEBOX_MEDIA_DIR (default ../shared/media).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import sharp from 'sharp';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(REPO, '../shared/models'));
export const MEDIA_DIR = resolve(process.env.SHOEBOX_MEDIA_DIR ?? join(REPO, '../shared/media'));
const PREVIEW_SIDE = 1440;
const PREVIEW_QUALITY = 80;

let pipeline;
/** worker/ml/tags/pipeline.ts and all it imports (the catalog JSON included) as one ES module. */
export function loadTagPipeline() {
	pipeline ??= (async () => {
		const bundle = await rolldown({ input: join(REPO, 'worker/ml/tags/pipeline.ts'), platform: 'neutral', logLevel: 'silent' });
		const { output } = await bundle.generate({ format: 'esm' });
		await bundle.close();
		return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
	})();
	return pipeline;
}

/** The app's preview of a file (orientation applied, shorter side ≤ 1440, JPEG q80), decoded to RGBA. */
export async function previewRgba(file) {
	const img = sharp(file).rotate();
	const { width, height } = await img.clone().metadata().then((m) => ((m.orientation ?? 1) >= 5 ? { width: m.height, height: m.width } : m));
	const s = Math.min(1, PREVIEW_SIDE / Math.min(width, height));
	const jpeg = await img
		.resize(Math.round(width * s), Math.round(height * s))
		.flatten({ background: '#000000' }) // a canvas JPEG shows transparency as black
		.jpeg({ quality: PREVIEW_QUALITY })
		.toBuffer();
	return decodeRgba(jpeg);
}

export async function decodeRgba(input) {
	const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
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
