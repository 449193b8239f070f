import type { JobStatus } from '../db/types';

export interface RetryDecision {
	status: Extract<JobStatus, 'waiting' | 'failed'>;
	/** When a waiting job may run again (ms since epoch). */
	notBefore: number;
}

/**
 * What happens to a job whose attempt failed. A permanent error (the file itself is bad) fails at
 * once; anything else is retried with an exponential back-off until `maxAttempts` is reached.
 * `attempts` counts the attempt that just failed.
 */
export function decideRetry(attempts: number, maxAttempts: number, permanent: boolean, now: number): RetryDecision {
	if (permanent || attempts >= maxAttempts) return { status: 'failed', notBefore: now };
	return { status: 'waiting', notBefore: now + backoffMs(attempts) };
}

/** 2 s, 4 s, 8 s … capped at a minute: a crashed worker gets time to free its memory. */
export function backoffMs(attempts: number): number {
	return Math.min(60_000, 1000 * 2 ** Math.max(1, attempts));
}

/**
 * Jobs left `active` by a tab that closed or crashed go back to waiting, counting that attempt,
 * so that an item that crashes the tab every time ends as failed instead of looping forever.
 */
export function recoverInterrupted(attempts: number, maxAttempts: number, now: number): RetryDecision & { attempts: number; error: string | null } {
	const next = attempts + 1;
	if (next >= maxAttempts)
		return { status: 'failed', notBefore: now, attempts: next, error: 'Processing was interrupted (the tab closed or crashed) too many times.' };
	return { status: 'waiting', notBefore: now, attempts: next, error: null };
}
