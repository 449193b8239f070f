// Wires the worker pool and the scheduler into this tab, following the settings live.
import type { MediaApi } from '../../../worker/shared/api';
import type { MlApi } from '../../../worker/shared/ml-api';
import { settings } from '../settings/settings.svelte';
import { WorkerPool, type PoolStats } from './pool';
import { enabledBy } from './queue-defs';
import { Scheduler } from './scheduler';
import { maintenanceRole } from './maintenance';

function createMediaWorker(): Worker {
	return new Worker(new URL('../../../worker/media/media.worker.ts', import.meta.url), { type: 'module', name: 'media' });
}

function createMlWorker(): Worker {
	return new Worker(new URL('../../../worker/ml/ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' });
}

export class Engine {
	/** Whether this tab holds the scheduling role (other tabs only watch). */
	scheduling = $state(false);
	pool = $state<PoolStats>({ size: 0, alive: 0, busy: 0 });
	readonly mediaPool: WorkerPool<MediaApi>;
	readonly mlPool: WorkerPool<MlApi>;
	readonly scheduler: Scheduler;

	constructor() {
		const s = settings();
		this.mediaPool = new WorkerPool<MediaApi>(createMediaWorker, this.poolOptions());
		this.mediaPool.subscribe((stats) => (this.pool = stats));
		this.mlPool = new WorkerPool<MlApi>(createMlWorker, this.mlPoolOptions());
		this.scheduler = new Scheduler({ media: this.mediaPool, ml: this.mlPool }, () => s.current, (q) => enabledBy(s.current)(q));
		let threads = s.current.mlThreads;
		$effect.root(() => {
			$effect(() => {
				this.mediaPool.configure(this.poolOptions());
				this.mlPool.configure(this.mlPoolOptions());
				// onnxruntime-web fixes its thread count when a worker starts: new workers pick up a change.
				if (s.current.mlThreads !== threads) this.mlPool.close();
				threads = s.current.mlThreads;
				this.scheduler.kick();
			});
		});
		this.scheduler.start((on) => {
			this.scheduling = on;
			maintenanceRole(on); // the 30-day trash purge, in the scheduling tab only
		});
	}

	private poolOptions() {
		const c = settings().current;
		return { size: c.workers, timeoutMs: c.jobTimeoutS * 1000, idleMs: c.workerIdleS * 1000 };
	}

	/** ML workers hold their sessions: they stay as long as the sessions may (the idle unload). */
	private mlPoolOptions() {
		const c = settings().current;
		return { size: c.mlWorkers, timeoutMs: c.jobTimeoutS * 1000, idleMs: Math.max(c.workerIdleS, c.mlIdleUnloadS) * 1000 };
	}
}

let instance: Engine | null = null;
export function engine(): Engine {
	instance ??= new Engine();
	return instance;
}
