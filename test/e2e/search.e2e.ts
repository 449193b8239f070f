// Search in a real Chromium: things (YOLOX) on media/things, text (PP-OCR) on media/text, places from
// GPS, a person's name, filters, and the whole smart-search path (tokenizer → text encoder, preview →
// image encoder, vector index, ranking) with CLIP-shaped models generated here and installed through
// the model manager's "own files".
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClipTokenizer } from '../../worker/ml/clip/tokenizer';
import { imageFeature, writeClipModels } from '../fixtures/clip-models.mjs';
import { exportLibrary, gotoPath, importFiles, openApp, saveArtifact, screenshot, waitForQueuesIdle, waitForStored, type App } from './helpers/app';
import type { LibraryExport } from './helpers/check';
import { sha1File } from './helpers/media';
import { tileIds } from './helpers/organise';

interface Entry {
	path: string;
	expect: { tags?: string[]; text_contains?: string[] };
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Types a query into the top bar's search box and reads the result tiles, best first. */
async function search(page: Page, text: string): Promise<string[]> {
	const box = page.getByTestId('search-input');
	await box.fill(text);
	await box.press('Enter');
	await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === text);
	await expect.poll(async () => (await tileIds(page)).length, { timeout: 15_000 }).toBeGreaterThan(0);
	// the list settles once (the worker answers after the first render)
	await page.waitForTimeout(300);
	return tileIds(page);
}

describe.skipIf(inject('mediaSource') !== 'corpus')('search on the corpus: things, text, places', () => {
	let app: App;
	let library: LibraryExport & { tags?: Array<{ assetId: string; label: string; score: number }>; text?: Array<{ assetId: string; text: string }> };
	const idOf = new Map<string, string>();
	let things: Entry[] = [];
	let texts: Entry[] = [];
	const AREZZO = 'photos/gps_DSCN0010.jpg';
	const MADRID = 'photos/hdr_iphone_hdr_NO.jpg';

	beforeAll(async () => {
		const media = inject('mediaDir');
		const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8')) as { files: Entry[] };
		things = manifest.files.filter((f) => f.path.startsWith('things/'));
		texts = manifest.files.filter((f) => f.path.startsWith('text/'));
		const all = [...things, ...texts].map((f) => f.path).concat([AREZZO, MADRID]);
		app = await openApp('/settings');
		// Text in photos is off by default: switch it on before importing.
		await app.page.getByTestId('setting-ml-ocr').check();
		await waitForStored(app.page, 'settings', 'mlQueues', 'value', { ocr: true });
		await gotoPath(app.page, '/');
		await importFiles(app.page, all.map((p) => join(media, p)));
		await waitForQueuesIdle(app.page, { timeoutMs: 600_000, minDone: all.length });
		({ library } = (await exportLibrary(app.page)) as { library: typeof library });
		await saveArtifact('library-search.json', library);
		for (const p of all) {
			const sha = await sha1File(join(media, p));
			const a = library.assets.find((x) => x.checksum === sha);
			if (a) idOf.set(p, a.id);
		}
	}, 700_000);

	afterAll(async () => app?.close());

	it('finds at least 90% of the expected things', () => {
		let expected = 0;
		let found = 0;
		const lines: string[] = [];
		for (const f of things) {
			const id = idOf.get(f.path)!;
			const labels = (library.tags ?? []).filter((t) => t.assetId === id).map((t) => t.label);
			const want = f.expect.tags ?? [];
			expected += want.length;
			found += want.filter((w) => labels.includes(w)).length;
			lines.push(`${f.path}: want ${want.join(', ')}; got ${labels.join(', ')}`);
		}
		console.log(lines.join('\n'));
		expect(expected).toBeGreaterThan(0);
		expect(found / expected).toBeGreaterThanOrEqual(0.9);
	});

	it('reads at least 80% of the expected strings of text', () => {
		let expected = 0;
		let found = 0;
		const lines: string[] = [];
		for (const f of texts) {
			const id = idOf.get(f.path)!;
			const text = squash((library.text ?? []).filter((t) => t.assetId === id).map((t) => t.text).join('\n'));
			const want = f.expect.text_contains ?? [];
			const hits = want.filter((w) => text.includes(squash(w)));
			expected += want.length;
			found += hits.length;
			lines.push(`${f.path}: ${hits.length}/${want.length} — ${JSON.stringify(text.slice(0, 160))}`);
		}
		console.log(lines.join('\n'));
		expect(found / expected).toBeGreaterThanOrEqual(0.8);
	});

	it('a thing, a phrase of text and a place each bring the right photos first', async () => {
		const page = app.page;
		const dogs = things.filter((f) => f.expect.tags?.includes('dog')).map((f) => idOf.get(f.path)!);
		const dogHits = await search(page, 'dog');
		await screenshot(page, 'search-dog');
		expect(new Set(dogHits.slice(0, dogs.length))).toEqual(new Set(dogs));
		// A photo moved to the trash (a write from the page) leaves the search worker's results at once.
		await gotoPath(page, `/photos/${dogs[0]}`);
		await page.getByTestId('viewer-trash').click();
		await waitForStored(page, 'assets', dogs[0], 'state', 'trash');
		expect(await search(page, 'dog')).not.toContain(dogs[0]);
		await gotoPath(page, `/photos/${dogs[0]}`);
		await page.getByTestId('viewer-trash').click(); // restore
		await waitForStored(page, 'assets', dogs[0], 'state', 'timeline');

		const fox = await search(page, 'lazy fox');
		expect(fox[0]).toBe(idOf.get('text/testocr.png'));
		const open = await search(page, 'open 24 hours');
		expect(open[0]).toBe(idOf.get('text/sign_open_24_hours.png'));

		const arezzo = await search(page, 'Arezzo');
		expect(arezzo[0]).toBe(idOf.get(AREZZO));
		// A place with a year ("Paris 2019"): the year is a date condition.
		expect((await search(page, 'Madrid 2015'))[0]).toBe(idOf.get(MADRID));
		await screenshot(page, 'search-place');
		await gotoPath(page, '/search?q=Madrid%202014');
		await page.getByTestId('empty-state').waitFor();
	});

	it('filters narrow the results: place, camera make, media type', async () => {
		const page = app.page;
		await gotoPath(page, '/search?q=person');
		await expect.poll(async () => (await tileIds(page)).length).toBeGreaterThan(2);
		await page.getByTestId('search-filter-type').selectOption('video');
		await page.getByTestId('empty-state').waitFor();
		await page.getByTestId('search-filter-type').selectOption('');
		await gotoPath(page, '/search');
		await page.getByTestId('search-filter-place').selectOption('Arezzo');
		await expect.poll(() => tileIds(page)).toEqual([idOf.get(AREZZO)]);
		await page.getByTestId('search-clear-filters').click();
		await page.getByTestId('search-filter-make').selectOption('Apple');
		await expect.poll(() => tileIds(page)).toEqual([idOf.get(MADRID)]);
		await screenshot(page, 'search-filters');
	});

	it('Explore shows the things and places found, each leading to its search', async () => {
		const page = app.page;
		await gotoPath(page, '/explore');
		const dog = page.locator('[data-testid="explore-thing"][data-label="dog"]');
		await dog.waitFor();
		await page.locator('[data-testid="explore-place"][data-place="Arezzo"]').waitFor();
		await screenshot(page, 'explore');
		await dog.click();
		await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === 'dog');
	});

	it('shows the place, things and text in the viewer info panel', async () => {
		const page = app.page;
		// The panel opens by itself on a wide window; make sure it is open.
		const openInfo = async () => {
			const button = page.getByTestId('viewer-info');
			await button.waitFor();
			if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
		};
		await gotoPath(page, `/photos/${idOf.get(AREZZO)}`);
		await openInfo();
		await expect.poll(() => page.getByTestId('info-place').textContent()).toMatch(/Arezzo.*Italy/);
		await gotoPath(page, `/photos/${idOf.get('things/dog_bicycle.jpg')}`);
		await openInfo();
		await expect.poll(() => page.getByTestId('info-tags').textContent()).toMatch(/dog/);
		await screenshot(page, 'search-info-panel');
		await gotoPath(page, `/photos/${idOf.get('text/sign_open_24_hours.png')}`);
		await openInfo();
		await expect.poll(() => page.getByTestId('info-text').textContent()).toMatch(/OPEN\s+24 HOURS/i);
	});
});

describe('search by a person’s name (synthetic faces)', () => {
	let app: App;
	beforeAll(async () => {
		app = await openApp('/dev?generate=30');
		const status = (id: string) => app.page.locator(`[data-testid="${id}"][data-status="done"]`).waitFor({ timeout: 60_000 });
		await status('generate-status');
		await app.page.getByTestId('synthetic-faces').click();
		await status('synthetic-faces-status');
	}, 120_000);
	afterAll(async () => app?.close());

	it('a name brings that person’s photos first; the person filter keeps only them', async () => {
		const page = app.page;
		await gotoPath(page, '/people');
		const first = page.getByTestId('person-card').first();
		await first.waitFor();
		const id = (await first.getAttribute('data-person-id'))!;
		const count = Number(await first.getAttribute('data-count'));
		await gotoPath(page, `/people/${id}`);
		const name = page.getByTestId('person-name');
		await name.fill('Ann Example');
		await name.press('Enter');
		await waitForStored(page, 'people', id, 'name', 'Ann Example');
		const theirs = await page.evaluate(async (personId) => {
			const db = await new Promise<IDBDatabase>((ok) => (indexedDB.open('shoebox').onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
			const faces = await new Promise<Array<{ assetId: string }>>((ok) => {
				const q = db.transaction('faces').objectStore('faces').index('personId').getAll(personId);
				q.onsuccess = () => ok(q.result);
			});
			return [...new Set(faces.map((f) => f.assetId))];
		}, id);
		expect(theirs.length).toBe(count);
		const hits = await search(page, 'ann');
		expect(new Set(hits.slice(0, count))).toEqual(new Set(theirs));
		await gotoPath(page, '/search');
		await page.getByTestId('search-filter-person').selectOption(id);
		await expect.poll(async () => new Set(await tileIds(page))).toEqual(new Set(theirs));
	});
});

const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(process.cwd(), '../shared/models'));
const TOKENIZER = join(MODELS_DIR, 'clip-tokenizer');

describe.skipIf(!existsSync(join(TOKENIZER, 'vocab.json')))('smart search with generated CLIP-shaped models', () => {
	let app: App;
	const dir = join(tmpdir(), `shoebox-clip-e2e-${process.pid}`);
	const COLOURS: Record<string, [number, number, number]> = { red: [230, 25, 20], green: [30, 160, 45], blue: [25, 45, 220] };
	const ids = new Map<string, string>();

	beforeAll(async () => {
		await mkdir(dir, { recursive: true });
		const vocab = JSON.parse(await readFile(join(TOKENIZER, 'vocab.json'), 'utf8')) as Record<string, number>;
		const tokenizer = new ClipTokenizer(vocab, await readFile(join(TOKENIZER, 'merges.txt'), 'utf8'));
		const plants = Object.entries(COLOURS).map(([word, rgb]) => ({ token: tokenizer.tokenize(word)[0], feature: imageFeature(rgb) }));
		const files = await writeClipModels(join(dir, 'models'), plants);
		// Named as the catalog's small-tier files, so "own files" matches them by name.
		await copyFile(files.image, join(dir, 'vision_model_quantized.onnx'));
		await copyFile(files.text, join(dir, 'text_model_quantized.onnx'));
		for (const [name, [r, g, b]] of Object.entries(COLOURS)) {
			// textured, so that no two encodes are byte-identical and nothing is flat
			const noise = Buffer.alloc(640 * 480 * 3);
			for (let i = 0; i < noise.length; i += 3) {
				const n = ((i * 2654435761) >>> 27) - 16;
				noise[i] = Math.max(0, Math.min(255, r + n));
				noise[i + 1] = Math.max(0, Math.min(255, g + n));
				noise[i + 2] = Math.max(0, Math.min(255, b + n));
			}
			await writeFile(join(dir, `${name}.jpg`), await sharp(noise, { raw: { width: 640, height: 480, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
		}
		app = await openApp('/');
		await importFiles(app.page, Object.keys(COLOURS).map((n) => join(dir, `${n}.jpg`)));
		await waitForQueuesIdle(app.page, { minDone: 3 });
		const { library } = await exportLibrary(app.page);
		for (const n of Object.keys(COLOURS)) ids.set(n, library.assets.find((a) => a.originalName === `${n}.jpg`)!.id);
	}, 300_000);
	afterAll(async () => app?.close());

	it('without CLIP the smart-search jobs wait as skipped and search says so', async () => {
		const page = app.page;
		const skipped = await page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((ok) => (indexedDB.open('shoebox').onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
			return new Promise<Array<{ status: string; error: string | null }>>((ok) => {
				const q = db.transaction('jobs').objectStore('jobs').index('[queue+status]').getAll(['smartSearch', 'skipped']);
				q.onsuccess = () => ok(q.result);
			});
		});
		expect(skipped.length).toBe(3);
		expect(skipped[0].error).toMatch(/needs CLIP/);
		// the jobs page says so on the queue's tile
		await gotoPath(page, '/jobs');
		const tile = page.getByTestId('queue-smartSearch');
		await expect.poll(() => tile.getAttribute('data-held')).toBe('3');
		await expect.poll(() => tile.getByTestId('queue-held').textContent()).toMatch(/^3 skipped: .*needs CLIP.*Settings/);
		await screenshot(page, 'jobs-held-for-models');
		await gotoPath(page, '/search?q=red');
		await page.getByTestId('search-no-clip').waitFor();
	});

	it('installed from own files, the models index every photo and a planted word ranks its photo first', async () => {
		const page = app.page;
		await gotoPath(page, '/settings');
		await page.getByTestId('model-own-files-clip-b32-image-q8').setInputFiles([join(dir, 'vision_model_quantized.onnx')]);
		await page.getByTestId('model-own-clip-b32-image-q8').waitFor({ timeout: 30_000 });
		await page.getByTestId('model-own-files-clip-b32-text-q8').setInputFiles([join(dir, 'text_model_quantized.onnx'), join(TOKENIZER, 'vocab.json'), join(TOKENIZER, 'merges.txt')]);
		await page.getByTestId('model-own-clip-b32-text-q8').waitFor({ timeout: 30_000 });
		await screenshot(page, 'search-own-clip-models');
		await waitForQueuesIdle(page, { timeoutMs: 120_000 });
		const embedded = await page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((ok) => (indexedDB.open('shoebox').onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
			return new Promise<number>((ok) => {
				const q = db.transaction('embeddings').objectStore('embeddings').count();
				q.onsuccess = () => ok(q.result);
			});
		});
		expect(embedded).toBe(3);
		await gotoPath(page, '/jobs');
		await expect.poll(() => page.getByTestId('queue-smartSearch').getAttribute('data-held')).toBe('0');
		for (const word of Object.keys(COLOURS)) {
			const hits = await search(page, `a photo of something ${word}`);
			expect(hits[0], word).toBe(ids.get(word));
		}
		expect(await page.getByTestId('search-no-clip').count()).toBe(0);
		await screenshot(page, 'search-clip');
		// Similar photos from the viewer: by CLIP image embedding now.
		await gotoPath(page, `/photos/${ids.get('red')}`);
		await page.getByTestId('viewer-similar').click();
		await page.waitForURL((u) => u.searchParams.get('similar') === ids.get('red'));
		expect(await tileIds(page)).not.toContain(ids.get('red'));
	});
});
