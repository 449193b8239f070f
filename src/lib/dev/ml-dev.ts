// Developer hook for the ML worker, installed by the /dev page only (tests and benchmarks drive it):
//   window.__shoeboxDev.faces(opts)        → detectFaces on every asset's preview, one worker
//   window.__shoeboxDev.facesBench(opts)   → the same with N workers sharing the list, timed passes
// Each call starts its own workers and ends them afterwards.
import * as Comlink from 'comlink';
import { db } from '$lib/db/schema';
import type { FaceOptions, MlApi, MlStatus } from '../../../worker/shared/ml-api';

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

export interface DevBenchResult {
	images: number;
	faces: number;
	/** Wall time of each timed pass, ms. */
	passes: number[];
	/** First call per worker (sessions created), ms. */
	warmMs: number[];
	status: MlStatus;
	/** Per-step sums over the last pass, ms. */
	steps: Record<string, number>;
}

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

async function faces(opts: FaceOptions): Promise<DevFaceImage[]> {
	const { worker, api } = startWorker();
	try {
		const out: DevFaceImage[] = [];
		for (const p of await previews()) {
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

async function facesBench(opts: FaceOptions & { workers: number; passes: number }): Promise<DevBenchResult> {
	const list = await previews();
	const pool = Array.from({ length: Math.max(1, opts.workers) }, startWorker);
	try {
		const warmMs: number[] = [];
		await Promise.all(
			pool.map(async (w) => {
				const t = performance.now();
				await w.api.warm(opts.tier, opts);
				warmMs.push(performance.now() - t);
			})
		);
		// one untimed pass (JIT, caches), then the timed ones
		const passes: number[] = [];
		let faceCount = 0;
		let steps: Record<string, number> = {};
		for (let pass = 0; pass <= opts.passes; pass++) {
			let next = 0;
			let found = 0;
			const sums: Record<string, number> = {};
			const t = performance.now();
			await Promise.all(
				pool.map(async (w) => {
					for (let i = next++; i < list.length; i = next++) {
						const r = await w.api.detectFaces(list[i].path, opts);
						found += r.faces.length;
						for (const [k, v] of Object.entries(r.timings)) sums[k] = (sums[k] ?? 0) + v;
					}
				})
			);
			if (pass > 0) passes.push(performance.now() - t);
			faceCount = found;
			steps = sums;
		}
		return { images: list.length, faces: faceCount, passes, warmMs, status: await pool[0].api.status(), steps };
	} finally {
		for (const w of pool) w.worker.terminate();
	}
}

export interface ShoeboxDev {
	faces: typeof faces;
	facesBench: typeof facesBench;
}

/** Installs window.__shoeboxDev; returns the uninstaller (the page calls it when it goes away). */
export function installMlDevHook(): () => void {
	const w = window as unknown as { __shoeboxDev?: ShoeboxDev };
	w.__shoeboxDev = { faces, facesBench };
	return () => {
		delete w.__shoeboxDev;
	};
}
