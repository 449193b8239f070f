// Developer hook for the ML worker, installed by the /dev page only (tests and benchmarks drive it):
//   window.__shoeboxDev.faces(opts)        → detectFaces on every asset's preview, one worker
//   window.__shoeboxDev.facesBench(opts)   → the same with N workers sharing the list, timed passes
//   window.__shoeboxDev.tagsBench(opts)    → tagObjects likewise
//   window.__shoeboxDev.textBench(opts)    → readText likewise
// Each call starts its own workers and ends them afterwards.
import * as Comlink from 'comlink';
import { db } from '$lib/db/schema';
import type { FaceOptions, MlApi, MlRunOptions, MlStatus, TagOptions } from '../../../worker/shared/ml-api';

export interface DevFace {
	box: number[];
	landmarks: number[];
	score: number;
	embedding: number[];
	cropBytes: number;
	cropType: string;
}

export interface DevFaceImage {
	assetId: string;
	name: string;
	width: number;
	height: number;
	provider: string;
	faces: DevFace[];
	timings: Record<string, number>;
}

export interface DevBenchImage {
	name: string;
	/** Faces, tags or text lines found. */
	found: number;
	/** What was found, in short (tag labels, the text). */
	summary: string;
}

export interface DevBenchResult {
	images: number;
	/** Faces, tags or text lines found in the last pass. */
	found: number;
	/** Wall time of each timed pass, ms. */
	passes: number[];
	/** First call per worker (sessions created), ms. */
	warmMs: number[];
	status: MlStatus;
	/** Per-step sums over the last pass, ms (the worker's own timings). */
	steps: Record<string, number>;
	/** Sum over the last pass of each call's time as the page sees it (bridge and OPFS included), ms. */
	callMs: number;
	/** The last pass, per preview (sorted by name). */
	perImage: DevBenchImage[];
}

/** facesBench's result: `faces` is `found`. */
export interface DevFaceBenchResult extends DevBenchResult {
	faces: number;
}

export interface BenchOptions {
	workers: number;
	/** Timed passes, after one untimed one. */
	passes: number;
}

type Api = Comlink.Remote<MlApi>;

/** One ML call on one preview, as a benchmark sees it. */
interface BenchCall<O> {
	run(api: Api, path: string[], opts: O): Promise<{ found: number; summary: string; timings: Record<string, number> }>;
	/** Creates the sessions; without it the first preview is run once per worker. */
	warm?(api: Api, opts: O): Promise<unknown>;
}

const faceCall: BenchCall<FaceOptions> = {
	warm: (api, o) => api.warm(o.tier, o),
	async run(api, path, o) {
		const r = await api.detectFaces(path, o);
		return { found: r.faces.length, summary: `${r.faces.length}`, timings: r.timings };
	}
};

const tagCall: BenchCall<TagOptions> = {
	async run(api, path, o) {
		const r = await api.tagObjects(path, o);
		return { found: r.tags.length, summary: r.tags.map((t) => t.label).sort().join(','), timings: r.timings };
	}
};

const textCall: BenchCall<MlRunOptions> = {
	async run(api, path, o) {
		const r = await api.readText(path, o);
		return { found: r.lines.length, summary: r.text, timings: r.timings };
	}
};

function startWorker(): { worker: Worker; api: Comlink.Remote<MlApi> } {
	const worker = new Worker(new URL('../../../worker/ml/ml.worker.ts', import.meta.url), { type: 'module' });
	return { worker, api: Comlink.wrap<MlApi>(worker) };
}

async function previews(): Promise<Array<{ id: string; name: string; path: string[] }>> {
	const assets = await db().assets.toArray();
	return assets
		.filter((a) => a.derivatives.preview)
		.sort((a, b) => a.originalName.localeCompare(b.originalName))
		.map((a) => ({ id: a.id, name: a.originalName, path: a.derivatives.preview!.split('/') }));
}

/** Faces in every preview, or in those of the files named in `only`. */
async function faces(opts: FaceOptions & { only?: string[] }): Promise<DevFaceImage[]> {
	const { worker, api } = startWorker();
	try {
		const out: DevFaceImage[] = [];
		for (const p of await previews()) {
			if (opts.only && !opts.only.includes(p.name)) continue;
			const r = await api.detectFaces(p.path, opts);
			out.push({
				assetId: p.id,
				name: p.name,
				width: r.width,
				height: r.height,
				provider: r.provider,
				timings: r.timings,
				faces: r.faces.map((f) => ({ box: f.box, landmarks: f.landmarks, score: f.score, embedding: Array.from(f.embedding), cropBytes: f.crop.size, cropType: f.crop.type }))
			});
		}
		return out;
	} finally {
		worker.terminate();
	}
}

/** `call` on every preview with `workers` workers taking the next preview when free: one untimed pass, then `passes` timed ones. */
async function bench<O>(call: BenchCall<O>, opts: O & BenchOptions): Promise<DevBenchResult> {
	const list = await previews();
	const pool = Array.from({ length: Math.max(1, opts.workers) }, startWorker);
	try {
		const warmMs: number[] = [];
		await Promise.all(
			pool.map(async (w) => {
				const t = performance.now();
				if (call.warm) await call.warm(w.api, opts);
				else if (list.length) await call.run(w.api, list[0].path, opts);
				warmMs.push(performance.now() - t);
			})
		);
		// one untimed pass (JIT, caches), then the timed ones
		const passes: number[] = [];
		let last = { found: 0, steps: {} as Record<string, number>, callMs: 0, perImage: [] as DevBenchImage[] };
		for (let pass = 0; pass <= opts.passes; pass++) {
			let next = 0;
			const now = { found: 0, steps: {} as Record<string, number>, callMs: 0, perImage: new Array<DevBenchImage>(list.length) };
			const t = performance.now();
			await Promise.all(
				pool.map(async (w) => {
					for (let i = next++; i < list.length; i = next++) {
						const c = performance.now();
						const r = await call.run(w.api, list[i].path, opts);
						now.callMs += performance.now() - c;
						now.found += r.found;
						now.perImage[i] = { name: list[i].name, found: r.found, summary: r.summary };
						for (const [k, v] of Object.entries(r.timings)) now.steps[k] = (now.steps[k] ?? 0) + v;
					}
				})
			);
			if (pass > 0) passes.push(performance.now() - t);
			last = now;
		}
		return { images: list.length, found: last.found, passes, warmMs, status: await pool[0].api.status(), steps: last.steps, callMs: last.callMs, perImage: last.perImage };
	} finally {
		for (const w of pool) w.worker.terminate();
	}
}

async function facesBench(opts: FaceOptions & BenchOptions): Promise<DevFaceBenchResult> {
	const r = await bench(faceCall, opts);
	return { ...r, faces: r.found };
}

const tagsBench = (opts: TagOptions & BenchOptions) => bench(tagCall, opts);
const textBench = (opts: MlRunOptions & BenchOptions) => bench(textCall, opts);

export interface ShoeboxDev {
	faces: typeof faces;
	facesBench: typeof facesBench;
	tagsBench: typeof tagsBench;
	textBench: typeof textBench;
}

/** Installs window.__shoeboxDev; returns the uninstaller (the page calls it when it goes away). */
export function installMlDevHook(): () => void {
	const w = window as unknown as { __shoeboxDev?: ShoeboxDev };
	w.__shoeboxDev = { faces, facesBench, tagsBench, textBench };
	return () => {
		delete w.__shoeboxDev;
	};
}
