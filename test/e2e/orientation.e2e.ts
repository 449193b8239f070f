// Every EXIF orientation (1–8) of a large JPEG gives a preview and thumbnail that look like the
// picture as meant, at the right size: large JPEGs are decoded at a reduced scale (ImageDecoder with
// DCT scaling), small ones whole; both paths must turn and mirror alike. The files are made here
// with sharp: a picture with four distinct quadrants, stored transformed and tagged so that applying
// the tag gives the picture back (checked with sharp's own auto-orientation).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLibrary, importFiles, openApp, screenshot, waitForQueuesIdle, type App } from './helpers/app';

const W = 3000;
const H = 2000;
const QUADRANTS = [
	[230, 30, 30],
	[30, 200, 40],
	[30, 60, 220],
	[240, 220, 40]
] as const;

/** The picture as meant: red, green / blue, yellow quadrants, with a white bar near the top left. */
async function picture(width: number, height: number): Promise<Buffer> {
	const raw = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const q = QUADRANTS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
			const bar = y > height * 0.1 && y < height * 0.15 && x < width * 0.3;
			raw.set(bar ? [255, 255, 255] : q, (y * width + x) * 3);
		}
	return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** 8×8 RGB of an image (auto-oriented), for comparing pictures. */
async function tiny(data: Buffer): Promise<number[]> {
	return [...(await sharp(data).rotate().resize(8, 8, { fit: 'fill' }).removeAlpha().raw().toBuffer())];
}
const diff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** The stored pixels for orientation `o`: the transform whose auto-orientation gives the picture back. */
async function storedFor(ref: Buffer, o: number): Promise<Buffer> {
	const want = await tiny(ref);
	for (const angle of [0, 90, 180, 270])
		for (const flop of [false, true]) {
			let img = sharp(ref).rotate(angle);
			if (flop) img = img.flop();
			const jpeg = await sharp(await img.png().toBuffer()).jpeg({ quality: 90 }).withMetadata({ orientation: o }).toBuffer();
			if (diff(await tiny(jpeg), want) < 8) return jpeg;
		}
	throw new Error(`no transform gives orientation ${o}`);
}

describe('EXIF orientations of large and small JPEGs', () => {
	let app: App;
	let dir: string;
	const refs = new Map<string, number[]>();
	const names: string[] = [];

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-orient-'));
		for (const [label, w, h] of [['large', W, H], ['small', 600, 400]] as const) {
			const ref = await picture(w, h);
			refs.set(label, await tiny(ref));
			for (let o = 1; o <= 8; o++) {
				const name = `${label}-orientation-${o}.jpg`;
				await writeFile(join(dir, name), await storedFor(ref, o));
				names.push(name);
			}
		}
		app = await openApp('/');
		await importFiles(app.page, names.map((n) => join(dir, n)));
		await waitForQueuesIdle(app.page, { minDone: names.length });
	}, 240_000);

	afterAll(async () => {
		await app?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it('each preview and thumbnail shows the picture as meant, at its displayed size', async () => {
		const { library } = await exportLibrary(app.page);
		const problems: string[] = [];
		for (const name of names) {
			const a = library.assets.find((x) => x.originalName === name)!;
			const large = name.startsWith('large');
			const [w, h] = large ? [W, H] : [600, 400];
			if (a.width !== w || a.height !== h) problems.push(`${name}: ${a.width}×${a.height}, expected ${w}×${h}`);
			for (const kind of ['preview', 'thumbnail'] as const) {
				const bytes = await app.page.evaluate(
					async ({ id, kind }) => {
						const root = await navigator.storage.getDirectory();
						const dir = await (await root.getDirectoryHandle('derived')).getDirectoryHandle(id);
						for await (const [n, handle] of dir as unknown as AsyncIterable<[string, FileSystemFileHandle]>) {
							if (n.startsWith(kind)) return [...new Uint8Array(await (await handle.getFile()).arrayBuffer())];
						}
						return null;
					},
					{ id: a.id, kind }
				);
				if (!bytes) {
					problems.push(`${name}: no ${kind}`);
					continue;
				}
				const buf = Buffer.from(bytes);
				const meta = await sharp(buf).metadata();
				const short = kind === 'preview' ? Math.min(1440, h) : 250;
				const wantW = Math.round((w * short) / h);
				if (Math.abs((meta.width ?? 0) - wantW) > 1 || meta.height !== short) problems.push(`${name} ${kind}: ${meta.width}×${meta.height}, expected ${wantW}×${short}`);
				const d = diff(await tiny(buf), refs.get(large ? 'large' : 'small')!);
				if (d > 12) problems.push(`${name} ${kind}: differs from the picture by ${d.toFixed(1)}`);
			}
		}
		await screenshot(app.page, 'orientations');
		expect(problems).toEqual([]);
	});
});
