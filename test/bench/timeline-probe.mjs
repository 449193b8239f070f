// The in-page half of the timeline benchmark. `probe` is installed with page.addInitScript, so it
// runs at document start of every navigation, before any app script: it watches for the first
// timeline paint and records long tasks, long animation frames, LCP and element timing from then on.
// The other functions run through page.evaluate. Nothing here touches the app's own code.

/* eslint-disable no-undef */
export function probe() {
	const fp = (window.__bench = {
		tile: null, // first asset tile (thumbhash background) in the viewport, after the next paint
		img: null, // first tile <img> in the viewport, loaded, after the next paint
		imgInserted: null, // when that <img> element was inserted
		element: { tile: null, img: null }, // Element Timing renderTime of the same
		lcp: null,
		longtasks: [],
		loafs: []
	});
	const inView = (el) => {
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
	};
	// Time after the frame that shows the current DOM: rAF runs before that frame's paint, the
	// message posted from it is handled after it.
	const afterPaint = (set) =>
		requestAnimationFrame(() => {
			const ch = new MessageChannel();
			ch.port1.onmessage = () => set(performance.now());
			ch.port2.postMessage(0);
		});
	let tileDone = false;
	let imgDone = false;
	const onImg = (img) => {
		if (imgDone || !inView(img)) return;
		imgDone = true;
		afterPaint((t) => (fp.img ??= t));
	};
	const scan = () => {
		for (const t of document.querySelectorAll('[data-testid=asset-tile]')) {
			if (!t.hasAttribute('elementtiming')) t.setAttribute('elementtiming', 'tile');
			if (!tileDone && inView(t)) {
				tileDone = true;
				afterPaint((x) => (fp.tile ??= x));
			}
			const img = t.querySelector('img');
			if (img && !img.hasAttribute('elementtiming')) {
				img.setAttribute('elementtiming', 'tile-img');
				if (!imgDone && inView(img)) fp.imgInserted ??= performance.now();
				if (img.complete && img.naturalWidth > 0) onImg(img);
				else img.addEventListener('load', () => onImg(img), { once: true });
			}
		}
	};
	let queued = false;
	new MutationObserver(() => {
		if (imgDone && tileDone) return;
		if (queued) return;
		queued = true;
		queueMicrotask(() => {
			queued = false;
			scan();
		});
	}).observe(document, { childList: true, subtree: true });

	const observe = (type, cb) => {
		try {
			new PerformanceObserver((list) => list.getEntries().forEach(cb)).observe({ type, buffered: true });
		} catch {
			// not supported by this browser
		}
	};
	observe('longtask', (e) => fp.longtasks.push({ start: e.startTime, duration: e.duration, name: e.name }));
	observe('long-animation-frame', (e) =>
		fp.loafs.push({
			start: e.startTime,
			duration: e.duration,
			blocking: e.blockingDuration,
			renderStart: e.renderStart,
			styleAndLayoutStart: e.styleAndLayoutStart,
			scripts: (e.scripts ?? []).map((s) => ({
				start: s.startTime,
				duration: s.duration,
				invoker: s.invoker,
				invokerType: s.invokerType,
				fn: s.sourceFunctionName,
				url: s.sourceURL,
				char: s.sourceCharPosition,
				forcedLayout: s.forcedStyleAndLayoutDuration
			}))
		})
	);
	observe('largest-contentful-paint', (e) => (fp.lcp = { time: e.startTime, size: e.size, url: (e.url ?? '').slice(0, 30), tag: e.element?.tagName ?? null }));
	observe('element', (e) => {
		const vis = e.intersectionRect && e.intersectionRect.width > 0 && e.intersectionRect.height > 0;
		if (!vis) return;
		if (e.identifier === 'tile' && fp.element.tile == null) fp.element.tile = e.renderTime || e.loadTime;
		if (e.identifier === 'tile-img' && fp.element.img == null) fp.element.img = e.renderTime || e.loadTime;
	});
}

/** Page-side state that the benchmark polls: what is on screen and whether the app is settled. */
export function screenState() {
	const scroll = document.querySelector('[data-testid=timeline] .scroll');
	const box = scroll?.getBoundingClientRect();
	const on = (el) => {
		const r = el.getBoundingClientRect();
		return box && r.bottom > box.top && r.top < box.bottom && r.height > 0;
	};
	const headers = [...document.querySelectorAll('[data-testid=timeline-month]')].filter(on).map((h) => h.dataset.month);
	const tiles = [...document.querySelectorAll('[data-testid=asset-tile]')].filter(on);
	const count = document.querySelector('[data-testid=asset-count]');
	const scrubber = document.querySelector('[data-testid=timeline-scrubber]');
	const all = [...document.querySelectorAll('[data-testid=timeline-month]')].map((h) => `${h.dataset.month}@${Math.round(h.getBoundingClientRect().top - (box?.top ?? 0))}`);
	return {
		headers,
		allHeaders: all.join(' '),
		lastHeader: headers.length ? headers.reduce((a, b) => (a < b ? a : b)) : null,
		tiles: tiles.length,
		tilesWithImg: tiles.filter((t) => t.querySelector('img')?.complete).length,
		count: Number(count?.dataset.count ?? NaN),
		settled: count?.dataset.settled === 'true',
		scrubberMonth: scrubber?.dataset.month ?? null,
		months: Number(document.querySelector('[data-testid=timeline]')?.dataset.months ?? NaN),
		total: Number(document.querySelector('[data-testid=timeline]')?.dataset.total ?? NaN),
		domNodes: document.getElementsByTagName('*').length,
		now: performance.now()
	};
}

/** Oldest and newest month of the library, read straight from IndexedDB (the app's truth, not its UI). */
export async function libraryMonths() {
	const db = await new Promise((ok, fail) => {
		const r = indexedDB.open('shoebox');
		r.onsuccess = () => ok(r.result);
		r.onerror = () => fail(r.error);
	});
	const edge = (dir) =>
		new Promise((ok, fail) => {
			const idx = db.transaction('assets').objectStore('assets').index('[state+takenAt+id]');
			const r = idx.openKeyCursor(IDBKeyRange.bound(['timeline'], ['timeline', []]), dir);
			r.onsuccess = () => ok(r.result ? String(r.result.key[1]).slice(0, 7) : null);
			r.onerror = () => fail(r.error);
		});
	const out = { oldest: await edge('next'), newest: await edge('prev') };
	db.close();
	return out;
}

/** Scrolls the timeline's scroll container by `speed` px/s in every animation frame for `seconds`. */
export async function scrollFor({ seconds, speed }) {
	const el = document.querySelector('[data-testid=timeline] .scroll');
	const scrubber = document.querySelector('[data-testid=timeline-scrubber]');
	const from = scrubber?.dataset.month ?? null;
	const start = performance.now();
	let last = start;
	let maxGap = 0;
	let frames = 0;
	let requested = 0;
	await new Promise((done) => {
		const step = () => {
			const now = performance.now();
			const dt = now - last;
			if (frames > 0) maxGap = Math.max(maxGap, dt);
			const dy = (speed * dt) / 1000;
			el.scrollBy(0, dy);
			requested += dy;
			last = now;
			frames++;
			if (now - start < seconds * 1000) requestAnimationFrame(step);
			else done();
		};
		requestAnimationFrame(step);
	});
	return { start, end: performance.now(), frames, maxGap, requested, from, to: scrubber?.dataset.month ?? null };
}
