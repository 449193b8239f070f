// The media the e2e tests import, described the same way whether it is the shared corpus
// (<media>/MANIFEST.json) or fixtures generated here: a list of Cases, each with the outcomes the
// app may legitimately produce for that file and, for photos, the metadata it must extract.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/**
 * Which media folder to use: SHOEBOX_MEDIA_DIR, else ../shared/media beside the repo, else
 * generated fixtures (SHOEBOX_MEDIA_DIR=generate forces those, to test the fresh-machine path).
 */
export async function resolveMediaDir(): Promise<{ dir: string; source: 'corpus' | 'generated' }> {
	const fromEnv = process.env.SHOEBOX_MEDIA_DIR;
	const generate = async () => {
		const { generateFixtures } = await import('./fixtures');
		return { dir: await generateFixtures(), source: 'generated' as const };
	};
	if (fromEnv === 'generate') return generate();
	if (fromEnv) {
		if (!existsSync(join(fromEnv, 'MANIFEST.json'))) throw new Error(`SHOEBOX_MEDIA_DIR=${fromEnv} has no MANIFEST.json`);
		return { dir: resolve(fromEnv), source: 'corpus' };
	}
	const shared = resolve(REPO_ROOT, '../shared/media');
	if (existsSync(join(shared, 'MANIFEST.json'))) return { dir: shared, source: 'corpus' };
	return generate();
}

/** MANIFEST.json `expect` for photos (see <media>/README.md); absent keys are not checked. */
export interface PhotoExpect {
	mime?: string;
	width?: number;
	height?: number;
	display_width?: number;
	display_height?: number;
	date_taken?: string | null;
	date_taken_offset?: string;
	make?: string | null;
	model?: string | null;
	gps?: { lat: number; lon: number } | null;
	result?: 'import' | 'error';
	lenient?: boolean;
	reason?: string;
	duplicate_of?: string;
	declared_width?: number;
	declared_height?: number;
}

export interface ManifestEntry {
	path: string;
	kind: 'photo' | 'video' | 'bad' | string;
	expect: PhotoExpect;
	bytes?: number;
	sha256?: string;
}

/**
 * What the app may do with a file:
 * - `asset`: an image asset with every ground truth of `expect` and both jobs done;
 * - `video-asset`: a video asset, probed (metadata done), with a poster or a poster failure that says why;
 * - `failed-import`: no asset, an entry in failedImports and an import-failure line, with a reason;
 * - `asset-pixel-limit`: an asset whose thumbnail job failed saying the image exceeds the pixel limit;
 * - `asset-unprocessed`: an asset whose jobs all ended skipped or failed (a broken video);
 * - `asset-lenient`: an asset whose jobs all ended (done, or failed with a message): a partial decode.
 */
export type Outcome = 'asset' | 'video-asset' | 'failed-import' | 'asset-pixel-limit' | 'asset-unprocessed' | 'asset-lenient';

export interface Case {
	rel: string; // path inside the media folder, e.g. photos/Canon_40D.jpg
	path: string; // absolute path
	name: string; // file name as the browser sees it
	kind: string;
	sha1: string;
	bytes: number;
	mtimeMs: number;
	accept: Outcome[];
	expect: PhotoExpect;
	duplicateOf?: string; // rel of the first copy
}

const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.3gp']);
/** Anything above this many pixels is a decompression bomb the app must refuse (the words). */
const BOMB_PIXELS = 200e6;

/** Derived from the manifest's data, not from file names, so it also fits the holdout corpus. */
export function acceptedOutcomes(entry: ManifestEntry): Outcome[] {
	const e = entry.expect;
	if (entry.kind === 'photo') return ['asset'];
	if (entry.kind === 'video') return ['video-asset'];
	if (e.result === 'import') return ['asset'];
	if (VIDEO_EXT.has(extname(entry.path).toLowerCase())) return ['failed-import', 'asset-unprocessed'];
	if ((e.declared_width ?? 0) * (e.declared_height ?? 0) > BOMB_PIXELS) return ['failed-import', 'asset-pixel-limit'];
	if (e.lenient) return ['failed-import', 'asset-lenient'];
	return ['failed-import'];
}

export async function sha1File(path: string): Promise<string> {
	return createHash('sha1').update(await readFile(path)).digest('hex');
}

/** Cases for every manifest file inside the given folders (e.g. ['photos', 'bad']). */
export async function loadCases(mediaDir: string, folders: string[]): Promise<Case[]> {
	const manifest = JSON.parse(await readFile(join(mediaDir, 'MANIFEST.json'), 'utf8')) as { files: ManifestEntry[] };
	const entries = manifest.files.filter((f) => folders.includes(f.path.split('/')[0]));
	return Promise.all(
		entries.map(async (entry) => {
			const path = join(mediaDir, entry.path);
			const info = await stat(path);
			return {
				rel: entry.path,
				path,
				name: basename(entry.path),
				kind: entry.kind,
				sha1: await sha1File(path),
				bytes: info.size,
				mtimeMs: info.mtimeMs,
				accept: acceptedOutcomes(entry),
				expect: entry.expect,
				duplicateOf: entry.expect.duplicate_of
			} satisfies Case;
		})
	);
}

/** Number of distinct contents among cases that become assets (duplicates collapse into one). */
export function uniqueContents(cases: Case[]): number {
	return new Set(cases.map((c) => c.sha1)).size;
}
