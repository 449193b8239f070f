// Timeline benchmark: a library of N synthetic assets (made once per size through /dev?generate=N
// in a persistent profile that later runs reuse), then in a fresh browser on that profile:
//   1. first timeline paint after a reload (median of several reloads),
//   2. long tasks while a script scrolls the timeline for a while and then scrubs to the oldest month,
//   3. JS heap after that (after a forced GC),
// plus, in a second pass with the V8 sampling profiler on, which functions the long stretches of
// main-thread work spend their time in. Figures only, no assertions.
//
// Env: BENCH_TIMELINE_SIZES (default 10000,100000,1000000), BENCH_TIMELINE_PROFILES (where the
// generated profiles live, default $TMPDIR/shoebox-bench-timeline), BENCH_TIMELINE_FRESH=1 (generate
// again), BENCH_TIMELINE_PORT (default 4390: a fixed origin, so that the profiles' IndexedDB is found
// again), BENCH_RELOADS (default 5), BENCH_SCROLL_SECONDS (default 10), BENCH_SCROLL_SPEED (px/s,
// default 3000), BENCH_PROFILE=0 to skip the profiled pass.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserVersion, launch, rendererPeakMiB } from './browser.mjs';
import { libraryMonths, probe, screenState, scrollFor } from './timeline-probe.mjs';

export const GOALS = { firstPaintMs: 1000, longTaskMs: 50, heapMB: 300 };

export function timelineConfig(env = process.env) {
	return {
		sizes: (env.BENCH_TIMELINE_SIZES ?? '10000,100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0),
		profiles: env.BENCH_TIMELINE_PROFILES ?? join(tmpdir(), 'shoebox-bench-timeline'),
		fresh: env.BENCH_TIMELINE_FRESH === '1',
		port: Number(env.BENCH_TIMELINE_PORT ?? 4390),
		reloads: Math.max(3, Number(env.BENCH_RELOADS ?? 5)),
		scrollSeconds: Number(env.BENCH_SCROLL_SECONDS ?? 10),
		speed: Number(env.BENCH_SCROLL_SPEED ?? 3000),
		profile: env.BENCH_PROFILE !== '0'
	};
}

const median = (xs) => {
	const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
	if (!v.length) return null;
	const m = v.length >> 1;
	return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `screenState` until `ok(state)` or the timeout; returns the last state and whether it held. */
async function until(page, ok, timeoutMs, everyMs = 100) {
	const t0 = Date.now();
	let s;
	for (;;) {
		s = await page.evaluate(screenState);
		if (ok(s)) return { state: s, ok: true };
		if (Date.now() - t0 > timeoutMs) return { state: s, ok: false };
		await sleep(everyMs);
	}
}

// ---- the library: one persistent profile per size -----------------------------------------------

export async function ensureLibrary({ baseURL, n, cfg, log }) {
	const dir = join(cfg.profiles, `n${n}`);
	const marker = join(dir, 'shoebox-bench-library.json');
	if (!cfg.fresh && existsSync(marker)) {
		const m = JSON.parse(await readFile(marker, 'utf8'));
		if (m.count === n && m.origin === baseURL) {
			log(`  reusing the ${n.toLocaleString('en')}-asset profile ${dir} (generated ${m.at} in ${(m.ms / 1000).toFixed(0)} s)`);
			return { dir, generatedMs: m.ms, reused: true };
		}
	}
	await rm(dir, { recursive: true, force: true });
	await mkdir(dir, { recursive: true });
	log(`  generating ${n.toLocaleString('en')} synthetic assets into ${dir}…`);
	const { context, page } = await launch(dir);
	try {
		await page.goto(`${baseURL}dev?generate=${n}`);
		const status = page.getByTestId('generate-status');
		const limit = Date.now() + 120_000 + (n / 100_000) * 120_000;
		let lastLog = 0;
		let generatedMs = 0;
		for (;;) {
			const [s, done, ms] = await Promise.all([status.getAttribute('data-status'), status.getAttribute('data-done'), status.getAttribute('data-ms')]);
			if (s === 'done') {
				log(`    done: ${Number(done).toLocaleString('en')} rows in ${(Number(ms) / 1000).toFixed(1)} s`);
				generatedMs = Number(ms);
				break;
			}
			if (s === 'failed') throw new Error(`generation failed: ${await status.textContent()}`);
			if (Date.now() > limit) throw new Error(`generation of ${n} did not finish in time (${done} rows)`);
			if (Date.now() - lastLog > 30_000) {
				lastLog = Date.now();
				if (Number(done) > 0) log(`    ${Number(done).toLocaleString('en')} rows…`);
			}
			await sleep(1000);
		}
		// Open the timeline once so that the library worker counts the months and caches the summary.
		await page.goto(baseURL);
		const r = await until(page, (s) => s.settled && s.count === n, 300_000, 500);
		if (!r.ok) throw new Error(`the timeline did not settle on ${n} assets (count ${r.state.count})`);
		await writeFile(marker, JSON.stringify({ count: n, origin: baseURL, ms: generatedMs, at: new Date().toISOString() }));
		return { dir, generatedMs, reused: false };
	} finally {
		await context.close();
	}
}

// ---- one size ----------------------------------------------------------------------------------

/** A fresh browser on the profile, with the service worker state reset so the build served now is the one measured. */
async function open(baseURL, dir) {
	const b = await launch(dir);
	await b.page.addInitScript(probe);
	const cdp = await b.context.newCDPSession(b.page);
	await b.page.goto(`${baseURL}favicon.ico`).catch(() => {});
	await cdp.send('Storage.clearDataForOrigin', { origin: baseURL.replace(/\/$/, ''), storageTypes: 'service_workers,cache_storage' });
	// Load once so that the service worker installs and precaches the app shell, then once more
	// so that the measured reloads are served the way an installed app is.
	await b.page.goto(baseURL);
	await b.page.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 20_000))]));
	await sleep(500);
	await b.page.reload();
	return { ...b, cdp };
}

async function settle(page, n) {
	const r = await until(page, (s) => s.settled && s.count === n, 180_000, 200);
	return r.ok ? r.state.now : null;
}

async function firstPaints({ page, n, reloads, log }) {
	const runs = [];
	await settle(page, n);
	for (let i = 0; i < reloads; i++) {
		await page.reload();
		const ok = await page
			.waitForFunction(() => window.__bench?.img != null && window.__bench?.tile != null, null, { timeout: 60_000, polling: 50 })
			.then(() => true)
			.catch(() => false);
		await sleep(300); // lets the element-timing and LCP entries of that paint arrive
		const b = await page.evaluate(() => ({
			...window.__bench,
			longtasks: undefined,
			loafs: undefined,
			loadLongest: Math.max(0, ...window.__bench.longtasks.map((t) => t.duration)),
			loadLong: window.__bench.longtasks.length,
			controlled: !!navigator.serviceWorker?.controller
		}));
		const settledAt = await settle(page, n);
		const run = { ok, tile: b.tile, img: b.img, imgInserted: b.imgInserted, elTile: b.element.tile, elImg: b.element.img, lcp: b.lcp?.time ?? null, lcpTag: b.lcp?.tag ?? null, settledAt, loadLongest: b.loadLongest, loadLong: b.loadLong, controlled: b.controlled };
		runs.push(run);
		const f = (x) => (x == null ? '—' : `${Math.round(x)}`);
		log(`    reload ${i + 1}: tiles ${f(run.tile)} ms, img ${f(run.img)} ms (element timing ${f(run.elImg)}), LCP ${f(run.lcp)} ${run.lcpTag ?? ''}, months settled ${f(settledAt)} ms, longest load task ${f(run.loadLongest)} ms${run.controlled ? '' : ' (not SW-controlled)'}`);
	}
	return runs;
}

async function scrollAndScrub({ page, cdp, cfg, oldest, profile }) {
	// Start from the newest month, with nothing pending.
	await page.evaluate(() => {
		const el = document.querySelector('[data-testid=timeline] .scroll');
		el.scrollTop = 0;
		el.dispatchEvent(new Event('scroll'));
	});
	await sleep(1500);
	if (profile) {
		await cdp.send('Profiler.enable');
		await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
		await cdp.send('Profiler.start');
	}
	const t0 = await page.evaluate(() => performance.now());
	const scroll = await page.evaluate(scrollFor, { seconds: cfg.scrollSeconds, speed: cfg.speed });
	await page.getByTestId('timeline-scrubber').focus();
	const tScrub = await page.evaluate(() => performance.now());
	await page.keyboard.press('End');
	const reached = await until(page, (s) => s.scrubberMonth === oldest && s.lastHeader === oldest && s.tiles > 0 && s.tilesWithImg === s.tiles, 15_000, 50);
	const tReached = reached.state.now;
	await sleep(1500); // anything the jump set off (month loads, thumbnails) finishes inside the window
	const t1 = await page.evaluate(() => performance.now());
	let cpu = null;
	if (profile) {
		cpu = (await cdp.send('Profiler.stop')).profile;
		await cdp.send('Profiler.disable');
	}
	const { longtasks, loafs } = await page.evaluate(([a, b]) => {
		const inWin = (e) => e.start >= a && e.start <= b;
		return { longtasks: window.__bench.longtasks.filter(inWin), loafs: window.__bench.loafs.filter(inWin) };
	}, [t0, t1]);
	return { t0, t1, tScrub, tReached, scroll, reached: reached.ok, end: reached.state, longtasks, loafs, cpu };
}

async function heap({ page, cdp }) {
	await cdp.send('HeapProfiler.enable');
	await cdp.send('HeapProfiler.collectGarbage');
	await sleep(200);
	await cdp.send('HeapProfiler.collectGarbage');
	const usage = await cdp.send('Runtime.getHeapUsage');
	const perf = await page.evaluate(() => (performance.memory ? { used: performance.memory.usedJSHeapSize, total: performance.memory.totalJSHeapSize } : null));
	return { perfUsed: perf?.used ?? null, perfTotal: perf?.total ?? null, cdpUsed: usage.usedSize, cdpTotal: usage.totalSize, backingStore: usage.backingStorageSize ?? null };
}

// ---- CPU profile analysis ----------------------------------------------------------------------

/** Busy stretches (no idle sample) over 50 ms in a V8 CPU profile, with their top self-time functions. */
export function analyseProfile(profile, { minMs = 50, top = 8 } = {}) {
	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const label = (n) => {
		const c = n.callFrame;
		if (!c.url) return c.functionName || '(anonymous)';
		const file = c.url.replace(/^.*\/(_app\/immutable\/|)/, '');
		return `${c.functionName || '(anonymous)'} ${file}:${c.lineNumber + 1}:${c.columnNumber + 1}`;
	};
	const samples = profile.samples;
	const times = [];
	let t = profile.startTime;
	for (const d of profile.timeDeltas) times.push((t += d));
	const totals = new Map();
	const stretches = [];
	let cur = null;
	for (let i = 0; i < samples.length; i++) {
		const n = nodes.get(samples[i]);
		const name = n.callFrame.functionName;
		const dt = ((times[i + 1] ?? times[i]) - times[i]) / 1000;
		const idle = name === '(idle)';
		if (!idle) totals.set(label(n), (totals.get(label(n)) ?? 0) + dt);
		if (idle) {
			if (cur) stretches.push(cur);
			cur = null;
			continue;
		}
		cur ??= { start: (times[i] - profile.startTime) / 1000, ms: 0, self: new Map() };
		cur.ms += dt;
		cur.self.set(label(n), (cur.self.get(label(n)) ?? 0) + dt);
	}
	if (cur) stretches.push(cur);
	const topOf = (m) =>
		[...m.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([fn, ms]) => ({ fn, ms }));
	const long = stretches.filter((s) => s.ms > minMs).sort((a, b) => b.ms - a.ms);
	const allLong = new Map();
	for (const s of long) for (const [k, v] of s.self) allLong.set(k, (allLong.get(k) ?? 0) + v);
	return {
		busyMs: [...totals.values()].reduce((a, b) => a + b, 0),
		top: topOf(totals),
		longCount: long.length,
		longTop: topOf(allLong),
		longest: long.slice(0, 3).map((s) => ({ start: s.start, ms: s.ms, top: topOf(s.self) }))
	};
}

/** The long animation frame around a long task: where its time went (scripts vs style/layout/paint). */
function frameOf(task, loafs) {
	const overlap = (l) => Math.min(l.start + l.duration, task.start + task.duration) - Math.max(l.start, task.start);
	const f = loafs.reduce((best, l) => (overlap(l) > 0 && (!best || overlap(l) > overlap(best)) ? l : best), null);
	if (!f) return null;
	const render = f.renderStart ? f.start + f.duration - f.renderStart : 0;
	const layout = f.styleAndLayoutStart ? f.start + f.duration - f.styleAndLayoutStart : 0;
	return {
		duration: f.duration,
		render,
		styleAndLayout: layout,
		scripts: f.scripts
			.sort((a, b) => b.duration - a.duration)
			.slice(0, 4)
			.map((s) => ({ invoker: s.invoker, fn: s.fn, url: (s.url ?? '').replace(/^.*\//, ''), char: s.char, ms: s.duration, forcedLayout: s.forcedLayout }))
	};
}

// ---- the whole benchmark -----------------------------------------------------------------------

export async function timelineBench({ baseURL, cfg = timelineConfig(), log = console.log }) {
	const results = [];
	let chromium = null;
	await mkdir(cfg.profiles, { recursive: true });
	for (const n of cfg.sizes) {
		log(`\nTimeline, ${n.toLocaleString('en')} assets`);
		const lib = await ensureLibrary({ baseURL, n, cfg, log });
		const b = await open(baseURL, lib.dir);
		try {
			chromium ??= await browserVersion(b.context);
			const { oldest, newest } = await b.page.evaluate(libraryMonths);
			const runs = await firstPaints({ page: b.page, n, reloads: cfg.reloads, log });
			const st = await b.page.evaluate(screenState);
			log(`  ${st.months} months (${newest} … ${oldest}), virtual height ${(st.total / 1e6).toFixed(1)} Mpx; scrolling ${cfg.scrollSeconds} s at ${cfg.speed} px/s, then End on the scrubber…`);
			const s = await scrollAndScrub({ page: b.page, cdp: b.cdp, cfg, oldest });
			const h = await heap(b);
			const rss = rendererPeakMiB(lib.dir);
			const longest = s.longtasks.reduce((a, t) => (t.duration > (a?.duration ?? 0) ? t : a), null);
			const tasks = s.longtasks
				.slice()
				.sort((a, b) => b.duration - a.duration)
				.slice(0, 5)
				.map((t) => ({ ...t, phase: t.start < s.scroll.end ? 'scroll' : 'scrub', at: t.start - s.t0, frame: frameOf(t, s.loafs) }));
			log(`  scroll ${s.scroll.from} → ${s.scroll.to}, ${s.scroll.frames} frames, max frame gap ${Math.round(s.scroll.maxGap)} ms; scrub reached ${s.end.lastHeader} (oldest ${oldest}) ${s.reached ? `in ${Math.round(s.tReached - s.tScrub)} ms` : `NOT within 15 s: scrubber at ${s.end.scrubberMonth}, month headers in the DOM (month@px from the viewport top) ${s.end.allHeaders}, ${s.end.tiles} tiles on screen, ${s.end.tilesWithImg} with a loaded img`}`);
			log(`  long tasks: ${s.longtasks.length} (scroll ${tasks.length ? s.longtasks.filter((t) => t.start < s.scroll.end).length : 0}), longest ${longest ? Math.round(longest.duration) : 0} ms; heap ${(h.cdpUsed / 1e6).toFixed(1)} MB used (performance.memory ${h.perfUsed == null ? '—' : (h.perfUsed / 1e6).toFixed(1)} MB); renderer peak RSS ${rss == null ? '—' : Math.round(rss)} MiB`);
			for (const t of tasks) {
				const f = t.frame;
				log(`    ${Math.round(t.duration)} ms task in the ${t.phase} at +${(t.at / 1000).toFixed(2)} s${f ? `: frame ${Math.round(f.duration)} ms, style+layout+paint ${Math.round(f.render)} ms, scripts ${f.scripts.map((x) => `${x.invoker}${x.fn ? ` (${x.fn})` : ''} ${Math.round(x.ms)} ms`).join('; ') || 'none'}` : ''}`);
			}
			let prof = null;
			if (cfg.profile) {
				await b.page.reload();
				await settle(b.page, n);
				const p = await scrollAndScrub({ page: b.page, cdp: b.cdp, cfg, oldest, profile: true });
				prof = analyseProfile(p.cpu);
				prof.reached = p.reached;
				prof.tasks = p.longtasks.length;
				prof.longestTask = Math.max(0, ...p.longtasks.map((t) => t.duration));
				log(`  profiled pass: ${prof.tasks} long tasks, longest ${Math.round(prof.longestTask)} ms; busy stretches over 50 ms in the profile: ${prof.longCount}`);
				for (const x of prof.longest) log(`    ${Math.round(x.ms)} ms stretch at +${(x.start / 1000).toFixed(2)} s: ${x.top.map((y) => `${y.fn} ${y.ms.toFixed(1)}`).join(', ')}`);
			}
			results.push({ n, lib, oldest, newest, months: st.months, total: st.total, runs, scroll: s.scroll, reached: s.reached, reachedMonth: s.end.lastHeader, end: s.end, scrubMs: s.reached ? s.tReached - s.tScrub : null, longtasks: s.longtasks, longest: longest?.duration ?? 0, tasks, heap: h, rss, prof, domNodes: s.end.domNodes });
		} finally {
			await b.context.close();
		}
	}
	return { results, chromium };
}

// ---- report ------------------------------------------------------------------------------------

const mark = (ok) => (ok ? '✅' : '❌');
const ms = (x) => (x == null ? '—' : `${Math.round(x)}`);
const mb = (x) => (x == null ? '—' : (x / 1e6).toFixed(1));

export function summarise(r) {
	const fp = median(r.runs.map((x) => x.img));
	return {
		fp,
		fpTile: median(r.runs.map((x) => x.tile)),
		fpElement: median(r.runs.map((x) => x.elImg)),
		lcp: median(r.runs.map((x) => x.lcp)),
		settled: median(r.runs.map((x) => x.settledAt)),
		loadLongest: median(r.runs.map((x) => x.loadLongest)),
		over: r.longtasks.filter((t) => t.duration > GOALS.longTaskMs).length,
		okFp: fp != null && fp < GOALS.firstPaintMs,
		okTasks: r.longtasks.filter((t) => t.duration > GOALS.longTaskMs).length === 0,
		okHeap: r.heap.cdpUsed / 1e6 < GOALS.heapMB
	};
}

export function timelineTable(results) {
	const head = ['assets', 'first paint, tile img (ms)', 'first paint, thumbhash tiles (ms)', 'img, Element Timing (ms)', 'LCP (ms)', 'longest task, scroll + scrub (ms)', 'tasks > 50 ms', 'oldest month reached', 'JS heap used (MB)', 'performance.memory (MB)', 'renderer peak RSS (MiB)'];
	const rows = results.map((r) => {
		const s = summarise(r);
		return [
			r.n.toLocaleString('en'),
			`${ms(s.fp)} ${mark(s.okFp)}`,
			ms(s.fpTile),
			ms(s.fpElement),
			ms(s.lcp),
			`${ms(r.longest)} ${mark(s.okTasks)}`,
			`${s.over}`,
			`${r.reached ? '✅' : '❌'} ${r.reachedMonth ?? '—'} (${r.oldest})`,
			`${mb(r.heap.cdpUsed)} ${mark(s.okHeap)}`,
			mb(r.heap.perfUsed),
			r.rss == null ? '—' : `${Math.round(r.rss)}`
		];
	});
	return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 7 ? '---' : '---:')).join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
}

export function timelineMarkdown({ results, chromium, cfg, machine, notes = '' }) {
	const detail = results
		.map((r) => {
			const s = summarise(r);
			const runs = r.runs.map((x) => `${ms(x.img)}`).join(', ');
			const lines = [
				`### ${r.n.toLocaleString('en')} assets`,
				'',
				`- ${r.months} months (${r.newest} … ${r.oldest}), virtual height ${(r.total / 1e6).toFixed(2)} Mpx; library generated in ${(r.lib.generatedMs / 1000).toFixed(0)} s.`,
				`- First paint per reload (tile img, ms): ${runs}. Month summary settled (worker recount done) at a median ${ms(s.settled)} ms; longest task during a reload: median ${ms(s.loadLongest)} ms. Service worker controlled the reloads: ${r.runs.every((x) => x.controlled) ? 'yes' : 'no'}.`,
				`- Scroll: ${r.scroll.frames} frames in ${((r.scroll.end - r.scroll.start) / 1000).toFixed(1)} s (${(r.scroll.requested / 1000).toFixed(0)} kpx, ${r.scroll.from} → ${r.scroll.to}), longest frame gap ${ms(r.scroll.maxGap)} ms. Scrub: ${r.reached ? `the oldest month's tiles were on screen ${ms(r.scrubMs)} ms after End` : `**the oldest month was not on screen 15 s after End**: scrubber at ${r.end.scrubberMonth}, month headers in the DOM (month@px from the viewport top) ${r.end.allHeaders}, ${r.end.tiles} tiles on screen, ${r.end.tilesWithImg} with a loaded img`}. DOM elements at the end: ${r.domNodes}.`,
				`- Heap: Runtime.getHeapUsage ${mb(r.heap.cdpUsed)} MB used / ${mb(r.heap.cdpTotal)} MB total; performance.memory.usedJSHeapSize ${mb(r.heap.perfUsed)} MB.`
			];
			if (r.tasks.length) {
				lines.push(`- Longest tasks (with the Long Animation Frame that contains them):`);
				for (const t of r.tasks) {
					const f = t.frame;
					lines.push(
						`  - ${ms(t.duration)} ms during the ${t.phase}, +${(t.at / 1000).toFixed(2)} s${f ? `: frame ${ms(f.duration)} ms, of which style/layout/paint ${ms(f.render)} ms; scripts: ${f.scripts.map((x) => `\`${x.invoker}\`${x.fn ? ` → \`${x.fn}\`` : ''}${x.url ? ` (${x.url}:${x.char})` : ''} ${ms(x.ms)} ms${x.forcedLayout ? ` (forced layout ${ms(x.forcedLayout)} ms)` : ''}`).join('; ') || 'none'}` : ''}`
					);
				}
			} else lines.push('- No long task in the window.');
			if (r.prof) {
				const p = r.prof;
				lines.push(`- CPU profile (separate pass, 250 µs sampling; ${p.tasks} long tasks, longest ${ms(p.longestTask)} ms with the profiler on): ${p.longCount} busy stretches over 50 ms. Self time in those stretches: ${p.longTop.map((x) => `\`${x.fn}\` ${x.ms.toFixed(0)} ms`).join(', ') || '—'}.`);
				for (const x of p.longest) lines.push(`  - ${ms(x.ms)} ms stretch at +${(x.start / 1000).toFixed(2)} s: ${x.top.map((y) => `\`${y.fn}\` ${y.ms.toFixed(1)}`).join(', ')}`);
			}
			return lines.join('\n');
		})
		.join('\n\n');
	return `# Timeline benchmark results

Written by \`npm run bench\` (or \`node test/bench/run.mjs timeline\` after \`npm run build\`); rerun to refresh. Figures, not assertions.

- Date: ${machine.date}
- Machine: ${machine.cpu}, ${machine.cores} cores; Chromium ${chromium} headless at 1280×900, **no GPU** (\`--disable-gpu\`: software raster and compositing on the CPU, so paint costs more here than on a real device); Node ${machine.node}.
- Library: N synthetic assets made by \`/dev?generate=N\` (dates spread over 20 years, 48 shared generated thumbnails), one persistent profile per size, reused by later runs.
- Goals: first paint < ${GOALS.firstPaintMs} ms, no task over ${GOALS.longTaskMs} ms, JS heap < ${GOALS.heapMB} MB (MB = 10⁶ bytes) — stated for 100,000 assets; 10,000 and 1,000,000 show how the cost grows.

${timelineTable(results)}

## How it is measured

- A fresh browser on the size's profile. Its service worker and Cache Storage are cleared, then \`/\` is loaded twice (the service worker installs and precaches the app shell), then ${cfg.reloads} measured reloads; each waits for the month summary to settle (\`asset-count[data-settled=true]\`) before the next.
- **First paint** is measured from navigation start (\`performance.now()\` of the reloaded document) by an init script: a MutationObserver finds the first \`[data-testid=asset-tile] img\` in the viewport, waits for its \`load\`, then a \`requestAnimationFrame\` and a message posted from it (the time after the frame that shows it). "Thumbhash tiles" is the same for the first tile element in the viewport (its thumbhash background, no img yet). Cross-checks: Element Timing (the init script adds \`elementtiming\` to tiles and their imgs as they appear; \`renderTime\` of the first visible img) and the last \`largest-contentful-paint\` entry. Medians of the reloads.
- **Long tasks**: a buffered PerformanceObserver on \`longtask\` (and \`long-animation-frame\` for attribution) installed at document start; the window counted starts when the scroll starts and ends 1.5 s after the oldest month is on screen. The scroll: \`scrollBy\` of the timeline's \`.scroll\` element in every animation frame at ${cfg.speed} px/s for ${cfg.scrollSeconds} s from the newest month, then focus on the scrubber and \`End\`. "Oldest month reached": the scrubber's \`data-month\` and the last \`[data-testid=timeline-month]\` on screen equal the oldest month read straight from IndexedDB, and every tile on screen has its img.
- **Heap** after that: two CDP \`HeapProfiler.collectGarbage\`, then CDP \`Runtime.getHeapUsage\` (the page's main isolate; the goal is judged on it) and \`performance.memory.usedJSHeapSize\` (Chromium rounds it without \`--enable-precise-memory-info\`). Workers' heaps are not included; the renderer peak RSS (VmHWM) is the whole renderer process.
- **CPU profile**: a second scroll + scrub on a fresh reload with the CDP sampling profiler on (it slows the page, so its figures are not the table's); stretches of samples with no \`(idle)\` sample longer than 50 ms stand for the long tasks; self time per function (\`name file:line:column\` of the minified build) within them. \`(program)\` is native work outside JS (style, layout, paint, parsing); \`(garbage collector)\` is V8's GC.

## Details

${detail}
${notes}`;
}
