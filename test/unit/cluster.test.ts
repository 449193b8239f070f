import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	assign,
	cosineDistance,
	DEFAULT_CLUSTER_OPTIONS,
	DEFAULT_MAX_DISTANCE,
	DEFAULT_MIN_FACES,
	pairwiseScores,
	reclusterAll,
	type ClusterFace,
	type ClusterPerson,
	type Decisions
} from '../../src/lib/people/cluster';

const DIM = 16;
/** A unit vector at cosine distance `d` from axis `axis`, leaning towards axis `towards`. */
function vec(axis: number, d = 0, towards = (axis + 1) % DIM): Float32Array {
	const v = new Float32Array(DIM);
	const c = 1 - d;
	v[axis] = c;
	v[towards] = Math.sqrt(1 - c * c);
	return v;
}
let seq = 0;
const face = (assetId: string, embedding: Float32Array, over: Partial<ClusterFace> = {}): ClusterFace => ({
	id: `f${seq++}`,
	assetId,
	embedding,
	personId: null,
	assignedBy: null,
	...over
});
const ids = () => {
	let n = 0;
	return () => `p${n++}`;
};
/** Applies decisions to rows as people.ts does in IndexedDB. */
function apply(faces: ClusterFace[], d: Decisions) {
	const byId = new Map(faces.map((f) => [f.id, f]));
	for (const a of d.assign) Object.assign(byId.get(a.faceId)!, { personId: a.personId, assignedBy: 'auto' });
	for (const id of d.unassign) Object.assign(byId.get(id)!, { personId: null, assignedBy: null });
}
const opts = { maxDistance: 0.5, minFaces: 3 };

describe('incremental assignment', () => {
	it('defaults: min faces 3, max distance tuned on the corpus', () => {
		expect(DEFAULT_MIN_FACES).toBe(3);
		expect(DEFAULT_MAX_DISTANCE).toBe(0.6);
		expect(DEFAULT_CLUSTER_OPTIONS.linkage).toBe('centroid');
	});

	it('keeps faces waiting until min faces from distinct photos agree, then forms one person', () => {
		const a = face('A', vec(0, 0.1));
		const b = face('B', vec(0, 0.2));
		let d = assign([a, b], { assigned: [], waiting: [], options: opts, newId: ids() });
		expect(d).toEqual({ create: [], assign: [], unassign: [], remove: [] });
		// Two of the three in one photo: still only two photos agree.
		const b2 = face('B', vec(0, 0.15, 3));
		d = assign([b2], { assigned: [], waiting: [a, b], options: opts, newId: ids() });
		expect(d.create).toEqual([]);
		const c = face('C', vec(0, 0.05));
		d = assign([c], { assigned: [], waiting: [a, b, b2], options: opts, newId: ids() });
		expect(d.create).toEqual(['p0']);
		// One face per photo: only one of B's two faces joins.
		expect(d.assign.map((x) => x.faceId).sort()).toHaveLength(3);
		expect(d.assign.every((x) => x.personId === 'p0')).toBe(true);
		const joinedB = d.assign.filter((x) => x.faceId === b.id || x.faceId === b2.id);
		expect(joinedB).toHaveLength(1);
	});

	it('minFaces 1 makes every far face its own person', () => {
		const d = assign([face('A', vec(0)), face('B', vec(5)), face('C', vec(10))], { assigned: [], waiting: [], options: { ...opts, minFaces: 1 }, newId: ids() });
		expect(d.create).toHaveLength(3);
		expect(new Set(d.assign.map((x) => x.personId)).size).toBe(3);
	});

	it.each(['centroid', 'nearest'] as const)('a new face joins the closest person within max distance, and only then (%s)', (linkage) => {
		const p = [face('A', vec(0), { personId: 'ann', assignedBy: 'auto' })];
		const q = [face('C', vec(4), { personId: 'bob', assignedBy: 'auto' })];
		const near = face('D', vec(0, 0.49));
		const far = face('E', vec(0, 0.51, 7));
		const d = assign([near, far], { assigned: [...p, ...q], waiting: [], options: { ...opts, linkage } });
		expect(d.assign).toEqual([{ faceId: near.id, personId: 'ann' }]);
		expect(d.create).toEqual([]);
	});

	it('centroid: the distance is to the mean of the person’s faces; nearest: to the closest face', () => {
		// Ann's four faces point four ways; a face close to one of them is far from their mean.
		const p = [1, 2, 3, 4].map((axis) => face(`A${axis}`, vec(axis), { personId: 'ann', assignedBy: 'auto' }));
		const probe = face('P', vec(1, 0.1, 6));
		expect(assign([probe], { assigned: p, waiting: [], options: { ...opts, linkage: 'nearest' } }).assign).toHaveLength(1);
		expect(assign([probe], { assigned: p, waiting: [], options: { ...opts, linkage: 'centroid' } }).assign).toHaveLength(0);
	});

	it('never gives a person two faces of the same photo', () => {
		const p = [face('A', vec(0), { personId: 'ann', assignedBy: 'auto' })];
		const twin = face('A', vec(0, 0.01));
		const d = assign([twin], { assigned: p, waiting: [], options: opts });
		expect(d.assign).toEqual([]);
	});

	it('two faces of one new photo that both match a person: only the closer one joins', () => {
		const p = [face('A', vec(0), { personId: 'ann', assignedBy: 'auto' })];
		const close = face('G', vec(0, 0.05));
		const lessClose = face('G', vec(0, 0.3, 5));
		const d = assign([lessClose, close], { assigned: p, waiting: [], options: opts });
		expect(d.assign).toEqual([{ faceId: close.id, personId: 'ann' }]);
	});

	it('waiting faces join a person once it comes near them', () => {
		const waiting = face('W', vec(0, 0.45));
		const p = [face('A', vec(0, 0.45, 9), { personId: 'ann', assignedBy: 'auto' })];
		// The waiting face is ~0.9 from ann's only face; a new face between them brings ann closer.
		const between = face('N', vec(0, 0.05));
		const d = assign([between], { assigned: p, waiting: [waiting], options: opts });
		expect(d.assign).toEqual([
			{ faceId: between.id, personId: 'ann' },
			{ faceId: waiting.id, personId: 'ann' }
		]);
	});

	it('leaves faces that are already assigned or that the user took out alone', () => {
		const p = [face('A', vec(0), { personId: 'ann', assignedBy: 'auto' })];
		const removed = face('B', vec(0, 0.01), { assignedBy: 'user' });
		const other = face('C', vec(0, 0.01), { personId: 'bob', assignedBy: 'auto' });
		const d = assign([removed, other], { assigned: p, waiting: [], options: opts });
		expect(d.assign).toEqual([]);
	});
});

describe('re-cluster everything', () => {
	function library() {
		seq = 0;
		const faces: ClusterFace[] = [];
		// Three tight groups of four photos each, on axes 0, 4 and 8.
		for (const [axis, who] of [
			[0, 'ann'],
			[4, 'bob'],
			[8, 'cid']
		] as const)
			for (let i = 0; i < 4; i++) faces.push(face(`${who}${i}`, vec(axis, 0.05 * i, axis + 1 + (i % 2))));
		return faces;
	}

	it('forms people from scratch and keeps their ids when run again', () => {
		const faces = library();
		const d = reclusterAll(faces, [], { ...opts, newId: ids() });
		expect(d.create).toEqual(['p0', 'p1', 'p2']);
		apply(faces, d);
		const people: ClusterPerson[] = d.create.map((id) => ({ id, name: null, hidden: 0 }));
		expect(new Set(faces.map((f) => f.personId)).size).toBe(3);
		const again = reclusterAll(faces, people, { ...opts, newId: ids() });
		expect(again).toEqual({ create: [], assign: [], unassign: [], remove: [] });
	});

	it('drops empty unconfirmed people and unassigns faces that no longer form a core', () => {
		const faces = library().slice(0, 4);
		for (const f of faces) Object.assign(f, { personId: 'old', assignedBy: 'auto' });
		const d = reclusterAll(faces, [{ id: 'old', name: null, hidden: 0 }], { maxDistance: 0.5, minFaces: 5, newId: ids() });
		expect(d.unassign.sort()).toEqual(faces.map((f) => f.id).sort());
		expect(d.remove).toEqual(['old']);
	});

	it('keeps user assignments, named, hidden and merged people', () => {
		const faces = library();
		const d = reclusterAll(faces, [], { ...opts, newId: ids() });
		apply(faces, d);
		const [ann, bob, cid] = d.create;
		// The user names ann, hides bob, merges cid into ann... no: merges a stranger group into cid
		// (a merge marks the moved faces 'user'), and moves one of ann's faces to bob by hand.
		const strangers = [0, 1, 2].map((i) => face(`s${i}`, vec(12, 0.05 * i), { personId: cid, assignedBy: 'user' }));
		faces.push(...strangers);
		const moved = faces.find((f) => f.personId === ann)!;
		Object.assign(moved, { personId: bob, assignedBy: 'user' });
		const takenOut = faces.filter((f) => f.personId === ann)[1];
		Object.assign(takenOut, { personId: null, assignedBy: 'user' });
		const people: ClusterPerson[] = [
			{ id: ann, name: 'Ann', hidden: 0 },
			{ id: bob, name: null, hidden: 1 },
			{ id: cid, name: null, hidden: 0 }
		];
		const before = faces.map((f) => [f.id, f.personId, f.assignedBy]);
		const again = reclusterAll(faces, people, { ...opts, newId: ids() });
		expect(again.remove).toEqual([]);
		expect(again.create).toEqual([]);
		apply(faces, again);
		expect(faces.map((f) => [f.id, f.personId, f.assignedBy])).toEqual(before);
	});

	it('re-forms unconfirmed people around kept ones and never merges into a kept person past the threshold', () => {
		const faces = library();
		for (const f of faces.slice(0, 4)) Object.assign(f, { personId: 'named', assignedBy: 'auto' });
		// Wrong automatic assignment of bob's faces to ann's unnamed twin: re-cluster fixes it.
		for (const f of faces.slice(4)) Object.assign(f, { personId: 'mixed', assignedBy: 'auto' });
		const d = reclusterAll(
			faces,
			[
				{ id: 'named', name: 'Ann', hidden: 0 },
				{ id: 'mixed', name: null, hidden: 0 }
			],
			{ ...opts, newId: ids() }
		);
		apply(faces, d);
		expect(faces.slice(0, 4).every((f) => f.personId === 'named')).toBe(true);
		const bob = new Set(faces.slice(4, 8).map((f) => f.personId));
		const cid = new Set(faces.slice(8).map((f) => f.personId));
		expect(bob.size).toBe(1);
		expect(cid.size).toBe(1);
		expect([...bob][0]).not.toBe([...cid][0]);
		// One of the two clusters keeps the old id; the other is new.
		expect(d.create).toEqual(['p0']);
		expect(d.remove).toEqual([]);
	});
});

describe('shared faces corpus (SCRFD-2.5g + MobileFaceNet embeddings)', () => {
	const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/faces/corpus-embeddings.json'), 'utf8')) as {
		faces: Array<{ asset: string; identity: string; embedding: number[] }>;
	};
	const corpus = () =>
		fixture.faces.map((f, i) => ({ ...face(f.asset, Float32Array.from(f.embedding), { id: `c${i}` }), identity: f.identity }));

	it('has embeddings for every identity crop and group face', () => {
		expect(fixture.faces.length).toBe(47);
		for (const f of fixture.faces) expect(Math.abs(cosineDistance(f.embedding, f.embedding))).toBeLessThan(1e-3);
	});

	it.each([undefined, 'nearest'] as const)('re-cluster everything at the default max distance: pairwise precision ≥ 0.95, recall ≥ 0.85 (linkage %s)', (linkage) => {
		const faces = corpus();
		apply(faces, reclusterAll(faces, [], { linkage }));
		const s = pairwiseScores(faces.map((f) => ({ truth: f.identity, predicted: f.personId })));
		console.log(`corpus, re-cluster (${linkage ?? 'default'}): precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (${s.predictedPairs} predicted pairs, ${s.truePairs} true)`);
		expect(s.precision).toBeGreaterThanOrEqual(0.95);
		expect(s.recall).toBeGreaterThanOrEqual(0.85);
		// The four stock faces are four different people with one photo each: nobody.
		expect(faces.filter((f) => f.identity.startsWith('unknown')).every((f) => f.personId === null)).toBe(true);
	});

	it('incremental batches in the queue’s way reach the same figures', () => {
		const faces = corpus().reverse();
		for (let i = 0; i < faces.length; i += 5) {
			const done = faces.slice(0, i);
			apply(faces, assign(faces.slice(i, i + 5), { assigned: done.filter((f) => f.personId), waiting: done.filter((f) => !f.personId) }));
		}
		const s = pairwiseScores(faces.map((f) => ({ truth: f.identity, predicted: f.personId })));
		console.log(`corpus, incremental: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`);
		expect(s.precision).toBeGreaterThanOrEqual(0.95);
		expect(s.recall).toBeGreaterThanOrEqual(0.85);
	});
});
