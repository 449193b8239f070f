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

/**
 * A read kept until Dexie reports a change (in this context or another) to one of `tables`: jobs
 * write other tables all the time, and re-reading every asset row for each keystroke or refresh
 * costs most of a second at 20,000 assets. A change during a read leaves that result stale, so the
 * next call reads again.
 */
export function cachedUntilChanged<T>(tables: readonly string[], read: () => Promise<T>): () => Promise<T> {
	const touches = new RegExp(`^idb://[^/]+/(${tables.join('|')})/`);
	let generation = 0;
	let listening = false;
	let last: { generation: number; value: Promise<T> } | null = null;
	return () => {
		if (!listening) {
			listening = true;
			Dexie.on('storagemutated', (parts) => {
				if (Object.keys(parts).some((k) => touches.test(k))) generation++;
			});
		}
		if (last?.generation !== generation) {
			const value = read();
			last = { generation, value };
			value.catch(() => (last = null));
		}
		return last.value;
	};
}
