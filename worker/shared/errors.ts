/**
 * Errors that cross the worker boundary. `permanent` means retrying cannot help (the file itself is
 * bad); anything else (a crash, a timeout, a full disk) may succeed on a later attempt.
 * comlink only carries Error's name and message, so the flag is encoded in the name.
 */
export class MediaError extends Error {
	constructor(message: string, readonly permanent = true) {
		super(message);
		this.name = permanent ? 'PermanentMediaError' : 'MediaError';
	}
}

/** The job has nothing to do now (its models are not installed): it is marked skipped with this reason, not failed. */
export class SkipJob extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SkipJob';
	}
}

export const isSkip = (err: unknown): boolean => err instanceof Error && err.name === 'SkipJob';

export function isPermanent(err: unknown): boolean {
	return err instanceof Error && err.name === 'PermanentMediaError';
}

export function messageOf(err: unknown): string {
	if (err instanceof Error) return err.message || err.name;
	return String(err);
}
