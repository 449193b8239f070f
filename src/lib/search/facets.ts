// The choices the search filters offer (pure): the places, cameras and people a library holds.
import type { Asset, Person } from '../db/types';

export interface Facets {
	places: string[];
	makes: string[];
	/** Camera models by make. */
	models: Record<string, string[]>;
	people: Array<{ id: string; name: string }>;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));

export function facetsOf(assets: readonly Asset[], people: readonly Person[]): Facets {
	const live = assets.filter((a) => a.state !== 'trash');
	const models: Record<string, Set<string>> = {};
	for (const a of live) if (a.make && a.model) (models[a.make] ??= new Set()).add(a.model);
	return {
		places: sorted(live.flatMap((a) => (a.place ? [a.place.city, a.place.country] : []))),
		makes: sorted(live.flatMap((a) => (a.make ? [a.make] : []))),
		models: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, sorted(v)])),
		people: people.filter((p) => p.name && !p.hidden).map((p) => ({ id: p.id, name: p.name! })).sort((a, b) => a.name.localeCompare(b.name))
	};
}
