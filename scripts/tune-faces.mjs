#!/usr/bin/env node
// Tunes the people clustering's max distance on the shared faces corpus: runs the real clustering
// (src/lib/people/cluster.ts) over the corpus embeddings at each threshold and reports pairwise
// precision and recall (docs/people.md keeps the table).
//
//   node scripts/face-corpus-embeddings.mjs   # once: writes test/unit/fixtures/faces/corpus-embeddings.json
//   node scripts/tune-faces.mjs [--min-faces 3] [--from 0.3 --to 0.8 --step 0.025] [--json]
//
// Two ways of running it, both reported: "all" re-clusters every face at once (reclusterAll);
// "incr" feeds the faces in batches of 4 in a fixed shuffled order, as the facialRecognition queue
// does (assign), with each batch's decisions applied before the next.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const minFaces = arg('--min-faces', 3);
const from = arg('--from', 0.3);
const to = arg('--to', 0.8);
const step = arg('--step', 0.025);

/** Node 20 cannot import TypeScript: bundle cluster.ts (it has no imports) to a temporary module. */
async function loadCluster() {
	const dir = await mkdtemp(join(tmpdir(), 'tune-faces-'));
	try {
		await build({ input: join(ROOT, 'src/lib/people/cluster.ts'), output: { dir, format: 'esm', entryFileNames: 'cluster.mjs' }, logLevel: 'silent' });
		return await import(pathToFileURL(join(dir, 'cluster.mjs')).href);
	} finally {
		setTimeout(() => void rm(dir, { recursive: true, force: true }), 0);
	}
}

function shuffled(items, seed) {
	let a = seed >>> 0;
	const random = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/** Applies decisions to plain face rows (what people.ts does in IndexedDB). */
function apply(faces, d) {
	const byId = new Map(faces.map((f) => [f.id, f]));
	for (const { faceId, personId } of d.assign) Object.assign(byId.get(faceId), { personId, assignedBy: 'auto' });
	for (const id of d.unassign) Object.assign(byId.get(id), { personId: null, assignedBy: null });
}

export async function corpusFaces() {
	const { faces } = JSON.parse(await readFile(join(ROOT, 'test/unit/fixtures/faces/corpus-embeddings.json'), 'utf8'));
	return faces.map((f, i) => ({ id: `f${i}`, assetId: f.asset, identity: f.identity, embedding: Float32Array.from(f.embedding), personId: null, assignedBy: null }));
}

function runAll(c, faces, options) {
	const rows = faces.map((f) => ({ ...f }));
	apply(rows, c.reclusterAll(rows, [], options));
	return rows;
}

function runIncremental(c, faces, options, seed = 7) {
	const rows = shuffled(faces, seed).map((f) => ({ ...f }));
	for (let i = 0; i < rows.length; i += 4) {
		const batch = rows.slice(i, i + 4);
		const done = rows.slice(0, i);
		const d = c.assign(batch, { assigned: done.filter((f) => f.personId), waiting: done.filter((f) => !f.personId), options });
		apply(rows, d);
	}
	return rows;
}

const score = (c, rows) => c.pairwiseScores(rows.map((f) => ({ truth: f.identity, predicted: f.personId })));

async function main() {
	const c = await loadCluster();
	const faces = await corpusFaces();
	const table = [];
	for (let t = from; t <= to + 1e-9; t += step) {
		const maxDistance = +t.toFixed(3);
		const row = { maxDistance };
		for (const linkage of ['nearest', 'centroid']) {
			const options = { maxDistance, minFaces, linkage };
			const all = score(c, runAll(c, faces, options));
			// Incremental: the mean over a few batch orders.
			const runs = [1, 2, 3, 4, 5].map((seed) => score(c, runIncremental(c, faces, options, seed)));
			const mean = (k) => runs.reduce((s, r) => s + r[k], 0) / runs.length;
			row[linkage] = { all: { p: all.precision, r: all.recall }, incr: { p: mean('precision'), r: mean('recall') } };
		}
		table.push(row);
	}
	if (process.argv.includes('--json')) return console.log(JSON.stringify(table, null, 1));
	const identities = new Set(faces.map((f) => f.identity)).size;
	console.log(`${faces.length} faces, ${identities} identities, minFaces ${minFaces}; pairwise precision / recall`);
	console.log('| maxDistance | nearest, all | nearest, incremental | centroid, all | centroid, incremental |');
	console.log('|---|---|---|---|---|');
	const f = (x) => `${x.p.toFixed(3)} / ${x.r.toFixed(3)}`;
	for (const r of table) console.log(`| ${r.maxDistance.toFixed(3)} | ${f(r.nearest.all)} | ${f(r.nearest.incr)} | ${f(r.centroid.all)} | ${f(r.centroid.incr)} |`);
}

await main();
