import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, daysLeft, expiredIds, isExpired, startMaintenance } from '../../src/lib/jobs/maintenance';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);

describe('trash expiry', () => {
	it('expires only what was trashed more than 30 days ago', () => {
		expect(isExpired(null, NOW)).toBe(false); // not in the trash
		expect(isExpired(NOW, NOW)).toBe(false);
		expect(isExpired(NOW - 29 * DAY_MS, NOW)).toBe(false);
		expect(isExpired(NOW - 30 * DAY_MS, NOW)).toBe(false); // exactly 30 days: kept until the next run
		expect(isExpired(NOW - 30 * DAY_MS - 1, NOW)).toBe(true);
		expect(isExpired(NOW - 400 * DAY_MS, NOW)).toBe(true);
		expect(isExpired(NOW - 8 * DAY_MS, NOW, 7)).toBe(true); // a shorter keeping time
	});

	it('picks the expired ids from rows', () => {
		const rows = [
			{ id: 'old', trashedAt: NOW - 31 * DAY_MS },
			{ id: 'fresh', trashedAt: NOW - DAY_MS },
			{ id: 'kept', trashedAt: null },
			{ id: 'edge', trashedAt: NOW - 30 * DAY_MS - 1 }
		];
		expect(expiredIds(rows, NOW)).toEqual(['old', 'edge']);
	});

	it('counts whole days left', () => {
		expect(daysLeft(NOW, NOW)).toBe(30);
		expect(daysLeft(NOW - 29.5 * DAY_MS, NOW)).toBe(1);
		expect(daysLeft(NOW - 30 * DAY_MS, NOW)).toBe(0);
		expect(daysLeft(NOW - 90 * DAY_MS, NOW)).toBe(0);
	});
});

describe('maintenance schedule', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('runs once at start, then every interval, until stopped; a failure does not stop it', async () => {
		const purge = vi.fn(async () => 0);
		const sweep = vi.fn(async () => {
			throw new Error('disk');
		});
		const log = vi.fn();
		const stop = startMaintenance({ purge, sweep, intervalMs: 3_600_000, log });
		await vi.advanceTimersByTimeAsync(0);
		expect(purge).toHaveBeenCalledTimes(1);
		expect(sweep).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(3_600_000);
		expect(purge).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(2 * 3_600_000);
		expect(purge).toHaveBeenCalledTimes(4);
		expect(log).toHaveBeenCalledWith('maintenance: sweep failed', expect.any(Error));
		stop();
		await vi.advanceTimersByTimeAsync(10 * 3_600_000);
		expect(purge).toHaveBeenCalledTimes(4);
	});
});
