// Organising through the UI: selection on a flat grid (checkbox, click while selecting, shift-click
// range, Space, long-press), favorites, archive, albums (create, rename, cover, remove, delete),
// trash (restore, empty), "Recently added"; every state checked in the UI and in library.json, and
// the original's bytes checked gone from OPFS after emptying the trash.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, importFiles, openApp, screenshot, waitForQueuesIdle, type App } from './helpers/app';
import type { Case } from './helpers/media';
import {
	act, barCount, check, go, longPress, opfsHasOriginal, pickPhotos, selectedIds, shots, tile, tileIds, waitForCount, type OrgLibrary
} from './helpers/organise';

const N = 8;

describe(`organising (${inject('mediaSource')} media)`, () => {
	let app: App;
	let cases: Case[];
	/** Asset ids in the order /recent shows them. */
	let order: string[];
	let byId: Map<string, { checksum: string; name: string }>;
	let albumId = '';
	const exported = async () => (await exportLibrary(app.page)).library as unknown as OrgLibrary;

	beforeAll(async () => {
		cases = await pickPhotos(inject('mediaDir'), N);
		app = await openApp('/recent');
		const progress = await importFiles(app.page, cases.map((c) => c.path));
		expect(progress.imported).toBe(N);
		await waitForQueuesIdle(app.page, { minDone: N });
		const lib = await exported();
		byId = new Map(lib.assets.map((a) => [a.id, { checksum: a.checksum, name: a.originalName }]));
	});

	afterAll(async () => {
		if (app?.pageErrors.length) console.warn(`page errors: ${app.pageErrors.join('\n')}`);
		await app?.close();
	});

	it('lists every import on /recent, newest import first, with viewer links and no selection', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		order = await tileIds(app.page);
		expect(new Set(order)).toEqual(new Set(byId.keys()));
		// A tile opens the viewer within this set; nothing is selected yet.
		const href = await tile(app.page, order[0]).locator('a').getAttribute('href');
		expect(href).toBe(`/photos/${order[0]}?in=recent`);
		expect(await barCount(app.page)).toBe(0);
		expect(await app.page.getByTestId('tile-select').first().getAttribute('aria-label')).toMatch(/^Select /);
	});

	it('selects with the checkbox, then by clicking tiles; favorites two', async () => {
		const [a, b] = order;
		await check(app.page, a);
		expect(await selectedIds(app.page)).toEqual([a]);
		// While selecting, a click on a tile toggles it instead of opening the viewer.
		await tile(app.page, b).locator('a').click();
		expect(new URL(app.page.url()).pathname).toBe('/recent');
		expect(await selectedIds(app.page)).toEqual([a, b]);
		expect(await barCount(app.page)).toBe(2);
		await act(app.page, 'favorite');
		await expect.poll(() => app.page.$$eval('[data-favorite="true"]', (els) => els.map((e) => (e as HTMLElement).dataset.assetId))).toEqual([a, b]);

		await go(app.page, '/favorites');
		await waitForCount(app.page, 2);
		expect((await tileIds(app.page)).sort()).toEqual([a, b].sort());
		expect(await tile(app.page, a).locator('a').getAttribute('href')).toBe(`/photos/${a}?in=favorites`);
		await shots(app.page, 'organise-favorites');
	});

	it('selects with the keyboard (Space on a focused tile) and archives one', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		const c = order[2];
		await tile(app.page, c).locator('a').focus();
		await app.page.keyboard.press('Space');
		expect(await selectedIds(app.page)).toEqual([c]);
		await act(app.page, 'archive');
		// "Recently added" still lists archived items; the archive page shows it.
		await waitForCount(app.page, N);
		await go(app.page, '/archive');
		await waitForCount(app.page, 1);
		expect(await tileIds(app.page)).toEqual([c]);
		await shots(app.page, 'organise-archive');
	});

	it('creates an album from a shift-click range of three', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		await check(app.page, order[3]);
		await check(app.page, order[5], ['Shift']);
		expect(await selectedIds(app.page)).toEqual(order.slice(3, 6));
		await app.page.getByTestId('action-add-to-album').click();
		const dialog = app.page.getByTestId('add-to-album-dialog');
		await dialog.waitFor({ state: 'visible' });
		expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
		await dialog.getByTestId('album-new-name').fill('Trip');
		await dialog.getByTestId('album-new-create').click();
		await app.page.getByTestId('selection-bar').waitFor({ state: 'detached' });

		await go(app.page, '/albums');
		const card = app.page.getByTestId('album-card');
		await expect.poll(() => card.count()).toBe(1);
		await expect.poll(() => card.getAttribute('data-count')).toBe('3');
		expect(await card.innerText()).toContain('Trip');
		albumId = (await card.getAttribute('data-album-id'))!;
		await shots(app.page, 'organise-albums');
	});

	it('adds to an existing album through the dialog (no doubles)', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		await check(app.page, order[5]); // already in the album
		await app.page.getByTestId('action-add-to-album').click();
		const option = app.page.getByTestId('album-option');
		await expect.poll(() => option.count()).toBe(1);
		await option.click();
		await app.page.getByTestId('selection-bar').waitFor({ state: 'detached' });
		const lib = await exported();
		expect(lib.albums.find((al) => al.id === albumId)?.assetIds).toHaveLength(3);
	});

	it('renames the album, sets a cover and removes one photo', async () => {
		await go(app.page, `/albums/${albumId}`);
		await waitForCount(app.page, 3);
		const name = app.page.getByTestId('album-name');
		await name.fill('Summer by the sea');
		await name.press('Enter');
		await expect.poll(() => app.page.title()).toContain('Summer by the sea');
		expect(await tile(app.page, order[4]).locator('a').getAttribute('href')).toBe(`/photos/${order[4]}?album=${albumId}`);

		await check(app.page, order[5]);
		expect(await app.page.getByTestId('action-set-cover').isEnabled()).toBe(true);
		await app.page.getByTestId('action-set-cover').click();
		await app.page.getByTestId('selection-bar').waitFor({ state: 'detached' });
		await expect.poll(() => app.page.getByTestId('album-cover').getAttribute('data-asset-id')).toBe(order[5]);

		await check(app.page, order[4]);
		await act(app.page, 'remove-from-album');
		await waitForCount(app.page, 2);
		expect((await tileIds(app.page)).sort()).toEqual([order[3], order[5]].sort());
		await shots(app.page, 'organise-album');

		// The rename survives a reload.
		await go(app.page, `/albums/${albumId}`);
		await expect.poll(() => name.inputValue()).toBe('Summer by the sea');
	});

	it('moves one to the trash and restores it', async () => {
		const e = order[6];
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		await check(app.page, e);
		await act(app.page, 'trash');
		await waitForCount(app.page, N - 1); // recent leaves out the trash
		expect(await tileIds(app.page)).not.toContain(e);

		await go(app.page, '/trash');
		await waitForCount(app.page, 1);
		expect(await app.page.getByTestId('trash-note').innerText()).toMatch(/30 days/);
		await check(app.page, e);
		await act(app.page, 'restore');
		await waitForCount(app.page, 0);
		expect(await app.page.getByTestId('empty-state').isVisible()).toBe(true);

		await go(app.page, '/recent');
		await waitForCount(app.page, N);
	});

	it('records every state in library.json', async () => {
		const lib = await exported();
		const get = (id: string) => lib.assets.find((a) => a.id === id)!;
		expect(lib.assets).toHaveLength(N);
		for (const a of lib.assets) {
			expect(typeof a.favorite).toBe('boolean');
			expect(typeof a.archived).toBe('boolean');
			expect(typeof a.trashed).toBe('boolean');
		}
		expect(lib.assets.filter((a) => a.favorite).map((a) => a.id).sort()).toEqual([order[0], order[1]].sort());
		expect(lib.assets.filter((a) => a.archived).map((a) => a.id)).toEqual([order[2]]);
		expect(lib.assets.filter((a) => a.trashed)).toEqual([]);
		expect(get(order[6]).trashed).toBe(false); // restored
		expect(lib.albums).toHaveLength(1);
		expect(lib.albums[0]).toMatchObject({ id: albumId, name: 'Summer by the sea', coverAssetId: order[5] });
		expect(lib.albums[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect([...lib.albums[0].assetIds].sort()).toEqual([order[3], order[5]].sort());
	});

	it('empties the trash: the asset leaves the export and its original leaves OPFS', async () => {
		const g = order[7];
		const sha = byId.get(g)!.checksum;
		await go(app.page, '/recent');
		await waitForCount(app.page, N);
		await check(app.page, g);
		await act(app.page, 'trash');

		let lib = await exported();
		expect(lib.assets.find((a) => a.id === g)?.trashed).toBe(true);

		await go(app.page, '/trash');
		await waitForCount(app.page, 1);
		expect(await opfsHasOriginal(app.page, sha)).toBe(true);
		await shots(app.page, 'organise-trash');

		// Cancelling the dialog keeps everything.
		await app.page.getByTestId('empty-trash').click();
		await app.page.getByTestId('confirm-dialog').filter({ visible: true }).getByTestId('confirm-cancel').click();
		await waitForCount(app.page, 1);

		await app.page.getByTestId('empty-trash').click();
		const dialog = app.page.getByTestId('confirm-dialog').filter({ visible: true });
		expect(await dialog.innerText()).toMatch(/1 item will be deleted permanently/);
		await screenshot(app.page, 'organise-trash-confirm');
		await dialog.getByTestId('confirm-ok').click();
		await waitForCount(app.page, 0);
		await shots(app.page, 'organise-trash-empty');
		await expect.poll(() => opfsHasOriginal(app.page, sha)).toBe(false);
		// The other originals are still there.
		for (const id of order.slice(0, 7)) expect(await opfsHasOriginal(app.page, byId.get(id)!.checksum)).toBe(true);

		lib = await exported();
		expect(lib.assets.map((a) => a.id)).not.toContain(g);
		expect(lib.assets).toHaveLength(N - 1);
		expect(app.dialogs).toEqual([]); // only in-page dialogs, never window.confirm
	});

	it('deletes a permanently selected item from the trash, after confirming', async () => {
		const h = order[6];
		await go(app.page, '/recent');
		await waitForCount(app.page, N - 1);
		await check(app.page, h);
		await act(app.page, 'trash');
		await go(app.page, '/trash');
		await waitForCount(app.page, 1);
		await check(app.page, h);
		await app.page.getByTestId('action-delete').click();
		await app.page.getByTestId('confirm-dialog').filter({ visible: true }).getByTestId('confirm-ok').click();
		await waitForCount(app.page, 0);
		await expect.poll(() => opfsHasOriginal(app.page, byId.get(h)!.checksum)).toBe(false);
		const lib = await exported();
		expect(lib.assets).toHaveLength(N - 2);
	});

	it('long-press on touch starts selecting; Escape clears', async () => {
		await go(app.page, '/recent');
		await waitForCount(app.page, N - 2);
		await app.page.setViewportSize({ width: 390, height: 844 });
		const ids = await tileIds(app.page);
		await longPress(app.page, ids[0]);
		expect(new URL(app.page.url()).pathname).toBe('/recent'); // the click after the press did not open it
		expect(await selectedIds(app.page)).toEqual([ids[0]]);
		await tile(app.page, ids[1]).locator('a').click();
		expect(await selectedIds(app.page)).toEqual([ids[0], ids[1]]);
		await shots(app.page, 'organise-recent-selecting');
		await app.page.keyboard.press('Escape');
		expect(await barCount(app.page)).toBe(0);
		await app.page.setViewportSize({ width: 1280, height: 900 });
	});

	it('marks the current page in the navigation and fits a phone', async () => {
		for (const [path, label] of [['/albums', 'Albums'], ['/favorites', 'Favorites'], ['/archive', 'Archive'], ['/trash', 'Trash'], ['/recent', 'Recently added']]) {
			await go(app.page, path);
			const current = app.page.locator('nav[aria-label="Main"] a[aria-current="page"]');
			expect(await current.innerText()).toBe(label);
		}
		await app.page.setViewportSize({ width: 390, height: 844 });
		await go(app.page, `/albums/${albumId}`);
		expect(await app.page.locator('nav[aria-label="Main"] a[aria-current="page"]').innerText()).toBe('Albums');
		// Nothing sticks out sideways on a phone.
		expect(await app.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await go(app.page, '/recent');
		await waitForCount(app.page, N - 2);
		expect(await app.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await shots(app.page, 'organise-recent');
		// Dark theme, with a selection and the add-to-album dialog open.
		await app.page.emulateMedia({ colorScheme: 'dark' });
		await app.page.setViewportSize({ width: 1280, height: 800 });
		await check(app.page, (await tileIds(app.page))[0]);
		await app.page.getByTestId('action-add-to-album').click();
		await app.page.getByTestId('add-to-album-dialog').waitFor({ state: 'visible' });
		await screenshot(app.page, 'organise-add-to-album-dark');
		await app.page.keyboard.press('Escape'); // closes the dialog
		await app.page.keyboard.press('Escape'); // clears the selection
		await app.page.emulateMedia({ colorScheme: 'light' });
		await app.page.setViewportSize({ width: 1280, height: 900 });
	});

	it('deletes the album but keeps its photos', async () => {
		await go(app.page, `/albums/${albumId}`);
		await waitForCount(app.page, 2);
		await app.page.getByTestId('album-delete').click();
		await app.page.getByTestId('confirm-dialog').filter({ visible: true }).getByTestId('confirm-ok').click();
		await app.page.waitForURL((u) => u.pathname === '/albums');
		await expect.poll(() => app.page.getByTestId('album-card').count()).toBe(0);
		await expect.poll(() => app.page.getByTestId('empty-state').isVisible()).toBe(true);
		await shots(app.page, 'organise-albums-empty');
		const lib = await exported();
		expect(lib.albums).toEqual([]);
		expect(lib.assets).toHaveLength(N - 2);
	});
});
