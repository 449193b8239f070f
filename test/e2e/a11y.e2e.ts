// Issue 3: an axe-core scan of the main pages (no serious or critical violations) and screenshots
// of each at desktop and phone sizes (test-results/e2e/pages-*.png).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, gotoPath, importFiles, openApp, screenshot, waitForQueuesIdle, type App } from './helpers/app';
import { loadCases } from './helpers/media';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: Array<{ target: string[] }>;
}

describe('accessibility and layout of the main pages', () => {
	let app: App;
	let photoId: string;

	beforeAll(async () => {
		const photos = (await loadCases(inject('mediaDir'), ['photos'])).filter((c) => /\.(jpe?g|png)$/i.test(c.path)).slice(0, 8);
		app = await openApp('/');
		await importFiles(app.page, photos.map((c) => c.path));
		await waitForQueuesIdle(app.page);
		photoId = (await exportLibrary(app.page)).library.assets[0].id;
	});
	afterAll(async () => {
		await app?.close();
	});

	const pages = () => ['/', '/recent', '/favorites', '/albums', '/archive', '/trash', '/jobs', '/settings', '/explore', '/duplicates', '/search?q=photo', '/people', `/photos/${photoId}`];

	it('has no serious or critical axe violations, in light and dark themes', async () => {
		const page = app.page;
		const found: Record<string, string[]> = {};
		for (const scheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: scheme });
			for (const path of pages()) {
				await gotoPath(page, path);
				await page.waitForTimeout(600);
				await page.addScriptTag({ content: await axeSource });
				const violations = (await page.evaluate(async () => {
					const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
					return (await axe.run(document, { resultTypes: ['violations'] })).violations;
				})) as Violation[];
				const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
				if (bad.length) found[`${scheme} ${path}`] = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
			}
		}
		expect(found).toEqual({});
	});

	it('lays out every page at desktop and phone sizes (screenshots)', async () => {
		const page = app.page;
		await page.emulateMedia({ colorScheme: 'light' });
		for (const [size, viewport] of Object.entries(SIZES)) {
			await page.setViewportSize(viewport);
			for (const path of pages()) {
				await gotoPath(page, path);
				await page.waitForTimeout(700);
				// Nothing may stick out sideways on a phone.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				expect(overflow, `${size} ${path} overflows sideways by ${overflow}px`).toBeLessThanOrEqual(0);
				await screenshot(page, `pages-${size}-${path === '/' ? 'timeline' : path.split('/')[1].split('?')[0]}`);
			}
		}
	});
});
