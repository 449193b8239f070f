// A model just installed: the queues that were skipping for want of it run for what they skipped.
import { QUEUE_NAMES } from '../db/types';
import { engine } from '../jobs/engine.svelte';
import { enqueueMissing } from '../jobs/queues';
import { settings } from '../settings/settings.svelte';
import type { CatalogEntry } from './catalog';
import { modelsForQueue } from './queue-models';

export async function afterInstall(entry: CatalogEntry): Promise<void> {
	const s = settings().current;
	for (const q of QUEUE_NAMES) if (modelsForQueue(q, s).some((m) => m.id === entry.id)) await enqueueMissing(q);
	engine().scheduler.kick();
}
