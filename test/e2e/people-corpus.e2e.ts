// People from real photos, end to end: every file of <media>/faces imported through the UI, the
// four queues (metadata → thumbnails → faceDetection in the ML worker → facialRecognition) left
// to run with the default settings (small tier: YuNet + MobileFaceNet; centroid linkage, max
// distance 0.6, min faces 3), then library.json's faces[] and people[] checked against the
// corpus MANIFEST: face counts, and pairwise precision / recall of the people formed.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, importFiles, openApp, saveArtifact, waitForQueuesIdle, type App } from './helpers/app';
import {
	centroid,
	cosineDistance,
	labelFaces,
	pairwise,
	readDbFaces,
	type DbFace,
	type ExportedFace,
	type FaceManifestEntry,
	type FacesExport
} from './helpers/faces';

// The crowd selfie (hundreds of tiny faces, no labels) is imported too: its faces are unlabelled
// and only reported, but they are in the clustering, so they must not pull the people apart. It
// costs little (the whole corpus is idle in about 12 s here). SHOEBOX_E2E_CROWD=0 leaves it out.
const WITH_CROWD = process.env.SHOEBOX_E2E_CROWD !== '0';

interface Labelled extends ExportedFace {
	file: string;
	label: string | null;
}

const short = (id: string | null) => (id ? id.slice(0, 6) : '-');

describe('people from the faces corpus (small tier, default thresholds)', () => {
	let app: App;
	let page: Page;
	let entries: FaceManifestEntry[];
	let library: FacesExport;
	let labelled: Labelled[];
	const facesOf = new Map<string, ExportedFace[]>(); // file name → faces (export order)

	beforeAll(async () => {
		const media = inject('mediaDir');
		const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8')) as { files: FaceManifestEntry[] };
		entries = manifest.files.filter((f) => f.path.startsWith('faces/') && (WITH_CROWD || !f.path.startsWith('faces/crowd/')));
		if (inject('mediaSource') !== 'corpus' || entries.length < 30)
			throw new Error(`the people corpus e2e test needs the shared media corpus (faces/); got ${inject('mediaSource')} with ${entries.length} face files`);

		app = await openApp('/');
		page = app.page;
		const t0 = Date.now();
		const progress = await importFiles(page, entries.map((e) => join(media, e.path)));
		expect(progress.imported).toBe(entries.length);
		const t1 = Date.now();
		// Hang protection only: the ML worker runs every preview through detection and embedding.
		const queues = await waitForQueuesIdle(page, { timeoutMs: 600_000, minDone: entries.length });
		const t2 = Date.now();
		console.log(
			`[people-corpus] ${entries.length} files${WITH_CROWD ? ' (crowd included)' : ' (crowd left out)'}: import ${((t1 - t0) / 1000).toFixed(1)} s, queues idle after ${((t2 - t1) / 1000).toFixed(1)} s more; ` +
				Object.entries(queues)
					.map(([q, s]) => `${q} done=${s.done} failed=${s.failed}`)
					.join(', ')
		);
		for (const q of Object.values(queues)) expect(q.failed).toBe(0);

		library = (await exportLibrary(page)).library as unknown as FacesExport;
		const byAsset = new Map(library.assets.map((a) => [a.id, a.originalName]));
		for (const f of library.faces) {
			const name = byAsset.get(f.assetId)!;
			facesOf.set(name, [...(facesOf.get(name) ?? []), f]);
		}
		labelled = [];
		for (const e of entries) {
			const fs = facesOf.get(basename(e.path)) ?? [];
			const labels = labelFaces(e, fs);
			fs.forEach((f, i) => labelled.push({ ...f, file: basename(e.path), label: labels[i] }));
		}
		await saveArtifact('people-corpus.json', { library: { faces: library.faces, people: library.people }, labelled });
	}, 900_000);

	afterAll(async () => app?.close());

	it('finds the manifest’s face count in each group photo, one face in each crop and single photo, none on the no-face images', () => {
		const rows: string[] = [];
		const got: [string, number | null][] = [];
		const want: [string, number | null][] = [];
		for (const e of entries) {
			const name = basename(e.path);
			const n = facesOf.get(name)?.length ?? 0;
			rows.push(`${name}=${n}${e.expect.face_count == null ? ` (≥${e.expect.face_count_min ?? '?'} expected)` : ''}`);
			if (e.expect.face_count == null) continue; // the crowd: a lower bound only, reported
			got.push([name, n]);
			want.push([name, e.expect.face_count]);
		}
		console.log(`[people-corpus] faces per photo: ${rows.join(', ')}`);
		expect(got).toEqual(want);
	});

	it('forms people with pairwise precision ≥ 0.95 and recall ≥ 0.85 over the labelled faces', async () => {
		const items = labelled.filter((f): f is Labelled & { label: string } => f.label !== null);
		const s = pairwise(items);
		const people = new Set(library.faces.map((f) => f.personId).filter((p) => p !== null));
		const unassigned = library.faces.filter((f) => f.personId === null).length;
		const unassignedLabelled = items.filter((f) => f.personId === null).length;
		console.log(
			`[people-corpus] labelled faces ${items.length}: precision ${s.precision.toFixed(3)} (${s.truePairs}/${s.predictedPairs} pairs), recall ${s.recall.toFixed(3)} (${s.truePairs}/${s.actualPairs}); ` +
				`people ${library.people.length} (${people.size} with faces), unassigned faces ${unassigned} (${unassignedLabelled} of them labelled), faces in all ${library.faces.length}`
		);
		// Who went where: each identity's faces by person, each person's faces by identity.
		const byLabel = new Map<string, string[]>();
		for (const f of items) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), short(f.personId)]);
		console.log(`[people-corpus] identity → persons: ${[...byLabel].map(([l, ps]) => `${l}[${ps.join(' ')}]`).join(', ')}`);
		const byPerson = new Map<string, string[]>();
		for (const f of labelled) if (f.personId) byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), f.label ?? `?${f.file}`]);
		console.log(`[people-corpus] person → identities: ${[...byPerson].map(([p, ls]) => `${short(p)}{${ls.join(' ')}}`).join(', ')}`);

		// The distances behind the figures (embeddings are not exported: read from IndexedDB);
		// per face only when a threshold is missed.
		await printDistances(page, items, !(s.precision >= 0.95 && s.recall >= 0.85));
		expect(s.precision).toBeGreaterThanOrEqual(0.95);
		expect(s.recall).toBeGreaterThanOrEqual(0.85);
	});

	it('leaves each stock face unassigned or in a person of its own', () => {
		const stock = labelled.filter((f) => f.label?.startsWith('unknown_'));
		expect(stock.length).toBe(entries.filter((e) => e.path.startsWith('faces/single/')).length);
		const rows = stock.map((f) => {
			const others = f.personId ? labelled.filter((g) => g !== f && g.personId === f.personId) : [];
			return { label: f.label, personId: f.personId, sharedWith: others.map((g) => g.label ?? `?${g.file}`) };
		});
		console.log(`[people-corpus] stock faces: ${rows.map((r) => `${r.label}→${r.personId ? `${short(r.personId)} with [${r.sharedWith.join(' ')}]` : 'unassigned'}`).join(', ')}`);
		for (const r of rows) expect(r.sharedWith.filter((l) => !l.startsWith('?')), `${r.label} shares a person with labelled faces`).toEqual([]);
	});
});

/**
 * The cosine distances behind the figures, from the embeddings in IndexedDB (library.json has
 * none): the farthest same-identity pair and the closest different-identity pair; with `perFace`,
 * each face's distance to its own identity's centroid and to the nearest other identity's.
 */
async function printDistances(page: Page, items: Array<Labelled & { label: string }>, perFace: boolean) {
	let rows: DbFace[];
	try {
		rows = await readDbFaces(page);
	} catch (e) {
		console.log(`[people-corpus] could not read face rows from IndexedDB: ${e}`);
		return;
	}
	const key = (f: { assetId: string; box: number[] }) => `${f.assetId}:${f.box.map((v) => v.toFixed(5)).join(',')}`;
	const byKey = new Map(rows.map((r) => [key(r), r]));
	const withEmb = items.map((f) => ({ ...f, emb: byKey.get(key(f))?.embedding })).filter((f): f is typeof f & { emb: number[] } => !!f.emb);
	const labels = [...new Set(withEmb.map((f) => f.label))];
	const cents = new Map(labels.map((l) => [l, centroid(withEmb.filter((f) => f.label === l).map((f) => f.emb))]));
	const lines: string[] = [];
	for (const l of labels) {
		const own = withEmb.filter((f) => f.label === l);
		const parts = own.map((f) => {
			const d = cosineDistance(f.emb, cents.get(l)!);
			let near = '';
			let nd = Infinity;
			for (const m of labels) if (m !== l && cosineDistance(f.emb, cents.get(m)!) < nd) [near, nd] = [m, cosineDistance(f.emb, cents.get(m)!)];
			return `${f.file}:${short(f.personId)} own ${d.toFixed(2)} / ${near} ${nd.toFixed(2)}`;
		});
		lines.push(`  ${l}: ${parts.join('; ')}`);
	}
	let same = -Infinity;
	let diff = { d: Infinity, a: '', b: '' };
	for (let i = 0; i < withEmb.length; i++)
		for (let j = i + 1; j < withEmb.length; j++) {
			const d = cosineDistance(withEmb[i].emb, withEmb[j].emb);
			if (withEmb[i].label === withEmb[j].label) same = Math.max(same, d);
			else if (d < diff.d) diff = { d, a: `${withEmb[i].label}(${withEmb[i].file})`, b: `${withEmb[j].label}(${withEmb[j].file})` };
		}
	console.log(
		`[people-corpus] cosine distances (${withEmb.length}/${items.length} faces matched to rows): farthest same-identity pair ${same.toFixed(2)}, closest different pair ${diff.d.toFixed(2)} ${diff.a}–${diff.b}` +
			(perFace ? `\n${lines.join('\n')}` : '')
	);
}
