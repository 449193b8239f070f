// Acceptance test 1: import photos + bad (+ video) through the file picker, wait for the jobs,
// export library.json and compare it with the ground truth of every file.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	exportLibrary, gotoPath, importFiles, openApp, QUEUES, readGrid, readImportFailures, readQueues, saveArtifact, screenshot,
	waitForQueuesIdle, type App, type ImportProgress
} from './helpers/app';
import { checkImport, type LibraryExport, type UiFailure } from './helpers/check';
import { loadCases, type Case } from './helpers/media';

const FOLDERS = ['photos', 'bad', 'video'];

describe(`import of ${FOLDERS.join(', ')} (${inject('mediaSource')} media)`, () => {
	let app: App;
	let cases: Case[];
	let progress: ImportProgress;
	let failures: UiFailure[];
	let summaryText: string;
	let library: LibraryExport;
	let filename: string;

	beforeAll(async () => {
		cases = await loadCases(inject('mediaDir'), FOLDERS);
		app = await openApp('/');
		// One setInputFiles call with every file, as a person selecting them all would.
		progress = await importFiles(app.page, cases.map((c) => c.path));
		// The summary and failure lines belong to this page session: read them before navigating.
		failures = await readImportFailures(app.page);
		summaryText = await app.page.getByTestId('import-progress').innerText();
		console.log(`import-progress: ${JSON.stringify(progress)}\nsummary: ${summaryText.replace(/\s+/g, ' ')}`);
		await screenshot(app.page, 'import-summary');
		const queues = await waitForQueuesIdle(app.page);
		console.log(`queues idle: ${JSON.stringify(queues)}`);
		await screenshot(app.page, 'jobs');
		({ library, filename } = await exportLibrary(app.page));
		await screenshot(app.page, 'settings');
		await saveArtifact(`library-${inject('mediaSource')}.json`, library);
	});

	afterAll(async () => {
		await app?.close();
	});

	it('exports library.json in the documented shape', () => {
		expect(filename).toBe('library.json');
		expect(library).toMatchObject({ version: expect.anything(), exportedAt: expect.any(String) });
		expect(Array.isArray(library.assets)).toBe(true);
		expect(Array.isArray(library.failedImports)).toBe(true);
	});

	it('matches the ground truth of every file (assets, metadata, jobs, failures, counts)', () => {
		const result = checkImport(cases, library, { failures, progress });
		console.log(`per-file outcomes (${cases.length} files, ${library.assets.length} assets, ${library.failedImports.length} failed imports):\n  ${result.rows.join('\n  ')}`);
		expect(result.problems).toEqual([]);
	});

	it('dedupes identical content and says so in the summary', () => {
		const dups = cases.filter((c) => c.duplicateOf).length;
		expect(dups).toBeGreaterThan(0); // both media sources carry a duplicate pair
		expect(progress.duplicates).toBe(dups);
		expect(summaryText).toMatch(new RegExp(`\\b${dups}\\s+duplicates?\\s+skipped`, 'i'));
	});

	it('shows a thumbnail on every processed image tile, and one tile per asset', async () => {
		await gotoPath(app.page, '/');
		const images = library.assets.filter((a) => a.type === 'image' && a.jobs?.thumbnailGeneration === 'done');
		const ids = new Set(images.map((a) => a.id));
		// Thumbnails are read from OPFS after the grid mounts: poll until they are all in.
		await expect
			.poll(async () => (await readGrid(app.page)).tiles.filter((t) => ids.has(t.id) && !t.hasThumbnail).map((t) => t.id), { timeout: 60_000, interval: 500 })
			.toEqual([]);
		const grid = await readGrid(app.page);
		expect(grid.count).toBe(library.assets.length);
		expect(grid.tiles.map((t) => t.id).sort()).toEqual(library.assets.map((a) => a.id).sort());
		await screenshot(app.page, 'grid');
	});

	it('keeps hostile file names as plain text (no markup, no dialog)', async () => {
		const hostile = cases.filter((c) => /[<>"'%\\]/.test(c.name));
		expect(hostile.length).toBeGreaterThan(0); // both media sources carry one
		// "Recently added" lists every asset (the timeline only renders what is near the viewport).
		await gotoPath(app.page, '/recent');
		await app.page.locator('[data-testid="asset-tile"]').first().waitFor();
		// Markup from a name would show up as a script element or an inline handler.
		const injected = await app.page.evaluate(() => [
			...[...document.querySelectorAll('script')].filter((s) => /alert\(/.test(s.textContent ?? '')).map((s) => s.outerHTML),
			...[...document.querySelectorAll('[onerror], [onload]')].map((e) => e.outerHTML)
		]);
		expect(injected).toEqual([]);
		expect(app.dialogs).toEqual([]);
		for (const c of hostile) {
			// The name survives byte for byte into the library...
			const asset = library.assets.find((a) => a.checksum === c.sha1);
			const failure = library.failedImports.find((f) => f.name === c.name);
			expect(asset?.originalName ?? failure?.name, c.name).toBe(c.name);
			// ...and the page shows it as text or an attribute (title/alt), never parsed as HTML.
			const shown = await app.page.evaluate((name) => {
				for (const el of document.querySelectorAll('*')) {
					if ([...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.includes(name))) return true;
					if ([...el.attributes].some((at) => at.value.includes(name))) return true;
				}
				return false;
			}, c.name);
			expect(shown, `name shown on /recent : ${c.name}`).toBe(true);
		}
	});

	it('shows on /jobs the same job counts as library.json, none waiting or active', async () => {
		await gotoPath(app.page, '/jobs');
		for (const q of QUEUES) {
			const count = (state: string) => library.assets.filter((a) => a.jobs?.[q] === state).length;
			await expect
				.poll(async () => (await readQueues(app.page))[q], { timeout: 10_000, message: `queue-${q} tile` })
				.toMatchObject({ active: 0, waiting: 0, done: count('done'), failed: count('failed') });
		}
	});
});
