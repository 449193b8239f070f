// The duplicates page through the UI: near-duplicates made here with sharp (a resized and a
// re-encoded copy of a photo) are grouped with their original and nothing else; "Not duplicates"
// hides the group (across a reload) until a new copy joins it; "Keep this, trash the others" keeps
// one and moves the rest to the trash (checked in library.json); "Similar photos" in the viewer
// finds the copies by perceptual hash. The copies are new bytes, so the
// import's exact-duplicate check lets them in.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, gotoPath, importFiles, openApp, screenshot, waitForQueuesIdle, waitForStored, type App } from './helpers/app';
import type { OrgLibrary } from './helpers/organise';

/** Distinct scenes of the corpus (measured: 15+ dHash bits apart, copies 0–4). */
const CORPUS = { original: 'photos/gps_DSCN0010.jpg', others: ['photos/gps_DSCN0027.jpg', 'photos/Canon_PowerShot_S40.jpg'] };

/** A smooth random scene (a 6×5 grid of colours blown up), for a media folder without the corpus. */
async function scene(seed: number): Promise<Buffer> {
	let s = seed;
	const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24;
	const raw = Buffer.from(Array.from({ length: 6 * 5 * 3 }, next));
	return sharp(raw, { raw: { width: 6, height: 5, channels: 3 } }).resize(640, 480, { kernel: 'cubic' }).jpeg({ quality: 92 }).toBuffer();
}

async function sources(mediaDir: string): Promise<Buffer[]> {
	const paths = [CORPUS.original, ...CORPUS.others].map((p) => join(mediaDir, p));
	if (paths.every((p) => existsSync(p))) return Promise.all(paths.map((p) => readFile(p)));
	return Promise.all([11, 22, 33].map(scene));
}

interface Made {
	name: string;
	path: string;
	bytes: number;
	pixels: number;
}

const groupIds = (page: Page) => page.$$eval('[data-testid="duplicates-group"]', (els) => els.map((e) => ((e as HTMLElement).dataset.assetIds ?? '').split(',')));
const groupCount = async (page: Page) => Number(await page.getByTestId('duplicates-count').getAttribute('data-count'));

describe(`duplicates (${inject('mediaSource')} media)`, () => {
	let app: App;
	let dir: string;
	let files: Made[];
	let late: Made;
	const idOf = new Map<string, string>();

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-dups-'));
		const [original, ...others] = await sources(inject('mediaDir'));
		const { width } = await sharp(original).metadata();
		const write = async (name: string, data: Buffer): Promise<Made> => {
			const path = join(dir, name);
			await writeFile(path, data);
			const m = await sharp(data).metadata();
			return { name, path, bytes: data.length, pixels: m.width * m.height };
		};
		files = [
			await write('beach.jpg', original),
			await write('beach-small.jpg', await sharp(original).resize(Math.round(width / 2)).jpeg({ quality: 85 }).toBuffer()),
			await write('beach-q60.jpg', await sharp(original).jpeg({ quality: 60 }).toBuffer()),
			await write('other-1.jpg', others[0]),
			await write('other-2.jpg', others[1])
		];
		late = await write('beach.webp', await sharp(original).webp({ quality: 75 }).toBuffer());

		app = await openApp('/duplicates');
		const progress = await importFiles(app.page, files.map((f) => f.path));
		expect(progress.imported).toBe(files.length);
		await waitForQueuesIdle(app.page, { minDone: files.length });
		const lib = (await exportLibrary(app.page)).library;
		for (const a of lib.assets) idOf.set(a.originalName, a.id);
	});

	afterAll(async () => {
		if (app?.pageErrors.length) console.warn(`page errors: ${app.pageErrors.join('\n')}`);
		await app?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it('groups exactly the copies with their original, the suggested keeper first', async () => {
		await gotoPath(app.page, '/duplicates');
		await expect.poll(() => groupCount(app.page), { timeout: 20_000 }).toBe(1);
		const [ids] = await groupIds(app.page);
		const copies = ['beach.jpg', 'beach-small.jpg', 'beach-q60.jpg'];
		expect([...ids].sort()).toEqual(copies.map((n) => idOf.get(n)).sort());
		// Most pixels, then the largest file: the original or its full-size re-encode, whichever is larger.
		const keeper = files.filter((f) => copies.includes(f.name)).sort((a, b) => b.pixels - a.pixels || b.bytes - a.bytes)[0];
		const group = app.page.getByTestId('duplicates-group');
		expect(await group.getAttribute('data-keeper')).toBe(idOf.get(keeper.name));
		expect(ids[0]).toBe(idOf.get(keeper.name));
		expect(await group.locator('[data-suggested="true"]').getAttribute('data-asset-id')).toBe(idOf.get(keeper.name));
		expect(await group.getByTestId('duplicates-keep').count()).toBe(3);
		expect(await group.innerText()).toContain('beach-small.jpg');
		await screenshot(app.page, 'duplicates-page');
	});

	it('"Similar photos" in the viewer (no CLIP: by perceptual hash) shows the copies and nothing else', async () => {
		await gotoPath(app.page, `/photos/${idOf.get('beach.jpg')}`);
		await app.page.getByTestId('viewer-similar').click();
		await app.page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('similar') === idOf.get('beach.jpg'));
		const tiles = () => app.page.$$eval('[data-testid="asset-tile"]', (els) => els.map((e) => (e as HTMLElement).dataset.assetId ?? '').sort());
		await expect.poll(tiles, { timeout: 15_000 }).toEqual(['beach-small.jpg', 'beach-q60.jpg'].map((n) => idOf.get(n)).sort());
		await screenshot(app.page, 'similar-photos');
	});

	it('"Not duplicates" hides the group, also after a reload, until a new copy joins it', async () => {
		await gotoPath(app.page, '/duplicates');
		await expect.poll(() => groupCount(app.page), { timeout: 20_000 }).toBe(1);
		const [ids0] = await groupIds(app.page);
		await app.page.getByTestId('duplicates-dismiss').click();
		await expect.poll(() => groupCount(app.page)).toBe(0);
		// Remembered in the settings table before the page is left.
		await waitForStored(app.page, 'settings', 'duplicatesDismissed', 'value', [[...ids0].sort()]);
		await gotoPath(app.page, '/duplicates');
		await app.page.getByTestId('duplicates-empty').waitFor();
		expect(await groupCount(app.page)).toBe(0);

		const progress = await importFiles(app.page, [late.path]);
		expect(progress.imported).toBe(1);
		await waitForQueuesIdle(app.page, { minDone: files.length + 1 });
		idOf.set(late.name, (await exportLibrary(app.page)).library.assets.find((a) => a.originalName === late.name)!.id);
		await gotoPath(app.page, '/duplicates');
		await expect.poll(() => groupCount(app.page), { timeout: 20_000 }).toBe(1);
		const [ids] = await groupIds(app.page);
		expect([...ids].sort()).toEqual(['beach.jpg', 'beach-small.jpg', 'beach-q60.jpg', 'beach.webp'].map((n) => idOf.get(n)).sort());
	});

	it('"Keep this, trash the others" keeps the chosen photo and trashes the rest', async () => {
		const keep = idOf.get('beach-small.jpg')!;
		await app.page.locator(`[data-testid="duplicates-item"][data-asset-id="${keep}"]`).getByTestId('duplicates-keep').click();
		await expect.poll(() => groupCount(app.page)).toBe(0);
		for (const n of ['beach.jpg', 'beach-q60.jpg', 'beach.webp']) await waitForStored(app.page, 'assets', idOf.get(n)!, 'state', 'trash');
		const lib = (await exportLibrary(app.page)).library as unknown as OrgLibrary;
		const trashed = lib.assets.filter((a) => a.trashed).map((a) => a.originalName).sort();
		expect(trashed).toEqual(['beach-q60.jpg', 'beach.jpg', 'beach.webp']);
		expect(lib.assets.filter((a) => !a.trashed).map((a) => a.originalName).sort()).toEqual(['beach-small.jpg', 'other-1.jpg', 'other-2.jpg']);
	});
});
