import { liveQuery } from 'dexie';
import { db } from '../db/schema';
import { clampWorkers, defaultSettings, type Settings } from './defaults';
import { cores } from './device';


/** The settings, live: stored values over device defaults; changes from any tab show up here. */
export class SettingsState {
	readonly defaults = defaultSettings({ cores });
	current = $state<Settings>(defaultSettings({ cores }));
	loaded = $state(false);
	/** Resolves once the stored values have been read (before that, `current` holds the defaults). */
	readonly ready: Promise<void>;
	private markReady!: () => void;

	constructor() {
		this.ready = new Promise((ok) => (this.markReady = ok));
		liveQuery(() => db().settings.toArray()).subscribe({
			next: (rows) => {
				const stored = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<Settings>;
				const merged = { ...this.defaults, ...stored };
				merged.workers = clampWorkers(merged.workers, cores);
				this.current = merged;
				this.loaded = true;
				this.markReady();
			},
			error: (err) => console.error('settings', err)
		});
	}

	async set<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
		this.current = { ...this.current, [key]: value };
		await db().settings.put({ key, value });
	}

	async reset(key: keyof Settings): Promise<void> {
		await db().settings.delete(key);
	}
}

let instance: SettingsState | null = null;
export function settings(): SettingsState {
	instance ??= new SettingsState();
	return instance;
}
