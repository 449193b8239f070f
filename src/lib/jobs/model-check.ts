// Whether a queue's models can be had on this device (installed, or served by the app's origin).
// Checked once per queue and model set for a while, not for every job.
import { SkipJob } from '../../../worker/shared/errors';
import type { CatalogEntry } from '../models/catalog';
import { missingModels } from '../models/store';

const CHECK_TTL_MS = 30_000;
const checked = new Map<string, { at: number; missing: Promise<CatalogEntry[]> }>();

/** The entries that can be had from neither OPFS nor the app's origin (checked at most every 30 s). */
export function missingOf(list: readonly CatalogEntry[]): Promise<CatalogEntry[]> {
	const key = list.map((e) => e.id).join('+');
	let c = checked.get(key);
	if (!c || Date.now() - c.at > CHECK_TTL_MS) {
		c = { at: Date.now(), missing: missingModels(list) };
		checked.set(key, c);
	}
	return c.missing;
}

/**
 * Resolves when every entry is available; otherwise the job is skipped (not failed) with a reason
 * that says what to install: "Missing" on the jobs page runs it again once installed.
 */
export async function requireModels(entries: readonly (CatalogEntry | undefined)[], feature: string): Promise<void> {
	const missing = await missingOf(entries.filter((e): e is CatalogEntry => !!e));
	if (missing.length) throw new SkipJob(`${feature} needs ${missing.map((e) => e.name).join(' and ')}: install it under Settings → Models, then run "Missing".`);
}

// Every tab forgets what it checked when any tab installs or removes a model: the scheduling tab
// may be another one.
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('shoebox-models');
channel?.addEventListener('message', () => checked.clear());

/** Forgets what was checked, here and in the other tabs (after a model is installed or removed). */
export function modelsChanged(): void {
	checked.clear();
	channel?.postMessage('changed');
}
