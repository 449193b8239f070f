// People UI with synthetic faces (/dev → "Add synthetic faces": 4 people in 5 photos each, and 2
// strangers), no ML pipeline: the People page, rename, merge, hide, "not this person", assign,
// re-cluster keeping the user's choices, the viewer's faces, and faces[]/people[] in library.json.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLibrary, gotoPath, openApp, screenshot, waitForStored, type App } from './helpers/app';
import { readTimeline } from './helpers/timeline';

interface Card {
	id: string;
	count: number;
	hidden: boolean;
	name: string;
}

interface PeopleExport {
	faces: Array<{ assetId: string; box: number[]; score: number; personId: string | null }>;
	people: Array<{ id: string; name: string | null; hidden: boolean; faceCount: number }>;
	assets: Array<{ id: string }>;
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function readCards(page: Page): Promise<Card[]> {
	return page.$$eval('[data-testid="person-card"]', (els) =>
		els.map((el) => {
			const e = el as HTMLElement;
			return { id: e.dataset.personId ?? '', count: Number(e.dataset.count), hidden: e.dataset.hidden === 'true', name: e.dataset.name ?? '' };
		})
	);
}

/** Waits until /people shows `n` cards (and the same list twice in a row: it loads after mount). */
async function waitForCards(page: Page, n: number, extra: (cards: Card[]) => boolean = () => true): Promise<Card[]> {
	let last: Card[] = [];
	let same = 0;
	for (let i = 0; i < 200 && same < 2; i++) {
		await page.waitForTimeout(150);
		const now = await readCards(page);
		const ok = now.length === n && extra(now);
		same = ok && JSON.stringify(now) === JSON.stringify(last) ? same + 1 : 0;
		last = now;
	}
	if (same < 2) throw new Error(`expected ${n} people, saw ${JSON.stringify(last)}`);
	return last;
}

async function waitForAttr(page: Page, selector: string, attr: string, value: string) {
	await page.locator(`${selector}[${attr}="${value}"]`).first().waitFor({ state: 'attached', timeout: 60_000 });
}

describe('people (synthetic faces)', () => {
	let app: App;
	let page: Page;

	beforeAll(async () => {
		app = await openApp('/dev?generate=30');
		page = app.page;
		await page.setViewportSize(DESKTOP);
		await waitForAttr(page, '[data-testid="generate-status"]', 'data-status', 'done');
		await page.getByTestId('synthetic-faces').click();
		await waitForAttr(page, '[data-testid="synthetic-faces-status"]', 'data-status', 'done');
	});
	afterAll(async () => app?.close());

	it('forms the four people (five photos each) and leaves the two strangers unassigned', async () => {
		const status = page.getByTestId('synthetic-faces-status');
		expect(await status.getAttribute('data-faces')).toBe('22');
		expect(await status.getAttribute('data-people')).toBe('4');
		await app.goto('/people');
		const cards = await waitForCards(page, 4);
		expect(cards.map((c) => c.count)).toEqual([5, 5, 5, 5]);
		expect(cards.every((c) => !c.hidden && c.name === '')).toBe(true);
		await page.getByTestId('unassigned-faces').waitFor();
		expect(await page.getByTestId('unassigned-face').count()).toBe(2);
		await screenshot(page, 'people-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'people-phone');
		await page.setViewportSize(DESKTOP);
	});

	let ann: string;
	let merged: string;
	let hiddenOne: string;

	it('renames, merges and hides', async () => {
		const [a, b, c, d] = await waitForCards(page, 4);
		ann = a.id;
		// Rename inline on the person page.
		await app.goto(`/people/${ann}`);
		const name = page.getByTestId('person-name');
		await name.waitFor();
		await name.fill('Ann');
		await name.press('Enter');
		await waitForStored(page, 'people', ann, 'name', 'Ann');
		await app.goto('/people');
		await waitForCards(page, 4, (cs) => cs[0].name === 'Ann');

		// Merge two unnamed people: select both, Merge.
		await page.locator(`[data-testid="person-card"][data-person-id="${b.id}"] ~ label [data-testid="person-select"]`).check();
		await page.locator(`[data-testid="person-card"][data-person-id="${c.id}"] ~ label [data-testid="person-select"]`).check();
		await page.getByTestId('people-merge').click();
		let cards = await waitForCards(page, 3, (cs) => cs.some((x) => x.count === 10));
		merged = cards.find((x) => x.count === 10)!.id;
		expect([b.id, c.id]).toContain(merged);

		// Hide the fourth from its page.
		hiddenOne = d.id;
		await app.goto(`/people/${hiddenOne}`);
		await page.getByTestId('person-hide').click();
		await waitForAttr(page, '[data-testid="person-hide"]', 'data-hidden', 'true');
		await app.goto('/people');
		cards = await waitForCards(page, 2);
		expect(cards.map((x) => x.id)).not.toContain(hiddenOne);
		await page.getByTestId('people-show-hidden').check();
		cards = await waitForCards(page, 3);
		expect(cards.find((x) => x.id === hiddenOne)?.hidden).toBe(true);
		// Named first.
		expect(cards[0].id).toBe(ann);
	});

	it('takes a face out of a person ("not this person") and assigns an unassigned face by hand', async () => {
		await app.goto(`/people/${ann}`);
		await waitForAttr(page, '[data-testid="person-face-count"]', 'data-count', '5');
		await screenshot(page, 'person-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'person-phone');
		await page.setViewportSize(DESKTOP);
		await page.getByTestId('face-remove').first().click();
		await waitForAttr(page, '[data-testid="person-face-count"]', 'data-count', '4');
		await app.goto('/people');
		await page.getByTestId('unassigned-faces').waitFor();
		await waitForAttr(page, '[data-testid="unassigned-faces"]', 'data-count', '3');
		// A stranger's face goes to the merged person by hand.
		const row = page.getByTestId('unassigned-face').last();
		await row.getByTestId('face-assign-person').selectOption(merged);
		await row.getByTestId('face-assign').click();
		await waitForAttr(page, '[data-testid="unassigned-faces"]', 'data-count', '2');
		await waitForCards(page, 2, (cs) => cs.find((x) => x.id === merged)?.count === 11 && cs.find((x) => x.id === ann)?.count === 4);
	});

	it('re-cluster everything keeps names, merges, hidden people and faces taken out or assigned by hand', async () => {
		await page.getByTestId('people-show-hidden').check();
		const before = await waitForCards(page, 3);
		await page.getByTestId('recluster').click();
		await waitForAttr(page, '[data-testid="recluster-status"]', 'data-status', 'done');
		const after = await waitForCards(page, 3);
		expect(after).toEqual(before);
		expect(after.find((x) => x.id === ann)).toMatchObject({ name: 'Ann', count: 4 });
		expect(after.find((x) => x.id === merged)).toMatchObject({ count: 11 });
		expect(after.find((x) => x.id === hiddenOne)).toMatchObject({ hidden: true, count: 5 });
		await waitForAttr(page, '[data-testid="unassigned-faces"]', 'data-count', '2');
	});

	it('shows the faces with names in the viewer’s info panel and as boxes over the photo', async () => {
		await app.goto(`/people/${ann}`);
		const tile = page.locator('[data-testid="asset-tile"]').first();
		await tile.waitFor();
		const assetId = await tile.getAttribute('data-asset-id');
		await app.goto(`/photos/${assetId}`);
		await page.getByTestId('viewer-info-panel').waitFor();
		const link = page.locator(`[data-testid="info-person"][data-person-id="${ann}"]`);
		await link.waitFor();
		expect(await link.textContent()).toBe('Ann');
		expect(await link.getAttribute('href')).toBe(`/people/${ann}`);
		const box = page.locator(`[data-testid="face-box"][data-person-id="${ann}"]`);
		await box.waitFor();
		// The box lies inside the displayed picture.
		const img = (await page.getByTestId('viewer-image').boundingBox())!;
		const b = (await box.boundingBox())!;
		expect(b.x).toBeGreaterThanOrEqual(img.x - 1);
		expect(b.y).toBeGreaterThanOrEqual(img.y - 1);
		expect(b.x + b.width).toBeLessThanOrEqual(img.x + img.width + 1);
		expect(b.y + b.height).toBeLessThanOrEqual(img.y + img.height + 1);
		expect(b.width).toBeGreaterThan(10);
		await screenshot(page, 'viewer-faces-desktop');
		// Closing the info panel hides the boxes.
		await page.getByTestId('viewer-info').click();
		await page.getByTestId('face-boxes').waitFor({ state: 'detached' });
	});

	it('exports faces[] and people[] in library.json as documented', async () => {
		const { library } = (await exportLibrary(page)) as unknown as { library: PeopleExport };
		expect(library.faces).toHaveLength(22);
		const assetIds = new Set(library.assets.map((a) => a.id));
		const personIds = new Set(library.people.map((p) => p.id));
		for (const f of library.faces) {
			expect(Object.keys(f).sort()).toEqual(['assetId', 'box', 'personId', 'score']);
			expect(assetIds.has(f.assetId)).toBe(true);
			expect(f.box).toHaveLength(4);
			for (const v of f.box) expect(v >= 0 && v <= 1).toBe(true);
			expect(f.score).toBeGreaterThan(0);
			if (f.personId !== null) expect(personIds.has(f.personId)).toBe(true);
		}
		expect(library.faces.filter((f) => f.personId === null)).toHaveLength(2);
		expect(library.people).toHaveLength(3);
		const byId = new Map(library.people.map((p) => [p.id, p]));
		expect(byId.get(ann)).toEqual({ id: ann, name: 'Ann', hidden: false, faceCount: 4 });
		expect(byId.get(merged)).toEqual({ id: merged, name: null, hidden: false, faceCount: 11 });
		expect(byId.get(hiddenOne)).toEqual({ id: hiddenOne, name: null, hidden: true, faceCount: 5 });
		for (const p of library.people) expect(p.faceCount).toBe(library.faces.filter((f) => f.personId === p.id).length);
	});

	it('filters the timeline to one person, and the viewer pages within that person', async () => {
		const { library } = (await exportLibrary(page)) as unknown as { library: PeopleExport };
		const mine = new Set(library.faces.filter((f) => f.personId === merged).map((f) => f.assetId));
		await gotoPath(page, `/people/${merged}`);
		await page.getByTestId('person-timeline').click();
		await page.getByTestId('timeline-filter').waitFor();
		expect(new URL(page.url()).searchParams.get('person')).toBe(merged);
		const t = await readTimeline(page);
		expect(new Set(t.tiles)).toEqual(mine);
		expect(t.tiles).toHaveLength(mine.size);
		// readTimeline scrolled to the end: back to the newest photo before opening it.
		await page.locator('[data-testid="timeline"] .scroll').evaluate((el) => (el.scrollTop = 0));
		await page.locator(`[data-testid="asset-tile"][data-asset-id="${t.tiles[0]}"] a`).first().click();
		const viewer = page.getByTestId('viewer');
		await expect.poll(() => viewer.getAttribute('data-older')).toBe(t.tiles[1]);
		await screenshot(page, 'people-timeline-filter');
	});
});
