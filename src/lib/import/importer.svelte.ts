// Intake: each picked file goes to the import worker (hash + copy into OPFS), then becomes an asset
// row with its jobs. Blob first, row second; the same bytes never make two assets.
import Dexie from 'dexie';
import type { ImportApi, IngestResult } from '../../../worker/shared/api';
import { messageOf } from '../../../worker/shared/errors';
import { storageErrorMessage } from '../blobs/store';
import { db } from '../db/schema';
import { engine } from '../jobs/engine.svelte';
import { WorkerPool } from '../jobs/pool';
import { enabledBy } from '../jobs/queue-defs';
import { jobsForNewAsset } from '../jobs/queues';
import { settings } from '../settings/settings.svelte';
import { newAsset } from './new-asset';

export interface ImportFailure {
	name: string;
	reason: string;
}

/** Files in flight at once: hashing is fast, so two keep the disk busy without starving the jobs. */
const PARALLEL = 2;

function createImportWorker(): Worker {
	return new Worker(new URL('../../../worker/import/import.worker.ts', import.meta.url), { type: 'module', name: 'import' });
}

export class Importer {
	total = $state(0);
	processed = $state(0);
	imported = $state(0);
	duplicates = $state(0);
	failures = $state<ImportFailure[]>([]);
	running = $state(false);
	private queue: File[] = [];
	private pool = new WorkerPool<ImportApi>(createImportWorker, { size: PARALLEL, timeoutMs: 10 * 60_000, idleMs: 20_000 });

	/** Adds files to the current import (or starts one). */
	add(files: Iterable<File>): void {
		const list = [...files];
		if (list.length === 0) return;
		if (!this.running) this.reset();
		this.queue.push(...list);
		this.total += list.length;
		if (!this.running) void this.drain();
	}

	private reset(): void {
		this.total = this.processed = this.imported = this.duplicates = 0;
		this.failures = [];
	}

	private async drain(): Promise<void> {
		this.running = true;
		void this.pool.run((api) => api.sweepTemporary(60 * 60_000)).catch(() => {});
		const lane = async () => {
			for (let file = this.queue.shift(); file; file = this.queue.shift()) {
				await this.one(file);
				this.processed++;
			}
		};
		await Promise.all(Array.from({ length: PARALLEL }, lane));
		this.running = false;
	}

	private async one(file: File): Promise<void> {
		let result: IngestResult;
		try {
			const maxPixels = settings().current.maxMegapixels * 1_000_000;
			result = await this.pool.run<IngestResult>((api) => api.ingest(file, maxPixels));
		} catch (err) {
			result = { ok: false, reason: messageOf(err) };
		}
		if (!result.ok) return this.fail(file.name, result.reason);
		const asset = newAsset(file, result);
		const d = db();
		try {
			await d.transaction('rw', d.assets, d.jobs, async () => {
				await d.assets.add(asset);
				await d.jobs.bulkAdd(jobsForNewAsset(asset, asset.importedAt, enabledBy(settings().current)));
			});
			this.imported++;
			engine().scheduler.kick();
		} catch (err) {
			if (err instanceof Dexie.ConstraintError || (err as Error)?.name === 'ConstraintError') this.duplicates++;
			else await this.fail(file.name, storageErrorMessage(err) ?? messageOf(err));
		}
	}

	private async fail(name: string, reason: string): Promise<void> {
		this.failures = [...this.failures, { name, reason }];
		// With a full disk even this small row may not fit; the panel still shows the failure.
		await db().failedImports.add({ name, reason, at: Date.now() }).catch((err) => console.warn('failedImports', err));
	}
}

let instance: Importer | null = null;
export function importer(): Importer {
	instance ??= new Importer();
	return instance;
}
