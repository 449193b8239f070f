import { describe, expect, it } from 'vitest';
import { rng, syntheticAsset } from '../../src/lib/synthetic/rows';

describe('synthetic assets', () => {
	const thumbs = [{ path: 'derived/synthetic/0.webp', thumbhash: 'AAAA' }];
	const end = Date.UTC(2026, 0, 1);
	it('is deterministic per seed and spreads dates over 20 years', () => {
		const a = Array.from({ length: 2000 }, (_, i) => syntheticAsset(i, rng(7), thumbs, end, end));
		const r = rng(7);
		const b = Array.from({ length: 2000 }, (_, i) => syntheticAsset(i, r, thumbs, end, end));
		const r2 = rng(7);
		const c = Array.from({ length: 2000 }, (_, i) => syntheticAsset(i, r2, thumbs, end, end));
		expect(b.map((x) => x.takenAt)).toEqual(c.map((x) => x.takenAt));
		const years = new Set(b.map((x) => Number(x.takenAt.slice(0, 4))));
		expect(Math.min(...years)).toBeLessThanOrEqual(2006);
		expect(Math.max(...years)).toBeGreaterThanOrEqual(2025);
		expect(new Set(a.map((x) => x.id)).size).toBe(2000);
		expect(b.every((x) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(x.takenAt) && x.state === 'timeline')).toBe(true);
	});
});
