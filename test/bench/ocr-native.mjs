// Text natively: the app's own TypeScript OCR pipeline (worker/ml/ocr/pipeline.ts, bundled with
// rolldown by ts-module.mjs, so Node runs the very same code as the ML worker) with onnxruntime-node
// sessions for the detector, recogniser and angle classifier, on the app's previews. The native
// side of the Chromium-vs-native OCR bench (test/bench/tags-ocr.mjs).
// Env: SHOEBOX_MODELS_DIR (default ../shared/models).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeRgba } from './preview.mjs';
import { MODELS_DIR } from './tags-native.mjs';
import { importTs } from './ts-module.mjs';

export const loadOcrPipeline = () => importTs('worker/ml/ocr/pipeline.ts');

/**
 * The pipeline with one onnxruntime-node session per model (`threads` intra-op threads each), or
 * null when a model file is absent here.
 */
export async function nativeOcr({ threads = 1 } = {}) {
	const [{ OCR_MODEL_IDS, ocrModels, readText }, { modelById }] = await Promise.all([loadOcrPipeline(), importTs('src/lib/models/catalog.ts')]);
	const files = Object.fromEntries(Object.entries(OCR_MODEL_IDS).map(([k, id]) => [k, modelById(id).files.map((f) => join(MODELS_DIR, f.name))]));
	if (!Object.values(files).flat().every((f) => existsSync(f))) return null;
	const ort = (await import('onnxruntime-node')).default;
	const sessions = {};
	const runners = {};
	for (const [k, [file]] of Object.entries(files)) {
		const s = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
		sessions[k] = s;
		runners[k] = async (input, dims) => {
			const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [...dims]) });
			return Object.fromEntries(Object.entries(out).map(([name, v]) => [name, v.data]));
		};
	}
	// the recogniser's character set: its keys file (catalog file 2)
	const models = ocrModels(readFileSync(files.rec.find((f) => f.endsWith('.txt')), 'utf8'));
	return {
		read: (img, opts = {}) => readText(models, img, runners, opts),
		release: () => Promise.all(Object.values(sessions).map((s) => s.release()))
	};
}

/**
 * The OCR runner of test/bench/native-pool.mjs: per preview JPEG, sharp decodes it at full size (as
 * the worker decodes the preview), then the pipeline runs. Timings: readDecode and the pipeline's
 * own (prepare, det, boxes, crop, cls, rec, total).
 */
export async function ocrRunner({ threads = 1 } = {}) {
	sharp.concurrency(1);
	const ocr = await nativeOcr({ threads });
	if (!ocr) throw new Error(`The OCR models are not in ${MODELS_DIR}.`);
	return {
		async run(jpeg) {
			const t = performance.now();
			const img = await decodeRgba(jpeg);
			const readDecode = performance.now() - t;
			const r = await ocr.read(img);
			return { found: r.lines.length, summary: r.text, timings: { readDecode, ...r.timings } };
		},
		release: ocr.release
	};
}
