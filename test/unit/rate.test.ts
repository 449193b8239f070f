import { describe, expect, it } from 'vitest';
import { rate } from '../../src/lib/jobs/rate';

describe('rate', () => {
	it('is items per second between the first and last sample', () => {
		expect(rate([{ t: 0, done: 10 }, { t: 500, done: 15 }, { t: 2000, done: 30 }])).toBe(10);
	});
	it('says nothing before there is enough to measure', () => {
		expect(rate([{ t: 0, done: 1 }])).toBeNull();
		expect(rate([{ t: 0, done: 1 }, { t: 100, done: 5 }])).toBeNull();
		expect(rate([{ t: 0, done: 5 }, { t: 5000, done: 5 }])).toBeNull();
	});
});
