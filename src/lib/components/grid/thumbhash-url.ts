import { thumbHashToDataURL } from 'thumbhash';

/** Decoded placeholders, most recently used last: scrolling back must not decode them again. */
const cache = new Map<string, string | null>();
const MAX = 4000;

/**
 * A tiny data URL from a base64 thumbhash. Decoding one (RGBA + a PNG encode) is cheap, but a
 * timeline mounting a hundred tiles at once must not repeat it, hence the cache.
 */
export function thumbhashUrl(b64: string | null): string | null {
	if (!b64) return null;
	const hit = cache.get(b64);
	if (hit !== undefined) {
		cache.delete(b64);
		cache.set(b64, hit);
		return hit;
	}
	let url: string | null = null;
	try {
		url = thumbHashToDataURL(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
	} catch {
		url = null;
	}
	cache.set(b64, url);
	if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
	return url;
}
