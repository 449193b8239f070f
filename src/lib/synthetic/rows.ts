// Synthetic library rows for tests and benchmarks: dates spread over 20 years, sizes and cameras
// that look real, sharing a small pool of generated thumbnails. Pure and deterministic per seed.
import type { Asset } from '../db/types';

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const CAMERAS: Array<[string, string]> = [
	['Apple', 'iPhone 13'],
	['Google', 'Pixel 7'],
	['Canon', 'Canon EOS R6'],
	['SONY', 'ILCE-7M3'],
	['FUJIFILM', 'X-T30']
];

export interface Thumb {
	path: string;
	thumbhash: string;
}

/**
 * The `i`-th synthetic asset. Dates: uniform over the 20 years before `endMs`, with a burst
 * structure (several shots in the same minute) like real camera rolls.
 */
export function syntheticAsset(i: number, random: () => number, thumbs: Thumb[], endMs: number, now: number): Asset {
	const span = 20 * 365.25 * 86_400_000;
	const t = new Date(endMs - random() * span);
	const takenAt = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
	const portrait = random() < 0.3;
	const [make, model] = CAMERAS[Math.floor(random() * CAMERAS.length)];
	const thumb = thumbs[i % thumbs.length];
	return {
		id: `syn-${pad(i, 8)}`,
		checksum: (i.toString(16) + 'synthetic').padStart(40, '0'),
		originalName: `IMG_${pad(i % 10000, 4)}.jpg`,
		relativePath: null,
		type: random() < 0.05 ? 'video' : 'image',
		mime: 'image/jpeg',
		bytes: 1_000_000 + Math.floor(random() * 4_000_000),
		fileModifiedAt: t.getTime(),
		importedAt: now,
		takenAt,
		takenAtOffset: '+00:00',
		takenAtSource: 'exif',
		width: portrait ? 3000 : 4000,
		height: portrait ? 4000 : 3000,
		orientation: 1,
		make,
		model,
		lens: null,
		exposureTime: '1/125',
		fNumber: 2.8,
		iso: 100,
		focalLength: 35,
		gps: null,
		thumbhash: thumb.thumbhash,
		derivatives: { thumbnail: thumb.path, preview: thumb.path },
		warnings: [],
		state: 'timeline',
		favorite: 0,
		trashedAt: null
	};
}
