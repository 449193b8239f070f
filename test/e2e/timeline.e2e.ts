// Issue 3: the timeline (grouping, order, scrubber, selection) and the viewer (paging, zoom, info).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, gotoPath, importFiles, openApp, screenshot, waitForQueuesIdle, type App } from './helpers/app';
import type { ExportedAsset } from './helpers/check';
import { loadCases } from './helpers/media';
import { readTimeline, scrollTop } from './helpers/timeline';

/** Every asset on the timeline has a date (EXIF or the file's time). */
type Dated = ExportedAsset & { takenAt: string };
const isDatedImage = (a: ExportedAsset): a is Dated => a.type === 'image' && a.takenAt !== null;

/** Timeline order: newest taken first; equal times by id, descending (the index's tie-break). */
const byTimeline = (a: Dated, b: Dated) => (a.takenAt === b.takenAt ? (a.id < b.id ? 1 : -1) : a.takenAt < b.takenAt ? 1 : -1);

describe('timeline and viewer', () => {
	let app: App;
	let assets: Dated[];

	beforeAll(async () => {
		const photos = await loadCases(inject('mediaDir'), ['photos']);
		app = await openApp('/');
		await app.page.setViewportSize({ width: 1280, height: 800 });
		await importFiles(app.page, photos.map((c) => c.path));
		await waitForQueuesIdle(app.page);
		assets = (await exportLibrary(app.page)).library.assets.filter(isDatedImage).sort(byTimeline);
		await gotoPath(app.page, '/');
	});
	afterAll(async () => {
		await app?.close();
	});

	it('groups by month and day, newest first, every asset once', async () => {
		const t = await readTimeline(app.page);
		const expectedMonths = [...new Set(assets.map((a) => a.takenAt.slice(0, 7)))];
		expect(t.months).toEqual(expectedMonths);
		expect(t.days).toEqual([...new Set(assets.map((a) => a.takenAt.slice(0, 10)))]);
		expect(t.tiles).toEqual(assets.map((a) => a.id));
		for (const a of assets) expect(t.dayOf[a.id], a.originalName).toBe(a.takenAt.slice(0, 10));
	});

	it('jumps with the scrubber: End goes to the oldest month, a year label to that year', async () => {
		const page = app.page;
		await gotoPath(page, '/');
		const scrubber = page.getByTestId('timeline-scrubber');
		await scrubber.focus();
		await page.keyboard.press('End');
		const oldest = assets[assets.length - 1].takenAt.slice(0, 7);
		await expect.poll(() => scrubber.getAttribute('data-month')).toBe(oldest);
		await expect.poll(() => page.locator(`[data-testid="timeline-month"][data-month="${oldest}"]`).isVisible()).toBe(true);

		const years = await page.getByTestId('scrubber-year').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.year ?? ''));
		const middle = years[Math.floor(years.length / 2)];
		await page.locator(`[data-testid="scrubber-year"][data-year="${middle}"]`).click();
		// The label marks where the year starts in the timeline (its newest month): that month is on
		// screen (at the top, or lower when the year is near the end).
		const newestOfYear = assets.map((a) => a.takenAt.slice(0, 7)).find((m) => m.startsWith(middle))!;
		await expect.poll(() => page.locator(`[data-testid="timeline-month"][data-month="${newestOfYear}"]`).isVisible()).toBe(true);
		await screenshot(page, 'timeline-scrubbed');
	});

	it('selects with a checkbox and shift-click, and acts on the selection', async () => {
		const page = app.page;
		await gotoPath(page, '/');
		const [first, , third] = assets;
		const tile = (id: string) => page.locator(`[data-testid="asset-tile"][data-asset-id="${id}"]`);
		await tile(first.id).hover();
		await tile(first.id).getByTestId('tile-select').click();
		await tile(third.id).click({ modifiers: ['Shift'] });
		await expect.poll(() => page.getByTestId('selection-bar').getAttribute('data-count')).toBe('3');
		await page.getByTestId('action-favorite').click();
		await page.getByTestId('selection-bar').waitFor({ state: 'detached' });
		const favorites = (await exportLibrary(page)).library.assets.filter((a) => (a as ExportedAsset & { favorite?: boolean }).favorite).map((a) => a.id);
		expect(favorites.sort()).toEqual(assets.slice(0, 3).map((a) => a.id).sort());
	});

	it('opens the viewer over the timeline, pages with the arrow keys, and closes back to the same place', async () => {
		const page = app.page;
		await gotoPath(page, '/');
		const scroll = page.locator('[data-testid="timeline"] .scroll');
		await scroll.evaluate((el) => (el.scrollTop = 700));
		await page.waitForTimeout(300);
		const before = await scrollTop(page);
		const target = await page.locator('[data-testid="asset-tile"]').evaluateAll((els) => {
			const visible = els.filter((e) => {
				const r = e.getBoundingClientRect();
				return r.top > 120 && r.bottom < window.innerHeight;
			});
			return (visible[0] as HTMLElement).dataset.assetId!;
		});
		await page.locator(`[data-testid="asset-tile"][data-asset-id="${target}"]`).click();
		const viewer = page.getByTestId('viewer');
		await expect.poll(() => viewer.getAttribute('data-asset-id')).toBe(target);
		expect(new URL(page.url()).pathname).toBe(`/photos/${target}`);

		const i = assets.findIndex((a) => a.id === target);
		await expect.poll(() => viewer.getAttribute('data-older')).toBe(assets[i + 1]?.id ?? '');
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => viewer.getAttribute('data-asset-id')).toBe(assets[i + 1].id);
		await expect.poll(() => viewer.getAttribute('data-newer')).toBe(target);
		await page.keyboard.press('ArrowLeft');
		await expect.poll(() => viewer.getAttribute('data-asset-id')).toBe(target);

		await page.keyboard.press('Escape');
		await viewer.waitFor({ state: 'detached' });
		expect(new URL(page.url()).pathname).toBe('/');
		expect(Math.abs((await scrollTop(page)) - before)).toBeLessThan(2);
	});

	it('zooms into the original and shows the details in the info panel', async () => {
		const page = app.page;
		const gps = assets.find((a) => a.gps && a.make && a.mime === 'image/jpeg' && (a.width ?? 0) >= 1000) ?? assets.find((a) => a.gps)!;
		await gotoPath(page, `/photos/${gps.id}`);
		const image = page.getByTestId('viewer-image');
		await expect.poll(() => image.getAttribute('data-source')).toBe('preview');
		if (!(await page.getByTestId('viewer-info-panel').isVisible())) await page.getByTestId('viewer-info').click();
		const panel = page.getByTestId('viewer-info-panel');
		await expect.poll(() => panel.getByTestId('info-name').textContent()).toBe(gps.originalName);
		expect(await panel.getByTestId('info-camera').textContent()).toContain(gps.model ?? '');
		expect(await panel.getByTestId('info-size').textContent()).toContain(`${gps.width} × ${gps.height}`);
		expect(await panel.getByTestId('info-gps').textContent()).toBe(`${gps.gps!.lat.toFixed(6)}, ${gps.gps!.lon.toFixed(6)}`);
		expect(await panel.getByTestId('info-date').textContent()).toContain(gps.takenAt.slice(11));

		await page.getByTestId('viewer').focus();
		await page.keyboard.press('+');
		await expect.poll(async () => Number(await image.getAttribute('data-zoom'))).toBeGreaterThan(1);
		await expect.poll(() => image.getAttribute('data-source')).toBe('original');
		const box = (await image.boundingBox())!;
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
		await page.mouse.wheel(0, -400);
		await expect.poll(async () => Number(await image.getAttribute('data-zoom'))).toBeGreaterThan(1.5);
		await screenshot(page, 'viewer-zoomed');
		await page.keyboard.press('0');
		await expect.poll(() => image.getAttribute('data-zoom')).toBe('1.00');
	});
});
