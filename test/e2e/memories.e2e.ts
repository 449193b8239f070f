// Issue 3: "On this day" memories at the top of the timeline, from photos taken on today's date in
// earlier years (JPEGs with EXIF dates made by the test).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoPath, importFiles, openApp, screenshot, waitForQueuesIdle, type App } from './helpers/app';

const pad = (n: number) => String(n).padStart(2, '0');

async function photoTaken(path: string, when: Date, hue: number) {
	const exif = `${when.getFullYear()}:${pad(when.getMonth() + 1)}:${pad(when.getDate())} 10:00:00`;
	const img = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: hue, g: 120, b: 255 - hue } } })
		.jpeg({ quality: 80 })
		.withExif({ IFD0: { Make: 'Test', Model: 'Memories' }, IFD2: { DateTimeOriginal: exif } })
		.toBuffer();
	await writeFile(path, img);
}

describe('On this day', () => {
	let app: App;
	let dir: string;
	const today = new Date();
	const years = [3, 7];

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-memories-'));
		const paths: string[] = [];
		for (const [i, ago] of years.entries()) {
			const p = join(dir, `memory-${ago}.jpg`);
			await photoTaken(p, new Date(today.getFullYear() - ago, today.getMonth(), today.getDate()), 40 + i * 90);
			paths.push(p);
		}
		// A photo from another day must not become a memory.
		const other = join(dir, 'other-day.jpg');
		await photoTaken(other, new Date(today.getFullYear() - 5, today.getMonth(), today.getDate() + (today.getDate() > 15 ? -10 : 10)), 200);
		paths.push(other);
		app = await openApp('/');
		await importFiles(app.page, paths);
		await waitForQueuesIdle(app.page);
	});
	afterAll(async () => {
		await app?.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('shows one memory per earlier year with photos taken on this day', async () => {
		const page = app.page;
		await gotoPath(page, '/');
		await page.getByTestId('memories').waitFor();
		const shown = await page.getByTestId('memory').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.year)));
		expect(shown).toEqual(years.map((ago) => today.getFullYear() - ago));
		expect(await page.getByTestId('memories').innerText()).toContain('3 years ago');
		await screenshot(page, 'memories');
	});
});
