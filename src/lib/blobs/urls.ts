// Object URLs for stored derivatives, cached so that scrolling back does not re-read OPFS, and
// revoked when evicted so memory stays bounded.
import { readBlob } from './store';

const MAX = 1500;
const cache = new Map<string, Promise<string | null>>();

export function blobUrl(path: string): Promise<string | null> {
	const hit = cache.get(path);
	if (hit) {
		cache.delete(path);
		cache.set(path, hit); // most recently used last
		return hit;
	}
	const url = readBlob(path.split('/')).then((f) => (f ? URL.createObjectURL(f) : null));
	cache.set(path, url);
	if (cache.size > MAX) {
		const [oldest, p] = cache.entries().next().value as [string, Promise<string | null>];
		cache.delete(oldest);
		void p.then((u) => u && URL.revokeObjectURL(u));
	}
	return url;
}
