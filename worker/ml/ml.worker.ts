// ML worker: the page's jobs ask it for faces, things, text and CLIP embeddings of a preview, which it
// reads from OPFS and decodes itself; the models run in onnxruntime-web sessions (./runtime.ts) that
// are created once and reused. The pure steps live beside it: faces/, tags/, ocr/, clip/.
import * as Comlink from 'comlink';
import { alignment, embed, detect, emptyTimings, faceModels, planDetection, type FaceModels } from './faces/pipeline';
import { warpSourceRect } from './faces/align';
import { faceCrop, pixels, previewPixels, readPreview } from './pixels';
import { config, feedsRunner, holdIdle, loadDecisions, runner, sessions, touch, unloadAll, wasmThreads, webgpuKind, type Runner } from './runtime';
import { emptyTagTimings, tagImage, tagModel } from './tags/pipeline';
import { CLIP_IMAGE_SIZE, clipImageTensor } from './clip/preprocess';
import { ClipTokenizer, tokenizerOptionsOf } from './clip/tokenizer';
import { l2normalize } from './faces/embed';
import { modelById, modelFor, type CatalogEntry, type ModelSpec } from '../../src/lib/models/catalog';
import { OCR_MODEL_IDS, ocrModels, readText as readOcr, type OcrModels } from './ocr/pipeline';
import { modelBytes } from '../../src/lib/models/store';
import { planLetterbox } from './tags/yolox';
import type { EmbedResult, FaceOptions, FaceResult, FaceTier, MlApi, MlRunOptions } from '../shared/ml-api';

function clipModel(task: 'clipImage' | 'clipText', tier: 'small' | 'large'): CatalogEntry {
	const m = modelFor(task, tier);
	if (!m) throw new Error(`The model catalog has no ${task} model.`);
	return m;
}

/** The named output of a spec (`outputs.embedding`), else the model's only one. */
function outputOf(out: Record<string, Float32Array>, spec: ModelSpec): Float32Array {
	const name = spec.outputs.embedding;
	return (typeof name === 'string' && out[name]) || Object.values(out)[0];
}

let ocrSpecs: Promise<OcrModels> | null = null;

/** The OCR specs with the recogniser's character set (its keys file, catalog file 2). */
function ocrModelsOnce(): Promise<OcrModels> {
	ocrSpecs ??= (async () => {
		const rec = modelById(OCR_MODEL_IDS.rec)!;
		const keys = rec.files.find((f) => f.name.endsWith('.txt'))!;
		return ocrModels(new TextDecoder().decode(await modelBytes(keys)));
	})();
	ocrSpecs.catch(() => (ocrSpecs = null));
	return ocrSpecs;
}

const tokenizers = new Map<string, Promise<ClipTokenizer>>();

/** The text encoder's BPE tokenizer, from its vocab and merges files (catalog files 2 and 3). */
function tokenizerFor(model: CatalogEntry): Promise<ClipTokenizer> {
	let t = tokenizers.get(model.id);
	if (!t) {
		const file = (end: string) => model.files.find((f) => f.name.endsWith(end))!;
		const text = async (end: string) => new TextDecoder().decode(await modelBytes(file(end)));
		t = Promise.all([text('vocab.json'), text('merges.txt')]).then(([vocab, merges]) => ClipTokenizer.fromFiles(vocab, merges, tokenizerOptionsOf(model.spec)));
		t.catch(() => tokenizers.delete(model.id));
		tokenizers.set(model.id, t);
	}
	return t;
}

/** Applies a call's idle setting and stops the idle countdown while the call runs. */
function begin(opts: Pick<MlRunOptions, 'idleUnloadS'>) {
	if (opts.idleUnloadS != null) config.idleUnloadS = opts.idleUnloadS;
	holdIdle();
}

async function prepare(tier: FaceTier, opts: FaceOptions): Promise<{ models: FaceModels; det: Runner; emb: Runner; provider: string }> {
	const models = faceModels(tier);
	const det = await runner(models.detectorId, opts);
	const emb = await runner(models.embedderId, opts);
	return { models, det: det.run, emb: emb.run, provider: det.backend === emb.backend ? det.backend : `${det.backend}+${emb.backend}` };
}

const api: MlApi = {
	async detectFaces(previewPath, opts) {
		begin(opts);
		const t0 = performance.now();
		const timings: Record<string, number> = {};
		try {
			const loadStart = performance.now();
			const hadSessions = sessions.size;
			const { models, det, emb, provider } = await prepare(opts.tier, opts);
			if (sessions.size !== hadSessions) timings.load = performance.now() - loadStart;

			let t = performance.now();
			const bitmap = await readPreview(previewPath);
			const { width, height } = bitmap;
			timings.readDecode = performance.now() - t;
			t = performance.now();
			// the detector's view: resized by the browser (fast, native) to the plan's size
			const plan = planDetection(models.detector, width, height);
			const resized = pixels(bitmap, plan.width, plan.height);
			timings.resize = performance.now() - t;

			const steps = emptyTimings();
			const dets = await detect(models.detector, { width, height }, det, opts.minScore, steps, resized);
			const faces: FaceResult['faces'] = [];
			let cropMs = 0;
			for (const d of dets) {
				// Only the pixels this face's alignment reads, copied 1:1: the whole preview's pixels
				// (12 MB at 1440×2160) per photo were most of the worker's memory.
				const { transform, size } = alignment(models.embedder, d.landmarks);
				const [x, y, w, h] = warpSourceRect(transform, width, height, size);
				const e = await embed(models.embedder, pixels(bitmap, w, h, [x, y]), d.landmarks, emb, steps, [x, y]);
				t = performance.now();
				const crop = await faceCrop(bitmap, d.box);
				cropMs += performance.now() - t;
				faces.push({
					box: [d.box[0] / width, d.box[1] / height, (d.box[2] - d.box[0]) / width, (d.box[3] - d.box[1]) / height],
					landmarks: d.landmarks.map((v, i) => v / (i % 2 ? height : width)),
					score: d.score,
					embedding: e.embedding,
					crop
				});
			}
			bitmap.close();
			Object.assign(timings, { tensor: steps.resize, detect: steps.detect, postprocess: steps.decode, align: steps.align, embed: steps.embed, crop: cropMs, total: performance.now() - t0 });
			const result: FaceResult = { width, height, faces, timings, provider, model: `${models.detectorId}+${models.embedderId}` };
			return Comlink.transfer(result, faces.map((f) => f.embedding.buffer as ArrayBuffer));
		} finally {
			touch();
		}
	},

	async tagObjects(previewPath, opts) {
		begin(opts);
		try {
			const model = tagModel();
			const { run, backend } = await runner(model.id, opts);
			let t = performance.now();
			const bitmap = await readPreview(previewPath);
			const readDecode = performance.now() - t;
			t = performance.now();
			// the browser draws the photo at the letterbox size: the pipeline's own resize is then a no-op
			const plan = planLetterbox(model.spec, bitmap.width, bitmap.height);
			const img = pixels(bitmap, plan.width, plan.height);
			bitmap.close();
			const resize = performance.now() - t;
			const steps = emptyTagTimings();
			const tags = await tagImage(model.spec, img, run, { minScore: opts.minScore, timings: steps });
			return { tags, timings: { readDecode, resize, ...steps }, provider: backend, model: model.id };
		} finally {
			touch();
		}
	},

	async embedImage(previewPath, opts) {
		begin(opts);
		try {
			const model = clipModel('clipImage', opts.tier);
			const { run, backend } = await runner(model.id, opts);
			let t = performance.now();
			// the full preview, resized in JS as CLIP's own preprocessing does (bicubic, centre crop)
			const img = await previewPixels(previewPath);
			const readDecode = performance.now() - t;
			t = performance.now();
			const input = clipImageTensor(img, model.spec);
			const preprocess = performance.now() - t;
			t = performance.now();
			const out = await run(input, [1, 3, CLIP_IMAGE_SIZE, CLIP_IMAGE_SIZE]);
			const vector = l2normalize(outputOf(out, model.spec));
			const result: EmbedResult = { vector, model: model.id, provider: backend, timings: { readDecode, preprocess, model: performance.now() - t } };
			return Comlink.transfer(result, [vector.buffer as ArrayBuffer]);
		} finally {
			touch();
		}
	},

	async readText(previewPath, opts) {
		begin(opts);
		try {
			const [det, rec, cls, models] = await Promise.all([
				runner(OCR_MODEL_IDS.det, opts),
				runner(OCR_MODEL_IDS.rec, opts),
				runner(OCR_MODEL_IDS.cls, opts),
				ocrModelsOnce()
			]);
			const t = performance.now();
			const img = await previewPixels(previewPath);
			const readDecode = performance.now() - t;
			const r = await readOcr(models, img, { det: det.run, rec: rec.run, cls: cls.run });
			const provider = [...new Set([det.backend, rec.backend, cls.backend])].join('+');
			return { text: r.text, lines: r.lines, timings: { readDecode, ...r.timings }, provider, model: `${OCR_MODEL_IDS.det}+${OCR_MODEL_IDS.rec}` };
		} finally {
			touch();
		}
	},

	async embedText(text, opts) {
		begin(opts);
		try {
			const model = clipModel('clipText', opts.tier);
			const [{ run, inputNames }, tokenizer] = await Promise.all([feedsRunner(model.id, opts), tokenizerFor(model)]);
			const { data, dims } = tokenizer.encodeBatch([text]);
			const out = await run({ [inputNames[0]]: { type: 'int64', data, dims } });
			const vector = l2normalize(outputOf(out, model.spec));
			return Comlink.transfer(vector, [vector.buffer as ArrayBuffer]);
		} finally {
			touch();
		}
	},

	async warm(tier, opts = {}) {
		const o: FaceOptions = { tier, minScore: 0.7, provider: 'auto', threads: 1, ...opts };
		if (o.idleUnloadS != null) config.idleUnloadS = o.idleUnloadS;
		const { provider } = await prepare(tier, o);
		touch();
		return provider;
	},

	async unload() {
		await unloadAll();
	},

	async configure(c) {
		if (c.idleUnloadS != null) config.idleUnloadS = Math.max(0, c.idleUnloadS);
		touch();
	},

	async status() {
		return {
			loaded: [...sessions.keys()],
			providers: { ...(await loadDecisions()) },
			crossOriginIsolated: self.crossOriginIsolated,
			threads: wasmThreads(),
			webgpu: await webgpuKind()
		};
	}
};

Comlink.expose(api);
