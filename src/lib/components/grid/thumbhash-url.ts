import { thumbHashToDataURL } from 'thumbhash';

/** A tiny data URL from a base64 thumbhash (a few hundred bytes; cheap on the main thread). */
export function thumbhashUrl(b64: string | null): string | null {
	if (!b64) return null;
	try {
		return thumbHashToDataURL(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
	} catch {
		return null;
	}
}
