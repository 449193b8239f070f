import { SvelteSet } from 'svelte/reactivity';

/** A multi-selection of assets, shared by the timeline and every other grid. */
export class Selection {
	readonly ids = new SvelteSet<string>();
	/** The last clicked asset: the start of a shift-click range. */
	anchor: string | null = null;

	get size(): number {
		return this.ids.size;
	}

	get active(): boolean {
		return this.ids.size > 0;
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	toggle(id: string): void {
		if (this.ids.has(id)) this.ids.delete(id);
		else this.ids.add(id);
		this.anchor = id;
	}

	add(ids: Iterable<string>): void {
		for (const id of ids) this.ids.add(id);
	}

	clear(): void {
		this.ids.clear();
		this.anchor = null;
	}

	list(): string[] {
		return [...this.ids];
	}
}

/** The ids between two assets (inclusive) in a list that is in display order. */
export function rangeBetween(order: readonly string[], a: string, b: string): string[] {
	const i = order.indexOf(a);
	const j = order.indexOf(b);
	if (i < 0 || j < 0) return [b];
	return order.slice(Math.min(i, j), Math.max(i, j) + 1);
}
