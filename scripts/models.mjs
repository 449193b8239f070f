#!/usr/bin/env node
// npm run models [-- --task faceDetection,faceEmbedding] [--mirror DIR] [--out DIR] [--no-download]
//
// Fills static/models/<name> (git-ignored, served by the app at /models/<name>) with the files of
// models/catalog.json: from a mirror directory (SHOEBOX_MODELS_DIR, default ../shared/models beside
// the repo when it exists), else from the catalog's public URLs. Every file is checked against the
// catalog's sha256 (or its size, for the few entries the catalog marks unverified). Files already
// there and correct are left alone. A file no source can give is reported, and the script still
// exits 0: the app starts without it and its ML features say which models are missing.
// See docs/models.md.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ name: string, bytes: number | null, sha256: string | null, urls: string[] }} CatalogFile
 * @typedef {{ id: string, task: string, files: CatalogFile[] }} CatalogEntry
 * @typedef {CatalogFile & { models: string[] }} PlannedFile
 * @typedef {{ file: PlannedFile, action: 'present' | 'copy' | 'download' | 'missing', target: string, source?: string, note?: string }} Step
 */

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const CATALOG_PATH = join(REPO_ROOT, 'models', 'catalog.json');
export const DEFAULT_OUT = join(REPO_ROOT, 'static', 'models');

/** The mirror to copy from: SHOEBOX_MODELS_DIR, else ../shared/models beside the repo, else null. */
/** @param {Record<string, string | undefined>} [env] @param {string} [repoRoot] */
export function defaultMirror(env = process.env, repoRoot = REPO_ROOT) {
	if (env.SHOEBOX_MODELS_DIR) return resolve(env.SHOEBOX_MODELS_DIR);
	const beside = resolve(repoRoot, '..', 'shared', 'models');
	return existsSync(beside) ? beside : null;
}

/** @param {string[]} argv */
export function parseArgs(argv) {
	/** @type {{ tasks: string[] | null, mirror?: string, out?: string, download: boolean, quiet: boolean, help?: boolean }} */
	const opts = { tasks: null, mirror: undefined, out: undefined, download: true, quiet: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--task' || a === '--tasks' || a.startsWith('--task=') || a.startsWith('--tasks=')) {
			opts.tasks = value().split(',').map((s) => s.trim()).filter(Boolean);
		} else if (a === '--mirror' || a.startsWith('--mirror=')) opts.mirror = value();
		else if (a === '--out' || a.startsWith('--out=')) opts.out = value();
		else if (a === '--no-download') opts.download = false;
		else if (a === '--quiet' || a === '-q') opts.quiet = true;
		else if (a === '--help' || a === '-h') opts.help = true;
		else throw new Error(`unknown argument ${a}`);
	}
	return opts;
}

/**
 * The files to provide, each once (a file shared by several entries, like the CLIP tokenizer, is
 * listed with all their ids). `tasks` null = every entry; unknown task names throw.
 */
/**
 * @param {{ models: CatalogEntry[] }} catalog
 * @param {string[] | null} [tasks]
 * @returns {PlannedFile[]}
 */
export function selectFiles(catalog, tasks = null) {
	const known = new Set(catalog.models.map((m) => m.task));
	for (const t of tasks ?? []) if (!known.has(t)) throw new Error(`unknown task "${t}" (the catalog has ${[...known].join(', ')})`);
	const byName = new Map();
	for (const m of catalog.models) {
		if (tasks && !tasks.includes(m.task)) continue;
		for (const f of m.files) {
			const seen = byName.get(f.name);
			if (seen) seen.models.push(m.id);
			else byName.set(f.name, { ...f, models: [m.id] });
		}
	}
	return [...byName.values()];
}

/** @param {string} path @returns {Promise<string>} */
export function sha256File(path) {
	return new Promise((ok, fail) => {
		const h = createHash('sha256');
		createReadStream(path)
			.on('data', (d) => h.update(d))
			.on('error', fail)
			.on('end', () => ok(h.digest('hex')));
	});
}

/**
 * Whether the file at `path` is the catalog's file: null when it does not exist, else
 * { ok, reason } (sha256 where the catalog has one, else the size where known).
 * @param {string} path
 * @param {CatalogFile} file
 * @returns {Promise<{ ok: boolean, reason: string } | null>}
 */
export async function checkFile(path, file) {
	const info = await stat(path).catch(() => null);
	if (!info || !info.isFile()) return null;
	if (file.bytes != null && info.size !== file.bytes) return { ok: false, reason: `size ${info.size}, expected ${file.bytes}` };
	if (file.sha256) {
		const got = await sha256File(path);
		if (got !== file.sha256.toLowerCase()) return { ok: false, reason: `sha256 ${got}, expected ${file.sha256}` };
		return { ok: true, reason: 'sha256 matches' };
	}
	if (info.size === 0) return { ok: false, reason: 'empty file' };
	return { ok: true, reason: file.bytes != null ? 'size matches (no sha256 in the catalog)' : 'present (no sha256 or size in the catalog: unverified)' };
}

/**
 * What to do for each file: 'present' (already in `out` and correct), 'copy' (from the mirror,
 * checked there), 'download' (from its URLs) or 'missing' (no mirror copy and no way to download).
 * @param {PlannedFile[]} files
 * @param {{ out: string, mirror?: string | null, download?: boolean }} opts
 * @returns {Promise<Step[]>}
 */
export async function planFiles(files, { out, mirror = null, download = true }) {
	/** @type {Step[]} */
	const plan = [];
	for (const file of files) {
		const target = join(out, file.name);
		const here = await checkFile(target, file);
		if (here?.ok) {
			plan.push({ file, action: 'present', target });
			continue;
		}
		const source = mirror ? join(mirror, file.name) : null;
		const there = source ? await checkFile(source, file) : null;
		if (there?.ok) plan.push({ file, action: 'copy', source, target });
		else if (download && file.urls.length) plan.push({ file, action: 'download', target, note: there ? `mirror copy is wrong: ${there.reason}` : undefined });
		else plan.push({ file, action: 'missing', target, note: there ? `mirror copy is wrong: ${there.reason}` : mirror ? 'not in the mirror' : 'no mirror' });
	}
	return plan;
}

/** Copies to a temporary name, then renames: an interrupted run never leaves a half file in place. */
async function put(target, write) {
	await mkdir(dirname(target), { recursive: true });
	const tmp = `${target}.part-${process.pid}`;
	try {
		await write(tmp);
		await rename(tmp, target);
	} finally {
		await rm(tmp, { force: true });
	}
}

/**
 * Fetches `url` into `dest`: gives up when no answer comes within `connectMs` or the body stalls for
 * `idleMs` (no total limit: large models take a while on slow links).
 */
export async function downloadTo(url, dest, { connectMs = 20_000, idleMs = 30_000, fetchImpl = fetch } = {}) {
	const ctrl = new AbortController();
	let timer = setTimeout(() => ctrl.abort(new Error(`no answer in ${connectMs / 1000} s`)), connectMs);
	try {
		const res = await fetchImpl(url, { signal: ctrl.signal, redirect: 'follow' });
		if (!res.ok) throw new Error(`HTTP ${res.status}`);
		if (!res.body) throw new Error('empty answer');
		const chunks = [];
		const reader = res.body.getReader();
		for (;;) {
			clearTimeout(timer);
			timer = setTimeout(() => ctrl.abort(new Error(`stalled for ${idleMs / 1000} s`)), idleMs);
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
		}
		await writeFile(dest, Buffer.concat(chunks));
	} catch (err) {
		const reason = ctrl.signal.aborted ? ctrl.signal.reason : err;
		const cause = reason?.cause?.code ? ` (${reason.cause.code})` : '';
		throw new Error(`${reason?.message ?? reason}${cause}`);
	} finally {
		clearTimeout(timer);
	}
}

async function downloadVerified(file, target, log) {
	const problems = [];
	for (const url of file.urls) {
		try {
			await put(target, async (tmp) => {
				await downloadTo(url, tmp);
				const check = await checkFile(tmp, file);
				if (!check?.ok) throw new Error(`downloaded file is wrong: ${check?.reason ?? 'missing'}`);
			});
			return { ok: true, url };
		} catch (err) {
			problems.push(`${new URL(url).host}: ${err.message}`);
			log(`  ${file.name}: ${url} failed: ${err.message}`);
		}
	}
	return { ok: false, reason: problems.join('; ') };
}

const mb = (n) => (n == null ? 'size unknown' : `${(n / 1e6).toFixed(1)} MB`);

/**
 * @param {string[]} [argv]
 * @param {Record<string, string | undefined>} [env]
 * @param {(line: string) => void} [print]
 */
/** The file list the app reads instead of probing /models/ file by file (see src/lib/models/store.ts). */
export const BUNDLED_LIST = 'bundled.json';

/** @param {string} out @param {string[]} names */
async function writeBundled(out, names) {
	const have = [];
	for (const name of names) {
		const st = await stat(join(out, name)).catch(() => null);
		if (st?.isFile()) have.push({ name, bytes: st.size });
	}
	await mkdir(out, { recursive: true });
	await writeFile(join(out, BUNDLED_LIST), JSON.stringify({ files: have }, null, 1));
}

export async function run(argv = process.argv.slice(2), env = process.env, print = console.log) {
	const opts = parseArgs(argv);
	if (opts.help) {
		print('usage: npm run models [-- --task faceDetection,faceEmbedding] [--mirror DIR] [--out DIR] [--no-download] [--quiet]');
		return { missing: [] };
	}
	const catalog = JSON.parse(await readFile(CATALOG_PATH, 'utf8'));
	const out = resolve(opts.out ?? DEFAULT_OUT);
	const mirror = opts.mirror !== undefined ? resolve(opts.mirror) : defaultMirror(env);
	if (mirror && !existsSync(mirror)) print(`models: mirror ${mirror} does not exist; downloading instead.`);
	const files = selectFiles(catalog, opts.tasks);
	const plan = await planFiles(files, { out, mirror: mirror && existsSync(mirror) ? mirror : null, download: opts.download });
	const log = opts.quiet ? () => {} : print;
	const missing = [];
	let copied = 0;
	let downloaded = 0;
	for (const step of plan) {
		const { file } = step;
		if (step.action === 'present') continue;
		if (step.action === 'copy') {
			await put(step.target, (tmp) => copyFile(step.source, tmp));
			copied++;
			log(`models: copied ${file.name} (${mb(file.bytes)}) from ${mirror}`);
		} else if (step.action === 'download') {
			log(`models: downloading ${file.name} (${mb(file.bytes)})${step.note ? ` — ${step.note}` : ''}`);
			const r = await downloadVerified(file, step.target, log);
			if (r.ok) {
				downloaded++;
				log(`models: downloaded ${file.name}${file.sha256 ? '' : ' (unverified: the catalog has no sha256 for it)'}`);
			} else missing.push({ file, reason: r.reason });
		} else missing.push({ file, reason: step.note });
	}
	const present = plan.filter((s) => s.action === 'present').length;
	// every catalog file now in the folder, also those of tasks not asked for this time
	await writeBundled(out, selectFiles(catalog, null).map((f) => f.name));
	for (const m of missing) {
		print(`models: MISSING ${m.file.name} for ${m.file.models.join(', ')} — ${m.reason}. The app starts without it; features using it say the model is missing.`);
	}
	print(`models: ${present} already present, ${copied} copied, ${downloaded} downloaded, ${missing.length} missing (${out}).`);
	return { missing, copied, downloaded, present };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	run().catch((err) => {
		// Bad arguments or an unreadable catalog are mistakes to fix; an unreachable network is not.
		console.error(`models: ${err.message}`);
		process.exit(1);
	});
}
