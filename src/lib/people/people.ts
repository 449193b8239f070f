// People in IndexedDB: applying the clustering's decisions, and what a person does by hand
// (rename, cover, merge, hide, take a face out, assign a face). The rules are in docs/people.md.
import { db } from '../db/schema';
import type { Asset, Face, Person } from '../db/types';
import type { Decisions } from './cluster';

export interface PersonSummary extends Person {
	faceCount: number;
	/** The chosen cover face, else the person's first face (null for a person with no faces). */
	cover: Face | null;
	/** The cover face's asset, for a thumbnail when the face has no crop of its own. */
	coverAsset: Asset | null;
}

export interface FaceWithPerson extends Face {
	person: Person | null;
}

export interface FaceWithAsset extends Face {
	asset: Asset | null;
}

const newPerson = (id: string, now: number, over: Partial<Person> = {}): Person => ({ id, name: null, hidden: 0, coverFaceId: null, createdAt: now, updatedAt: now, ...over });

/**
 * Writes what `assign` / `reclusterAll` decided, in one transaction. A face the user changed since
 * it was read (now `assignedBy: 'user'`) is left alone, and so is a face the incremental mode finds
 * already assigned; assignments to a person deleted meanwhile (merged away) are dropped.
 */
export async function applyDecisions(d: Decisions, mode: 'incremental' | 'recluster', now = Date.now()): Promise<{ assigned: number; created: number; unassigned: number; removed: number }> {
	const x = db();
	return x.transaction('rw', x.faces, x.people, async () => {
		const ids = [...d.assign.map((a) => a.faceId), ...d.unassign];
		const faces = new Map((await x.faces.bulkGet(ids)).filter((f): f is Face => !!f).map((f) => [f.id, f]));
		const targets = [...new Set(d.assign.map((a) => a.personId))].filter((id) => !d.create.includes(id));
		const existing = new Set((await x.people.bulkGet(targets)).filter((p): p is Person => !!p).map((p) => p.id));
		const used = new Set<string>();
		const changes: Array<{ key: string; changes: Partial<Face> }> = [];
		for (const { faceId, personId } of d.assign) {
			const f = faces.get(faceId);
			if (!f || f.assignedBy === 'user' || (mode === 'incremental' && f.personId)) continue;
			if (!d.create.includes(personId) && !existing.has(personId)) continue;
			used.add(personId);
			changes.push({ key: faceId, changes: { personId, assignedBy: 'auto' } });
		}
		let unassigned = 0;
		for (const id of d.unassign) {
			const f = faces.get(id);
			if (!f || f.assignedBy === 'user') continue;
			unassigned++;
			changes.push({ key: id, changes: { personId: null, assignedBy: null } });
		}
		const created = d.create.filter((id) => used.has(id));
		await x.people.bulkAdd(created.map((id) => newPerson(id, now)));
		await x.faces.bulkUpdate(changes);
		// Only people really left without faces go (the user may have assigned one meanwhile).
		let removed = 0;
		for (const id of d.remove) {
			const p = await x.people.get(id);
			if (!p || p.name || p.hidden || (await x.faces.where('personId').equals(id).count()) > 0) continue;
			await x.people.delete(id);
			removed++;
		}
		// A cover that moved to someone else is no longer this person's cover.
		for (const p of await x.people.bulkGet([...used, ...existing])) {
			if (!p?.coverFaceId) continue;
			const c = await x.faces.get(p.coverFaceId);
			if (!c || c.personId !== p.id) await x.people.update(p.id, { coverFaceId: null });
		}
		return { assigned: changes.length - unassigned, created: created.length, unassigned, removed };
	});
}

/** Renames a person; an empty name makes them unnamed again. */
export async function renamePerson(id: string, name: string | null): Promise<void> {
	const clean = name?.trim().slice(0, 200) || null;
	await db().people.update(id, { name: clean, updatedAt: Date.now() });
}

/** Chooses which of a person's faces shows them (null: their first face). */
export async function setCoverFace(personId: string, faceId: string | null): Promise<void> {
	const x = db();
	await x.transaction('rw', x.faces, x.people, async () => {
		if (faceId && (await x.faces.get(faceId))?.personId !== personId) throw new Error('That face is not this person’s.');
		await x.people.update(personId, { coverFaceId: faceId, updatedAt: Date.now() });
	});
}

export async function setHidden(ids: string[], hidden: boolean): Promise<void> {
	const now = Date.now();
	await db().people.bulkUpdate(ids.map((key) => ({ key, changes: { hidden: hidden ? 1 : 0, updatedAt: now } as Partial<Person> })));
}

/**
 * Merges `sourceIds` into `targetId`: their faces move to the target and the sources are deleted.
 * The moved faces are marked `assignedBy: 'user'`, which is how re-clustering knows the merge was
 * the person's and keeps it. The target keeps its name (or takes the first source name), cover and
 * visibility.
 */
export async function mergePeople(targetId: string, sourceIds: string[]): Promise<void> {
	const sources = sourceIds.filter((id) => id !== targetId);
	if (!sources.length) return;
	const x = db();
	await x.transaction('rw', x.faces, x.people, async () => {
		const target = await x.people.get(targetId);
		if (!target) throw new Error('The person to merge into no longer exists.');
		const from = (await x.people.bulkGet(sources)).filter((p): p is Person => !!p);
		const now = Date.now();
		await x.faces.where('personId').anyOf([targetId, ...sources]).modify({ personId: targetId, assignedBy: 'user' });
		await x.people.bulkDelete(from.map((p) => p.id));
		await x.people.update(targetId, {
			name: target.name ?? from.find((p) => p.name)?.name ?? null,
			coverFaceId: target.coverFaceId ?? from.find((p) => p.coverFaceId)?.coverFaceId ?? null,
			updatedAt: now
		});
	});
}

/**
 * "Not this person": the face leaves its person and stays unassigned for good (clustering never
 * takes it again; the person can assign it by hand). A person left with no faces and no name goes.
 */
export async function removeFaceFromPerson(faceId: string): Promise<void> {
	const x = db();
	await x.transaction('rw', x.faces, x.people, async () => {
		const f = await x.faces.get(faceId);
		if (!f?.personId) return;
		const personId = f.personId;
		await x.faces.update(faceId, { personId: null, assignedBy: 'user' });
		const p = await x.people.get(personId);
		if (!p) return;
		if (!p.name && (await x.faces.where('personId').equals(personId).count()) === 0) await x.people.delete(personId);
		else await x.people.update(personId, { updatedAt: Date.now(), ...(p.coverFaceId === faceId ? { coverFaceId: null } : {}) });
	});
}

/** Assigns a face to a person by hand (clustering never moves it afterwards). */
export async function assignFace(faceId: string, personId: string): Promise<void> {
	const x = db();
	await x.transaction('rw', x.faces, x.people, async () => {
		if (!(await x.people.get(personId))) throw new Error('That person no longer exists.');
		const f = await x.faces.get(faceId);
		const before = f?.personId ?? null;
		await x.faces.update(faceId, { personId, assignedBy: 'user' });
		await x.people.update(personId, { updatedAt: Date.now() });
		if (before && before !== personId) {
			const p = await x.people.get(before);
			if (p && !p.name && (await x.faces.where('personId').equals(before).count()) === 0) await x.people.delete(before);
		}
	});
}

/** A new person from one face (by hand), optionally named. Returns the person's id. */
export async function newPersonFromFace(faceId: string, name: string | null = null): Promise<string> {
	const id = crypto.randomUUID();
	const x = db();
	await x.transaction('rw', x.faces, x.people, async () => {
		await x.people.add(newPerson(id, Date.now(), { name: name?.trim() || null }));
		await x.faces.update(faceId, { personId: id, assignedBy: 'user' });
	});
	return id;
}

/** Faces per person, read from the personId index alone (no face rows are loaded). */
export async function faceCounts(): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	const keys = (await db().faces.orderBy('personId').keys()) as string[];
	for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
	return counts;
}

/** Named people first (most faces first, then by name), then unnamed ones by face count. */
export function comparePeople(a: { name: string | null; faceCount: number; createdAt: number; id: string }, b: typeof a): number {
	if (!!a.name !== !!b.name) return a.name ? -1 : 1;
	return b.faceCount - a.faceCount || (a.name ?? '').localeCompare(b.name ?? '') || a.createdAt - b.createdAt || a.id.localeCompare(b.id);
}

/** Everyone, with face counts and covers, sorted for the People page; hidden ones only when asked. */
export async function peopleList({ includeHidden = false } = {}): Promise<PersonSummary[]> {
	const x = db();
	const [people, counts] = await Promise.all([x.people.toArray(), faceCounts()]);
	const shown = people.filter((p) => includeHidden || !p.hidden);
	const covers = await Promise.all(
		shown.map(async (p) => (p.coverFaceId ? await x.faces.get(p.coverFaceId) : undefined) ?? (await x.faces.where('personId').equals(p.id).first()) ?? null)
	);
	const assets = await x.assets.bulkGet(covers.map((c) => c?.assetId ?? ''));
	return shown
		.map((p, i) => ({ ...p, faceCount: counts.get(p.id) ?? 0, cover: covers[i], coverAsset: assets[i] ?? null }))
		.sort(comparePeople);
}

/** The faces in one asset, left to right, each with its person (the viewer's info panel). */
export async function facesOfAsset(assetId: string): Promise<FaceWithPerson[]> {
	const x = db();
	const faces = await x.faces.where('assetId').equals(assetId).toArray();
	const people = await x.people.bulkGet(faces.map((f) => f.personId ?? ''));
	return faces.map((f, i) => ({ ...f, person: people[i] ?? null })).sort((a, b) => a.box[0] - b.box[0]);
}

/** A person's faces with their assets, newest photo first. */
export async function facesOfPerson(personId: string): Promise<FaceWithAsset[]> {
	const x = db();
	const faces = await x.faces.where('personId').equals(personId).toArray();
	const assets = await x.assets.bulkGet(faces.map((f) => f.assetId));
	return faces.map((f, i) => ({ ...f, asset: assets[i] ?? null })).sort((a, b) => (b.asset?.takenAt ?? '').localeCompare(a.asset?.takenAt ?? '') || a.id.localeCompare(b.id));
}

/** The photos a person is in (trash excluded), newest taken first. */
export async function assetsOfPerson(personId: string): Promise<Asset[]> {
	const x = db();
	const ids = [...new Set((await x.faces.where('personId').equals(personId).toArray()).map((f) => f.assetId))];
	const assets = (await x.assets.bulkGet(ids)).filter((a): a is Asset => !!a && a.state !== 'trash');
	return assets.sort((a, b) => b.takenAt.localeCompare(a.takenAt) || b.id.localeCompare(a.id));
}

/** Faces nobody has (waiting for clustering, or taken out by the user), newest first, at most `limit`. */
export async function unassignedFaces(limit = 200): Promise<FaceWithAsset[]> {
	const x = db();
	// personId null is not in the index: walk the table (face rows are small) newest first.
	const faces = (await x.faces.filter((f) => f.personId === null).toArray()).sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).slice(0, limit);
	const assets = await x.assets.bulkGet(faces.map((f) => f.assetId));
	return faces.map((f, i) => ({ ...f, asset: assets[i] ?? null })).filter((f) => f.asset?.state !== 'trash');
}
