// Smart search query latency: the search worker (int8 WASM SIMD scan, exact float32 ranking of the
// candidates) beside a plain-JS float loop over the same synthetic CLIP-like vectors, in Chromium,
// driven through the /dev hook window.__shoeboxSearchDev.bench (src/lib/dev/search-dev.ts).
// Each setup runs in a fresh browser on a fresh profile, so its memory figures are its own.
// Env: BENCH_SEARCH_QUERIES (timed queries per setup, default 60), BENCH_SEARCH_K (default 100),
// BENCH_SEARCH_MIN_SCORE (default 0.25), BENCH_SEARCH_SIZES (default 100000,1000000).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserVersion, launch, rendererPeakMiB } from './browser.mjs';

export const SEARCH_GOALS = { 100_000: 20, 1_000_000: 200 };
const DIMS = 512;

export function searchConfig() {
	return {
		queries: Math.max(50, Number(process.env.BENCH_SEARCH_QUERIES ?? 60)),
		k: Number(process.env.BENCH_SEARCH_K ?? 100),
		minScore: Number(process.env.BENCH_SEARCH_MIN_SCORE ?? 0.25),
		sizes: (process.env.BENCH_SEARCH_SIZES ?? '100000,1000000').split(',').map(Number)
	};
}

/** The setups run at each size: the app's own path first. */
function setups(size) {
	// 1M rows (2 GiB of float32) are not written to IndexedDB: upserted from the page instead
	if (size > 100_000) return [{ label: 'upsert() from the page; default float budget', throughDb: false }];
	return [
		{ label: 'IndexedDB → load(); default float budget', throughDb: true },
		{ label: 'IndexedDB → load(); float budget 0', throughDb: true, floatBudgetMiB: 0 },
		{ label: 'upsert(); plain-JS kernel (the fallback without WASM SIMD)', throughDb: false, kernel: 'js' }
	];
}

const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

async function runOne({ baseURL, size, setup, cfg, seed }) {
	const profile = await mkdtemp(join(tmpdir(), 'shoebox-bench-search-'));
	const { context, page } = await launch(profile);
	try {
		await page.goto(new URL('/dev', baseURL).href);
		await page.waitForFunction(() => !!window.__shoeboxSearchDev, null, { timeout: 60_000 });
		const before = rendererPeakMiB(profile);
		const r = await page.evaluate((o) => window.__shoeboxSearchDev.bench(o), {
			size,
			dims: DIMS,
			queries: cfg.queries,
			k: cfg.k,
			minScore: cfg.minScore,
			throughDb: setup.throughDb,
			floatBudgetMiB: setup.floatBudgetMiB,
			kernel: setup.kernel,
			seed
		});
		return { ...r, setup, pageMiB: before, peakMiB: rendererPeakMiB(profile), chromium: await browserVersion(context) };
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true }).catch(() => {});
	}
}

export async function searchBench({ baseURL, log = console.log }) {
	const cfg = searchConfig();
	const runs = [];
	for (const size of cfg.sizes) {
		for (const setup of setups(size)) {
			log(`  ${size.toLocaleString('en')} vectors, ${setup.label} (fresh browser)…`);
			const r = await runOne({ baseURL, size, setup, cfg, seed: 42 });
			const f = (xs) => `${pct(xs, 50).toFixed(1)}/${pct(xs, 95).toFixed(1)}`;
			log(
				`    float loop ${f(r.baselineMs)} ms; exact ${f(r.exactMs)} ms (scan ${f(r.scanMs)}, read ${f(r.readMs)}, rank ${f(r.rankMs)}; candidates ${pct(r.candidates, 50)}/${Math.max(...r.candidates)}); int8 only ${f(r.int8Ms)} ms, recall ${r.int8Recall.toFixed(4)}; mismatches ${r.exactMismatches ?? '—'}; index ${(r.stats.bytes.total / 2 ** 20).toFixed(0)} MiB; renderer peak ${Math.round(r.peakMiB ?? 0)} MiB; ${r.stats.kernel}, exact from ${r.stats.exactSource}`
			);
			runs.push(r);
		}
	}
	return { runs, cfg, chromium: runs[0]?.chromium ?? '?' };
}

const mib = (b) => (b / 2 ** 20).toFixed(0);
const ms = (xs) => `${pct(xs, 50).toFixed(1)} / ${pct(xs, 95).toFixed(1)}`;
const mark = (ok) => (ok ? '✅ pass' : '❌ miss');

export function searchMarkdown({ runs, cfg, chromium, machine }) {
	// The 1M run has no rows in IndexedDB, so its exact figure is its scan + selection plus the read
	// and rank times measured at 100k, scaled by the candidates (they depend on those, not on the size).
	const dbRun = runs.find((r) => r.stats.exactSource === 'database' && r.exactMismatches !== null);
	const rows = runs.map((r) => {
		const goal = SEARCH_GOALS[r.size];
		const measured = r.exactMismatches !== null;
		const scale = dbRun ? pct(r.candidates, 95) / pct(dbRun.candidates, 95) : 0;
		const later = dbRun ? (pct(dbRun.readMs, 95) + pct(dbRun.rankMs, 95)) * scale : 0;
		const p95 = measured ? pct(r.exactMs, 95) : pct(r.scanMs, 95) + later;
		const exact = measured
			? ms(r.exactMs)
			: `p95 ≈ ${p95.toFixed(1)}: scan + selection ${pct(r.scanMs, 95).toFixed(1)} + ${later.toFixed(1)} (the ${dbRun ? dbRun.size.toLocaleString('en') : '?'} run's IndexedDB read + rank p95 × ${scale.toFixed(2)}, its candidates p95 ratio)`;
		const verdict = goal ? ` — goal < ${goal}: ${mark(p95 < goal)}` : '';
		const b = r.stats.bytes;
		return `| ${r.size.toLocaleString('en')} | ${r.setup.label} | ${r.stats.exactSource} | ${ms(r.baselineMs)} | ${exact}${verdict} | ${ms(r.scanMs)} | ${r.stats.exactSource === 'database' ? ms(r.readMs) : '— (memory)'} | ${pct(r.candidates, 50)} / ${Math.max(...r.candidates)} | ${measured ? `${r.exactMismatches} of ${r.exactMs.length}` : '—'} | ${ms(r.int8Ms)} | ${r.int8Recall.toFixed(4)} | ${mib(b.total)} (codes ${mib(b.codes)}, floats ${mib(b.floats)}, meta ${mib(b.meta)}, ids ≈ ${mib(b.ids)}) | ${Math.round(r.peakMiB ?? 0)} | ${r.writeMs ? `${(r.writeMs / 1000).toFixed(1)} s write, ` : ''}${(r.fillMs / 1000).toFixed(1)} s ${r.setup.throughDb ? 'load()' : 'upsert()'} |`;
	});
	// the default setups only (no budget or kernel forced)
	const incl = runs
		.filter((r) => r.setup.floatBudgetMiB === undefined && !r.setup.kernel)
		.map((r) => `${r.size.toLocaleString('en')}: ${ms(r.exactMs.map((x, i) => x + r.embedMs[i]))}`)
		.join('; ');
	return `# Smart search benchmark results

Written by \`npm run bench\` (or \`node test/bench/run.mjs search\` after \`npm run build\`). Figures, not assertions.

- Date: ${machine.date}
- Machine: ${machine.cpu}, ${machine.cores} cores; Chromium ${chromium} (headless); Node ${machine.node}. 1-minute load average ${machine.loadBefore ?? '?'} before, ${machine.loadAfter ?? '?'} after (the machine may be shared).
- Vectors: ${DIMS}-d, L2-normalised, synthetic and CLIP-like (a direction shared by all, one of 1000 topics, noise), generated on the page; queries are a topic plus noise, so each one's top ${cfg.k} comes from a crowd of near-equal scores. k = ${cfg.k}, min score ${cfg.minScore}; ${cfg.queries} timed queries per setup after 5 untimed ones; about ${Math.round(runs[0]?.hitsPerQuery ?? 0)} hits per query at the first size.
- One search worker (no sharding); kernel WASM SIMD unless the setup says otherwise.

## Goal

Exact top k, p95 < 20 ms at 100,000 vectors and < 200 ms at 1,000,000, query embedding excluded.

| vectors | setup | exact scores from | plain-JS float loop p50 / p95 (ms) | exact search p50 / p95 (ms) | scan + selection p50 / p95 (ms) | IndexedDB read p50 / p95 (ms) | candidates p50 / max | exact ≠ float loop | int8 alone p50 / p95 (ms) | int8 alone recall@${cfg.k} | index memory MiB | renderer peak MiB | fill |
|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|
${rows.join('\n')}

Query embedding included (p50 / p95, ms): ${incl} — the queries are synthetic vectors now (≈ 0 ms to make); the CLIP text encoder's time lands here once \`queryVector()\` in src/lib/dev/search-dev.ts calls it.

How it is measured:
- **exact search**: \`query(vector, k, minScore)\` of the search worker (worker/search/search.worker.ts), timed on the page (the comlink round trip included). The worker scans the int8 codes with the WASM SIMD kernel and keeps every vector whose score bound (quantisation error, bounded per vector) still reaches the k-th best lower bound; those candidates are scored in float32, from memory while the float copies fit the worker's budget (default 32 MiB per GB of \`navigator.deviceMemory\`, here ${runs.find((r) => r.setup.floatBudgetMiB === undefined)?.stats.floatBudgetMiB ?? '?'} MiB), else from their IndexedDB rows (\`bulkGet\`). "exact ≠ float loop": queries whose ids differ from the float loop's, in order. The 1M setup has no rows in IndexedDB, so its exact figure is estimated as noted.
- **scan + selection**, **IndexedDB read**: the worker's own timings of those two steps (\`stats().lastQuery\`).
- **int8 alone**: \`query(…, exact = false)\`: ranked by the int8 estimates, no float scoring; recall = share of the float loop's top k it returns.
- **plain-JS float loop**: on the page, every dot product of the float32 vectors in a JS loop, top k kept by insertion; its result is the reference.
- **memory**: the index's own accounting (\`stats().bytes\`: WASM memory with the codes, float copies, per-vector scale and error terms, ids estimated); renderer peak = VmHWM of the renderer process, which holds the page (with the bench's own float32 copy of every vector, ${DIMS * 4} bytes each, for the float loop) and the worker.
`;
}
