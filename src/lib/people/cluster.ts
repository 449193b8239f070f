// Clustering faces into people, as Immich does it: incremental, density-gated, one person per face
// per photo. Pure (no DOM, no IndexedDB): vitest runs it in Node, `people/recognition.ts` feeds it
// rows and applies its decisions. The rules are in docs/people.md.
//
// - A face joins the closest person (cosine distance to the person's mean embedding), if that is
//   within `maxDistance` and the person has no other face in the same asset.
// - A face near nobody waits unassigned. Once at least `minFaces` waiting faces from distinct assets
//   lie within `maxDistance` of one of them (a dense core), that core becomes a new person and its
//   neighbours join it.
// - `assignedBy: 'user'` faces are never moved (nor a user's "not this person", personId null).
// - Re-cluster everything drops the automatic assignments of unconfirmed people only: a person the
//   user named, hid or merged (a merge marks the moved faces `user`), and every user-assigned face,
//   are kept as seeds; everything else is clustered again around them.
//
// Centroid or nearest face (Immich uses the nearest face): scripts/tune-faces.mjs measures both on
// the shared corpus (docs/people.md has the table). Both are perfect from 0.55 up; the nearest face
// starts merging different people at 0.65 (one close stranger is enough to chain), the centroid
// only at 0.75, so the centroid leaves twice the margin around the default. A mean over many faces
// is also steadier than any one of them, and it costs one comparison per person instead of one per
// face, which matters on a phone with tens of thousands of faces. `linkage: 'nearest'` remains.

export interface ClusterFace {
	id: string;
	assetId: string;
	/** L2-normalised embedding. */
	embedding: ArrayLike<number>;
	personId: string | null;
	assignedBy: 'auto' | 'user' | null;
}

export interface ClusterPerson {
	id: string;
	name: string | null;
	hidden: 0 | 1;
}

export interface ClusterOptions {
	/** Largest cosine distance (1 − cosine similarity) at which two faces count as the same person. */
	maxDistance: number;
	/** Waiting faces (from distinct assets) that must agree before a new person is formed. */
	minFaces: number;
	/** Distance from a face to a person: to its mean embedding (default) or to its nearest face. */
	linkage: 'nearest' | 'centroid';
}

/** Tuned on ../shared/media/faces with SCRFD + MobileFaceNet (scripts/tune-faces.mjs, docs/people.md). */
export const DEFAULT_MAX_DISTANCE = 0.6;
export const DEFAULT_MIN_FACES = 3;
export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = { maxDistance: DEFAULT_MAX_DISTANCE, minFaces: DEFAULT_MIN_FACES, linkage: 'centroid' };

/** What to write. Every `assign` is an automatic assignment (`assignedBy: 'auto'`). */
export interface Decisions {
	/** New people to create (unnamed, visible), in the order they were formed. */
	create: string[];
	/** Faces to assign to a person (existing or in `create`). */
	assign: Array<{ faceId: string; personId: string }>;
	/** Faces whose automatic assignment is dropped: they wait unassigned (personId null, assignedBy null). */
	unassign: string[];
	/** People left with no faces and not kept by the user: delete. */
	remove: string[];
}

export interface AssignContext {
	/** Every face that has a person now (the people as they are). */
	assigned: ClusterFace[];
	/** Faces waiting unassigned from earlier batches (personId null, assignedBy not 'user'). */
	waiting: ClusterFace[];
	options?: Partial<ClusterOptions>;
	/** Id for a new person (default: crypto.randomUUID()). */
	newId?: () => string;
}

export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
	return 1 - dot;
}

interface Group {
	id: string;
	faces: ClusterFace[];
	assets: Set<string>;
	sum: Float64Array;
	/** |sum|, kept as faces join: every waiting face is measured against it after each join. */
	norm: number;
}

interface Pending {
	face: ClusterFace;
	/** A face of this batch (its neighbours may form a new core). */
	fresh: boolean;
	best: Group | null;
	bestD: number;
	neighbours: Pending[] | null;
}

/**
 * The core: `people` (with their faces) absorb `pending` faces, and dense cores of what is left
 * form new people. Mutates nothing it is given; returns face → person for the pending faces that
 * got one and the ids of the people it formed.
 */
function cluster(
	assigned: ClusterFace[],
	pending: Array<{ face: ClusterFace; fresh: boolean }>,
	opts: ClusterOptions,
	newId: () => string
): { placed: Map<string, string>; formed: string[] } {
	const { maxDistance, minFaces, linkage } = opts;
	const groups = new Map<string, Group>();
	const dims = (assigned[0] ?? pending[0]?.face)?.embedding.length ?? 0;
	const group = (id: string): Group => {
		let g = groups.get(id);
		if (!g) groups.set(id, (g = { id, faces: [], assets: new Set(), sum: new Float64Array(dims), norm: 0 }));
		return g;
	};
	const addTo = (g: Group, f: ClusterFace) => {
		g.faces.push(f);
		g.assets.add(f.assetId);
		let sq = 0;
		for (let i = 0; i < dims; i++) {
			g.sum[i] += f.embedding[i];
			sq += g.sum[i] * g.sum[i];
		}
		g.norm = Math.sqrt(sq);
	};
	for (const f of assigned) if (f.personId) addTo(group(f.personId), f);

	const centroidDistance = (f: ClusterFace, g: Group) => {
		let dot = 0;
		for (let i = 0; i < dims; i++) dot += f.embedding[i] * g.sum[i];
		return g.norm ? 1 - dot / g.norm : 2;
	};
	const distanceTo = (f: ClusterFace, g: Group) => {
		if (linkage === 'centroid') return centroidDistance(f, g);
		let d = Infinity;
		for (const h of g.faces) d = Math.min(d, cosineDistance(f.embedding, h.embedding));
		return d;
	};
	const recompute = (p: Pending) => {
		p.best = null;
		p.bestD = Infinity;
		for (const g of groups.values()) {
			if (g.assets.has(p.face.assetId) || !g.faces.length) continue;
			const d = distanceTo(p.face, g);
			if (d < p.bestD) [p.best, p.bestD] = [g, d];
		}
	};

	const open: Pending[] = pending.map(({ face, fresh }) => ({ face, fresh, best: null, bestD: Infinity, neighbours: null }));
	// A face waiting from an earlier batch was already farther than maxDistance from every person
	// (nearest-face linkage only grows closer as people gain faces, and those updates follow below).
	for (const p of open) if (p.fresh || linkage === 'centroid') recompute(p);

	const placed = new Map<string, string>();
	const formed: string[] = [];
	const openSet = new Set(open);

	const place = (p: Pending, g: Group) => {
		openSet.delete(p);
		addTo(g, p.face);
		placed.set(p.face.id, g.id);
		for (const q of openSet) {
			if (g.assets.has(q.face.assetId)) {
				if (q.best === g) recompute(q);
				continue;
			}
			if (linkage === 'centroid') {
				const d = centroidDistance(q.face, g);
				if (q.best === g && d > q.bestD) recompute(q);
				else if (d < q.bestD) [q.best, q.bestD] = [g, d];
			} else {
				const d = cosineDistance(q.face.embedding, p.face.embedding);
				if (d < q.bestD) [q.best, q.bestD] = [g, d];
			}
		}
	};

	const neighbours = (p: Pending): Pending[] => {
		if (!p.neighbours) {
			p.neighbours = [];
			for (const q of open) if (q !== p && cosineDistance(p.face.embedding, q.face.embedding) <= maxDistance) p.neighbours.push(q);
		}
		return p.neighbours;
	};
	/** Distinct assets among the still-waiting faces within maxDistance of p, p included. */
	const density = (p: Pending) => {
		const assets = new Set([p.face.assetId]);
		for (const q of neighbours(p)) if (openSet.has(q)) assets.add(q.face.assetId);
		return assets.size;
	};

	for (;;) {
		// 1. The closest (waiting face, person) pair within maxDistance joins, until none is left.
		let next: Pending | null = null;
		for (const p of openSet) if (p.best && p.bestD <= maxDistance && (!next || p.bestD < next.bestD)) next = p;
		if (next) {
			place(next, next.best!);
			continue;
		}
		// 2. Otherwise the densest core among faces that could have gained neighbours in this batch
		// (fresh faces and their neighbours) becomes a new person; step 1 then brings its neighbours.
		if (minFaces > openSet.size) break;
		const candidates = new Set<Pending>();
		for (const p of openSet) if (p.fresh) for (const q of [p, ...neighbours(p)]) if (openSet.has(q)) candidates.add(q);
		let core: Pending | null = null;
		let coreDensity = 0;
		for (const p of candidates) {
			const n = density(p);
			if (n >= Math.max(1, minFaces) && n > coreDensity) [core, coreDensity] = [p, n];
		}
		if (!core) break;
		const id = newId();
		formed.push(id);
		place(core, group(id));
	}
	return { placed, formed };
}

function withDefaults(options?: Partial<ClusterOptions>): ClusterOptions {
	return { ...DEFAULT_CLUSTER_OPTIONS, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) };
}

const uuid = () => crypto.randomUUID();

/**
 * One facialRecognition batch: where each new face goes. Faces already with a person or assigned
 * by the user are left alone; faces waiting from earlier batches may join a person or a new core.
 */
export function assign(newFaces: ClusterFace[], context: AssignContext): Decisions {
	const opts = withDefaults(context.options);
	const seen = new Set<string>();
	const fresh = newFaces.filter((f) => f.personId === null && f.assignedBy !== 'user' && !seen.has(f.id) && seen.add(f.id));
	const waiting = context.waiting.filter((f) => f.personId === null && f.assignedBy !== 'user' && !seen.has(f.id));
	const { placed, formed } = cluster(
		context.assigned.filter((f) => f.personId !== null),
		[...fresh.map((face) => ({ face, fresh: true })), ...waiting.map((face) => ({ face, fresh: false }))],
		opts,
		context.newId ?? uuid
	);
	return { create: formed, assign: [...placed].map(([faceId, personId]) => ({ faceId, personId })), unassign: [], remove: [] };
}

/**
 * People the user has confirmed: named, hidden, or holding a face the user assigned (a merge marks
 * the moved faces `user`). Re-clustering keeps them and all their faces.
 */
export function keptPeople(faces: ClusterFace[], people: ClusterPerson[]): Set<string> {
	const kept = new Set(people.filter((p) => p.name || p.hidden).map((p) => p.id));
	for (const f of faces) if (f.assignedBy === 'user' && f.personId) kept.add(f.personId);
	return kept;
}

/**
 * Re-cluster everything: every face not held by a kept person or by the user is clustered again
 * around the kept people. A new cluster reuses the id of the old unconfirmed person most of its
 * faces came from, so pages and covers stay put when nothing changed. `faces` should be in
 * detection order (createdAt).
 */
export function reclusterAll(faces: ClusterFace[], people: ClusterPerson[], options?: Partial<ClusterOptions> & { newId?: () => string }): Decisions {
	const opts = withDefaults(options);
	const kept = keptPeople(faces, people);
	const seeds = faces.filter((f) => f.personId !== null && (kept.has(f.personId) || f.assignedBy === 'user'));
	const seedIds = new Set(seeds.map((f) => f.id));
	const loose = faces.filter((f) => !seedIds.has(f.id) && f.assignedBy !== 'user');
	let n = 0;
	const { placed, formed } = cluster(
		seeds,
		loose.map((face) => ({ face, fresh: true })),
		opts,
		() => `new:${n++}`
	);

	// Give each new cluster the id of the unconfirmed old person it overlaps most (each id once).
	const overlap = new Map<string, Map<string, number>>();
	for (const f of loose) {
		const to = placed.get(f.id);
		if (!to || !formed.includes(to) || !f.personId || kept.has(f.personId)) continue;
		const m = overlap.get(to) ?? new Map<string, number>();
		m.set(f.personId, (m.get(f.personId) ?? 0) + 1);
		overlap.set(to, m);
	}
	const pairs = [...overlap].flatMap(([to, m]) => [...m].map(([from, count]) => ({ to, from, count })));
	pairs.sort((a, b) => b.count - a.count || a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
	const rename = new Map<string, string>();
	const reused = new Set<string>();
	for (const { to, from } of pairs) if (!rename.has(to) && !reused.has(from)) (rename.set(to, from), reused.add(from));
	const newId = options?.newId ?? uuid;
	const create: string[] = [];
	for (const id of formed) if (!rename.has(id)) rename.set(id, (create.push(newId()), create[create.length - 1]));

	const decisions: Decisions = { create, assign: [], unassign: [], remove: [] };
	for (const f of loose) {
		const raw = placed.get(f.id);
		const to = raw ? (rename.get(raw) ?? raw) : null;
		if (to === f.personId) continue;
		if (to) decisions.assign.push({ faceId: f.id, personId: to });
		else decisions.unassign.push(f.id);
	}
	const stillUsed = new Set([...seeds.map((f) => f.personId!), ...reused]);
	decisions.remove = people.filter((p) => !kept.has(p.id) && !stillUsed.has(p.id)).map((p) => p.id);
	return decisions;
}

/** Pairwise precision and recall of a clustering against the truth (unassigned faces are alone). */
export function pairwiseScores(items: Array<{ truth: string; predicted: string | null }>): { precision: number; recall: number; truePairs: number; predictedPairs: number } {
	let tp = 0;
	let predictedPairs = 0;
	let truePairs = 0;
	for (let i = 0; i < items.length; i++)
		for (let j = i + 1; j < items.length; j++) {
			const same = items[i].truth === items[j].truth;
			const together = items[i].predicted !== null && items[i].predicted === items[j].predicted;
			if (same) truePairs++;
			if (together) predictedPairs++;
			if (same && together) tp++;
		}
	return { precision: predictedPairs ? tp / predictedPairs : 1, recall: truePairs ? tp / truePairs : 1, truePairs, predictedPairs };
}
