// Drives the app through its UI contract (data-testid attributes): open, import, wait, export.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchBrowser, type Browser } from '../setup/browser';
import { REPO_ROOT } from './media';
import type { LibraryExport } from './check';
import { QUEUE_NAMES, type QueueName } from '../../../src/lib/db/types';

export const QUEUES = QUEUE_NAMES;
export type { QueueName };

export interface App extends Browser {
	page: Page;
	baseURL: string;
	/** Full navigation to an app path; resolves once the layout (with the import inputs) is up. */
	goto(path: string): Promise<void>;
}

/** A fresh browser profile with the app open at `path`. */
export async function openApp(path = '/'): Promise<App> {
	const browser = await launchBrowser();
	const page = browser.context.pages()[0] ?? (await browser.context.newPage());
	const baseURL = inject('baseURL');
	const app: App = { ...browser, page, baseURL, goto: (p) => gotoPath(page, p, baseURL) };
	await app.goto(path);
	return app;
}

export async function gotoPath(page: Page, path: string, baseURL = new URL(page.url()).origin): Promise<void> {
	await page.goto(new URL(path, baseURL).href);
	await page.getByTestId('import-input').waitFor({ state: 'attached' });
}

async function ensurePath(page: Page, path: string) {
	if (new URL(page.url()).pathname !== path) await gotoPath(page, path);
}

// ---- import -------------------------------------------------------------------------------

export interface ImportProgress {
	total: number;
	processed: number;
	imported: number;
	duplicates: number;
	failed: number;
	running: boolean;
}

export async function readProgress(page: Page): Promise<ImportProgress | null> {
	return page.evaluate(() => {
		const el = document.querySelector<HTMLElement>('[data-testid="import-progress"]');
		if (!el) return null;
		const n = (k: string) => Number(el.dataset[k]);
		return { total: n('total'), processed: n('processed'), imported: n('imported'), duplicates: n('duplicates'), failed: n('failed'), running: el.dataset.running === 'true' };
	});
}

/**
 * Hands the files to the picker and returns at once. A page-side observer notes when the progress
 * element shows this import (running, or counts that moved), so waiting for "done" can't be
 * satisfied by the summary of an earlier import.
 */
export async function startImport(page: Page, paths: string[], testId = 'import-input'): Promise<void> {
	await page.evaluate(() => {
		const w = window as unknown as { __e2eImportSeen: boolean; __e2eObserver?: MutationObserver };
		const snapshot = () => {
			const el = document.querySelector<HTMLElement>('[data-testid="import-progress"]');
			return el ? JSON.stringify({ ...el.dataset }) : '';
		};
		const before = snapshot();
		w.__e2eImportSeen = false;
		w.__e2eObserver?.disconnect();
		const check = () => {
			const el = document.querySelector<HTMLElement>('[data-testid="import-progress"]');
			if (el && (el.dataset.running === 'true' || snapshot() !== before)) w.__e2eImportSeen = true;
		};
		w.__e2eObserver = new MutationObserver(check);
		w.__e2eObserver.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
	});
	await page.getByTestId(testId).setInputFiles(paths);
}

/** Waits until the import shown by import-progress has finished; returns its final counts. */
export async function waitForImportDone(page: Page, timeoutMs = 240_000): Promise<ImportProgress> {
	try {
		await page.waitForFunction(
			() => {
				const el = document.querySelector<HTMLElement>('[data-testid="import-progress"]');
				const seen = (window as unknown as { __e2eImportSeen?: boolean }).__e2eImportSeen;
				return !!el && seen === true && el.dataset.running === 'false' && el.dataset.processed === el.dataset.total;
			},
			null,
			{ timeout: timeoutMs, polling: 100 }
		);
	} catch (e) {
		throw new Error(`import did not finish: import-progress = ${JSON.stringify(await readProgress(page))}\n${e}`);
	}
	return (await readProgress(page))!;
}

export async function importFiles(page: Page, paths: string[]): Promise<ImportProgress> {
	await startImport(page, paths);
	return waitForImportDone(page);
}

/** The import-failure lines shown after an import: file name and the visible text. */
export async function readImportFailures(page: Page): Promise<{ name: string; text: string }[]> {
	return page.$$eval('[data-testid="import-failure"]', (els) =>
		els.map((el) => ({ name: (el as HTMLElement).dataset.name ?? '', text: el.textContent ?? '' }))
	);
}

// ---- jobs ---------------------------------------------------------------------------------

export interface QueueState {
	active: number;
	waiting: number;
	failed: number;
	done: number;
	paused: boolean;
}

export async function readQueues(page: Page): Promise<Record<QueueName, QueueState | null>> {
	return page.evaluate((names) => {
		const out: Record<string, unknown> = {};
		for (const q of names) {
			const el = document.querySelector<HTMLElement>(`[data-testid="queue-${q}"]`);
			const n = (k: string) => Number(el!.dataset[k]);
			out[q] = el ? { active: n('active'), waiting: n('waiting'), failed: n('failed'), done: n('done'), paused: el.dataset.paused === 'true' } : null;
		}
		return out;
	}, [...QUEUES]) as Promise<Record<QueueName, QueueState | null>>;
}

/**
 * On /jobs, polls the queue tiles until every queue has active=0 and waiting=0 on several polls in
 * a row (a job finishing may enqueue the next queue's job a moment later).
 */
export async function waitForQueuesIdle(
	page: Page,
	{ timeoutMs = 240_000, stablePolls = 4, intervalMs = 500, minDone = 0 } = {}
): Promise<Record<QueueName, QueueState>> {
	await ensurePath(page, '/jobs');
	const deadline = Date.now() + timeoutMs;
	let streak = 0;
	let last: Record<QueueName, QueueState | null> | null = null;
	while (Date.now() < deadline) {
		last = await readQueues(page);
		// minDone: jobs known to be coming (e.g. one per imported file) must have finished too.
		const idle = QUEUES.every((q) => {
			const s = last![q];
			// Every file passes these two; the others may skip an item (a video, a feature off, a model missing).
			const need = q === 'metadataExtraction' || q === 'thumbnailGeneration' ? minDone : 0;
			return s && s.active === 0 && s.waiting === 0 && s.done + s.failed >= need;
		});
		streak = idle ? streak + 1 : 0;
		if (streak >= stablePolls) return last as Record<QueueName, QueueState>;
		await page.waitForTimeout(intervalMs);
	}
	throw new Error(`queues not idle after ${timeoutMs / 1000} s (hang protection): ${JSON.stringify(last)}`);
}

// ---- settings / export ----------------------------------------------------------------------

export async function exportLibrary(page: Page): Promise<{ filename: string; library: LibraryExport }> {
	await ensurePath(page, '/settings');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-metadata').click()]);
	const file = await download.path();
	const library = JSON.parse(await readFile(file, 'utf8')) as LibraryExport;
	return { filename: download.suggestedFilename(), library };
}

/** One field of one row of the app's IndexedDB, read in the page (undefined when there is none). */
export async function readStored(page: Page, store: string, key: string, field: string): Promise<unknown> {
	const json = await page.evaluate(
		async ({ store, key, field }) => {
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const q = indexedDB.open('shoebox');
				q.onsuccess = () => ok(q.result);
				q.onerror = () => fail(q.error);
			});
			try {
				const row = await new Promise<Record<string, unknown> | undefined>((ok) => {
					const q = db.transaction(store).objectStore(store).get(key);
					q.onsuccess = () => ok(q.result as Record<string, unknown> | undefined);
					q.onerror = () => ok(undefined);
				});
				return JSON.stringify(row?.[field]);
			} finally {
				db.close();
			}
		},
		{ store, key, field }
	);
	return json === undefined ? undefined : JSON.parse(json);
}

/**
 * Waits until a row of the app's IndexedDB has `field` = `value` (a write still in flight is lost if
 * the test navigates away first).
 */
export async function waitForStored(page: Page, store: string, key: string, field: string, value: unknown, timeoutMs = 15_000) {
	const want = JSON.stringify(value);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const got = await readStored(page, store, key, field);
		if (JSON.stringify(got) === want) return;
		if (Date.now() > deadline) throw new Error(`${store}[${key}].${field} is ${JSON.stringify(got)}, not ${want}, after ${timeoutMs / 1000} s`);
		await page.waitForTimeout(100);
	}
}

/** Chooses a select setting on the page that shows it and waits until it is stored (settings are written asynchronously). */
export async function chooseSetting(page: Page, key: string, value: string) {
	await page.getByTestId(`setting-${key}`).selectOption(value);
	await waitForStored(page, 'settings', key, 'value', value);
}

/** "All" on a queue's tile of the jobs page. */
export async function runQueueAll(page: Page, queue: QueueName) {
	await gotoPath(page, '/jobs');
	await page.locator(`[data-testid="queue-${queue}"] [data-testid="queue-all"]`).click();
}

/** Sets a range input the way a person dragging it would end up: value, then input + change. */
export async function setRange(page: Page, testId: string, value: number) {
	await page.getByTestId(testId).evaluate((el, v) => {
		const input = el as HTMLInputElement;
		// Svelte's bind:value listens to input events; go through the native setter.
		Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(v));
		input.dispatchEvent(new Event('input', { bubbles: true }));
		input.dispatchEvent(new Event('change', { bubbles: true }));
	}, value);
}

// ---- grid -----------------------------------------------------------------------------------

export interface Tile {
	id: string;
	hasThumbnail: boolean;
}

/**
 * Every asset's tile, read on "Recently added": a flat list that renders all of a test-sized
 * library, unlike the timeline, which only renders the tiles near the viewport.
 */
export async function readGrid(page: Page): Promise<{ count: number | null; tiles: Tile[] }> {
	await ensurePath(page, '/recent');
	await page.getByTestId('asset-count').waitFor({ state: 'attached' });
	const read = () =>
		page.evaluate(() => {
			const countEl = document.querySelector<HTMLElement>('[data-testid="asset-count"]');
			const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="asset-tile"]')].map((t) => ({
				id: t.dataset.assetId ?? '',
				hasThumbnail: t.dataset.hasThumbnail === 'true'
			}));
			return { count: countEl ? Number(countEl.dataset.count) : null, tiles };
		});
	// The list loads from IndexedDB after mount: wait until the same count is read three times.
	let last = await read();
	for (let same = 0; same < 2; ) {
		await page.waitForTimeout(250);
		const now = await read();
		same = now.count === last.count && now.tiles.length === last.tiles.length ? same + 1 : 0;
		last = now;
	}
	return last;
}

/** Asset count as shown on the timeline (/), once it has settled (it loads after mount). */
export async function readAssetCount(page: Page): Promise<number> {
	await ensurePath(page, '/');
	// The timeline counts from a summary recomputed in a worker after each change: only a count
	// read while it is settled, three times in a row, is the library's.
	let last = NaN;
	for (let same = 0; same < 3; ) {
		await page.locator('[data-testid="asset-count"][data-settled="true"]').waitFor({ state: 'attached', timeout: 60_000 });
		await page.waitForTimeout(300);
		const el = page.getByTestId('asset-count');
		const [count, settled] = [Number(await el.getAttribute('data-count')), await el.getAttribute('data-settled')];
		same = settled === 'true' && count === last ? same + 1 : 0;
		last = count;
	}
	return last;
}

// ---- artifacts (test-results/ is git-ignored) ------------------------------------------------

const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

export async function screenshot(page: Page, name: string) {
	await mkdir(ARTIFACTS, { recursive: true });
	// From the top: a full-page capture taken while scrolled draws the sticky header mid-page.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function saveArtifact(name: string, data: unknown) {
	await mkdir(ARTIFACTS, { recursive: true });
	await writeFile(join(ARTIFACTS, name), JSON.stringify(data, null, 1));
}
