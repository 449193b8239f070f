import { describe, expect, it } from 'vitest';
import { clampPan, fit, zoomAt } from '../../src/lib/viewer/zoom';
import { contextFrom, contextQuery } from '../../src/lib/viewer/neighbours';

describe('viewer zoom', () => {
	it('keeps the point under the cursor fixed', () => {
		const v = zoomAt({ scale: 1, x: 0, y: 0 }, 2, 100, 50);
		// A point at (100, 50) from the centre maps to (100 - x)/scale in image space before and after.
		expect(v).toEqual({ scale: 2, x: -100, y: -50 });
		expect((100 - v.x) / v.scale).toBe(100);
	});
	it('never zooms out past fit, and resets the pan there', () => {
		expect(zoomAt({ scale: 2, x: 30, y: 10 }, 0.1, 0, 0)).toEqual({ scale: 1, x: 0, y: 0 });
		expect(zoomAt({ scale: 8, x: 0, y: 0 }, 2, 0, 0).scale).toBe(8);
	});
	it('clamps panning to the image edges', () => {
		expect(clampPan({ scale: 2, x: 1000, y: -1000 }, 400, 300, 400, 300)).toEqual({ scale: 2, x: 200, y: -150 });
	});
	it('fits without upscaling', () => {
		expect(fit(100, 50, 800, 600)).toEqual({ width: 100, height: 50 });
		expect(fit(4000, 3000, 800, 800)).toEqual({ width: 800, height: 600 });
	});
});

describe('viewer context', () => {
	it('round-trips through the query string', () => {
		for (const q of ['', '?in=favorites', '?in=archive', '?in=trash', '?album=a%201', '?person=p1']) {
			expect(contextQuery(contextFrom(new URLSearchParams(q)))).toBe(q);
		}
	});
});
