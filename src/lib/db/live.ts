import Dexie from 'dexie';

/**
 * Runs `query` now and again after any IndexedDB change (in this tab or another), at most once per
 * `ms`: a busy import changes rows many times a second, and re-reading a large table on every
 * change would make the page stutter. Returns a function that stops watching.
 */
export function watchThrottled<T>(query: () => Promise<T>, ms: number, onValue: (v: T) => void): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let running = false;
	let dirty = false;
	let last = 0;

	const run = async () => {
		timer = null;
		if (running) return void (dirty = true);
		running = true;
		dirty = false;
		last = performance.now();
		try {
			const v = await query();
			if (!stopped) onValue(v);
		} catch (err) {
			console.error('watch', err);
		} finally {
			running = false;
			if (dirty && !stopped) schedule();
		}
	};
	const schedule = () => {
		if (stopped || timer) return;
		timer = setTimeout(run, Math.max(0, last + ms - performance.now()));
	};
	const onChange = () => schedule();
	Dexie.on('storagemutated', onChange);
	void run();
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		Dexie.on('storagemutated').unsubscribe(onChange);
	};
}
