import { describe, expect, it } from 'vitest';
import { fitInside, fitShortSide } from '../../worker/media/thumbnails';

describe('derivative sizes', () => {
	it('fits the shorter side, keeping the aspect', () => {
		expect(fitShortSide(6000, 4000, 1440)).toEqual({ width: 2160, height: 1440 });
		expect(fitShortSide(1536, 2048, 250)).toEqual({ width: 250, height: 333 });
	});
	it('never upscales', () => {
		expect(fitShortSide(100, 68, 250)).toEqual({ width: 100, height: 68 });
	});
	it('fits a thumbhash source inside 100×100', () => {
		expect(fitInside(4608, 1976, 100)).toEqual({ width: 100, height: 43 });
		expect(fitInside(14, 25, 100)).toEqual({ width: 14, height: 25 });
	});
});
