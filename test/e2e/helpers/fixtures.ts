// Generates a small media set with sharp when the shared corpus is absent, in the corpus's own
// layout (photos/, bad/, MANIFEST.json), so the same loader and checker serve both.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ManifestEntry, PhotoExpect } from './media';

/** Fixed file time, so "no EXIF date → file time" has a known answer. */
const FILE_TIME = new Date('2020-02-29T12:34:56Z');

interface Spec {
	path: string;
	width: number;
	height: number;
	format: 'jpeg' | 'png' | 'webp';
	orientation?: number;
	make?: string;
	model?: string;
	taken?: string; // 'YYYY-MM-DDTHH:MM:SS'
	offset?: string; // '+HH:MM'
	gps?: { lat: number; lon: number };
	noise?: boolean; // incompressible pixels: real decode/encode work, and a large file
	copy?: string; // also written byte for byte under this name: the duplicate pair
}

const SPECS: Spec[] = [
	{ path: 'photos/exif_offset.jpg', width: 640, height: 480, format: 'jpeg', make: 'Shoebox', model: 'Fixture One', taken: '2021-06-15T10:20:30', offset: '+02:00', gps: { lat: 48.858222, lon: 2.2945 } },
	{ path: 'photos/exif_orientation_6.jpg', width: 400, height: 300, format: 'jpeg', orientation: 6, make: 'Shoebox', model: 'Fixture Two', taken: '2019-01-02T03:04:05', gps: { lat: -33.856894, lon: 151.215297 } },
	{ path: 'photos/exif_west.jpg', width: 500, height: 375, format: 'jpeg', make: '  Padded Make  ', model: 'Fixture Three', taken: '2015-12-31T23:59:59', offset: '-05:00', gps: { lat: 40.689247, lon: -74.044502 } },
	{ path: 'photos/no_exif.jpg', width: 320, height: 240, format: 'jpeg' },
	{ path: 'photos/plain.png', width: 256, height: 256, format: 'png' },
	{ path: 'photos/plain.webp', width: 300, height: 200, format: 'webp' },
	...Array.from({ length: 6 }, (_, i): Spec => ({
		path: `photos/burst_${i + 1}.jpg`, width: 1200, height: 800, format: 'jpeg', make: 'Shoebox', model: 'Burst', taken: `2022-03-0${i + 1}T08:00:0${i}`, noise: true
	})),
	{ path: 'photos/large_noise.jpg', width: 2400, height: 1600, format: 'jpeg', make: 'Shoebox', model: 'Large', taken: '2023-07-01T12:00:00', noise: true },
	{ path: 'bad/duplicate_original.jpg', width: 600, height: 400, format: 'jpeg', make: 'Shoebox', model: 'Dup', taken: '2010-10-10T10:10:10', copy: 'bad/duplicate copy (1).jpg' },
	// A valid photo whose name would run script if the UI ever parsed it as HTML.
	{ path: `bad/😀 Ünïcødé <img src=x onerror=alert(1)> "quoted" 'single' ..%2F..%2Fetc 日本語.jpg`, width: 333, height: 222, format: 'jpeg', make: 'Shoebox', model: 'Hostile', taken: '1999-12-31T23:59:59' }
];

/** EXIF GPS wants degrees, minutes, seconds as rationals; returns them and the decimal they encode. */
function dms(value: number): { text: string; decimal: number } {
	const abs = Math.abs(value);
	const deg = Math.floor(abs);
	const min = Math.floor((abs - deg) * 60);
	const secHundredths = Math.round(((abs - deg) * 60 - min) * 60 * 100);
	return { text: `${deg}/1 ${min}/1 ${secHundredths}/100`, decimal: deg + min / 60 + secHundredths / 360000 };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

async function render(spec: Spec): Promise<{ bytes: Buffer; expect: PhotoExpect }> {
	const base = spec.noise
		? sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
		: sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: { r: 40 + (spec.width % 200), g: 120, b: 200 - (spec.height % 150) } } });
	const ifd0: Record<string, string> = {};
	const ifd2: Record<string, string> = {};
	const ifd3: Record<string, string> = {};
	if (spec.make) ifd0.Make = spec.make;
	if (spec.model) ifd0.Model = spec.model;
	if (spec.taken) ifd2.DateTimeOriginal = spec.taken.replace(/-/g, ':').replace('T', ' ');
	if (spec.offset) ifd2.OffsetTimeOriginal = spec.offset;
	let gps: { lat: number; lon: number } | null = null;
	if (spec.gps) {
		const lat = dms(spec.gps.lat);
		const lon = dms(spec.gps.lon);
		Object.assign(ifd3, {
			GPSLatitudeRef: spec.gps.lat < 0 ? 'S' : 'N', GPSLatitude: lat.text,
			GPSLongitudeRef: spec.gps.lon < 0 ? 'W' : 'E', GPSLongitude: lon.text
		});
		gps = { lat: round6(Math.sign(spec.gps.lat) * lat.decimal), lon: round6(Math.sign(spec.gps.lon) * lon.decimal) };
	}
	let img = base;
	if (spec.format === 'jpeg') {
		img = img.jpeg({ quality: spec.noise && spec.width > 2000 ? 95 : 85 });
		if (Object.keys(ifd0).length || Object.keys(ifd2).length) img = img.withExif({ IFD0: ifd0, IFD2: ifd2, IFD3: ifd3 });
		if (spec.orientation) img = img.withMetadata({ orientation: spec.orientation });
	} else {
		img = spec.format === 'png' ? img.png() : img.webp({ quality: 80 });
	}
	const swap = (spec.orientation ?? 1) >= 5;
	const mime = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }[spec.format];
	return {
		bytes: await img.toBuffer(),
		expect: {
			mime,
			width: spec.width,
			height: spec.height,
			display_width: swap ? spec.height : spec.width,
			display_height: swap ? spec.width : spec.height,
			date_taken: spec.taken ?? null,
			...(spec.offset ? { date_taken_offset: spec.offset } : {}),
			make: spec.make?.trim() ?? null, // the corpus convention: trimmed strings
			model: spec.model?.trim() ?? null,
			gps
		}
	};
}

/** Writes the fixtures into a fresh temp folder and returns it. */
export async function generateFixtures(dir?: string): Promise<string> {
	const root = dir ?? (await mkdtemp(join(tmpdir(), 'shoebox-e2e-media-')));
	await mkdir(join(root, 'photos'), { recursive: true });
	await mkdir(join(root, 'bad'), { recursive: true });
	const entries: ManifestEntry[] = [];
	const put = async (path: string, bytes: Buffer | string, kind: string, expect: PhotoExpect) => {
		await writeFile(join(root, path), bytes);
		await utimes(join(root, path), FILE_TIME, FILE_TIME);
		const buf = await readFile(join(root, path));
		entries.push({ path, kind, expect, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') });
	};

	for (const spec of SPECS) {
		const { bytes, expect } = await render(spec);
		// Valid files among the bad/ ones are `photo` entries with result "import", as in the corpus.
		await put(spec.path, bytes, 'photo', spec.path.startsWith('bad/') ? { ...expect, result: 'import' } : expect);
		if (spec.copy) await put(spec.copy, bytes, 'photo', { ...expect, result: 'import', duplicate_of: spec.path });
	}
	await put('bad/empty.jpg', Buffer.alloc(0), 'bad', { result: 'error', reason: 'zero-byte file' });
	await put('bad/not_an_image.png', 'This is plain text, not a PNG.\n'.repeat(20), 'bad', { result: 'error', reason: 'text content with .png extension' });

	await writeFile(join(root, 'MANIFEST.json'), JSON.stringify({ corpus: 'shoebox e2e generated fixtures', files: entries }, null, 1));
	return root;
}
