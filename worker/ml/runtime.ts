// onnxruntime-web in the ML worker: runtimes, sessions (created once per model and backend, reused,
// released after the idle time) and the choice of backend.
//  - WASM: the `onnxruntime-web/wasm` entry (steadier and smaller than the JSEP/all bundles), SIMD,
//    threads only when the page is cross-origin isolated.
//  - WebGPU: the `onnxruntime-web/webgpu` entry, used when a real (non-fallback) adapter exists, or
//    when forced with provider 'webgpu' (then even a fallback adapter such as SwiftShader).
//  - 'auto' measures both once per model on this device and keeps the faster; the decision is kept
//    in OPFS (ml/providers.json) so it is made once per device, not once per worker.
import type * as Ort from 'onnxruntime-web';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { readBlob, writeBlob } from '../../src/lib/blobs/store';
import { modelById } from '../../src/lib/models/catalog';
import { modelBytes } from '../../src/lib/models/store';
import { planDetection } from './faces/pipeline';
import { DEFAULT_IDLE_UNLOAD_S, type MlConfig, type MlRunOptions, type MlStatus } from '../shared/ml-api';

type Backend = 'wasm' | 'webgpu';
type OrtModule = typeof Ort;

export const config: MlConfig = { idleUnloadS: DEFAULT_IDLE_UNLOAD_S };
let threads = 0; // fixed at the first WASM session
export const wasmThreads = () => threads;
const runtimes: Partial<Record<Backend, Promise<OrtModule>>> = {};
export const sessions = new Map<string, Promise<Ort.InferenceSession>>();
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
export function webgpuKind(): Promise<MlStatus['webgpu']> {
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

export async function loadDecisions(): Promise<Record<string, Backend>> {
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

/**
 * A typical input for timing a model: a face detector at a 3:2 photo's plan, OCR at a common size,
 * fixed-size models at their size; null for a model not fed one float image (the CLIP text encoder
 * takes token ids), which stays on WASM.
 */
function sampleDims(modelId: string): number[] | null {
	const spec = modelById(modelId)!.spec;
	if (spec.decoder === 'yunet' || spec.decoder === 'scrfd') {
		const p = planDetection(spec, 2160, 1440);
		return [1, 3, p.tensorHeight, p.tensorWidth];
	}
	if (spec.decoder === 'clip-text') return null;
	if (spec.decoder === 'ppocr-det') return [1, 3, 960, 640];
	if (spec.decoder === 'ppocr-rec') return [1, 3, 48, 320];
	return [1, 3, spec.size?.height ?? 112, spec.size?.width ?? 112];
}

async function timeSession(modelId: string, backend: Backend, wantThreads: number): Promise<number> {
	const s = await session(modelId, backend, wantThreads);
	const ort = await runtime(backend, wantThreads);
	const dims = sampleDims(modelId)!;
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
async function backendFor(modelId: string, opts: MlRunOptions): Promise<Backend> {
	if (opts.provider === 'wasm') return 'wasm';
	if (opts.provider === 'webgpu') {
		if ((await webgpuKind()) === 'none') throw new Error('WebGPU is not available in this browser.');
		return 'webgpu';
	}
	if ((await webgpuKind()) !== 'hardware' || !sampleDims(modelId)) return 'wasm';
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

export async function unloadAll() {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = null;
	await Promise.all([...sessions.keys()].map(release));
}

/** Stops the idle countdown while a call runs. */
export function holdIdle() {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = null;
}

/** Restarts the idle countdown after a call. */
export function touch() {
	if (idleTimer) clearTimeout(idleTimer);
	idleTimer = config.idleUnloadS > 0 ? setTimeout(() => void unloadAll(), config.idleUnloadS * 1000) : null;
}

export type Runner = (input: Float32Array, dims: readonly number[]) => Promise<Record<string, Float32Array>>;

/** One named input: float32 pixels, or int64/int32 token ids. */
export interface Feed {
	type: 'float32' | 'int64' | 'int32';
	data: Float32Array | BigInt64Array | Int32Array;
	dims: readonly number[];
}
export type FeedsRunner = (feeds: Record<string, Feed>) => Promise<Record<string, Float32Array>>;

/** A model run with named inputs of any type (the CLIP text encoder's ids and mask). */
export async function feedsRunner(modelId: string, opts: MlRunOptions): Promise<{ run: FeedsRunner; backend: Backend; inputNames: readonly string[] }> {
	const backend = await backendFor(modelId, opts);
	const s = await session(modelId, backend, opts.threads);
	const ort = await runtime(backend, opts.threads);
	const run: FeedsRunner = async (feeds) => {
		const tensors = Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, [...f.dims])]));
		const out = await s.run(tensors);
		const res: Record<string, Float32Array> = {};
		for (const [k, v] of Object.entries(out)) {
			res[k] = (backend === 'webgpu' && v.location === 'gpu-buffer' ? await v.getData() : v.data) as Float32Array;
			v.dispose?.();
		}
		return res;
	};
	return { run, backend, inputNames: s.inputNames };
}

/** A model with one float32 image input. */
export async function runner(modelId: string, opts: MlRunOptions): Promise<{ run: Runner; backend: Backend }> {
	const r = await feedsRunner(modelId, opts);
	return { run: (input, dims) => r.run({ [r.inputNames[0]]: { type: 'float32', data: input, dims } }), backend: r.backend };
}
