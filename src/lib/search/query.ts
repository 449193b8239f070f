// Query planning for the one search box (pure): the words of a query, the years in it, the filters a
// result must pass, and how the ranked lists of each source are merged.
import type { Asset } from '../db/types';

export interface SearchFilters {
	/** Every one of these people is in the photo. */
	personIds?: string[];
	/** City, region or country (as stored on the asset's place), case-insensitive. */
	place?: string;
	/** Taken on or after / on or before these days (YYYY-MM-DD, local wall-clock). */
	from?: string;
	to?: string;
	make?: string;
	model?: string;
	type?: Asset['type'];
	favorites?: boolean;
	/** Also look in the archive (the trash is never searched). */
	archived?: boolean;
}

export interface SearchRequest {
	text: string;
	filters: SearchFilters;
	/** "Similar photos": rank by likeness to this asset instead of by text. */
	similarTo?: string;
	limit?: number;
}

export interface Ranked {
	assetId: string;
	score: number;
	/** Which sources matched ('clip', 'tag:dog', 'text', 'place', 'name', 'person', 'similar'), for the UI. */
	why: string[];
}

export interface ParsedQuery {
	/** Lower-cased words that carry meaning (stop words dropped), in order. */
	terms: string[];
	/** The whole query lower-cased with spaces collapsed: a phrase to find in text and labels. */
	phrase: string;
	/** Four-digit years in the query ("Paris 2019"): a date condition, not a word to find. */
	years: number[];
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'on', 'in', 'at', 'with', 'and', 'or', 'to', 'for', 'from', 'by', 'my', 'some', 'photo', 'photos', 'picture', 'pictures']);

export function normalise(text: string): string {
	return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The lower-cased words of a text as the search index keeps them (letters and digits, any script). */
export function wordsOf(text: string): string[] {
	return normalise(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function parseQuery(text: string): ParsedQuery {
	const phrase = normalise(text);
	const years: number[] = [];
	const terms: string[] = [];
	for (const w of wordsOf(text)) {
		if (/^(19|20)\d\d$/.test(w)) years.push(Number(w));
		else if (!STOP_WORDS.has(w)) terms.push(w);
	}
	return { terms, phrase, years };
}

/** Whether an asset passes the filters and the query's years (people are checked by the caller). */
export function passes(a: Asset, f: SearchFilters, years: readonly number[] = []): boolean {
	if (a.state === 'trash' || (a.state === 'archive' && !f.archived)) return false;
	if (f.type && a.type !== f.type) return false;
	if (f.favorites && a.favorite !== 1) return false;
	const day = a.takenAt.slice(0, 10);
	if (f.from && day < f.from) return false;
	if (f.to && day > f.to) return false;
	if (years.length && !years.includes(Number(a.takenAt.slice(0, 4)))) return false;
	if (f.make && (a.make ?? '').toLowerCase() !== f.make.toLowerCase()) return false;
	if (f.model && (a.model ?? '').toLowerCase() !== f.model.toLowerCase()) return false;
	if (f.place) {
		const p = f.place.toLowerCase();
		const pl = a.place;
		if (!pl || ![pl.city, pl.region ?? '', pl.country].some((x) => x.toLowerCase() === p)) return false;
	}
	return true;
}

/**
 * Merges ranked lists (best first) by reciprocal rank fusion: each list adds 1 / (k + rank) for an
 * asset, so agreement between sources lifts a result and no source's raw scores need calibrating
 * against another's (CLIP similarities and tag scores live on different scales).
 */
export function fuse(lists: ReadonlyArray<ReadonlyArray<Ranked>>, k = 60): Ranked[] {
	const merged = new Map<string, Ranked>();
	for (const list of lists) {
		list.forEach((h, rank) => {
			const m = merged.get(h.assetId) ?? { assetId: h.assetId, score: 0, why: [] };
			m.score += 1 / (k + rank + 1);
			for (const w of h.why) if (!m.why.includes(w)) m.why.push(w);
			merged.set(h.assetId, m);
		});
	}
	return [...merged.values()].sort((a, b) => b.score - a.score || (a.assetId < b.assetId ? -1 : 1));
}
