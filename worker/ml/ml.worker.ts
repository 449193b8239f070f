// ML worker: onnxruntime-web sessions for the face pipeline, created once and reused.
//  - WASM: the `onnxruntime-web/wasm` entry (steadier and smaller than the JSEP/all bundles), SIMD,
//    threads only when the page is cross-origin isolated.
//  - WebGPU: the `onnxruntime-web/webgpu` entry, used when a real (non-fallback) adapter exists, or
//    when forced with provider 'webgpu' (then even a fallback adapter such as SwiftShader).
//  - 'auto' measures both once per model on this device and keeps the faster; the decision is kept
//    in OPFS (ml/providers.json) so it is made once per device, not once per worker.
// The preview is read from OPFS here; decode → resize → detect → align → embed → crop all happen in
// this worker (worker/ml/faces/ holds the pure steps).
import * as Comlink from 'comlink';
import type * as Ort from 'onnxruntime-web';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { readBlob, writeBlob } from '../../src/lib/blobs/store';
import { modelById } from '../../src/lib/models/catalog';
import { modelBytes } from '../../src/lib/models/store';
import { cropSquare } from './faces/align';
import { detect, embed, emptyTimings, faceModels, planDetection, type FaceModels } from './faces/pipeline';
import type { RgbaImage } from './faces/preprocess';
import { DEFAULT_IDLE_UNLOAD_S, FACE_CROP_SIZE, type FaceOptions, type FaceResult, type FaceTier, type MlApi, type MlConfig, type MlStatus } from '../shared/ml-api';

type Backend = 'wasm' | 'webgpu';
type OrtModule = typeof Ort;

const config: MlConfig = { idleUnloadS: DEFAULT_IDLE_UNLOAD_S };
let threads = 0; // fixed at the first WASM session
const runtimes: Partial<Record<Backend, Promise<OrtModule>>> = {};
const sessions = new Map<string, Promise<Ort.InferenceSession>>();
let decisions: Record<string, Backend> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let gpuKind: Promise<MlStatus['webgpu']> | null = null;

// ---- runtimes ---------------------------------------------------------------------------------

function runtime(backend: Backend, wantThreads: number): Promise<OrtModule> {
	if (backend === 'wasm') {
		runtimes.wasm ??= import('onnxruntime-web/wasm').then((ort) => {
			threads = self.crossOriginIsolated ? Math.max(1, Math.floor(wantThreads)) : 1;
			ort.env.wasm.numThreads = threads;
			ort.env.wasm.simd = true;
			ort.env.wasm.wasmPaths = { wasm: wasmUrl };
			return ort as unknown as OrtModule;
		});
		return runtimes.wasm;
	}
	runtimes.webgpu ??= Promise.all([import('onnxruntime-web/webgpu'), import('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url')]).then(([ort, url]) => {
		// its CPU side runs the few kernels WebGPU lacks: one thread is enough
		ort.env.wasm.numThreads = 1;
		ort.env.wasm.wasmPaths = { wasm: url.default };
		return ort as unknown as OrtModule;
	});
	return runtimes.webgpu;
}

/** 'hardware' for a real GPU adapter, 'fallback' for a software one (SwiftShader), 'none'. */
function webgpuKind(): Promise<MlStatus['webgpu']> {
	gpuKind ??= (async () => {
		const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean } | null> } }).gpu;
		if (!gpu) return 'none';
		try {
			const a = await gpu.requestAdapter();
			if (!a) return 'none';
			return a.info?.isFallbackAdapter || a.isFallbackAdapter ? 'fallback' : 'hardware';
		} catch {
			return 'none';
		}
	})();
	return gpuKind;
}

const DECISIONS_PATH = ['ml', 'providers.json'];

async function loadDecisions(): Promise<Record<string, Backend>> {
	if (decisions) return decisions;
	try {
		const f = await readBlob(DECISIONS_PATH);
		decisions = f ? (JSON.parse(await f.text()) as Record<string, Backend>) : {};
	} catch {
		decisions = {};
	}
	return decisions;
}

async function saveDecision(modelId: string, backend: Backend) {
	const d = await loadDecisions();
	d[modelId] = backend;
	await writeBlob(DECISIONS_PATH, new Blob([JSON.stringify(d)], { type: 'application/json' })).catch(() => {});
}

// ---- sessions ---------------------------------------------------------------------------------

async function bytesOf(modelId: string): Promise<Uint8Array> {
	const entry = modelById(modelId);
	if (!entry) throw new Error(`Unknown model ${modelId}`);
	return modelBytes(entry.files[0]);
}

function session(modelId: string, backend: Backend, wantThreads: number): Promise<Ort.InferenceSession> {
	const key = `${modelId}:${backend}`;
	let s = sessions.get(key);
	if (!s) {
		s = (async () => {
			const ort = await runtime(backend, wantThreads);
			return ort.InferenceSession.create(await bytesOf(modelId), {
				executionProviders: [backend],
				graphOptimizationLevel: 'all'
			});
		})();
		s.catch(() => sessions.delete(key));
		sessions.set(key, s);
	}
	return s;
}

/** A typical input for timing a model: the detector at a 3:2 photo's plan, the embedder at its size. */
function sampleDims(modelId: string): number[] {
	const spec = modelById(modelId)!.spec;
	if (spec.decoder === 'yunet' || spec.decoder === 'scrfd') {
		const p = planDetection(spec, 2160, 1440);
		return [1, 3, p.tensorHeight, p.tensorWidth];
	}
	return [1, 3, spec.size?.height ?? 112, spec.size?.width ?? 112];
}

async function timeSession(modelId: string, backend: Backend, wantThreads: number): Promise<number> {
	const s = await session(modelId, backend, wantThreads);
	const ort = await runtime(backend, wantThreads);
	const dims = sampleDims(modelId);
	const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
	const run = () => s.run({ [s.inputNames[0]]: new ort.Tensor('float32', data, dims) });
	await run(); // first run compiles shaders / warms caches
	const times: number[] = [];
	for (let i = 0; i < 3; i++) {
		const t = performance.now();
		await run();
		times.push(performance.now() - t);
	}
	return times.sort((a, b) => a - b)[1];
}

/** The backend a model runs on for this call's provider option. */
async function backendFor(modelId: string, opts: FaceOptions): Promise<Backend> {
	if (opts.provider === 'wasm') return 'wasm';
	if (opts.provider === 'webgpu') {
		if ((await webgpuKind()) === 'none') throw new Error('WebGPU is not available in this browser.');
		return 'webgpu';
	}
	if ((await webgpuKind()) !== 'hardware') return 'wasm';
	const d = await loadDecisions();
	if (d[modelId]) return d[modelId];
	let best: Backend = 'wasm';
	try {
		const [gpu, cpu] = [await timeSession(modelId, 'webgpu', opts.threads), await timeSession(modelId, 'wasm', opts.threads)];
		best = gpu < cpu ? 'webgpu' : 'wasm';
	} catch {
		best = 'wasm';
	}
	await release(`${modelId}:${best === 'wasm' ? 'webgpu' : 'wasm'}`);
	await saveDecision(modelId, best);
	return best;
}

async function release(key: string) {
	const s = sessions.get(key);
	sessions.delete(key);
	if (s) await s.then((x) => x.release()).catch(() => {});
}

async function unloadAll() {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = null;
	await Promise.all([...sessions.keys()].map(release));
}

function touch() {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = config.idleUnloadS > 0 ? setTimeout(() => void unloadAll(), config.idleUnloadS * 1000) : null;
}

type Runner = (input: Float32Array, dims: readonly number[]) => Promise<Record<string, Float32Array>>;

async function runner(modelId: string, opts: FaceOptions): Promise<{ run: Runner; backend: Backend }> {
	const backend = await backendFor(modelId, opts);
	const s = await session(modelId, backend, opts.threads);
	const ort = await runtime(backend, opts.threads);
	const run: Runner = async (input, dims) => {
		const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [...dims]) });
		const res: Record<string, Float32Array> = {};
		for (const [k, v] of Object.entries(out)) {
			res[k] = (backend === 'webgpu' && v.location === 'gpu-buffer' ? await v.getData() : v.data) as Float32Array;
			v.dispose?.();
		}
		return res;
	};
	return { run, backend };
}

// ---- pixels -----------------------------------------------------------------------------------

function pixels(source: ImageBitmap, width: number, height: number): RgbaImage {
	const canvas = new OffscreenCanvas(width, height);
	const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(source, 0, 0, width, height);
	const d = ctx.getImageData(0, 0, width, height);
	return { data: d.data, width, height };
}

async function faceCrop(bitmap: ImageBitmap, box: readonly number[]): Promise<Blob> {
	const [x, y, side] = cropSquare(box, bitmap.width, bitmap.height, 0.25);
	const size = Math.max(16, Math.min(FACE_CROP_SIZE, side));
	const canvas = new OffscreenCanvas(size, size);
	const ctx = canvas.getContext('2d')!;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, x, y, side, side, 0, 0, size, size);
	return canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
}

// ---- the API ----------------------------------------------------------------------------------

async function prepare(tier: FaceTier, opts: FaceOptions): Promise<{ models: FaceModels; det: Runner; emb: Runner; provider: string }> {
	const models = faceModels(tier);
	const det = await runner(models.detectorId, opts);
	const emb = await runner(models.embedderId, opts);
	return { models, det: det.run, emb: emb.run, provider: det.backend === emb.backend ? det.backend : `${det.backend}+${emb.backend}` };
}

const api: MlApi = {
	async detectFaces(previewPath, opts) {
		if (opts.idleUnloadS != null) config.idleUnloadS = opts.idleUnloadS;
		if (idleTimer) clearTimeout(idleTimer);
		const t0 = performance.now();
		const timings: Record<string, number> = {};
		try {
			const loadStart = performance.now();
			const hadSessions = sessions.size;
			const { models, det, emb, provider } = await prepare(opts.tier, opts);
			if (sessions.size !== hadSessions) timings.load = performance.now() - loadStart;

			let t = performance.now();
			const file = await readBlob(previewPath);
			if (!file) throw new Error(`The preview ${previewPath.join('/')} is missing.`);
			timings.read = performance.now() - t;
			t = performance.now();
			const bitmap = await createImageBitmap(file);
			const { width, height } = bitmap;
			const full = pixels(bitmap, width, height);
			timings.decode = performance.now() - t;
			t = performance.now();
			// the detector's view: resized by the browser (fast, native) to the plan's size
			const plan = planDetection(models.detector, width, height);
			const resized = plan.width === width && plan.height === height ? full : pixels(bitmap, plan.width, plan.height);
			timings.resize = performance.now() - t;

			const steps = emptyTimings();
			const dets = await detect(models.detector, full, det, opts.minScore, steps, resized);
			const faces: FaceResult['faces'] = [];
			let cropMs = 0;
			for (const d of dets) {
				const e = await embed(models.embedder, full, d.landmarks, emb, steps);
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
			threads,
			webgpu: await webgpuKind()
		};
	}
};

Comlink.expose(api);
