// Fills the library with synthetic assets in batches, off the main thread (tests and benchmarks).
import * as Comlink from 'comlink';
import { rgbaToThumbHash } from 'thumbhash';
import { writeBlob } from '../../src/lib/blobs/store';
import { db } from '../../src/lib/db/schema';
import { rng, syntheticAsset, type Thumb } from '../../src/lib/synthetic/rows';

const POOL = 48;
const BATCH = 5000;

/** A few distinct generated pictures (gradients and shapes) shared by all synthetic assets. */
async function makeThumbs(): Promise<Thumb[]> {
	const thumbs: Thumb[] = [];
	for (let k = 0; k < POOL; k++) {
		const canvas = new OffscreenCanvas(250, 250);
		const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
		const hue = (k * 360) / POOL;
		const g = ctx.createLinearGradient(0, 0, 250, 250);
		g.addColorStop(0, `hsl(${hue} 70% 60%)`);
		g.addColorStop(1, `hsl(${(hue + 60) % 360} 60% 30%)`);
		ctx.fillStyle = g;
		ctx.fillRect(0, 0, 250, 250);
		ctx.fillStyle = `hsl(${(hue + 180) % 360} 80% 70%)`;
		ctx.beginPath();
		ctx.arc(60 + ((k * 37) % 130), 60 + ((k * 53) % 130), 30 + (k % 5) * 8, 0, Math.PI * 2);
		ctx.fill();
		const path = ['derived', 'synthetic', `${k}.webp`];
		await writeBlob(path, await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 }));
		const small = new OffscreenCanvas(32, 32);
		const sctx = small.getContext('2d', { willReadFrequently: true })!;
		sctx.drawImage(canvas, 0, 0, 32, 32);
		const hash = rgbaToThumbHash(32, 32, sctx.getImageData(0, 0, 32, 32).data);
		thumbs.push({ path: path.join('/'), thumbhash: btoa(String.fromCharCode(...hash)) });
	}
	return thumbs;
}

const api = {
	/** Adds `count` synthetic assets (ids continue after those already there). */
	async generate(count: number, seed: number, onProgress?: (done: number) => void): Promise<number> {
		const thumbs = await makeThumbs();
		const start = await db().assets.where('id').startsWith('syn-').count();
		const random = rng(seed + start);
		const now = Date.now();
		for (let done = 0; done < count; ) {
			const n = Math.min(BATCH, count - done);
			const rows = Array.from({ length: n }, (_, j) => syntheticAsset(start + done + j, random, thumbs, now, now));
			await db().assets.bulkAdd(rows);
			done += n;
			onProgress?.(done);
		}
		return count;
	}
};

export type SyntheticApi = typeof api;
Comlink.expose(api);
