import * as Comlink from 'comlink';

/** Why a call did not return: the worker crashed, stopped answering, or the call was cancelled. */
export class WorkerLostError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WorkerLostError';
	}
}

export interface PoolStats {
	size: number;
	alive: number;
	busy: number;
}

interface Slot<Api> {
	worker: Worker;
	api: Comlink.Remote<Api>;
	busy: boolean;
	idleTimer: ReturnType<typeof setTimeout> | null;
	/** Rejects the call in flight when the worker dies. */
	onDeath: ((err: Error) => void) | null;
}

export interface PoolOptions {
	size: number;
	/** A call running longer than this ends its worker. */
	timeoutMs: number;
	/** An idle worker is ended after this, to give its memory back. */
	idleMs: number;
}

/**
 * A pool of Web Workers of one kind. Workers start lazily, at most `size` at once; a call that
 * times out, is aborted or whose worker crashes ends that worker (a fresh one replaces it on the
 * next call). Resizing is live: extra workers end as soon as they are idle.
 */
export class WorkerPool<Api> {
	private slots: Slot<Api>[] = [];
	private waiters: Array<() => void> = [];
	private listeners = new Set<(s: PoolStats) => void>();

	constructor(
		private readonly create: () => Worker,
		private opts: PoolOptions
	) {}

	get stats(): PoolStats {
		return { size: this.opts.size, alive: this.slots.length, busy: this.slots.filter((s) => s.busy).length };
	}

	subscribe(fn: (s: PoolStats) => void): () => void {
		this.listeners.add(fn);
		fn(this.stats);
		return () => this.listeners.delete(fn);
	}

	configure(opts: Partial<PoolOptions>): void {
		this.opts = { ...this.opts, ...opts, size: Math.max(1, Math.floor(opts.size ?? this.opts.size)) };
		for (const s of this.slots.filter((s) => !s.busy).slice(0, Math.max(0, this.slots.length - this.opts.size))) this.end(s);
		this.wakeWaiters();
		this.emit();
	}

	/** Runs `fn` with a worker's API once one is free. */
	async run<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>, signal?: AbortSignal): Promise<T> {
		const slot = await this.acquire(signal);
		let timer: ReturnType<typeof setTimeout> | undefined;
		let onAbort: (() => void) | undefined;
		try {
			const death = new Promise<never>((_, reject) => {
				slot.onDeath = reject;
				timer = setTimeout(
					() => this.kill(slot, new WorkerLostError(`The worker stopped responding after ${Math.round(this.opts.timeoutMs / 1000)} s and was restarted.`)),
					this.opts.timeoutMs
				);
				onAbort = () => this.kill(slot, new WorkerLostError('Cancelled.'));
				signal?.addEventListener('abort', onAbort);
			});
			return await Promise.race([fn(slot.api), death]);
		} finally {
			clearTimeout(timer);
			if (onAbort) signal?.removeEventListener('abort', onAbort);
			this.release(slot);
		}
	}

	/** Ends every worker (used when the scheduling tab gives up its role). */
	close(): void {
		for (const s of [...this.slots]) this.kill(s, new WorkerLostError('The worker pool was closed.'));
	}

	private async acquire(signal?: AbortSignal): Promise<Slot<Api>> {
		for (;;) {
			signal?.throwIfAborted();
			const idle = this.slots.find((s) => !s.busy);
			if (idle) return this.take(idle);
			if (this.slots.length < this.opts.size) return this.take(this.spawn());
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	private take(slot: Slot<Api>): Slot<Api> {
		slot.busy = true;
		if (slot.idleTimer) clearTimeout(slot.idleTimer);
		slot.idleTimer = null;
		this.emit();
		return slot;
	}

	private release(slot: Slot<Api>): void {
		slot.onDeath = null;
		if (!this.slots.includes(slot)) return this.wakeWaiters();
		slot.busy = false;
		if (this.slots.length > this.opts.size) this.end(slot);
		else slot.idleTimer = setTimeout(() => this.end(slot), this.opts.idleMs);
		this.wakeWaiters();
		this.emit();
	}

	private spawn(): Slot<Api> {
		const worker = this.create();
		const slot: Slot<Api> = { worker, api: Comlink.wrap<Api>(worker), busy: false, idleTimer: null, onDeath: null };
		worker.addEventListener('error', (e) => {
			e.preventDefault();
			this.kill(slot, new WorkerLostError(`The worker crashed${e.message ? `: ${e.message}` : ''}.`));
		});
		this.slots.push(slot);
		return slot;
	}

	private kill(slot: Slot<Api>, err: Error): void {
		slot.onDeath?.(err);
		this.end(slot);
	}

	private end(slot: Slot<Api>): void {
		if (slot.idleTimer) clearTimeout(slot.idleTimer);
		slot.api[Comlink.releaseProxy]();
		slot.worker.terminate();
		this.slots = this.slots.filter((s) => s !== slot);
		this.wakeWaiters();
		this.emit();
	}

	private wakeWaiters(): void {
		const free = this.opts.size - this.slots.filter((s) => s.busy).length;
		for (const w of this.waiters.splice(0, Math.max(0, free))) w();
	}

	private emit(): void {
		const s = this.stats;
		for (const fn of this.listeners) fn(s);
	}
}
