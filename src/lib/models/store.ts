// The runtime model store (docs/models.md). Works in the page and in workers: no DOM, only fetch,
// OPFS (navigator.storage.getDirectory) and hash-wasm.
//
// A model file is looked for, in order:
//   1. OPFS  models/<name>            (installed: works offline)
//   2. the app's own origin /models/<name>   (bundled: filled at build time by `npm run models`)
//   3. the catalog's public URLs
// Whatever is fetched is checked (sha256, or the size alone where the catalog has no hash) and then
// cached in OPFS.
import { createSHA256 } from 'hash-wasm';
import { models as allModels, type CatalogEntry, type CatalogFile } from './catalog';

export type { CatalogEntry, CatalogFile } from './catalog';

export type ModelState = 'installed' | 'bundled' | 'missing';

export interface InstallProgress {
	/** Bytes of the entry received so far (files already installed count as received). */
	loaded: number;
	/** The entry's total size, when known. */
	total: number | null;
	/** The catalog name of the file being fetched. */
	file: string;
}

/** A failure a person can read (shown as is in the model manager). */
export class ModelError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ModelError';
	}
}

const ROOT_DIR = 'models';

// ---- OPFS -------------------------------------------------------------------------------------

function opfsPath(name: string): string[] {
	const parts = name.split('/').filter((p) => p && p !== '.' && p !== '..');
	return [ROOT_DIR, ...parts];
}

async function opfsDir(path: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
	let d = await navigator.storage.getDirectory();
	for (const part of path) d = await d.getDirectoryHandle(part, { create });
	return d;
}

function isNotFound(err: unknown): boolean {
	const name = (err as { name?: string } | null)?.name;
	return name === 'NotFoundError' || name === 'TypeMismatchError';
}

async function readCached(name: string): Promise<File | null> {
	const path = opfsPath(name);
	try {
		const d = await opfsDir(path.slice(0, -1), false);
		return await (await d.getFileHandle(path[path.length - 1])).getFile();
	} catch (err) {
		if (isNotFound(err)) return null;
		throw err;
	}
}

// ---- own files -------------------------------------------------------------------------------
// A person may install a different export of a model (another CLIP checkpoint with the same tensors)
// from files: it is kept under the catalog's name and recorded here with its own size and sha256,
// and shown as "own files" instead of the catalog's verified ones.

const CUSTOM_PATH = 'custom.json';
type CustomRecord = Record<string, { bytes: number; sha256: string }>;

async function customRecord(): Promise<CustomRecord> {
	const f = await readCached(CUSTOM_PATH).catch(() => null);
	if (!f) return {};
	try {
		return JSON.parse(await f.text()) as CustomRecord;
	} catch {
		return {};
	}
}

async function setCustom(name: string, value: { bytes: number; sha256: string } | null): Promise<void> {
	const r = await customRecord();
	if (!value && !(name in r)) return;
	if (value) r[name] = value;
	else delete r[name];
	await writeCached(CUSTOM_PATH, new TextEncoder().encode(JSON.stringify(r)));
}

/** Whether any file of the entry is a person's own (unverified) file. */
export async function hasOwnFiles(entry: CatalogEntry): Promise<boolean> {
	const r = await customRecord();
	return entry.files.some((f) => !!r[f.name]);
}

/** The cached file when it is there and has the catalog's size (when known), or is a recorded own file. */
async function cachedFile(file: CatalogFile): Promise<File | null> {
	const f = await readCached(file.name).catch(() => null);
	if (!f) return null;
	const own = (await customRecord())[file.name];
	if (own) return f.size === own.bytes ? f : null;
	if (file.bytes != null && f.size !== file.bytes) return null;
	if (file.bytes == null && f.size === 0) return null;
	return f;
}

async function writeCached(name: string, data: Uint8Array): Promise<void> {
	const path = opfsPath(name);
	const d = await opfsDir(path.slice(0, -1), true);
	const handle = await d.getFileHandle(path[path.length - 1], { create: true });
	if (typeof handle.createWritable === 'function') {
		const w = await handle.createWritable();
		try {
			await w.write(data as Uint8Array<ArrayBuffer>);
			await w.close();
		} catch (err) {
			await w.abort().catch(() => {});
			throw err;
		}
		return;
	}
	// Workers in browsers without createWritable (Safari): the synchronous access handle.
	const h = handle as unknown as { createSyncAccessHandle?: () => Promise<SyncHandle> };
	if (!h.createSyncAccessHandle) throw new ModelError('This browser cannot write files to its private storage here.');
	const sync = await h.createSyncAccessHandle();
	try {
		sync.truncate(0);
		sync.write(data, { at: 0 });
		sync.flush();
	} finally {
		sync.close();
	}
}
interface SyncHandle {
	truncate(n: number): void;
	write(d: Uint8Array, o: { at: number }): number;
	flush(): void;
	close(): void;
}

async function removeCached(name: string): Promise<void> {
	const path = opfsPath(name);
	try {
		const d = await opfsDir(path.slice(0, -1), false);
		await d.removeEntry(path[path.length - 1]);
	} catch (err) {
		if (!isNotFound(err)) throw err;
	}
}

// ---- checking ---------------------------------------------------------------------------------

function fileLabel(name: string): string {
	return name.split('/').pop() ?? name;
}

/** Throws a readable ModelError unless `data` is the catalog's file (sha256, else size where known). */
export async function verifyBytes(file: CatalogFile, data: Uint8Array, hex?: string): Promise<void> {
	if (file.bytes != null && data.byteLength !== file.bytes) {
		throw new ModelError(`${fileLabel(file.name)}: wrong size (${data.byteLength.toLocaleString('en')} bytes, expected ${file.bytes.toLocaleString('en')}).`);
	}
	if (file.sha256) {
		const got = hex ?? (await sha256Hex(data));
		if (got !== file.sha256.toLowerCase()) {
			throw new ModelError(`${fileLabel(file.name)}: checksum does not match (sha256 ${got.slice(0, 12)}…, expected ${file.sha256.slice(0, 12)}…). This is not the catalog's file.`);
		}
	}
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
	const h = await createSHA256();
	h.init();
	// hash-wasm copies into WASM memory: feed large buffers in slices.
	const step = 8 << 20;
	for (let i = 0; i < data.byteLength; i += step) h.update(data.subarray(i, Math.min(i + step, data.byteLength)));
	return h.digest('hex');
}

// ---- fetching ---------------------------------------------------------------------------------

function originURL(name: string): string | null {
	const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
	if (!origin || origin === 'null') return null;
	return new URL(`/models/${name.split('/').map(encodeURIComponent).join('/')}`, origin).href;
}

/** An HTML answer is an SPA fallback, not a model. */
function looksLikeFile(res: Response): boolean {
	return res.ok && !(res.headers.get('content-type') ?? '').startsWith('text/html');
}

async function readBody(res: Response, onChunk: (n: number) => void, signal?: AbortSignal): Promise<Uint8Array> {
	const length = Number(res.headers.get('content-length'));
	if (!res.body) {
		const buf = new Uint8Array(await res.arrayBuffer());
		onChunk(buf.byteLength);
		return buf;
	}
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	let out: Uint8Array | null = length > 0 ? new Uint8Array(length) : null;
	for (;;) {
		if (signal?.aborted) {
			await reader.cancel().catch(() => {});
			throw signal.reason ?? new DOMException('Aborted', 'AbortError');
		}
		const { done, value } = await reader.read();
		if (done) break;
		if (out && size + value.byteLength <= out.byteLength) out.set(value, size);
		else {
			if (out) chunks.push(out.subarray(0, size));
			out = null;
			chunks.push(value);
		}
		size += value.byteLength;
		onChunk(value.byteLength);
	}
	if (out) return size === out.byteLength ? out : out.slice(0, size);
	const all = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		all.set(c, at);
		at += c.byteLength;
	}
	return all;
}

/**
 * Fetches a file from the origin, then each public URL, and returns the first copy that checks out.
 * `onChunk` gets the bytes of each chunk read (a failed source's bytes are taken back with a
 * negative count).
 */
async function fetchVerified(file: CatalogFile, onChunk: (n: number) => void = () => {}, signal?: AbortSignal): Promise<Uint8Array> {
	const sources = [originURL(file.name), ...file.urls].filter((u): u is string => !!u);
	const problems: string[] = [];
	for (const url of sources) {
		let got = 0;
		try {
			const res = await fetch(url, { signal, cache: 'no-cache' });
			if (!looksLikeFile(res)) {
				problems.push(`${hostOf(url)}: ${res.ok ? 'not a model file' : `HTTP ${res.status}`}`);
				continue;
			}
			const data = await readBody(res, (n) => ((got += n), onChunk(n)), signal);
			await verifyBytes(file, data);
			return data;
		} catch (err) {
			if (signal?.aborted) throw err;
			if (got) onChunk(-got);
			problems.push(`${hostOf(url)}: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	throw new ModelError(`${fileLabel(file.name)} could not be fetched (${problems.join('; ') || 'no source'}).`);
}

function hostOf(url: string): string {
	try {
		const u = new URL(url);
		return u.origin === (globalThis as { location?: { origin?: string } }).location?.origin ? 'this app' : u.host;
	} catch {
		return url;
	}
}

const inflight = new Map<string, Promise<Uint8Array>>();

/**
 * The bytes of one model file: OPFS first, else the app's origin, else the public URLs (checked and
 * then cached in OPFS, so the next call works offline). Throws a ModelError when no source has it.
 */
export async function modelBytes(file: CatalogFile): Promise<Uint8Array> {
	const cached = await cachedFile(file);
	if (cached) return new Uint8Array(await cached.arrayBuffer());
	let p = inflight.get(file.name);
	if (!p) {
		p = (async () => {
			const data = await fetchVerified(file);
			// A cache that cannot be written (quota) must not stop the model from running now.
			await writeCached(file.name, data).catch(() => {});
			return data;
		})().finally(() => inflight.delete(file.name));
		inflight.set(file.name, p);
	}
	return p;
}

// ---- what the model manager uses -------------------------------------------------------------

/** Whether every file of the entry is in OPFS (with the catalog's size, when known). */
export async function isInstalled(entry: CatalogEntry): Promise<boolean> {
	for (const f of entry.files) if (!(await cachedFile(f))) return false;
	return true;
}

let bundledList: Promise<Map<string, number> | null> | null = null;

/**
 * The files the app's origin serves, from the list `npm run models` writes beside them: one request
 * instead of a probe per file (and no 404 for each file that is not there). Null without the list.
 */
function bundled(): Promise<Map<string, number> | null> {
	const url = originURL('bundled.json');
	bundledList ??= url
		? fetch(url, { cache: 'no-cache' })
				.then(async (res) => (looksLikeFile(res) ? new Map(((await res.json()) as { files: Array<{ name: string; bytes: number }> }).files.map((f) => [f.name, f.bytes])) : null))
				.catch(() => null)
		: Promise.resolve(null);
	return bundledList;
}

async function onOrigin(file: CatalogFile): Promise<boolean> {
	const url = originURL(file.name);
	if (!url) return false;
	const list = await bundled();
	if (list) return list.has(file.name) && (file.bytes == null || list.get(file.name) === file.bytes);
	try {
		const res = await fetch(url, { method: 'HEAD', cache: 'no-cache' });
		if (!looksLikeFile(res)) return false;
		const len = res.headers.get('content-length');
		return file.bytes == null || len == null || Number(len) === file.bytes;
	} catch {
		return false;
	}
}

/**
 * installed: every file is in OPFS. bundled: the rest are served by the app's origin (install needs
 * no network beyond it). missing: some file is in neither place (install would use the public URLs).
 */
export async function modelState(entry: CatalogEntry): Promise<ModelState> {
	let allCached = true;
	for (const f of entry.files) {
		if (await cachedFile(f)) continue;
		allCached = false;
		if (!(await onOrigin(f))) return 'missing';
	}
	return allCached ? 'installed' : 'bundled';
}

/** Entries that can be had from neither this device nor the app's own origin. */
export async function missingModels(entries: readonly CatalogEntry[]): Promise<CatalogEntry[]> {
	const out: CatalogEntry[] = [];
	for (const e of entries) if ((await modelState(e)) === 'missing') out.push(e);
	return out;
}

function entryTotal(entry: CatalogEntry): number | null {
	let sum = 0;
	for (const f of entry.files) {
		if (f.bytes == null) return null;
		sum += f.bytes;
	}
	return sum;
}

/**
 * Downloads every file of the entry that is not installed yet (origin first, then public URLs),
 * checks it and caches it in OPFS. Reports progress over the whole entry.
 */
export async function install(entry: CatalogEntry, onProgress?: (p: InstallProgress) => void, signal?: AbortSignal): Promise<void> {
	const total = entryTotal(entry);
	let loaded = 0;
	for (const f of entry.files) {
		const have = await cachedFile(f);
		if (have) {
			loaded += have.size;
			onProgress?.({ loaded, total, file: f.name });
			continue;
		}
		onProgress?.({ loaded, total, file: f.name });
		const data = await fetchVerified(
			f,
			(n) => {
				loaded += n;
				onProgress?.({ loaded, total, file: f.name });
			},
			signal
		);
		await writeOrExplain(f.name, data);
	}
	onProgress?.({ loaded, total: total ?? loaded, file: entry.files[entry.files.length - 1]?.name ?? '' });
}

async function writeOrExplain(name: string, data: Uint8Array): Promise<void> {
	try {
		await writeCached(name, data);
	} catch (err) {
		await removeCached(name).catch(() => {});
		if ((err as { name?: string } | null)?.name === 'QuotaExceededError') {
			throw new ModelError(`Storage is full: ${fileLabel(name)} (${data.byteLength.toLocaleString('en')} bytes) could not be stored. Free space, then install again.`);
		}
		throw err;
	}
}

async function fileBytes(f: File): Promise<Uint8Array> {
	return new Uint8Array(await f.arrayBuffer());
}

/**
 * Offline install from files the person picked (e.g. copied from another machine). Each catalog file
 * not installed yet must be among them: matched by file name, else by size; each is checked before
 * anything is written. Throws a ModelError naming what is missing or wrong.
 */
export async function installFromFiles(entry: CatalogEntry, files: File[], own = false): Promise<void> {
	if (own) return installOwnFiles(entry, files);
	const ready: { file: CatalogFile; data: Uint8Array }[] = [];
	const problems: string[] = [];
	for (const f of entry.files) {
		const label = fileLabel(f.name);
		const byName = files.filter((x) => x.name === label);
		const bySize = f.bytes != null ? files.filter((x) => x.size === f.bytes && !byName.includes(x)) : [];
		const candidates = [...byName, ...bySize];
		if (candidates.length === 0) {
			if (await cachedFile(f)) continue;
			problems.push(`${label} was not among the chosen files${f.bytes != null ? ` (expected ${f.bytes.toLocaleString('en')} bytes)` : ''}.`);
			continue;
		}
		let lastError = '';
		let found: Uint8Array | null = null;
		for (const c of candidates) {
			const data = await fileBytes(c);
			try {
				await verifyBytes(f, data);
				found = data;
				break;
			} catch (err) {
				lastError = c.name === label ? (err as Error).message : lastError || (err as Error).message;
			}
		}
		if (found) ready.push({ file: f, data: found });
		else problems.push(lastError);
	}
	if (problems.length) throw new ModelError(problems.join(' '));
	for (const { file, data } of ready) {
		await writeOrExplain(file.name, data);
		await setCustom(file.name, null);
	}
}

/**
 * Own files: matched by file name only and not checked against the catalog (the session that runs
 * them finds out whether their tensors fit); a catalog file that does match is taken as verified.
 */
async function installOwnFiles(entry: CatalogEntry, files: File[]): Promise<void> {
	const missing = entry.files.filter((f) => !files.some((x) => x.name === fileLabel(f.name)));
	const stillNeeded: string[] = [];
	for (const f of missing) if (!(await cachedFile(f))) stillNeeded.push(fileLabel(f.name));
	if (stillNeeded.length) throw new ModelError(`Choose files named ${stillNeeded.join(', ')}.`);
	for (const f of entry.files) {
		const picked = files.find((x) => x.name === fileLabel(f.name));
		if (!picked) continue;
		const data = await fileBytes(picked);
		const sha256 = await sha256Hex(data);
		const matches = (f.bytes == null || f.bytes === data.byteLength) && (!f.sha256 || f.sha256.toLowerCase() === sha256);
		await writeOrExplain(f.name, data);
		await setCustom(f.name, matches ? null : { bytes: data.byteLength, sha256 });
	}
}

/**
 * Removes the entry's files from OPFS (a file another installed entry also uses, such as the CLIP
 * tokenizer, stays).
 */
export async function remove(entry: CatalogEntry, catalogEntries: readonly CatalogEntry[] = allModels): Promise<void> {
	const keep = new Set<string>();
	for (const other of catalogEntries) {
		if (other.id === entry.id) continue;
		if (!other.files.some((f) => entry.files.some((g) => g.name === f.name))) continue;
		if (await isInstalled(other)) for (const f of other.files) keep.add(f.name);
	}
	for (const f of entry.files) {
		if (keep.has(f.name)) continue;
		await removeCached(f.name);
		await setCustom(f.name, null);
	}
}

/** Bytes of every file under OPFS models/ (installed models, including any no longer in the catalog). */
export async function storageUsed(): Promise<number> {
	let dir: FileSystemDirectoryHandle;
	try {
		dir = await opfsDir([ROOT_DIR], false);
	} catch (err) {
		if (isNotFound(err)) return 0;
		throw err;
	}
	return dirSize(dir);
}

async function dirSize(dir: FileSystemDirectoryHandle): Promise<number> {
	let sum = 0;
	for await (const handle of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
		if (handle.kind === 'file') sum += (await (handle as FileSystemFileHandle).getFile()).size;
		else sum += await dirSize(handle as FileSystemDirectoryHandle);
	}
	return sum;
}
