import Dexie, { type EntityTable } from 'dexie';
import { jobCountsMiddleware, tally, type JobCountRow } from './job-counts';
import type { Album, AlbumAsset, Asset, EmbeddingRow, Face, FailedImport, JobRow, JobStatus, Person, QueueState, SettingRow, TagRow, TextRow, TimelineSummary } from './types';

/**
 * The one IndexedDB database. Each schema change is a new entry in `versions` (never edit an old
 * one): Dexie upgrades a browser's database step by step, running the `upgrade` of each step.
 */
export class ShoeboxDb extends Dexie {
	assets!: EntityTable<Asset, 'id'>;
	jobs!: Dexie.Table<JobRow, [string, string]>;
	jobCounts!: EntityTable<JobCountRow, 'queue'>;
	queues!: EntityTable<QueueState, 'queue'>;
	settings!: EntityTable<SettingRow, 'key'>;
	failedImports!: EntityTable<FailedImport, 'id'>;
	albums!: EntityTable<Album, 'id'>;
	albumAssets!: Dexie.Table<AlbumAsset, [string, string]>;
	summaries!: EntityTable<TimelineSummary, 'key'>;
	faces!: EntityTable<Face, 'id'>;
	people!: EntityTable<Person, 'id'>;
	embeddings!: Dexie.Table<EmbeddingRow, [string, string]>;
	tags!: Dexie.Table<TagRow, [string, string]>;
	texts!: EntityTable<TextRow, 'assetId'>;

	constructor(name = 'shoebox') {
		super(name);
		for (const v of versions) {
			const step = this.version(v.version).stores(v.stores);
			if (v.upgrade) step.upgrade(v.upgrade);
		}
		this.use(jobCountsMiddleware);
	}
}

interface SchemaVersion {
	version: number;
	stores: Record<string, string | null>;
	upgrade?: (tx: import('dexie').Transaction) => Promise<unknown> | void;
}

export const versions: SchemaVersion[] = [
	{
		version: 1,
		stores: {
			// takenAt sorts the timeline; checksum is unique so the same bytes never make two assets.
			assets: 'id, &checksum, takenAt, importedAt, type',
			// [queue+status] counts a queue's tiles; [queue+status+enqueuedAt] picks the oldest waiting.
			jobs: '[queue+assetId], [queue+status], [queue+status+enqueuedAt], assetId',
			queues: 'queue',
			settings: 'key',
			failedImports: '++id, at',
			// Reserved for the ML, albums and search issues; declared so their migrations only add indexes.
			faces: 'id, assetId, personId',
			people: 'id',
			embeddings: '[assetId+model]',
			tags: '[assetId+label], label',
			texts: 'assetId',
			albums: 'id'
		}
	},
	{
		// Organising: the timeline reads [state+takenAt+id] (id breaks ties, so previous/next is a
		// total order); favorites and "recently added" have their own indexes; albums get members.
		version: 2,
		stores: {
			assets: 'id, &checksum, takenAt, importedAt, type, [state+takenAt+id], [favorite+takenAt], trashedAt',
			albums: 'id, name, updatedAt',
			albumAssets: '[albumId+assetId], assetId, [albumId+addedAt]'
		},
		upgrade: (tx) =>
			tx
				.table('assets')
				.toCollection()
				.modify((a: Partial<Asset>) => {
					a.state ??= 'timeline';
					a.favorite ??= 0;
					a.trashedAt ??= null;
				})
	},
	{
		// Cached summaries (the timeline's months and days), recomputed in a worker after changes:
		// reading every index key of a big library takes seconds, reading one row takes milliseconds.
		version: 3,
		stores: { summaries: 'key' }
	},
	{
		// Search: embeddings are loaded per model into the vector index; text is found by its words.
		version: 4,
		stores: { embeddings: '[assetId+model], model', texts: 'assetId, *words' }
	},
	{
		// Jobs counted per queue and status as they change (db/job-counts.ts): counting the index
		// on every refresh of the jobs page cost ~0.6 s at 20,000 assets. Filled once here.
		version: 5,
		stores: { jobCounts: 'queue' },
		upgrade: async (tx) => {
			const keys = (await tx.table('jobs').orderBy('[queue+status]').keys()) as unknown as [JobRow['queue'], JobStatus][];
			const counts = tally(keys.map(([queue, status]) => ({ queue, status, error: null })), 1);
			// held = skipped with a reason: only the skipped rows need reading whole
			const skipped = (await tx.table('jobs').where('[queue+status]').anyOf([...counts.keys()].map((q) => [q, 'skipped'])).toArray()) as JobRow[];
			for (const j of skipped) if (j.error) counts.get(j.queue)!.held++;
			await tx.table('jobCounts').bulkPut([...counts].map(([queue, c]) => ({ queue, ...c })));
		}
	}
];

let instance: ShoeboxDb | null = null;

/** The app's database, opened on first use (in the page or in a worker). */
export function db(): ShoeboxDb {
	instance ??= new ShoeboxDb();
	return instance;
}
