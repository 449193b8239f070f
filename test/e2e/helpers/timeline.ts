// Reading the virtualised timeline: it renders only what is near the viewport, so a test scrolls
// through it and collects what each position shows.
import type { Page } from 'playwright-core';

export interface TimelineRead {
	months: string[];
	days: string[];
	/** Tile ids in display order (top to bottom, left to right). */
	tiles: string[];
	/** Day each tile was drawn under. */
	dayOf: Record<string, string>;
}

export async function readTimeline(page: Page): Promise<TimelineRead> {
	await page.locator('[data-testid="asset-count"][data-settled="true"]').waitFor({ state: 'attached' });
	const seen = new Map<string, { kind: string; key: string; y: number; x: number }>();
	for (let guard = 0; guard < 500; guard++) {
		// Let the visible months load and render.
		await page.waitForTimeout(150);
		const { items, done } = await page.evaluate(() => {
			const scroll = document.querySelector<HTMLElement>('[data-testid="timeline"] .scroll')!;
			const origin = scroll.getBoundingClientRect().top - scroll.scrollTop;
			const items = [...scroll.querySelectorAll<HTMLElement>('[data-testid="timeline-month"], [data-testid="timeline-day"], [data-testid="asset-tile"]')].map((el) => {
				const r = el.getBoundingClientRect();
				const key = el.dataset.month ?? el.dataset.day ?? el.dataset.assetId ?? '';
				return { kind: el.dataset.testid ?? '', key, y: Math.round(r.top - origin), x: Math.round(r.left) };
			});
			const done = scroll.scrollTop + scroll.clientHeight >= scroll.scrollHeight - 1;
			scroll.scrollTop += scroll.clientHeight * 0.8;
			return { items, done };
		});
		for (const it of items) seen.set(`${it.kind}:${it.key}`, it);
		if (done) break;
	}
	const ordered = [...seen.values()].sort((a, b) => a.y - b.y || a.x - b.x);
	const out: TimelineRead = { months: [], days: [], tiles: [], dayOf: {} };
	let day = '';
	for (const it of ordered) {
		if (it.kind === 'timeline-month') out.months.push(it.key);
		else if (it.kind === 'timeline-day') out.days.push((day = it.key));
		else {
			out.tiles.push(it.key);
			out.dayOf[it.key] = day;
		}
	}
	return out;
}

export async function scrollTop(page: Page): Promise<number> {
	return page.evaluate(() => document.querySelector<HTMLElement>('[data-testid="timeline"] .scroll')!.scrollTop);
}
