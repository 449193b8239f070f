// The words of a query against what the jobs stored: things (tags), text in photos, places, file
// names and people's names. Runs in the search worker (IndexedDB through Dexie).
import { cachedUntilChanged } from '../db/live';
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { COCO_CLASSES } from '../../../worker/ml/tags/coco';
import { normalise, wordsOf, type ParsedQuery, type Ranked } from './query';

/** Words a person types for a COCO label that the label itself does not contain. */
const LABEL_WORDS: Record<string, string[]> = {
	person: ['people', 'man', 'woman', 'men', 'women', 'child', 'kid', 'kids', 'boy', 'girl'],
	'dining table': ['dinner', 'meal'],
	'cell phone': ['phone', 'mobile', 'smartphone'],
	motorcycle: ['motorbike'],
	airplane: ['plane', 'aeroplane', 'aircraft'],
	couch: ['sofa'],
	tv: ['television']
};

/** Each COCO label under every word that names it ("table" → dining table, "dogs" → dog). */
const LABELS_BY_WORD = (() => {
	const m = new Map<string, string[]>();
	const add = (w: string, label: string) => m.set(w, [...(m.get(w) ?? []), label]);
	for (const label of COCO_CLASSES) {
		for (const w of wordsOf(label)) add(w, label);
		for (const w of LABEL_WORDS[label] ?? []) add(w, label);
	}
	return m;
})();

function labelsFor(term: string): string[] {
	return LABELS_BY_WORD.get(term) ?? (term.endsWith('s') ? (LABELS_BY_WORD.get(term.slice(0, -1)) ?? []) : []);
}

/** Every asset row, read again only after the assets change: searches and facets between changes share one read. */
export const searchableAssets: () => Promise<Asset[]> = cachedUntilChanged(['assets'], () => db().assets.toArray());

/** Assets showing every one of these people. */
export async function assetsWithPeople(personIds: readonly string[]): Promise<Set<string> | null> {
	if (!personIds.length) return null;
	const sets = await Promise.all(personIds.map(async (id) => new Set((await db().faces.where('personId').equals(id).toArray()).map((f) => f.assetId))));
	return new Set([...sets[0]].filter((x) => sets.every((s) => s.has(x))));
}

const phraseIn = (text: string, q: ParsedQuery) => q.terms.length > 1 && normalise(text).includes(q.phrase);

interface Match {
	terms: Set<string>;
	score: number;
	why: Set<string>;
}

/**
 * Assets matching the query's words, ranked by how many words they match, then by how well. A word
 * matches a thing label (score: the detector's, 0.45–1), a word of the photo's text (0.4; a phrase
 * of several words found whole 1.5), its place (1), its file name (0.5) or a person's name (1). Assets that match every word come
 * first; when none does, partial matches are returned.
 */
export async function keywordSearch(q: ParsedQuery, assets: readonly Asset[], ok: (a: Asset | undefined) => boolean): Promise<Ranked[]> {
	if (!q.terms.length) return [];
	const d = db();
	const matches = new Map<string, Match>();
	const hit = (assetId: string, term: string, score: number, why: string) => {
		const m = matches.get(assetId) ?? { terms: new Set<string>(), score: 0, why: new Set<string>() };
		m.terms.add(term);
		m.score += score;
		m.why.add(why);
		matches.set(assetId, m);
	};
	const people = await d.people.toArray();
	for (const term of q.terms) {
		for (const label of labelsFor(term)) for (const t of await d.tags.where('label').equals(label).toArray()) hit(t.assetId, term, t.score, `tag:${label}`);
		// A word in a photo's text weighs less than a thing seen in it ("dog": dogs before a page
		// that mentions one); a phrase of several words found whole weighs more than either.
		for (const t of await d.texts.where('words').equals(term).toArray()) hit(t.assetId, term, phraseIn(t.text, q) ? 1.5 : 0.4, 'text');
		for (const p of people) {
			if (!p.name || !wordsOf(p.name).includes(term)) continue;
			for (const f of await d.faces.where('personId').equals(p.id).toArray()) hit(f.assetId, term, 1, 'person');
		}
	}
	const byId = new Map<string, Asset>();
	for (const a of assets) {
		byId.set(a.id, a);
		const placeWords = a.place ? wordsOf(`${a.place.city} ${a.place.region ?? ''} ${a.place.country}`) : [];
		const name = a.originalName.toLowerCase();
		for (const term of q.terms) {
			if (placeWords.includes(term)) hit(a.id, term, 1, 'place');
			if (name.includes(term)) hit(a.id, term, 0.5, 'name');
		}
	}
	const kept = [...matches].filter(([id]) => ok(byId.get(id)));
	const all = kept.filter(([, m]) => m.terms.size === q.terms.length);
	const chosen = all.length ? all : kept;
	return chosen
		.sort(([, a], [, b]) => b.terms.size - a.terms.size || b.score - a.score)
		.map(([assetId, m]) => ({ assetId, score: m.score, why: [...m.why] }));
}
