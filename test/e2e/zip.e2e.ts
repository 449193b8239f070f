// Zip download of originals: a selection (through a save-file picker, stubbed to write into OPFS)
// and the whole library (through the fallback: a temporary OPFS file downloaded by object URL).
// Entries are read back with Python's zipfile: names (sanitised, de-duplicated), stored (no
// compression), bytes (SHA-1 equal to the source files) and library.json (exactly those assets).
// The JS heap is sampled while the whole library is zipped, at two library sizes, to show that
// memory does not grow with the archive.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, importFiles, openApp, saveArtifact, waitForQueuesIdle, type App } from './helpers/app';
import { sha1File, type Case } from './helpers/media';
import { check, go, pickPhotos, readZip, shots, waitForCount, type OrgLibrary } from './helpers/organise';

const MB = 1024 * 1024;

/** Samples the page's heap every 50 ms while `work` runs; returns the peaks (bytes). */
async function heapPeakDuring(cdp: CDPSession, work: () => Promise<unknown>) {
	await cdp.send('HeapProfiler.collectGarbage');
	const base = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
	let peakUsed = base.usedSize;
	let peakBacking = base.backingStorageSize ?? 0;
	let samples = 0;
	let done = false;
	/** Falls of the array-buffer store by over 8 MB between samples: garbage collections reclaiming chunks. */
	let reclaims = 0;
	let prev = peakBacking;
	const sampler = (async () => {
		while (!done) {
			const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
			peakUsed = Math.max(peakUsed, u.usedSize);
			peakBacking = Math.max(peakBacking, u.backingStorageSize ?? 0);
			if (prev - (u.backingStorageSize ?? 0) > 8 * MB) reclaims++;
			prev = u.backingStorageSize ?? 0;
			samples++;
			await new Promise((r) => setTimeout(r, 50));
		}
	})();
	try {
		await work();
	} finally {
		done = true;
		await sampler;
	}
	// What is still held once the zip is done and garbage is collected.
	await cdp.send('HeapProfiler.collectGarbage');
	const after = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
	return { baseUsed: base.usedSize, peakUsed, baseBacking: base.backingStorageSize ?? 0, peakBacking, afterUsed: after.usedSize, afterBacking: after.backingStorageSize ?? 0, reclaims, samples };
}

/** Downloads the whole library from /settings through the fallback path; returns the zip's path. */
async function downloadAll(page: Page, saveAs: string): Promise<string> {
	await go(page, '/settings');
	await page.evaluate(() => ((window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined));
	const [download] = await Promise.all([page.waitForEvent('download', { timeout: 240_000 }), page.getByTestId('export-originals').click()]);
	expect(download.suggestedFilename()).toMatch(/^shoebox-library-\d{4}-\d\d-\d\d\.zip$/);
	await download.saveAs(saveAs);
	await expect.poll(() => page.getByTestId('download-status').getAttribute('data-state')).toBe('done');
	expect(await page.getByTestId('download-status').getAttribute('data-via')).toBe('download');
	return saveAs;
}

/** Every original in the zip is byte-identical to its source, stored, named as library.json says. */
function checkZip(zipPath: string, expectIds: string[], sourceSha1: Set<string>) {
	const { entries, library, badCrc } = readZip(zipPath);
	expect(badCrc).toBeNull();
	expect(library).not.toBeNull();
	const lib = library!;
	expect(lib.assets.map((a) => a.id).sort()).toEqual([...expectIds].sort());
	const names = entries.map((e) => e.name);
	expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length); // unique, even ignoring case
	expect(names.filter((n) => n === 'library.json')).toHaveLength(1);
	for (const n of names) expect(n).not.toMatch(/[/\\\u0000-\u001f]/);
	const byName = new Map(entries.map((e) => [e.name, e]));
	for (const a of lib.assets) {
		const e = byName.get(a.file!);
		expect(e, `entry for ${a.originalName}`).toBeDefined();
		expect(e!.compressType).toBe(0); // stored
		expect(e!.size).toBe(a.bytes);
		expect(e!.sha1).toBe(a.checksum);
		expect(sourceSha1.has(e!.sha1)).toBe(true);
	}
	expect(entries).toHaveLength(lib.assets.length + 1);
	return { entries, lib };
}

describe(`zip download of originals (${inject('mediaSource')} media)`, () => {
	let app: App;
	let dir: string;
	let cases: Case[];
	let paths: string[];
	const sourceSha1 = new Set<string>();
	let cdp: CDPSession;
	const report: Record<string, unknown> = {};

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-zip-e2e-'));
		cases = await pickPhotos(inject('mediaDir'), 6);
		paths = cases.map((c) => c.path);
		// Two different photos with the same name, and a name with characters no zip entry may keep.
		await mkdir(join(dir, 'a'));
		await mkdir(join(dir, 'b'));
		const extra = [join(dir, 'a', 'same.jpg'), join(dir, 'b', 'same.jpg'), join(dir, 'a', 'back\\slash:colon*star?.jpg')];
		// Different bytes (so not duplicates) that are still valid JPEGs: a few bytes after the end.
		await writeFile(extra[0], Buffer.concat([await readFile(cases[0].path), Buffer.from('\nfirst copy')]));
		await writeFile(extra[1], Buffer.concat([await readFile(cases[0].path), Buffer.from('\nsecond copy')]));
		await writeFile(extra[2], Buffer.concat([await readFile(cases[1].path), Buffer.from('\nthird copy')]));
		paths.push(...extra);
		for (const p of paths) sourceSha1.add(await sha1File(p));

		app = await openApp('/recent');
		const progress = await importFiles(app.page, paths);
		expect(progress.imported).toBe(paths.length);
		await waitForQueuesIdle(app.page, { minDone: paths.length });
		cdp = await app.context.newCDPSession(app.page);
	});

	afterAll(async () => {
		await saveArtifact('zip-report.json', report);
		console.log(`zip report: ${JSON.stringify(report, null, 1)}`);
		await app?.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('downloads a selection through the save picker: those originals and their library.json', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, paths.length);
		const all = (await exportLibrary(app.page)).library as unknown as OrgLibrary;
		const same = all.assets.filter((a) => a.originalName === 'same.jpg').map((a) => a.id);
		const odd = all.assets.find((a) => a.originalName.startsWith('back'))!.id;
		expect(same).toHaveLength(2);
		const chosen = [...same, odd];

		await go(app.page, '/recent');
		await waitForCount(app.page, paths.length);
		for (const id of chosen) await check(app.page, id);
		// Chromium desktop has showSaveFilePicker; headless cannot show it, so hand back an OPFS file.
		await app.page.evaluate(() => {
			(window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async (opts: { suggestedName: string }) => {
				(window as unknown as { __picked: string }).__picked = opts.suggestedName;
				const root = await navigator.storage.getDirectory();
				return root.getFileHandle('e2e-picked.zip', { create: true });
			};
		});
		await app.page.getByTestId('action-download').click();
		await expect.poll(() => app.page.getByTestId('download-status').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
		expect(await app.page.getByTestId('download-status').getAttribute('data-via')).toBe('picker');
		expect(await app.page.evaluate(() => (window as unknown as { __picked: string }).__picked)).toMatch(/^shoebox-3-items-\d{4}-\d\d-\d\d\.zip$/);
		await shots(app.page, 'zip-selection');

		// Read the picked file back out of OPFS.
		const b64 = await app.page.evaluate(async () => {
			const f = await (await (await navigator.storage.getDirectory()).getFileHandle('e2e-picked.zip')).getFile();
			const bytes = new Uint8Array(await f.arrayBuffer());
			let s = '';
			for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
			return btoa(s);
		});
		const zipPath = join(dir, 'selection.zip');
		await writeFile(zipPath, Buffer.from(b64, 'base64'));
		const { entries, lib } = checkZip(zipPath, chosen, sourceSha1);
		expect(entries.map((e) => e.name).sort()).toEqual(['back_slash_colon_star_.jpg', 'library.json', 'same (2).jpg', 'same.jpg']);
		expect(entries[entries.length - 1].name).toBe('library.json');
		expect(lib.failedImports).toEqual([]);
		expect(lib.albums).toEqual([]);
		report.selection = { entries: entries.map((e) => ({ name: e.name, size: e.size })) };
	});

	it('keeps album membership in a selection zip, restricted to the chosen assets', async () => {
		const all = (await exportLibrary(app.page)).library as unknown as OrgLibrary;
		const ids = all.assets.map((a) => a.id);
		// An album of three; zip two of them (one is the cover) and one photo outside the album.
		await go(app.page, '/recent');
		await waitForCount(app.page, ids.length);
		for (const id of ids.slice(0, 3)) await check(app.page, id);
		await app.page.getByTestId('action-add-to-album').click();
		await app.page.getByTestId('album-new-name').fill('Zip album');
		await app.page.getByTestId('album-new-create').click();
		await app.page.getByTestId('selection-bar').waitFor({ state: 'detached' });

		const chosen = [ids[0], ids[1], ids[4]];
		for (const id of chosen) await check(app.page, id);
		await app.page.evaluate(() => ((window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined));
		const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('action-download').click()]);
		const zipPath = join(dir, 'album-selection.zip');
		await download.saveAs(zipPath);
		const { lib } = checkZip(zipPath, chosen, sourceSha1);
		expect(lib.albums).toHaveLength(1);
		expect(lib.albums[0].name).toBe('Zip album');
		expect([...lib.albums[0].assetIds].sort()).toEqual([ids[0], ids[1]].sort());
	});

	it('downloads the whole library from /settings, with the full library.json', async () => {
		const all = (await exportLibrary(app.page)).library as unknown as OrgLibrary;
		let zipPath = '';
		const heap = await heapPeakDuring(cdp, async () => {
			zipPath = await downloadAll(app.page, join(dir, 'all-small.zip'));
		});
		await shots(app.page, 'zip-settings');
		const { entries, lib } = checkZip(zipPath, all.assets.map((a) => a.id), sourceSha1);
		expect(lib.albums.map((a) => a.name)).toEqual(['Zip album']);
		expect(lib.albums[0].assetIds).toHaveLength(3);
		const archive = entries.reduce((s, e) => s + e.size, 0);
		report.small = { files: entries.length, archiveMB: +(archive / MB).toFixed(1), heapMB: mb(heap) };
	});

	/** Imports `n` big originals, made cheaply: a real JPEG followed by random bytes (decoders stop at
	 * the end marker), so they import as photos and every byte still has to go through the zip. */
	async function importBig(from: number, n: number) {
		const big: string[] = [];
		for (let i = from; i < from + n; i++) {
			const p = join(dir, `big_${i}.jpg`);
			await writeFile(p, Buffer.concat([await readFile(cases[i % cases.length].path), randomBytes(48 * MB)]));
			big.push(p);
			sourceSha1.add(await sha1File(p));
		}
		await go(app.page, '/recent');
		const progress = await importFiles(app.page, big);
		expect(progress.imported).toBe(big.length);
		await waitForQueuesIdle(app.page);
		await Promise.all(big.map((p) => rm(p)));
	}

	async function zipAllMeasured(name: string) {
		const all = (await exportLibrary(app.page)).library as unknown as OrgLibrary;
		let zipPath = '';
		const heap = await heapPeakDuring(cdp, async () => {
			zipPath = await downloadAll(app.page, join(dir, `${name}.zip`));
		});
		const { entries } = checkZip(zipPath, all.assets.map((a) => a.id), sourceSha1);
		await rm(zipPath);
		const archive = entries.reduce((s, e) => s + e.size, 0);
		report[name] = { files: entries.length, archiveMB: +(archive / MB).toFixed(1), heapMB: mb(heap) };
		return { archive, heap };
	}

	it('streams: the heap does not grow with the archive (100 MB, then 240 MB)', async () => {
		await importBig(0, 2);
		const medium = await zipAllMeasured('medium');
		await importBig(2, 3);
		const big = await zipAllMeasured('big');
		const growth = (h: typeof big.heap) => ({ used: h.peakUsed - h.baseUsed, backing: h.peakBacking - h.baseBacking });
		const [gm, gb] = [growth(medium.heap), growth(big.heap)];
		console.log(
			`heap while zipping the whole library (peak over baseline, MB): ` +
				`${(medium.archive / MB).toFixed(0)} MB archive → JS heap +${(gm.used / MB).toFixed(1)}, array buffers +${(gm.backing / MB).toFixed(1)}; ` +
				`${(big.archive / MB).toFixed(0)} MB archive → JS heap +${(gb.used / MB).toFixed(1)}, array buffers +${(gb.backing / MB).toFixed(1)}`
		);
		expect(big.archive).toBeGreaterThan(2 * medium.archive);
		// The JS heap stays flat; array-buffer chunks are garbage awaiting GC, bounded by V8's
		// heuristics rather than by the archive: well under the archive, and not growing with it.
		expect(gb.used).toBeLessThan(32 * MB);
		expect(gb.backing).toBeLessThan(big.archive / 2);
		// Chunks are let go: collections reclaim them while zipping, and nothing stays held afterwards.
		expect(big.heap.reclaims).toBeGreaterThan(0);
		expect(big.heap.afterBacking - big.heap.baseBacking).toBeLessThan(8 * MB);
		expect(big.heap.afterUsed - big.heap.baseUsed).toBeLessThan(8 * MB);
	});
});

function mb(h: Awaited<ReturnType<typeof heapPeakDuring>>) {
	const f = (n: number) => +(n / MB).toFixed(1);
	return {
		baseUsed: f(h.baseUsed), peakUsed: f(h.peakUsed), afterGcUsed: f(h.afterUsed),
		baseBacking: f(h.baseBacking), peakBacking: f(h.peakBacking), afterGcBacking: f(h.afterBacking),
		reclaims: h.reclaims, samples: h.samples
	};
}
