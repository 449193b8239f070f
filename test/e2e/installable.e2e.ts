// Installable (issue 3, item 5): Chromium reports no installability errors, the web app manifest
// has what a phone or a desktop needs (icons, standalone, colours, share_target, file_handlers),
// and a share from another app (a POST to /share, caught by the service worker) gets imported.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoPath, openApp, readGrid, screenshot, type App } from './helpers/app';
import { readCaches, waitForServiceWorker } from './helpers/pwa';

interface Manifest {
	name: string;
	short_name: string;
	description: string;
	start_url: string;
	scope: string;
	display: string;
	theme_color: string;
	background_color: string;
	icons: { src: string; sizes: string; type: string; purpose?: string }[];
	share_target: { action: string; method: string; enctype: string; params: { files: { name: string; accept: string[] }[] } };
	file_handlers: { action: string; accept: Record<string, string[]> }[];
}

/** A small JPEG of its own (noise, so every call gives new content: no dedupe between tests). */
async function makeJpeg(seed: number): Promise<Buffer> {
	return sharp({ create: { width: 320 + seed, height: 240, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
		.jpeg({ quality: 80 })
		.toBuffer();
}

/** Waits for the shared files' import to finish on this page (readGrid then leaves it for /recent). */
async function sharedImportDone(page: Page, count: number) {
	await page.waitForFunction(
		(n) => {
			const el = document.querySelector<HTMLElement>('[data-testid="import-progress"]');
			return !!el && Number(el.dataset.total) >= n && el.dataset.running === 'false';
		},
		count,
		{ timeout: 120_000 }
	);
}

async function tilesWithThumbnails(page: Page, count: number) {
	await expect
		.poll(async () => (await readGrid(page)).tiles.filter((t) => t.hasThumbnail).length, { timeout: 120_000, interval: 500, message: 'tiles with thumbnails' })
		.toBe(count);
}

describe('installable', () => {
	let app: App;
	let manifest: Manifest;
	let tmp: string;

	beforeAll(async () => {
		tmp = await mkdtemp(join(tmpdir(), 'shoebox-e2e-share-'));
		app = await openApp('/');
		await waitForServiceWorker(app.page);
		manifest = await app.page.evaluate(async () => {
			const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
			return (await fetch(href)).json();
		});
	});
	afterAll(async () => {
		await app?.close();
		await rm(tmp, { recursive: true, force: true });
	});

	it('has no installability errors (Chrome DevTools Protocol)', async () => {
		const cdp = await app.page.context().newCDPSession(app.page);
		const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
		const appManifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
		console.log(`manifest ${appManifest.url}; parse errors ${JSON.stringify(appManifest.errors)}; installability errors ${JSON.stringify(installabilityErrors)}`);
		expect(installabilityErrors).toEqual([]);
		expect(appManifest.errors).toEqual([]);
		expect(appManifest.url).toMatch(/\/manifest\.webmanifest$/);
	});

	it('serves a manifest with name, icons, standalone, colours, share_target and file_handlers', async () => {
		expect(manifest).toMatchObject({
			name: 'Shoebox',
			short_name: expect.any(String),
			description: expect.any(String),
			start_url: '/',
			scope: '/',
			display: 'standalone',
			theme_color: '#3558d6',
			background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i)
		});
		const icon = (size: number, purpose: string) => manifest.icons.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? 'any').split(' ').includes(purpose));
		for (const [size, purpose] of [[192, 'any'], [512, 'any'], [512, 'maskable']] as const) {
			const entry = icon(size, purpose);
			expect(entry, `${size} ${purpose} icon`).toBeTruthy();
			// The PNG is really there and really that size.
			const bytes = await app.page.evaluate(async (src) => [...new Uint8Array(await (await fetch(src)).arrayBuffer())], entry!.src);
			const meta = await sharp(Buffer.from(bytes)).metadata();
			expect([meta.format, meta.width, meta.height]).toEqual(['png', size, size]);
		}
		expect(manifest.share_target).toMatchObject({ action: '/share', method: 'POST', enctype: 'multipart/form-data' });
		const files = [manifest.share_target.params.files].flat();
		expect(files[0].accept).toEqual(expect.arrayContaining(['image/*', 'video/*']));
		expect(manifest.file_handlers[0].action).toBe('/');
		const accepted = Object.keys(manifest.file_handlers[0].accept);
		expect(accepted).toEqual(expect.arrayContaining(['image/jpeg', 'image/heic', 'video/mp4']));
		const head = await app.page.evaluate(() => ({
			themeColor: document.querySelector('meta[name="theme-color"]')?.getAttribute('content'),
			appleTouchIcon: document.querySelector('link[rel="apple-touch-icon"]')?.getAttribute('href')
		}));
		expect(head.themeColor).toBe('#3558d6');
		expect(head.appleTouchIcon).toBeTruthy();
	});

	it('imports a file shared with fetch(POST /share) once /?shared=1 opens', async () => {
		const { page } = app;
		const jpeg = (await makeJpeg(1)).toString('base64');
		const reply = await page.evaluate(async (b64) => {
			const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
			const form = new FormData();
			form.append('files', new File([bytes], 'shared from phone.jpg', { type: 'image/jpeg', lastModified: Date.UTC(2024, 4, 1) }));
			const r = await fetch('/share', { method: 'POST', body: form });
			return { status: r.status, redirected: r.redirected, url: r.url };
		}, jpeg);
		console.log(`POST /share → ${JSON.stringify(reply)}`);
		expect(reply.redirected).toBe(true);
		expect(new URL(reply.url).pathname + new URL(reply.url).search).toBe('/?shared=1');
		expect((await readCaches(page))['shoebox-shared-files']).toHaveLength(1);

		await gotoPath(page, '/?shared=1');
		await sharedImportDone(page, 1);
		expect(new URL(page.url()).searchParams.has('shared')).toBe(false);
		expect((await readCaches(page))['shoebox-shared-files'] ?? []).toHaveLength(0);
		await tilesWithThumbnails(page, 1);
		const named = await page.evaluate(() => document.body.innerHTML.includes('shared from phone.jpg'));
		expect(named).toBe(true);
	});

	it('imports files shared the way the OS does it: a multipart form navigation to /share', async () => {
		const { page } = app;
		const paths = [join(tmp, 'share-a.jpg'), join(tmp, 'share-b.jpg')];
		await writeFile(paths[0], await makeJpeg(2));
		await writeFile(paths[1], await makeJpeg(3));
		await page.evaluate(() => {
			const form = Object.assign(document.createElement('form'), { method: 'post', action: '/share', enctype: 'multipart/form-data' });
			form.id = 'e2e-share';
			const input = Object.assign(document.createElement('input'), { type: 'file', name: 'files', multiple: true });
			form.append(input);
			document.body.append(form);
		});
		await page.setInputFiles('#e2e-share input', paths);
		await Promise.all([page.waitForURL((u) => u.pathname === '/' && u.search === '?shared=1', { timeout: 30_000 }).catch(() => {}), page.evaluate(() => (document.getElementById('e2e-share') as HTMLFormElement).submit())]);
		await page.getByTestId('import-input').waitFor({ state: 'attached' });
		await sharedImportDone(page, 2);
		expect(new URL(page.url()).search).toBe('');
		await tilesWithThumbnails(page, 3);
		await screenshot(page, 'shared-imported');
	});
});
