// Near-duplicate grouping (src/lib/search/duplicates.ts): the banded hash search against comparing
// every pair, and real photos from the shared corpus with copies made here by sharp (resized,
// re-encoded, slightly cropped), hashed the way the app hashes them (thumbnail → 9×8 → dHash).
// Where the corpus is absent, smooth random scenes generated here stand in for the photos, so the
// same assertions run either way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { groupDuplicates, keeperOrder, phashPairs, PHASH_MAX_BITS, type DuplicateCandidate } from '../../src/lib/search/duplicates';
import { dHash, hammingHex, HASH_HEIGHT, HASH_WIDTH } from '../../worker/media/phash';
import { mediaDir } from './fixtures';

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function prng(seed: number) {
	let s = seed >>> 0;
	return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const hex16 = (rand: () => number) => Array.from({ length: 16 }, () => Math.floor(rand() * 16).toString(16)).join('');

/** `hash` with `bits` distinct bits flipped. */
function flip(hash: string, bits: number, rand: () => number): string {
	const positions = new Set<number>();
	while (positions.size < bits) positions.add(Math.floor(rand() * 64));
	const digits = [...hash].map((d) => parseInt(d, 16));
	for (const p of positions) digits[p >> 2] ^= 8 >> (p & 3);
	return digits.map((d) => d.toString(16)).join('');
}

describe('phashPairs', () => {
	test.each([0, 3, 6, 10, 14])('finds exactly the pairs within %i bits (as comparing every pair does)', (maxBits) => {
		const rand = prng(7 + maxBits);
		const hashes: string[] = [];
		for (let i = 0; i < 150; i++) {
			const base = hex16(rand);
			hashes.push(base);
			// Planted neighbours on both sides of the threshold.
			hashes.push(flip(base, Math.floor(rand() * 20), rand));
			if (i % 3 === 0) hashes.push(flip(base, maxBits, rand));
		}
		const brute: string[] = [];
		for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) if (hammingHex(hashes[i], hashes[j]) <= maxBits) brute.push(`${i}-${j}`);
		const found = phashPairs(hashes, maxBits).map(([i, j]) => `${i}-${j}`);
		expect(found.length).toBe(new Set(found).size); // each pair once
		expect(found.sort()).toEqual(brute.sort());
		expect(brute.length).toBeGreaterThanOrEqual(50); // the planted pairs at the threshold
	});
});

describe('keeperOrder', () => {
	const base: DuplicateCandidate = { id: 'a', phash: null, width: 100, height: 100, bytes: 1000, importedAt: 10, takenAt: '2020-01-01T00:00:00' };
	const first = (...xs: DuplicateCandidate[]) => [...xs].sort(keeperOrder)[0].id;
	test('most pixels, then the largest file, then the oldest import', () => {
		expect(first(base, { ...base, id: 'b', width: 200, bytes: 10 })).toBe('b');
		expect(first(base, { ...base, id: 'b', bytes: 2000, importedAt: 99 })).toBe('b');
		expect(first({ ...base, importedAt: 20 }, { ...base, id: 'b', importedAt: 5 })).toBe('b');
		expect(first({ ...base, width: null }, { ...base, id: 'b', width: 1, height: 1 })).toBe('b');
	});
});

// ---- real photos -------------------------------------------------------------------------------

/** Distinct scenes of the corpus (no two are copies of each other; the orientation set and the slideshow are). */
const CORPUS = [
	'photos/Canon_PowerShot_S40.jpg',
	'photos/gps_DSCN0010.jpg',
	'photos/gps_DSCN0027.jpg',
	'photos/gps_DSCN0042.jpg',
	'photos/hdr_canon_hdr_NO.jpg',
	'photos/Pentax_K10D.jpg',
	'photos/mobile_jolla.jpg',
	'faces/noface/mountain_cars.jpg',
	'faces/noface/rocket_launchpad.jpg',
	'faces/single/stock_neutral.jpg',
	'faces/single/stock_surprised.jpg'
];
const haveCorpus = CORPUS.every((p) => existsSync(join(mediaDir, p)));

/** A smooth random scene: a 6×5 grid of random colours blown up to 640×480. */
async function scene(seed: number): Promise<Buffer> {
	const rand = prng(seed);
	const raw = Buffer.from(Array.from({ length: 6 * 5 * 3 }, () => Math.floor(rand() * 256)));
	return sharp(raw, { raw: { width: 6, height: 5, channels: 3 } }).resize(640, 480, { kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer();
}

async function originals(): Promise<Array<{ name: string; bytes: Buffer }>> {
	if (haveCorpus) return CORPUS.map((p) => ({ name: p, bytes: readFileSync(join(mediaDir, p)) }));
	return Promise.all(Array.from({ length: 8 }, async (_, i) => ({ name: `scene-${i}`, bytes: await scene(100 + i) })));
}

/** As the app: displayed orientation, thumbnail with short side 250 as WebP q80, then 9×8 → dHash. */
async function phashOf(bytes: Buffer): Promise<string> {
	const thumb = await sharp(bytes).rotate().resize({ width: 250, height: 250, fit: 'outside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
	const { data } = await sharp(thumb).resize(HASH_WIDTH, HASH_HEIGHT, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return dHash(data);
}

type Copy = 'half' | 'jpeg50' | 'jpeg95' | 'webp' | 'crop2';
async function copyOf(bytes: Buffer, kind: Copy): Promise<Buffer> {
	const img = sharp(bytes).rotate();
	const { width, height } = (await img.clone().toBuffer({ resolveWithObject: true })).info;
	switch (kind) {
		case 'half':
			return img.resize(Math.round(width / 2)).jpeg({ quality: 90 }).toBuffer();
		case 'jpeg50':
			return img.jpeg({ quality: 50 }).toBuffer();
		case 'jpeg95':
			return img.jpeg({ quality: 95 }).toBuffer();
		case 'webp':
			return img.webp({ quality: 75 }).toBuffer();
		case 'crop2': {
			const dx = Math.round(width * 0.02), dy = Math.round(height * 0.02);
			return img.extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy }).jpeg({ quality: 90 }).toBuffer();
		}
	}
}

async function candidate(id: string, bytes: Buffer, importedAt: number): Promise<DuplicateCandidate> {
	const m = await sharp(bytes).rotate().toBuffer({ resolveWithObject: true });
	return { id, phash: await phashOf(bytes), width: m.info.width, height: m.info.height, bytes: bytes.length, importedAt, takenAt: '2020-01-01T00:00:00' };
}

/** Each original and its copies, as candidates; ids are `<name>#<copy>` (the original: `<name>#original`). */
async function library(copies: Copy[]): Promise<DuplicateCandidate[]> {
	const out: DuplicateCandidate[] = [];
	let t = 0;
	for (const o of await originals()) {
		out.push(await candidate(`${o.name}#original`, o.bytes, t++));
		for (const c of copies) out.push(await candidate(`${o.name}#${c}`, await copyOf(o.bytes, c), t++));
	}
	return out;
}

const byOriginal = (ids: string[]) => [...new Set(ids.map((id) => id.split('#')[0]))];

describe(`near-duplicates of ${haveCorpus ? 'corpus photos' : 'generated scenes (no corpus at ' + mediaDir + ')'}`, () => {
	test('strict: resized and re-encoded copies group with their original, different photos never', async () => {
		const copies: Copy[] = ['half', 'jpeg50', 'jpeg95', 'webp'];
		const lib = await library(copies);
		const groups = groupDuplicates(lib, 'strict');
		const names = byOriginal(lib.map((a) => a.id));
		// One group per original, holding exactly that original and its copies.
		expect(groups.map((g) => byOriginal(g.ids))).toEqual(expect.arrayContaining(names.map((n) => [n])));
		expect(groups).toHaveLength(names.length);
		for (const g of groups) {
			expect(g.ids.map((id) => id.split('#')[1]).sort()).toEqual(['original', ...copies].sort());
			// The keeper is a full-size member (the half-size copy never), the largest file of those.
			const full = lib.filter((a) => g.ids.includes(a.id) && !a.id.endsWith('#half'));
			expect(g.keeper).toBe(full.sort((a, b) => b.bytes - a.bytes)[0].id);
			expect(g.ids[0]).toBe(g.keeper);
		}
	});

	test('loose: slightly cropped copies join too; the closest different photos still stay apart', async () => {
		const lib = await library(['crop2']);
		const originalsOnly = lib.filter((a) => a.id.endsWith('#original'));
		// How far apart the different photos are, to show the margin the thresholds keep.
		let closest = 64;
		for (let i = 0; i < originalsOnly.length; i++) for (let j = i + 1; j < originalsOnly.length; j++) closest = Math.min(closest, hammingHex(originalsOnly[i].phash!, originalsOnly[j].phash!));
		expect(closest).toBeGreaterThan(PHASH_MAX_BITS.loose);

		const groups = groupDuplicates(lib, 'loose');
		for (const g of groups) expect(byOriginal(g.ids)).toHaveLength(1);
		expect(groups).toHaveLength(originalsOnly.length);
		// Strict is stricter: it never groups more than loose.
		expect(groupDuplicates(lib, 'strict').length).toBeLessThanOrEqual(groups.length);
	});
});

describe('groupDuplicates', () => {
	const at = (id: string, extra: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({ id, phash: null, width: 10, height: 10, bytes: 100, importedAt: 0, takenAt: '2020-01-01T00:00:00', ...extra });

	test('joins CLIP neighbours within the strictness and transitively', () => {
		const lib = [
			at('a', { nearDuplicates: [{ assetId: 'b', score: 0.995 }] }),
			at('b'),
			at('c', { nearDuplicates: [{ assetId: 'b', score: 0.992 }, { assetId: 'gone', score: 1 }] }),
			at('d', { nearDuplicates: [{ assetId: 'a', score: 0.975 }] }),
			at('e')
		];
		expect(groupDuplicates(lib, 'strict').map((g) => g.ids.sort())).toEqual([['a', 'b', 'c']]);
		expect(groupDuplicates(lib, 'normal').map((g) => g.ids.sort())).toEqual([['a', 'b', 'c', 'd']]);
	});

	test('a dismissed group stays hidden until a new member joins it; newest group first', () => {
		const h = '0f0f0f0f0f0f0f0f';
		const lib = [at('a', { phash: h }), at('b', { phash: h }), at('x', { phash: 'f0f0f0f0f0f0f0f0', takenAt: '2024-01-01T00:00:00' }), at('y', { phash: 'f0f0f0f0f0f0f0f1' })];
		expect(groupDuplicates(lib, 'strict').map((g) => g.ids.sort())).toEqual([['x', 'y'], ['a', 'b']]);
		expect(groupDuplicates(lib, 'strict', [['b', 'a']]).map((g) => g.ids.sort())).toEqual([['x', 'y']]);
		const more = [...lib, at('c', { phash: h })];
		expect(groupDuplicates(more, 'strict', [['a', 'b']]).map((g) => g.ids.sort())).toEqual([['x', 'y'], ['a', 'b', 'c']]);
	});
});
