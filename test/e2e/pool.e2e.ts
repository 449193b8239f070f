// Acceptance test 3: the workers slider sizes the pool live, and the pool never runs more workers
// than its size while jobs are processed. Also: the page is cross-origin isolated.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gotoPath, openApp, setRange, startImport, waitForQueuesIdle, type App } from './helpers/app';
import { loadCases, type Case } from './helpers/media';

async function readPool(page: Page) {
	return page.getByTestId('pool-status').evaluate((el) => ({
		size: Number((el as HTMLElement).dataset.size),
		workers: Number((el as HTMLElement).dataset.workers)
	}));
}

/** Records pool-status every 20 ms from inside the page until stopSampling() is called. */
async function startSampling(page: Page) {
	await page.evaluate(() => {
		const w = window as unknown as { __e2ePool: { size: number; workers: number }[]; __e2ePoolTimer: number };
		w.__e2ePool = [];
		w.__e2ePoolTimer = window.setInterval(() => {
			const el = document.querySelector<HTMLElement>('[data-testid="pool-status"]');
			if (el) w.__e2ePool.push({ size: Number(el.dataset.size), workers: Number(el.dataset.workers) });
		}, 20);
	});
}
async function stopSampling(page: Page): Promise<{ size: number; workers: number }[]> {
	return page.evaluate(() => {
		const w = window as unknown as { __e2ePool: { size: number; workers: number }[]; __e2ePoolTimer: number };
		clearInterval(w.__e2ePoolTimer);
		return w.__e2ePool;
	});
}

describe('worker pool', () => {
	let app: App;
	let photos: Case[];

	beforeAll(async () => {
		// Mid-sized photos keep the workers busy long enough to be seen, without the slowest files.
		photos = (await loadCases(inject('mediaDir'), ['photos']))
			.filter((c) => c.expect.mime === 'image/jpeg')
			.sort((a, b) => b.bytes - a.bytes)
			.slice(1, 9);
		app = await openApp('/settings');
	});
	afterAll(async () => {
		await app?.close();
	});

	it('runs cross-origin isolated (SharedArrayBuffer available)', async () => {
		expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(true);
	});

	it('follows the workers slider, and never runs more workers than its size', async () => {
		const { page } = app;
		const max = await page.getByTestId('setting-workers').evaluate((el) => Number((el as HTMLInputElement).max));
		const cores = await page.evaluate(() => navigator.hardwareConcurrency);
		expect(max).toBe(cores);

		await setRange(page, 'setting-workers', 1);
		await expect.poll(async () => (await readPool(page)).size, { timeout: 10_000 }).toBe(1);
		const two = Math.min(2, cores);
		await setRange(page, 'setting-workers', two);
		await expect.poll(async () => (await readPool(page)).size, { timeout: 10_000 }).toBe(two);

		// Process photos at size 1 then at size 2, sampling pool-status on /settings meanwhile;
		// a second tab watches /jobs to tell when the queues are done.
		const watcher = await app.context.newPage();
		let imported = 0;
		for (const [size, batch] of [[1, photos.slice(0, 4)], [two, photos.slice(4)]] as const) {
			await setRange(page, 'setting-workers', size);
			await expect.poll(async () => (await readPool(page)).size, { timeout: 10_000 }).toBe(size);
			await startSampling(page);
			await startImport(page, batch.map((c) => c.path));
			imported += batch.length;
			await gotoPath(watcher, '/jobs', app.baseURL);
			await waitForQueuesIdle(watcher, { minDone: imported });
			const samples = await stopSampling(page);
			const busiest = Math.max(0, ...samples.map((s) => s.workers));
			const over = samples.filter((s) => s.workers > s.size);
			console.log(`size ${size}: ${samples.length} samples, at most ${busiest} workers alive, sizes seen ${[...new Set(samples.map((s) => s.size))]}`);
			expect(samples.length).toBeGreaterThan(0);
			expect(busiest).toBeGreaterThan(0); // the jobs really ran in this page's pool
			expect(over).toEqual([]);
			expect(new Set(samples.map((s) => s.size))).toEqual(new Set([size]));
		}
		await watcher.close();
	});
});
