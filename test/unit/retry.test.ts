import { describe, expect, it } from 'vitest';
import { backoffMs, decideRetry, recoverInterrupted } from '../../src/lib/jobs/retry';

describe('decideRetry', () => {
	it('fails a permanent error on the first attempt', () => {
		expect(decideRetry(1, 3, true, 1000)).toEqual({ status: 'failed', notBefore: 1000 });
	});

	it('retries a transient error with a growing back-off until the limit', () => {
		const first = decideRetry(1, 3, false, 0);
		const second = decideRetry(2, 3, false, 0);
		expect(first.status).toBe('waiting');
		expect(second.status).toBe('waiting');
		expect(second.notBefore).toBeGreaterThan(first.notBefore);
		expect(decideRetry(3, 3, false, 0).status).toBe('failed');
	});

	it('caps the back-off at a minute', () => {
		expect(backoffMs(30)).toBe(60_000);
		expect(backoffMs(1)).toBe(2000);
	});
});

describe('recoverInterrupted', () => {
	it('puts an interrupted job back to waiting and counts the attempt', () => {
		expect(recoverInterrupted(0, 3, 5)).toEqual({ status: 'waiting', notBefore: 5, attempts: 1, error: null });
	});

	it('fails an item that keeps interrupting processing', () => {
		const r = recoverInterrupted(2, 3, 5);
		expect(r.status).toBe('failed');
		expect(r.attempts).toBe(3);
		expect(r.error).toMatch(/interrupted/);
	});
});
