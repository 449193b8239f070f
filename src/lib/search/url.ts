// A search as the /search page's URL holds it (pure): bookmarkable, and the Explore page and the
// viewer link into it.
import type { SearchFilters, SearchRequest } from './query';

const FILTER_KEYS = ['place', 'from', 'to', 'make', 'model'] as const;

export function requestFromUrl(params: URLSearchParams): SearchRequest {
	const f: SearchFilters = {};
	for (const k of FILTER_KEYS) {
		const v = params.get(k);
		if (v) f[k] = v;
	}
	const people = params.getAll('person').filter(Boolean);
	if (people.length) f.personIds = people;
	const type = params.get('type');
	if (type === 'image' || type === 'video') f.type = type;
	if (params.get('favorites') === '1') f.favorites = true;
	if (params.get('archived') === '1') f.archived = true;
	const similar = params.get('similar');
	return { text: params.get('q') ?? '', filters: f, ...(similar ? { similarTo: similar } : {}) };
}

export function urlOf(r: SearchRequest): string {
	const p = new URLSearchParams();
	if (r.text.trim()) p.set('q', r.text.trim());
	if (r.similarTo) p.set('similar', r.similarTo);
	const f = r.filters;
	for (const id of f.personIds ?? []) p.append('person', id);
	for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k]!);
	if (f.type) p.set('type', f.type);
	if (f.favorites) p.set('favorites', '1');
	if (f.archived) p.set('archived', '1');
	const qs = p.toString();
	return qs ? `/search?${qs}` : '/search';
}
