// Helpers for the organising and zip tests: pick photos, select tiles the ways a person does,
// read what the pages show, look into OPFS, read a zip (Python's zipfile: no zip reader is installed
// for Node), and screenshots at desktop and phone sizes.
import { spawnSync } from 'node:child_process';
import { extname } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { gotoPath, screenshot } from './app';
import { loadCases, type Case } from './media';

/** Exported asset with the organising fields (docs/export.md). */
export interface OrgAsset {
	id: string;
	checksum: string;
	originalName: string;
	bytes: number;
	favorite: boolean;
	archived: boolean;
	trashed: boolean;
	file?: string;
}
export interface OrgAlbum {
	id: string;
	name: string;
	createdAt: string;
	coverAssetId: string | null;
	assetIds: string[];
}
export interface OrgLibrary {
	version: number;
	exportedAt: string;
	assets: OrgAsset[];
	albums: OrgAlbum[];
	failedImports: { name: string; reason: string }[];
}

/** `n` small still photos that import as plain assets, whatever the media source. */
export async function pickPhotos(mediaDir: string, n: number): Promise<Case[]> {
	const cases = await loadCases(mediaDir, ['photos']);
	const ok = cases
		.filter((c) => c.kind === 'photo' && c.accept.includes('asset') && ['.jpg', '.jpeg', '.png', '.webp'].includes(extname(c.name).toLowerCase()))
		.filter((c) => c.bytes > 2_000 && c.bytes < 1_500_000)
		.sort((a, b) => a.rel.localeCompare(b.rel));
	const seen = new Set<string>();
	const unique = ok.filter((c) => !seen.has(c.sha1) && seen.add(c.sha1));
	if (unique.length < n) throw new Error(`need ${n} photos, the media folder has ${unique.length}`);
	return unique.slice(0, n);
}

/** Tile ids in display order. */
export async function tileIds(page: Page): Promise<string[]> {
	return page.$$eval('[data-testid="asset-tile"]', (els) => els.map((e) => (e as HTMLElement).dataset.assetId ?? ''));
}

/** Waits until the page's asset-count and its tiles both show `n` (the lists load after mount). */
export async function waitForCount(page: Page, n: number) {
	await expect
		.poll(async () => [Number(await page.getByTestId('asset-count').getAttribute('data-count')), (await tileIds(page)).length], { timeout: 15_000 })
		.toEqual([n, n]);
}

export const tile = (page: Page, id: string) => page.locator(`[data-testid="asset-tile"][data-asset-id="${id}"]`);

/** Ticks a tile's checkbox (hovering first, as a mouse user must). */
export async function check(page: Page, id: string, modifiers: Array<'Shift'> = []) {
	await tile(page, id).hover();
	await tile(page, id).getByTestId('tile-select').click({ modifiers });
}

export async function selectedIds(page: Page): Promise<string[]> {
	return page.$$eval('[data-testid="asset-tile"][data-selected="true"]', (els) => els.map((e) => (e as HTMLElement).dataset.assetId ?? ''));
}

export async function barCount(page: Page): Promise<number> {
	const bar = page.getByTestId('selection-bar');
	if (!(await bar.count())) return 0;
	return Number(await bar.getAttribute('data-count'));
}

/** Runs a selection-bar action and waits for the bar to go (the action clears the selection). */
export async function act(page: Page, action: string) {
	await page.getByTestId(`action-${action}`).click();
	await page.getByTestId('selection-bar').waitFor({ state: 'detached' });
}

/** Presses and holds on a tile as a finger would (pointerType touch), then lifts. */
export async function longPress(page: Page, id: string, ms = 650) {
	const link = tile(page, id).locator('a');
	const box = (await link.boundingBox())!;
	const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, bubbles: true, pointerType: 'touch', isPrimary: true, pointerId: 7 };
	await link.dispatchEvent('pointerdown', at);
	await page.waitForTimeout(ms);
	await link.dispatchEvent('pointerup', at);
	await link.dispatchEvent('click', { ...at });
}

/** Whether OPFS holds the original with this SHA-1 (originals/<aa>/<sha1>). */
export async function opfsHasOriginal(page: Page, sha1: string): Promise<boolean> {
	return page.evaluate(async (sha) => {
		try {
			const root = await navigator.storage.getDirectory();
			const dir = await (await root.getDirectoryHandle('originals')).getDirectoryHandle(sha.slice(0, 2));
			await dir.getFileHandle(sha);
			return true;
		} catch {
			return false;
		}
	}, sha1);
}

/** Full-page screenshots of the current page at 1280×800 and 390×844 (test-results/e2e/<name>-desktop|phone.png). */
export async function shots(page: Page, name: string) {
	const before = page.viewportSize();
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.waitForTimeout(250);
	await screenshot(page, `${name}-desktop`);
	await page.setViewportSize({ width: 390, height: 844 });
	await page.waitForTimeout(250);
	await screenshot(page, `${name}-phone`);
	if (before) await page.setViewportSize(before);
}

export async function go(page: Page, path: string) {
	await gotoPath(page, path);
}

// ---- zip ------------------------------------------------------------------------------------

export interface ZipEntry {
	name: string;
	size: number;
	compressType: number;
	sha1: string;
}

const PY_LIST = `
import hashlib, json, sys, zipfile
out = []
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    for i in z.infolist():
        h = hashlib.sha1()
        with z.open(i) as f:
            while True:
                b = f.read(1 << 20)
                if not b: break
                h.update(b)
        out.append({"name": i.filename, "size": i.file_size, "compressType": i.compress_type, "sha1": h.hexdigest()})
    lib = json.loads(z.read("library.json")) if "library.json" in z.namelist() else None
print(json.dumps({"entries": out, "library": lib, "badCrc": bad}))
`;

/** Lists a zip's entries (with each one's SHA-1, CRC-checked) and parses its library.json. */
export function readZip(path: string): { entries: ZipEntry[]; library: OrgLibrary | null; badCrc: string | null } {
	const r = spawnSync('python3', ['-c', PY_LIST, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
	if (r.status !== 0) throw new Error(`python zipfile failed on ${path}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}
