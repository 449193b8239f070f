// Near-duplicates (pure): burst shots, re-encodes and resized copies, grouped from two kinds of
// evidence — perceptual hashes (dHash, 64 bits, made for every image and video) within a bit
// threshold, and CLIP neighbours stored by the smartSearch job within a cosine distance. Pairs are
// joined transitively (union-find), so a copy of a copy lands in its original's group.
import type { Asset } from '../db/types';
import type { Settings } from '../settings/defaults';

export type Strictness = Settings['duplicateStrictness'];

/**
 * Differing dHash bits (of 64) within which two assets are near-duplicates. Measured with sharp on
 * the shared corpus (71 photos and faces, each thumbnail made as the app makes it: short side 250,
 * WebP q80, then 9×8): copies resized to ½ differ by ≤ 4 bits, to ¼ by ≤ 7, re-encoded as JPEG
 * q50–95 or WebP q75 by ≤ 6, brightened 10 % by ≤ 6; copies cropped 2 % a side by ≤ 12 (median 4),
 * 5 % by ≤ 22 (median 12). Two odd files were left out of those figures: a 14×25 GIF (its ½ copy
 * is 25 bits off) and a PNG with transparent corners (9). Different photos: never closer than 15
 * bits between scenes; the closest were 150-px grey headshots of different people, at 9 and 10
 * bits (3 pairs of 378).
 * - strict: every resized and re-encoded copy above but one (¼ of a 100-px photo), no different photos;
 * - normal: also most slight crops and bursts, at the cost of the closest headshots;
 * - loose: also 5 % crops about half the time; different scenes still never group (closest 15).
 */
export const PHASH_MAX_BITS: Record<Strictness, number> = { strict: 6, normal: 10, loose: 14 };

/**
 * CLIP cosine distance (1 − cosine) within which two assets are near-duplicates. No CLIP weights are
 * at hand to measure with: strict is Immich's published default for its duplicate detection (0.01);
 * normal and loose widen it toward the top of Immich's own range (0.001–0.1).
 */
export const CLIP_MAX_DISTANCE: Record<Strictness, number> = { strict: 0.01, normal: 0.03, loose: 0.06 };

/** Neighbours the smartSearch job looks up and keeps per asset: a burst rarely has more. */
export const CLIP_NEIGHBOURS = 10;

/** Lowest cosine the job keeps: the loosest setting's, so a change of setting needs no re-run. */
export const CLIP_KEEP_MIN_SCORE = 1 - CLIP_MAX_DISTANCE.loose;

/** What grouping reads of an asset. */
export type DuplicateCandidate = Pick<Asset, 'id' | 'phash' | 'nearDuplicates' | 'width' | 'height' | 'bytes' | 'importedAt' | 'takenAt'>;

export interface DuplicateGroup {
	/** The suggested keeper first, then the others by the same preference. */
	ids: string[];
	keeper: string;
}

// ---- perceptual-hash pairs ---------------------------------------------------------------------

const BANDS = 4; // of 16 bits each: a band value indexes a 65,536-slot table directly

/** Bits set in each 16-bit value. */
const POPCOUNT = (() => {
	const t = new Uint8Array(1 << 16);
	for (let v = 1; v < 1 << 16; v++) t[v] = t[v >> 1] + (v & 1);
	return t;
})();

/** Every 16-bit mask with at most `r` bits set (r = 3: 697 masks). */
function masksUpTo(r: number): Uint16Array {
	return Uint16Array.from({ length: 1 << 16 }, (_, m) => m).filter((m) => POPCOUNT[m] <= r);
}

/**
 * Index pairs whose hashes differ by at most `maxBits`, each pair once (i < j). Pigeonhole over four
 * 16-bit bands: two hashes within t bits differ by at most r = ⌊t/4⌋ bits in at least one band, so
 * each hash looks up only the band values within r of its own, and candidates are confirmed on the
 * whole hash. Exact: the same pairs as comparing every pair, without its 5·10⁹ comparisons for
 * 100,000 assets (random hashes, in Node on a 2-core machine: 0.3 s at 6 bits, 1.9 s at 10, 8 s at 14).
 */
export function phashPairs(hashes: ReadonlyArray<string>, maxBits: number): Array<[number, number]> {
	const n = hashes.length;
	// bands[i * 4 + b]: band b of hash i, most significant first.
	const bands = new Uint16Array(n * BANDS);
	hashes.forEach((hex, i) => {
		const hi = parseInt(hex.slice(0, 8), 16);
		const lo = parseInt(hex.slice(8, 16), 16);
		bands.set([hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff], i * BANDS);
	});
	const within = (i: number, j: number) => {
		let d = 0;
		for (let e = 0; e < BANDS; e++) d += POPCOUNT[bands[i * BANDS + e] ^ bands[j * BANDS + e]];
		return d <= maxBits;
	};
	const r = Math.floor(maxBits / BANDS);
	const masks = masksUpTo(r);
	const pairs: Array<[number, number]> = [];
	const start = new Uint32Array((1 << 16) + 1);
	const order = new Uint32Array(n);
	for (let b = 0; b < BANDS; b++) {
		// Counting sort by this band's value: the hashes with value v are order[start[v] .. start[v+1]),
		// in increasing index (the sort is stable).
		start.fill(0);
		for (let i = 0; i < n; i++) start[bands[i * BANDS + b] + 1]++;
		for (let v = 0; v < 1 << 16; v++) start[v + 1] += start[v];
		const next = start.slice(0, 1 << 16);
		for (let i = 0; i < n; i++) order[next[bands[i * BANDS + b]]++] = i;

		for (let i = 0; i < n; i++) {
			const v = bands[i * BANDS + b];
			for (const m of masks) {
				const u = v ^ m;
				// Only partners after i: the bucket's tail.
				for (let k = start[u + 1] - 1; k >= start[u] && order[k] > i; k--) {
					const j = order[k];
					// A pair close in several bands is taken in the first of them only.
					let earlier = false;
					for (let e = 0; e < b && !earlier; e++) earlier = POPCOUNT[bands[i * BANDS + e] ^ bands[j * BANDS + e]] <= r;
					if (!earlier && within(i, j)) pairs.push([i, j]);
				}
			}
		}
	}
	return pairs;
}

// ---- groups --------------------------------------------------------------------------------------

/** Disjoint sets over 0..n-1 (path halving, union by size). */
class UnionFind {
	private readonly parent: Int32Array;
	private readonly size: Int32Array;
	constructor(n: number) {
		this.parent = Int32Array.from({ length: n }, (_, i) => i);
		this.size = new Int32Array(n).fill(1);
	}
	find(x: number): number {
		while (this.parent[x] !== x) x = this.parent[x] = this.parent[this.parent[x]];
		return x;
	}
	union(a: number, b: number): void {
		let [ra, rb] = [this.find(a), this.find(b)];
		if (ra === rb) return;
		if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
		this.parent[rb] = ra;
		this.size[ra] += this.size[rb];
	}
}

const pixels = (a: DuplicateCandidate) => (a.width ?? 0) * (a.height ?? 0);

/** Which copy to keep first: most pixels, then the largest file, then the oldest import. */
export function keeperOrder(a: DuplicateCandidate, b: DuplicateCandidate): number {
	return pixels(b) - pixels(a) || b.bytes - a.bytes || a.importedAt - b.importedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const HASH = /^[0-9a-f]{16}$/;

/**
 * Groups of near-duplicates among `assets` at a strictness: perceptual-hash pairs and stored CLIP
 * neighbours (both ends among `assets`) joined transitively. A group all of whose members a person
 * said are not duplicates (one entry of `dismissed`) stays hidden; one that gained a new member shows
 * again. Groups come newest first (by their newest photo).
 */
export function groupDuplicates(assets: ReadonlyArray<DuplicateCandidate>, strictness: Strictness, dismissed: ReadonlyArray<ReadonlyArray<string>> = []): DuplicateGroup[] {
	const index = new Map(assets.map((a, i) => [a.id, i]));
	const sets = new UnionFind(assets.length);

	const hashed = assets.flatMap((a, i) => (a.phash && HASH.test(a.phash) ? [i] : []));
	for (const [x, y] of phashPairs(hashed.map((i) => assets[i].phash!), PHASH_MAX_BITS[strictness])) sets.union(hashed[x], hashed[y]);

	const minScore = 1 - CLIP_MAX_DISTANCE[strictness];
	assets.forEach((a, i) => {
		for (const n of a.nearDuplicates ?? []) {
			const j = index.get(n.assetId);
			if (j !== undefined && n.score >= minScore) sets.union(i, j);
		}
	});

	const members = new Map<number, DuplicateCandidate[]>();
	assets.forEach((a, i) => {
		const root = sets.find(i);
		const list = members.get(root);
		if (list) list.push(a);
		else members.set(root, [a]);
	});
	const dismissedSets = dismissed.map((ids) => new Set(ids));
	const groups: Array<{ group: DuplicateGroup; newest: string }> = [];
	for (const list of members.values()) {
		if (list.length < 2) continue;
		if (dismissedSets.some((d) => list.every((a) => d.has(a.id)))) continue;
		list.sort(keeperOrder);
		groups.push({ group: { ids: list.map((a) => a.id), keeper: list[0].id }, newest: list.reduce((t, a) => (a.takenAt > t ? a.takenAt : t), '') });
	}
	groups.sort((a, b) => (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : a.group.keeper < b.group.keeper ? -1 : 1));
	return groups.map((g) => g.group);
}
