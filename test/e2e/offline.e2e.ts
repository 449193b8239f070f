// Installable and offline (issue 3, item 5): after one online visit the service worker serves the
// whole app: deep links reload offline, still cross-origin isolated, and importing works offline
// (workers, their chunks and, once used online, the libheif WASM chunk from the run-time cache).
// A private copy of build/ on its own port is stopped to go offline for real (not only
// setOffline, which emulates it for the page), and changed to ship an update.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gotoPath, importFiles, readGrid, screenshot, type ImportProgress } from './helpers/app';
import { loadCases, type Case } from './helpers/media';
import { bigBuildFiles, ownServer, readCaches, waitForServiceWorker, type OwnServer } from './helpers/pwa';
import { launchBrowser, type Browser } from './setup/browser';

const MB = 1024 * 1024;

/** Imports the files and waits until each new tile on / shows its thumbnail; returns the new ids. */
async function importAndSeeThumbnails(page: Page, paths: string[]): Promise<{ progress: ImportProgress; ids: string[] }> {
	await gotoPath(page, '/');
	const before = new Set((await readGrid(page)).tiles.map((t) => t.id));
	const progress = await importFiles(page, paths);
	let ids: string[] = [];
	await expect
		.poll(
			async () => {
				const fresh = (await readGrid(page)).tiles.filter((t) => !before.has(t.id));
				ids = fresh.map((t) => t.id);
				return { tiles: fresh.length, withThumbnail: fresh.filter((t) => t.hasThumbnail).length };
			},
			{ timeout: 180_000, interval: 500, message: 'new tiles with thumbnails' }
		)
		.toEqual({ tiles: paths.length, withThumbnail: paths.length });
	return { progress, ids };
}

async function isolation(page: Page) {
	return page.evaluate(() => ({
		crossOriginIsolated: globalThis.crossOriginIsolated,
		sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
		controlled: !!navigator.serviceWorker.controller
	}));
}

describe('offline', () => {
	let server: OwnServer;
	let browser: Browser;
	let page: Page;
	let photos: Case[];
	let heics: Case[];
	let jpeg: Case;

	beforeAll(async () => {
		photos = await loadCases(inject('mediaDir'), ['photos']);
		heics = photos.filter((c) => /\.hei[cf]$/i.test(c.name));
		// A small JPEG: enough to run both workers, quick on two cores.
		jpeg = photos.filter((c) => /\.jpe?g$/i.test(c.name) && c.bytes > 50_000).sort((a, b) => a.bytes - b.bytes)[0] ?? photos[0];
		server = await ownServer();
		browser = await launchBrowser();
		page = browser.context.pages()[0] ?? (await browser.context.newPage());
		await gotoPath(page, '/', server.baseURL);
		const script = await waitForServiceWorker(page);
		console.log(`service worker controls the page: ${script}`);
	});

	afterAll(async () => {
		await browser?.context.setOffline(false).catch(() => {});
		await browser?.close();
		await server?.dispose();
	});

	it('precaches the app shell but not the big WASM chunk nor static/models', async () => {
		const all = await readCaches(page);
		const precacheName = Object.keys(all).find((n) => n.includes('precache'));
		expect(precacheName, `caches: ${Object.keys(all)}`).toBeTruthy();
		const precache = all[precacheName!];
		console.log(`${precacheName}: ${precache.length} entries`);
		for (const path of ['/index.html', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png']) {
			expect(precache, path).toContain(path);
		}
		expect(precache.some((p) => p.startsWith('/_app/immutable/entry/'))).toBe(true);
		expect(precache.some((p) => p.startsWith('/_app/immutable/workers/'))).toBe(true);
		const allBig = await bigBuildFiles(MB, server.root);
		console.log(`build files over 1 MB: ${allBig.join(', ') || 'none'}`);
		// The places dataset is the one big file precached on purpose: places must work offline.
		const places = allBig.filter((p) => /\/cities-[\w-]+\.pbf$/.test(p));
		expect(places.length).toBe(1);
		expect(precache).toContain(places[0]);
		const big = allBig.filter((p) => !places.includes(p));
		expect(big.length).toBeGreaterThan(0); // the libheif bundle
		expect(precache.filter((p) => big.includes(p))).toEqual([]);
		expect(precache.filter((p) => p.startsWith('/models/'))).toEqual([]);
	});

	it('caches the libheif chunk at run time once HEIC was used online', async (ctx) => {
		if (heics.length < 2) return ctx.skip(); // generated fixtures carry no HEIC
		const { progress } = await importAndSeeThumbnails(page, [heics[0].path]);
		expect(progress.imported).toBe(1);
		const runtime = (await readCaches(page))['shoebox-runtime'] ?? [];
		console.log(`shoebox-runtime after one HEIC: ${runtime.join(', ')}`);
		// The libheif bundle: the big chunk that carries the decoder.
		const big = await bigBuildFiles(MB, server.root);
		const heif: string[] = [];
		for (const p of big) if (/libheif/i.test(await readFile(join(server.root, p), 'utf8'))) heif.push(p);
		expect(heif.length).toBeGreaterThan(0);
		expect(runtime).toEqual(expect.arrayContaining(heif));
	});

	it('reloads deep links offline, still cross-origin isolated', async () => {
		await browser.context.setOffline(true);
		await server.stop();
		// Nothing answers on the app's port any more: the service worker is all there is.
		const probe = await page.evaluate(() => fetch('/models/none.onnx').then((r) => r.status, (e) => String(e)));
		console.log(`network probe while offline: ${probe}`);
		expect(typeof probe).toBe('string');

		await gotoPath(page, '/jobs', server.baseURL);
		await page.getByTestId('queue-thumbnailGeneration').waitFor();
		expect(await isolation(page)).toEqual({ crossOriginIsolated: true, sharedArrayBuffer: true, controlled: true });
		await page.getByTestId('offline-indicator').waitFor();
		await screenshot(page, 'offline-jobs');

		await gotoPath(page, '/settings', server.baseURL);
		await page.getByTestId('export-metadata').waitFor();
		expect(await isolation(page)).toEqual({ crossOriginIsolated: true, sharedArrayBuffer: true, controlled: true });
		await screenshot(page, 'offline-settings');

		await page.reload();
		await page.getByTestId('import-input').waitFor({ state: 'attached' });
		expect(await isolation(page)).toEqual({ crossOriginIsolated: true, sharedArrayBuffer: true, controlled: true });
	});

	it('imports a photo offline and shows its thumbnail', async () => {
		const { progress, ids } = await importAndSeeThumbnails(page, [jpeg.path]);
		expect(progress).toMatchObject({ imported: 1, failed: 0 });
		await screenshot(page, 'offline-grid');
		// A viewer deep link also opens from the shell (what it shows is the viewer's business).
		await gotoPath(page, `/photos/${ids[0]}`, server.baseURL);
		expect(await isolation(page)).toEqual({ crossOriginIsolated: true, sharedArrayBuffer: true, controlled: true });
		await screenshot(page, 'offline-photo-link');
	});

	it('imports a HEIC offline with the run-time cached libheif chunk', async (ctx) => {
		if (heics.length < 2) return ctx.skip();
		const { progress } = await importAndSeeThumbnails(page, [heics[1].path]);
		expect(progress).toMatchObject({ imported: 1, failed: 0 });
		await screenshot(page, 'offline-grid-heic');
	});
});

describe('update available', () => {
	let server: OwnServer;
	let browser: Browser;

	beforeAll(async () => {
		server = await ownServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.dispose();
	});

	it('offers a reload when a new version is deployed, and the reload activates it', async () => {
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		await gotoPath(page, '/', server.baseURL);
		await waitForServiceWorker(page);
		expect(await page.getByTestId('update-prompt').count()).toBe(0);

		// "Deploy" a new version: any byte change of the service worker script is one.
		await appendFile(join(server.root, 'service-worker.js'), `\n// e2e: next version ${Date.now()}\n`);
		await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
		await page.getByTestId('update-prompt').waitFor({ timeout: 60_000 });
		expect(await page.getByTestId('update-prompt').getAttribute('role')).toBe('status');
		const waiting = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting));
		expect(waiting).toBe(true);
		await screenshot(page, 'update-prompt');

		await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.getByTestId('update-reload').click()]);
		await page.getByTestId('import-input').waitFor({ state: 'attached' });
		const after = await page.evaluate(async () => {
			const r = await navigator.serviceWorker.getRegistration();
			return { waiting: !!r?.waiting, active: r?.active?.state, controlled: !!navigator.serviceWorker.controller };
		});
		expect(after).toEqual({ waiting: false, active: 'activated', controlled: true });
		expect(await page.getByTestId('update-prompt').count()).toBe(0);
	});
});
