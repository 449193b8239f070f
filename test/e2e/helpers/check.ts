// One checker for an import, whatever the media source: compares library.json (and what the UI
// showed) with each Case's accepted outcomes and ground truth. Returns every mismatch as a line of
// text rather than throwing at the first, so one run shows the whole picture.
import { BROWSER_TZ } from '../setup/browser';
import type { ImportProgress } from './app';
import type { Case, Outcome } from './media';

export type JobState = 'waiting' | 'active' | 'done' | 'failed' | 'skipped';

export interface ExportedAsset {
	id: string;
	checksum: string;
	originalName: string;
	type: 'image' | 'video';
	mime: string;
	bytes: number;
	width: number;
	height: number;
	takenAt: string | null;
	takenAtOffset: string | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	gps: { lat: number; lon: number } | null;
	place: { city: string; region: string | null; country: string } | null;
	jobs: Record<string, JobState>;
	errors: { queue: string; message: string }[];
}

export interface LibraryExport {
	version: number | string;
	exportedAt: string;
	assets: ExportedAsset[];
	failedImports: { name: string; reason: string }[];
	tags: { assetId: string; label: string; score: number }[];
	text: { assetId: string; text: string }[];
}

export interface UiFailure {
	name: string;
	text: string;
}

export interface CheckResult {
	problems: string[];
	/** One line per case with the figures that were compared, for the test log. */
	rows: string[];
	outcomes: Record<string, Outcome | 'missing' | 'ambiguous'>;
}

const GPS_TOLERANCE = 1e-5; // "GPS to 5 decimals"
const PROCESSED = ['metadataExtraction', 'thumbnailGeneration'];

/** `file time` in the browser's zone, as the app must write it when a file has no EXIF date. */
function takenAtMatchesFileTime(takenAt: string | null, mtimeMs: number): boolean {
	if (!takenAt || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(takenAt)) return false;
	if (BROWSER_TZ !== 'UTC') throw new Error('file-time expectations are computed for a UTC browser');
	return Math.abs(Date.parse(`${takenAt}Z`) - mtimeMs) < 1000; // seconds resolution, rounded or truncated
}

function fileTimeText(mtimeMs: number) {
	return new Date(mtimeMs).toISOString().slice(0, 19);
}

/** Ground truth of an image asset; an empty list means it matches. */
function photoMismatches(c: Case, a: ExportedAsset, sameContent: Case[]): string[] {
	const e = c.expect;
	const out: string[] = [];
	const eq = (field: string, actual: unknown, expected: unknown) => {
		if (JSON.stringify(actual) !== JSON.stringify(expected)) out.push(`${field}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
	};
	eq('type', a.type, 'image');
	if (e.mime !== undefined) eq('mime', a.mime, e.mime);
	eq('bytes', a.bytes, c.bytes);
	// A duplicate pair keeps one of its names.
	const names = sameContent.map((s) => s.name);
	if (!names.includes(a.originalName)) out.push(`originalName: got ${JSON.stringify(a.originalName)}, expected one of ${JSON.stringify(names)}`);
	const w = e.display_width ?? e.width;
	const h = e.display_height ?? e.height;
	if (w !== undefined) eq('width (displayed)', a.width, w);
	if (h !== undefined) eq('height (displayed)', a.height, h);
	if (e.date_taken !== undefined) {
		if (e.date_taken === null) {
			if (!takenAtMatchesFileTime(a.takenAt, c.mtimeMs))
				out.push(`takenAt: got ${JSON.stringify(a.takenAt)}, expected the file time ${fileTimeText(c.mtimeMs)} (${BROWSER_TZ}) since the file has no EXIF date`);
		} else eq('takenAt', a.takenAt, e.date_taken);
	}
	if (e.date_taken_offset !== undefined) eq('takenAtOffset', a.takenAtOffset, e.date_taken_offset);
	if (e.make !== undefined) eq('make', a.make, e.make);
	if (e.model !== undefined) eq('model', a.model, e.model);
	if (e.gps !== undefined) {
		if (e.gps === null || a.gps === null || a.gps === undefined) eq('gps', a.gps ?? null, e.gps);
		else if (Math.abs(a.gps.lat - e.gps.lat) > GPS_TOLERANCE || Math.abs(a.gps.lon - e.gps.lon) > GPS_TOLERANCE)
			out.push(`gps: got ${JSON.stringify(a.gps)}, expected ${JSON.stringify(e.gps)} to 5 decimals`);
	}
	for (const q of PROCESSED) if (a.jobs?.[q] !== 'done') out.push(`jobs.${q}: got ${JSON.stringify(a.jobs?.[q])}, expected "done" (errors: ${JSON.stringify(a.errors)})`);
	return out;
}

const jobOf = (a: ExportedAsset, q: string) => a.jobs?.[q];
const errorFor = (a: ExportedAsset, q: string) => (a.errors ?? []).find((e) => e.queue === q && e.message?.trim());

/** Why an asset does not fit the given asset outcome; empty when it does. */
function assetMismatches(outcome: Outcome, c: Case, a: ExportedAsset, sameContent: Case[]): string[] {
	switch (outcome) {
		case 'asset':
			return photoMismatches(c, a, sameContent);
		case 'video-asset': {
			// Probed (metadata done); a poster made, or failed saying why (e.g. the codec needs conversion).
			if (a.type !== 'video') return [`type: got ${JSON.stringify(a.type)}, expected "video"`];
			const out: string[] = [];
			if (jobOf(a, 'metadataExtraction') !== 'done') out.push(`jobs.metadataExtraction: got ${JSON.stringify(jobOf(a, 'metadataExtraction'))}, expected "done" (errors: ${JSON.stringify(a.errors)})`);
			const poster = jobOf(a, 'thumbnailGeneration');
			if (poster !== 'done' && !(poster === 'failed' && errorFor(a, 'thumbnailGeneration')))
				out.push(`jobs.thumbnailGeneration: got ${JSON.stringify(poster)}, expected "done" or failed with a message`);
			return out;
		}
		case 'asset-pixel-limit':
			return jobOf(a, 'thumbnailGeneration') === 'failed' && /pixel/i.test(errorFor(a, 'thumbnailGeneration')?.message ?? '')
				? []
				: [`expected thumbnailGeneration failed with an error about the pixel limit, got ${JSON.stringify(a.jobs)} ${JSON.stringify(a.errors)}`];
		case 'asset-unprocessed':
			// A job that never ran for this file (absent) counts as skipped; a failed one needs its message.
			return PROCESSED.every((q) => [undefined, 'skipped'].includes(jobOf(a, q)) || (jobOf(a, q) === 'failed' && errorFor(a, q)))
				? []
				: [`expected every job skipped or failed with a message, got ${JSON.stringify(a.jobs)} ${JSON.stringify(a.errors)}`];
		case 'asset-lenient':
			return PROCESSED.every((q) => ['done', 'skipped'].includes(jobOf(a, q) as string) || (jobOf(a, q) === 'failed' && errorFor(a, q)))
				? []
				: [`expected every job finished (done/skipped, or failed with a message), got ${JSON.stringify(a.jobs)} ${JSON.stringify(a.errors)}`];
		case 'failed-import':
			return ['became an asset, expected a failed import'];
	}
}

function describeAsset(a: ExportedAsset) {
	const gps = a.gps ? `${a.gps.lat.toFixed(5)},${a.gps.lon.toFixed(5)}` : '-';
	const jobs = PROCESSED.map((q) => a.jobs?.[q] ?? '?').join('/');
	return `${a.type} ${a.mime} ${a.width}x${a.height} ${a.takenAt}${a.takenAtOffset ?? ''} ${a.make ?? '-'} | ${a.model ?? '-'} gps=${gps} jobs=${jobs}`;
}

/**
 * Checks an import of `cases` into an empty library: library.json, the import-failure lines and
 * (when given) the final import-progress counts.
 */
export function checkImport(cases: Case[], library: LibraryExport, ui: { failures?: UiFailure[]; progress?: ImportProgress } = {}): CheckResult {
	const problems: string[] = [];
	const rows: string[] = [];
	const outcomes: CheckResult['outcomes'] = {};
	const bySha = new Map<string, Case[]>();
	for (const c of cases) bySha.set(c.sha1, [...(bySha.get(c.sha1) ?? []), c]);

	for (const c of cases) {
		const assets = library.assets.filter((a) => a.checksum === c.sha1);
		const failed = library.failedImports.filter((f) => f.name === c.name);
		const say = (msg: string) => problems.push(`${c.rel}: ${msg}`);
		const accepted = c.accept.join(' | ');

		if (assets.length > 1) say(`${assets.length} assets with the same content (sha1 ${c.sha1}), expected one`);
		if (assets.length && failed.length) say(`both an asset and a failed import (${JSON.stringify(failed)})`);

		if (assets.length === 1) {
			const a = assets[0];
			const fits = c.accept.filter((o) => o !== 'failed-import' && assetMismatches(o, c, a, bySha.get(c.sha1)!).length === 0);
			outcomes[c.rel] = fits[0] ?? 'ambiguous';
			if (!fits.length) {
				const primary = c.accept.find((o) => o !== 'failed-import') ?? 'failed-import';
				for (const m of assetMismatches(primary, c, a, bySha.get(c.sha1)!)) say(`${m}  [accepted: ${accepted}]`);
			}
			rows.push(`${fits[0] ?? 'MISMATCH'}  ${c.rel}${c.duplicateOf ? ' (duplicate)' : ''}: ${describeAsset(a)}`);
		} else if (assets.length === 0 && failed.length) {
			outcomes[c.rel] = 'failed-import';
			const reason = failed[0].reason ?? '';
			if (!c.accept.includes('failed-import')) say(`failed to import (${JSON.stringify(reason)}), expected ${accepted}`);
			if (!reason.trim()) say('failedImports entry has an empty reason');
			if (ui.failures) {
				const line = ui.failures.find((f) => f.name === c.name);
				if (!line) say('no import-failure element with this data-name');
				else if (!line.text.includes(c.name) || line.text.replace(c.name, '').trim().length === 0)
					say(`import-failure text should show the file name and a reason, got ${JSON.stringify(line.text)}`);
			}
			rows.push(`failed-import  ${c.rel}: ${JSON.stringify(reason)}`);
		} else if (!assets.length) {
			outcomes[c.rel] = 'missing';
			say(`neither an asset (sha1 ${c.sha1}) nor a failed import; expected ${accepted}`);
			rows.push(`MISSING  ${c.rel}`);
		}
	}

	// Nothing in the library that the import did not ask for, and no content twice.
	for (const a of library.assets) if (!bySha.has(a.checksum)) problems.push(`library: asset ${a.checksum} (${a.originalName}) matches no imported file`);
	for (const sha of duplicateChecksums(library)) problems.push(`library: more than one asset with checksum ${sha}`);
	const expectedAssets = new Set(cases.filter((c) => outcomes[c.rel] !== 'failed-import' && outcomes[c.rel] !== 'missing').map((c) => c.sha1)).size;
	if (library.assets.length !== expectedAssets) problems.push(`library: ${library.assets.length} assets, expected ${expectedAssets} distinct contents`);
	const names = new Set(cases.map((c) => c.name));
	for (const f of library.failedImports) if (!names.has(f.name)) problems.push(`library: failedImports has an unknown name ${JSON.stringify(f.name)}`);
	if (ui.failures && ui.failures.length !== library.failedImports.length)
		problems.push(`ui: ${ui.failures.length} import-failure elements, library.json has ${library.failedImports.length} failedImports`);

	if (ui.progress) {
		const p = ui.progress;
		const want = {
			total: cases.length,
			processed: cases.length,
			imported: library.assets.length,
			duplicates: cases.filter((c) => c.duplicateOf).length,
			failed: library.failedImports.length,
			running: false
		};
		for (const [k, v] of Object.entries(want))
			if (p[k as keyof ImportProgress] !== v) problems.push(`import-progress data-${k}: got ${p[k as keyof ImportProgress]}, expected ${v}`);
	}
	return { problems, rows, outcomes };
}

/** Two assets with one checksum would be a duplicate the import let through. */
export function duplicateChecksums(library: LibraryExport): string[] {
	const counts = new Map<string, number>();
	for (const a of library.assets) counts.set(a.checksum, (counts.get(a.checksum) ?? 0) + 1);
	return [...counts].filter(([, n]) => n > 1).map(([sha]) => sha);
}
