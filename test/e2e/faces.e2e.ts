// The ML worker's face pipeline in a real Chromium: photos imported through the UI, previews made
// by the thumbnail queue, then detectFaces run on each preview through the /dev hook
// (window.__shoeboxDev, src/lib/dev/ml-dev.ts). Counts against the corpus MANIFEST; WASM against
// WebGPU (SwiftShader's fallback adapter in headless Chromium, forced with provider 'webgpu').
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DevFaceImage } from '../../src/lib/dev/ml-dev';
import type { FaceOptions } from '../../worker/shared/ml-api';
import { gotoPath, importFiles, saveArtifact, waitForQueuesIdle } from './helpers/app';
import { CHROMIUM_ARGS, findChromium } from '../chromium.mjs';

interface Entry {
	path: string;
	expect: { face_count?: number | null; face_count_min?: number };
}

const CROWD = 'crowd_selfie.jpg';

// WebGPU needs the GPU process: no --disable-gpu here, and SwiftShader as the adapter.
const ARGS = [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'];

async function runFaces(page: Page, opts: FaceOptions & { only?: string[] }): Promise<DevFaceImage[]> {
	await gotoPath(page, '/dev');
	await page.waitForFunction(() => !!(window as unknown as { __shoeboxDev?: unknown }).__shoeboxDev);
	return page.evaluate((o) => (window as unknown as { __shoeboxDev: { faces: (o: FaceOptions & { only?: string[] }) => Promise<DevFaceImage[]> } }).__shoeboxDev.faces(o), opts);
}

const byName = (r: DevFaceImage[]) => new Map(r.map((x) => [x.name, x]));

describe('face pipeline in the ML worker', () => {
	let context: BrowserContext;
	let page: Page;
	let profile: string;
	let entries: Entry[];
	const results: Record<string, DevFaceImage[]> = {};

	beforeAll(async () => {
		const media = inject('mediaDir');
		const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8')) as { files: Entry[] };
		const want = (p: string) => /^faces\/(group|noface|crowd)\//.test(p) || /^faces\/(amy|penny|sheldon)\/\w+1\.png$/.test(p) || p === 'faces/single/stock_happy.jpg';
		entries = manifest.files.filter((f) => want(f.path));
		if (inject('mediaSource') !== 'corpus' || entries.length < 6) throw new Error(`the face e2e test needs the shared media corpus (faces/); got ${inject('mediaSource')} with ${entries.length} face files`);
		profile = await mkdtemp(join(tmpdir(), 'shoebox-e2e-faces-'));
		context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
		context.setDefaultTimeout(60_000);
		page = context.pages()[0] ?? (await context.newPage());
		page.on('pageerror', (e) => console.warn(`[browser pageerror] ${e}`));
		await gotoPath(page, '/', inject('baseURL'));
		const progress = await importFiles(page, entries.map((e) => join(media, e.path)));
		expect(progress.imported).toBe(entries.length);
		await waitForQueuesIdle(page, { minDone: entries.length });
	});

	afterAll(async () => {
		await saveArtifact('faces.json', Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((x) => ({ ...x, faces: x.faces.map((f) => ({ ...f, embedding: f.embedding.slice(0, 4) })) }))])));
		await context?.close().catch(() => {});
		if (profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
	});

	for (const tier of ['small', 'large'] as const) {
		it(`${tier} tier, WASM: face counts equal the manifest; unit embeddings; JPEG crops`, async () => {
			const r = await runFaces(page, { tier, minScore: 0.7, provider: 'wasm', threads: 2 });
			results[`${tier}-wasm`] = r;
			const got = byName(r);
			const counted = entries.filter((e) => e.expect.face_count != null);
			const counts = counted.map((e) => [basename(e.path), got.get(basename(e.path))?.faces.length ?? null]);
			const crowd = got.get(CROWD)?.faces.length ?? 0;
			const crowdMin = entries.find((e) => basename(e.path) === CROWD)?.expect.face_count_min ?? 0;
			console.log(`[faces] ${tier}/wasm (${r[0]?.provider}): ${counts.map(([n, c]) => `${n}=${c}`).join(', ')}; ${CROWD}=${crowd} (≥${crowdMin} detectable)`);
			expect(counts).toEqual(counted.map((e) => [basename(e.path), e.expect.face_count]));
			// The crowd's tiny faces: the large tier (SCRFD at 640) reaches the manifest's lower bound; the
			// small one (YuNet, longer side 480) finds the larger faces only, a documented trade-off.
			if (tier === 'large') expect(crowd).toBeGreaterThanOrEqual(crowdMin);
			else expect(crowd).toBeGreaterThan(crowdMin / 2);
			for (const img of r)
				for (const f of img.faces) {
					expect(f.score).toBeGreaterThanOrEqual(0.7);
					expect(f.embedding).toHaveLength(128);
					expect(Math.hypot(...f.embedding)).toBeCloseTo(1, 4);
					expect(f.box.every((v) => v >= 0 && v <= 1)).toBe(true);
					expect(f.box[0] + f.box[2]).toBeLessThanOrEqual(1.0001);
					expect(f.landmarks).toHaveLength(10);
					expect(f.cropType).toBe('image/jpeg');
					expect(f.cropBytes).toBeGreaterThan(200);
				}
		});
	}

	it('WebGPU (SwiftShader, forced) finds the same faces as WASM: count, boxes within 1%, embeddings', async () => {
		const gpuInfo = await page.evaluate(async () => {
			const a = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean; architecture?: string } } | null> } }).gpu?.requestAdapter();
			return a ? { fallback: !!a.info?.isFallbackAdapter, arch: a.info?.architecture ?? '' } : null;
		});
		expect(gpuInfo, 'navigator.gpu.requestAdapter() returned no adapter').not.toBeNull();
		// the crowd left out: SwiftShader is ~100× slower than WASM, and its 40 faces add nothing here
		const gpu = await runFaces(page, { tier: 'small', minScore: 0.7, provider: 'webgpu', threads: 1, only: entries.map((e) => basename(e.path)).filter((n) => n !== CROWD) });
		results['small-webgpu'] = gpu;
		const cpu = byName(results['small-wasm'] ?? (await runFaces(page, { tier: 'small', minScore: 0.7, provider: 'wasm', threads: 2 })));
		let worstBox = 0;
		let worstCos = 1;
		for (const g of gpu) {
			expect(g.provider).toBe('webgpu');
			const c = cpu.get(g.name)!;
			expect([g.name, g.faces.length]).toEqual([g.name, c.faces.length]);
			g.faces.forEach((f, i) => {
				// same order (score-sorted), unless two scores are within noise: match by nearest box
				const m = c.faces.reduce((best, x) => (Math.hypot(x.box[0] - f.box[0], x.box[1] - f.box[1]) < Math.hypot(best.box[0] - f.box[0], best.box[1] - f.box[1]) ? x : best), c.faces[i]);
				const d = Math.max(...f.box.map((v, k) => Math.abs(v - m.box[k])));
				worstBox = Math.max(worstBox, d);
				let dot = 0;
				for (let k = 0; k < f.embedding.length; k++) dot += f.embedding[k] * m.embedding[k];
				worstCos = Math.min(worstCos, dot);
			});
		}
		console.log(`[faces] webgpu (${gpuInfo?.arch}, fallback=${gpuInfo?.fallback}) vs wasm: largest box difference ${(worstBox * 100).toExponential(2)}% of the image, lowest embedding cosine 1 − ${(1 - worstCos).toExponential(2)}`);
		expect(worstBox).toBeLessThan(0.01);
		expect(worstCos).toBeGreaterThan(0.99);
	});
});
