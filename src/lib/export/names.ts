// Zip entry names for originals: the name as imported, made safe to unpack anywhere, and unique.
// Pure, so unit tests run it in Node.

/** Characters no file system (or unzip tool) should get in a name: separators, Windows-reserved, controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g;
/** Windows refuses these as base names, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME = 200;

/** One safe file name (no folders): unsafe characters become `_`, never empty, never `.`/`..`. */
export function sanitizeName(name: string): string {
	let s = name.normalize('NFC').replace(UNSAFE, '_').trim();
	// Leading dots would hide the file (and `..` climbs); trailing dots and spaces vanish on Windows.
	s = s.replace(/^\.+/, (m) => '_'.repeat(m.length)).replace(/[. ]+$/, '');
	if (!s) s = 'file';
	const dot = s.lastIndexOf('.');
	const base = dot > 0 ? s.slice(0, dot) : s;
	const ext = dot > 0 ? s.slice(dot) : '';
	let out = RESERVED.test(base) ? `_${base}${ext}` : s;
	if (out.length > MAX_NAME) out = out.slice(0, MAX_NAME - ext.length) + ext;
	return out;
}

/**
 * Gives each name a unique entry name: the second `a.jpg` becomes `a (2).jpg`, and so on. Unique
 * without regard to case (macOS and Windows would overwrite `A.jpg` with `a.jpg`). `reserved`
 * names (e.g. `library.json`) are taken before any original.
 */
export class NameDeduper {
	private readonly taken = new Set<string>();

	constructor(reserved: string[] = []) {
		for (const r of reserved) this.taken.add(r.toLowerCase());
	}

	next(name: string): string {
		const safe = sanitizeName(name);
		if (this.claim(safe)) return safe;
		const dot = safe.lastIndexOf('.');
		const base = dot > 0 ? safe.slice(0, dot) : safe;
		const ext = dot > 0 ? safe.slice(dot) : '';
		for (let n = 2; ; n++) {
			const candidate = `${base} (${n})${ext}`;
			if (this.claim(candidate)) return candidate;
		}
	}

	private claim(name: string): boolean {
		const key = name.toLowerCase();
		if (this.taken.has(key)) return false;
		this.taken.add(key);
		return true;
	}
}

export function uniqueNames(names: string[], reserved: string[] = []): string[] {
	const d = new NameDeduper(reserved);
	return names.map((n) => d.next(n));
}
