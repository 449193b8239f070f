// Wires the worker pool and the scheduler into this tab, following the settings live.
import type { MediaApi } from '../../../worker/shared/api';
import type { MlApi } from '../../../worker/shared/ml-api';
import type { VideoApi } from '../../../worker/shared/video-api';
import { settings } from '../settings/settings.svelte';
import { WorkerPool, type PoolStats } from './pool';
import { enabledBy, STAGED } from './queue-defs';
import { Scheduler } from './scheduler';
import { maintenanceRole } from './maintenance';

function createMediaWorker(): Worker {
	return new Worker(new URL('../../../worker/media/media.worker.ts', import.meta.url), { type: 'module', name: 'media' });
}

function createMlWorker(): Worker {
	return new Worker(new URL('../../../worker/ml/ml.worker.ts', import.meta.url), { type: 'module', name: 'ml' });
}

function createVideoWorker(): Worker {
	return new Worker(new URL('../../../worker/video/transcode.worker.ts', import.meta.url), { type: 'module', name: 'video' });
}

/** A transcode may take long on a slow device: only a call stuck this long ends its worker. */
const VIDEO_TIMEOUT_MS = 30 * 60 * 1000;

export class Engine {
	/** Whether this tab holds the scheduling role (other tabs only watch). */
	scheduling = $state(false);
	pool = $state<PoolStats>({ size: 0, alive: 0, busy: 0 });
	readonly mediaPool: WorkerPool<MediaApi>;
	readonly mlPool: WorkerPool<MlApi>;
	readonly videoPool: WorkerPool<VideoApi>;
	readonly scheduler: Scheduler;

	constructor() {
		const s = settings();
		this.mediaPool = new WorkerPool<MediaApi>(createMediaWorker, this.poolOptions());
		this.mediaPool.subscribe((stats) => (this.pool = stats));
		this.mlPool = new WorkerPool<MlApi>(createMlWorker, this.mlPoolOptions());
		this.videoPool = new WorkerPool<VideoApi>(createVideoWorker, this.videoPoolOptions());
		this.scheduler = new Scheduler({ media: this.mediaPool, ml: this.mlPool, video: this.videoPool }, () => s.current, (q) => enabledBy(s.current)(q));
		let threads = s.current.mlThreads;
		$effect.root(() => {
			$effect(() => {
				this.mediaPool.configure(this.poolOptions());
				this.mlPool.configure(this.mlPoolOptions());
				this.videoPool.configure(this.videoPoolOptions());
				// onnxruntime-web fixes its thread count when a worker starts: new workers pick up a change.
				if (s.current.mlThreads !== threads) this.mlPool.close();
				threads = s.current.mlThreads;
				this.scheduler.kick();
			});
		});
		// No job may run with the defaults in place of the stored settings (e.g. the video policy).
		void s.ready.then(() =>
			this.scheduler.start((on) => {
				this.scheduling = on;
				maintenanceRole(on); // the 30-day trash purge, in the scheduling tab only
			})
		);
	}

	private poolOptions() {
		const c = settings().current;
		// The job the scheduler keeps ready waits inside a worker, which starts it the moment it is free.
		return { size: c.workers, timeoutMs: c.jobTimeoutS * 1000, idleMs: c.workerIdleS * 1000, depth: 1 + STAGED.media };
	}

	/** The ffmpeg core (~32 MB of wasm) stays loaded in an idle worker for the usual idle time. */
	private videoPoolOptions() {
		const c = settings().current;
		return { size: c.videoWorkers, timeoutMs: Math.max(VIDEO_TIMEOUT_MS, c.jobTimeoutS * 1000), idleMs: c.workerIdleS * 1000 };
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
