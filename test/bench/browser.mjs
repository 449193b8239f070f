// Chromium for the benchmark: find the binary, launch it on a given profile, and read the peak
// memory of its renderer processes (the page and its dedicated workers live there).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../chromium.mjs';

/**
 * A browser on `userDataDir` (a fresh dir for a fresh library; the same dir to reopen one).
 * `options` go to Playwright's launchPersistentContext (e.g. `serviceWorkers: 'block'`).
 */
export async function launch(userDataDir, options = {}) {
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: findChromium(),
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 900 },
		...options
	});
	context.setDefaultTimeout(60_000);
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('pageerror', (e) => console.warn(`[browser pageerror] ${e}`));
	return { context, page, userDataDir };
}

/** "Chromium 156.0.…" from the browser itself. */
export async function browserVersion(context) {
	const b = context.browser();
	if (b) return b.version();
	const page = context.pages()[0];
	const ua = await page.evaluate(() => navigator.userAgent);
	return /Chrom(e|ium)\/([\d.]+)/.exec(ua)?.[2] ?? ua;
}

// ---- process memory (Linux /proc) ------------------------------------------------------------

function procs() {
	const out = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
			out.push({ pid: Number(name), ppid, cmdline });
		} catch {
			// the process went away
		}
	}
	return out;
}

/** Peak resident memory (VmHWM, MiB) of one process, or null. */
export function peakRssMiB(pid) {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

/** The renderer processes (not extensions) of the browser running on `userDataDir`. */
function rendererPids(userDataDir) {
	if (!existsSync('/proc/self/status')) return [];
	const all = procs();
	const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) && !p.cmdline.includes('--type='));
	if (!root) return [];
	const kids = new Map();
	for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
	const stack = [root];
	const out = [];
	while (stack.length) {
		const p = stack.pop();
		for (const k of kids.get(p.pid) ?? []) stack.push(k);
		if (p.cmdline.includes('--type=renderer') && !p.cmdline.includes('--extension-process')) out.push(p.pid);
	}
	return out;
}

/** The largest VmHWM among the renderer processes of the browser running on `userDataDir`. */
export function rendererPeakMiB(userDataDir) {
	const peaks = rendererPids(userDataDir)
		.map(peakRssMiB)
		.filter((v) => v != null);
	return peaks.length ? Math.max(...peaks) : null;
}

/**
 * Starts a fresh peak: each renderer's VmHWM is reset to its current resident size (Linux
 * `clear_refs` 5, allowed for our own processes) and the largest current size is returned, so that
 * a later rendererPeakMiB minus it is what the work in between added. Null where the kernel refuses.
 */
export function resetRendererPeaks(userDataDir) {
	let now = null;
	for (const pid of rendererPids(userDataDir)) {
		try {
			writeFileSync(`/proc/${pid}/clear_refs`, '5');
			const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (m) now = Math.max(now ?? 0, Number(m[1]) / 1024);
		} catch {
			return null;
		}
	}
	return now;
}

// ---- CPU time (Linux /proc), to see how many cores a pass really used and on which threads ----

const TICK = 100; // USER_HZ on Linux

function cpuOf(statPath) {
	try {
		const stat = readFileSync(statPath, 'utf8');
		const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { comm, seconds: (Number(f[11]) + Number(f[12])) / TICK };
	} catch {
		return null;
	}
}

/** CPU seconds so far of every thread of the browser on `userDataDir`, keyed "process/thread". */
export function browserThreadCpu(userDataDir) {
	const out = new Map();
	if (!existsSync('/proc/self/stat')) return out;
	const all = procs();
	const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) && !p.cmdline.includes('--type='));
	if (!root) return out;
	const kids = new Map();
	for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
	const stack = [root];
	while (stack.length) {
		const p = stack.pop();
		for (const k of kids.get(p.pid) ?? []) stack.push(k);
		const type = /--type=(\S+)/.exec(p.cmdline)?.[1] ?? 'browser';
		let tids = [];
		try {
			tids = readdirSync(`/proc/${p.pid}/task`);
		} catch {
			continue;
		}
		for (const tid of tids) {
			const c = cpuOf(`/proc/${p.pid}/task/${tid}/stat`);
			if (!c) continue;
			const key = `${type}/${c.comm.replace(/\d+$/, '')}`;
			out.set(key, (out.get(key) ?? 0) + c.seconds);
		}
	}
	return out;
}

/** after − before, per key, dropping keys under `min` seconds. */
export function cpuDelta(before, after, min = 0.02) {
	const out = {};
	for (const [k, v] of after) {
		const d = v - (before.get(k) ?? 0);
		if (d >= min) out[k] = d;
	}
	return out;
}
