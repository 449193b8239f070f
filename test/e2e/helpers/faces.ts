// Face-corpus helpers for the e2e tests: labelling detected faces with the MANIFEST's identities,
// pairwise precision / recall of the people formed, and the face rows (with embeddings) read
// from the app's IndexedDB for diagnostics.
import type { Page } from 'playwright-core';
import type { ExportedFace, ExportedPerson } from '../../../src/lib/db/export';

export type { ExportedFace, ExportedPerson };

export interface FacesExport {
	assets: Array<{ id: string; originalName: string }>;
	faces: ExportedFace[];
	people: ExportedPerson[];
}

export interface FaceManifestEntry {
	path: string;
	expect: { identities?: string[]; face_count?: number | null; face_count_min?: number; note?: string };
}

/** Face rows straight from IndexedDB (`shoebox` → `faces`), embeddings as plain arrays. */
export interface DbFace {
	id: string;
	assetId: string;
	box: number[];
	score: number;
	personId: string | null;
	embedding: number[];
}

const cx = (f: { box: number[] }) => f.box[0] + f.box[2] / 2;
const cy = (f: { box: number[] }) => f.box[1] + f.box[3] / 2;

/**
 * The identity of each face of one photo, in the order of `faces`, or null where it cannot be
 * told. Identity folders and `single/`: the one identity (when exactly one face was found).
 * Group photos: the manifest lists identities left to right; bbt4 lists the back row (left to
 * right) and then the front row, so its faces are split into rows by the box's vertical centre
 * (the back row being the `backRow` highest boxes). When the detected count differs from the
 * manifest's, the photo's faces stay unlabelled (the count assertion reports that).
 */
export function labelFaces<F extends { box: number[] }>(entry: FaceManifestEntry, faces: F[]): (string | null)[] {
	const ids = entry.expect.identities ?? [];
	if (ids.length === 0 || faces.length !== ids.length) return faces.map(() => null);
	const order = faces.map((f, i) => ({ f, i }));
	let sorted: typeof order;
	const backRow = /back row[^)]*\(([^)]*)\)/.exec(entry.expect.note ?? '');
	if (backRow) {
		const n = backRow[1].split(',').length;
		const byY = [...order].sort((a, b) => cy(a.f) - cy(b.f));
		const back = byY.slice(0, n).sort((a, b) => cx(a.f) - cx(b.f));
		const front = byY.slice(n).sort((a, b) => cx(a.f) - cx(b.f));
		sorted = [...back, ...front];
	} else {
		sorted = [...order].sort((a, b) => cx(a.f) - cx(b.f));
	}
	const labels: (string | null)[] = faces.map(() => null);
	sorted.forEach(({ i }, k) => (labels[i] = ids[k]));
	return labels;
}

export interface PairScores {
	precision: number;
	recall: number;
	truePairs: number;
	predictedPairs: number;
	actualPairs: number;
}

/** Pairwise precision / recall: a pair is predicted-same when both have the same non-null person. */
export function pairwise(items: Array<{ label: string; personId: string | null }>): PairScores {
	let tp = 0;
	let predicted = 0;
	let actual = 0;
	for (let i = 0; i < items.length; i++)
		for (let j = i + 1; j < items.length; j++) {
			const same = items[i].label === items[j].label;
			const pred = items[i].personId !== null && items[i].personId === items[j].personId;
			if (same) actual++;
			if (pred) predicted++;
			if (same && pred) tp++;
		}
	return { precision: predicted ? tp / predicted : 1, recall: actual ? tp / actual : 1, truePairs: tp, predictedPairs: predicted, actualPairs: actual };
}

/** Every face row in the page's IndexedDB (database `shoebox`, store `faces`). */
export async function readDbFaces(page: Page): Promise<DbFace[]> {
	return page.evaluate(
		() =>
			new Promise<DbFace[]>((resolve, reject) => {
				const open = indexedDB.open('shoebox');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const req = db.transaction('faces', 'readonly').objectStore('faces').getAll();
					req.onerror = () => reject(req.error);
					req.onsuccess = () => {
						db.close();
						resolve(
							(req.result as Array<Record<string, unknown>>).map((f) => ({
								id: f.id as string,
								assetId: f.assetId as string,
								box: Array.from(f.box as number[]),
								score: f.score as number,
								personId: (f.personId as string | null) ?? null,
								embedding: Array.from(f.embedding as ArrayLike<number>)
							}))
						);
					};
				};
			})
	);
}

/** Cosine distance of two L2-normalised embeddings. */
export function cosineDistance(a: number[], b: number[]): number {
	let dot = 0;
	for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
	return 1 - dot;
}

/** Mean of embeddings, L2-normalised again (the centroid a person is compared by). */
export function centroid(es: number[][]): number[] {
	const m = new Array(es[0].length).fill(0);
	for (const e of es) for (let k = 0; k < e.length; k++) m[k] += e[k];
	const n = Math.hypot(...m) || 1;
	return m.map((v) => v / n);
}
