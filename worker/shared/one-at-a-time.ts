/**
 * The same API with its calls run one after another in the order they arrive. The pool may send
 * a worker its next call while the current one runs (so no time is lost between them); this keeps
 * the work itself, and its memory, to one call at a time.
 */
export function oneAtATime<Api extends object>(api: Api): Api {
	let last: Promise<unknown> = Promise.resolve();
	const out = {} as Record<string, unknown>;
	for (const [name, member] of Object.entries(api)) {
		if (typeof member !== 'function') continue;
		out[name] = (...args: unknown[]) => {
			const call = last.then(() => member.apply(api, args));
			last = call.catch(() => {});
			return call;
		};
	}
	return out as Api;
}
