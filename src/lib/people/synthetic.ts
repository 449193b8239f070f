// Fake faces for trying People without the ML pipeline (the /dev page, end-to-end tests): faces
// with clustered random embeddings put on existing assets, then clustered like real ones.
import { db } from '../db/schema';
import type { Face } from '../db/types';
import { rng } from '../synthetic/rows';
import { recognizeFaces } from './client';
import type { RecognitionResult } from './recognition';
import { TIMELINE_RANGE } from '../timeline/range';

export interface SyntheticFacesOptions {
	/** Distinct people. */
	people?: number;
	/** Photos each person appears in (at most one face per photo each). */
	facesPerPerson?: number;
	/** One-off faces of strangers (each its own person: they stay unassigned). */
	strangers?: number;
	seed?: number;
	/** Embedding length (MobileFaceNet: 128). */
	dims?: number;
	maxDistance?: number;
	minFaces?: number;
}

function gaussian(random: () => number): number {
	return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
	const n = Math.hypot(...v);
	for (let i = 0; i < v.length; i++) v[i] /= n;
	return v;
}

/**
 * Pure: `people` centres far apart (random directions are nearly orthogonal), each face its centre
 * plus noise (same person ≈ 0.2 cosine distance, different people ≈ 1). Face `k` of person `p` is
 * on asset `(p + k * stride) % assets`, so photos hold several people, never one person twice.
 */
export function syntheticFaces(assetIds: string[], o: SyntheticFacesOptions = {}, now = Date.now()): Face[] {
	const { people = 4, facesPerPerson = 5, strangers = 2, seed = 1, dims = 128 } = o;
	const random = rng(seed);
	const centre = () => normalise(Float32Array.from({ length: dims }, () => gaussian(random)));
	const centres = Array.from({ length: people }, centre);
	const slots = new Map<string, number>();
	const faces: Face[] = [];
	const add = (assetId: string, embedding: Float32Array) => {
		const slot = slots.get(assetId) ?? 0;
		slots.set(assetId, slot + 1);
		// Side by side, left to right, in rows of four.
		const x = 0.04 + (slot % 4) * 0.24;
		const y = 0.15 + Math.floor(slot / 4) * 0.4;
		faces.push({
			id: crypto.randomUUID(),
			assetId,
			box: [x, y, 0.18, 0.24],
			landmarks: [x + 0.05, y + 0.08, x + 0.13, y + 0.08, x + 0.09, y + 0.13, x + 0.06, y + 0.18, x + 0.12, y + 0.18],
			score: 0.9 + random() * 0.09,
			embedding,
			model: 'synthetic',
			cropPath: null,
			personId: null,
			assignedBy: null,
			createdAt: now + faces.length
		});
	};
	const n = assetIds.length;
	if (!n) return [];
	const stride = Math.max(1, Math.floor(n / Math.max(1, facesPerPerson)));
	for (let k = 0; k < Math.min(facesPerPerson, n); k++)
		for (let p = 0; p < people; p++) {
			const c = centres[p];
			add(assetIds[(p + k * stride) % n], normalise(Float32Array.from(c, (v) => v + 0.045 * gaussian(random))));
		}
	for (let s = 0; s < strangers; s++) add(assetIds[(s * 7 + 3) % n], centre());
	return faces;
}

/** Adds synthetic faces to the library's photos (newest first) and clusters them in the people worker. */
export async function addSyntheticFaces(o: SyntheticFacesOptions = {}): Promise<{ faces: number } & RecognitionResult> {
	const x = db();
	const assets = await x.assets.where('[state+takenAt+id]').between(...TIMELINE_RANGE).reverse().toArray();
	const faces = syntheticFaces(
		assets.filter((a) => a.type === 'image').map((a) => a.id),
		o
	);
	await x.faces.bulkAdd(faces);
	const r = await recognizeFaces(
		faces.map((f) => f.id),
		{ faceMaxDistance: o.maxDistance, faceMinFaces: o.minFaces }
	);
	return { faces: faces.length, ...r };
}
