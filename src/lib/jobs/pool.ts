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
	/** Calls sent to this worker and not yet settled (it runs them one after another). */
	calls: number;
	/** Settles when the last call sent to this worker settles: the next one starts after it. */
	tail: Promise<void>;
	idleTimer: ReturnType<typeof setTimeout> | null;
	/** Rejects the calls in flight when the worker dies. */
	onDeath: Set<(err: Error) => void>;
}

export interface PoolOptions {
	size: number;
	/** A call running longer than this ends its worker. */
	timeoutMs: number;
	/** An idle worker is ended after this, to give its memory back. */
	idleMs: number;
	/**
	 * Calls one worker may hold at once, the first running and the rest queued inside it (the worker
	 * runs its calls in order). Above 1, a worker starts its next call the moment one ends, without
	 * waiting for the page to answer. Only for workers whose API runs calls one at a time.
	 */
	depth?: number;
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
		return { size: this.opts.size, alive: this.slots.length, busy: this.slots.filter((s) => s.calls > 0).length };
	}

	subscribe(fn: (s: PoolStats) => void): () => void {
		this.listeners.add(fn);
		fn(this.stats);
		return () => this.listeners.delete(fn);
	}

	configure(opts: Partial<PoolOptions>): void {
		this.opts = { ...this.opts, ...opts, size: Math.max(1, Math.floor(opts.size ?? this.opts.size)) };
		for (const s of this.slots.filter((s) => s.calls === 0).slice(0, Math.max(0, this.slots.length - this.opts.size))) this.end(s);
		this.wakeWaiters();
		this.emit();
	}

	/**
	 * Runs `fn` with a worker's API once one is free (or, with `depth`, has room in its queue).
	 * `timeoutMs` replaces the pool's limit for this call.
	 */
	async run<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>, signal?: AbortSignal, timeoutMs?: number): Promise<T> {
		const slot = await this.acquire(signal);
		const prior = slot.tail;
		let settled!: () => void;
		slot.tail = new Promise((resolve) => (settled = resolve));
		let timer: ReturnType<typeof setTimeout> | undefined;
		let onAbort: (() => void) | undefined;
		let onDeath: ((err: Error) => void) | undefined;
		try {
			const death = new Promise<never>((_, reject) => {
				onDeath = reject;
				slot.onDeath.add(reject);
				// The clock starts when the worker gets to this call, not while it waits behind another.
				void prior.then(() => {
					const limit = timeoutMs ?? this.opts.timeoutMs;
					if (slot.onDeath.has(reject))
						timer = setTimeout(
							() => this.kill(slot, new WorkerLostError(`The worker stopped responding after ${Math.round(limit / 1000)} s and was restarted.`)),
							limit
						);
				});
				onAbort = () => this.kill(slot, new WorkerLostError('Cancelled.'));
				signal?.addEventListener('abort', onAbort);
			});
			return await Promise.race([fn(slot.api), death]);
		} finally {
			clearTimeout(timer);
			if (onAbort) signal?.removeEventListener('abort', onAbort);
			if (onDeath) slot.onDeath.delete(onDeath);
			settled();
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
			const idle = this.slots.find((s) => s.calls === 0);
			if (idle) return this.take(idle);
			if (this.slots.length < this.opts.size) return this.take(this.spawn());
			const roomy = this.slots.filter((s) => s.calls < (this.opts.depth ?? 1)).sort((a, b) => a.calls - b.calls)[0];
			if (roomy) return this.take(roomy);
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	private take(slot: Slot<Api>): Slot<Api> {
		slot.calls++;
		if (slot.idleTimer) clearTimeout(slot.idleTimer);
		slot.idleTimer = null;
		this.emit();
		return slot;
	}

	private release(slot: Slot<Api>): void {
		slot.calls--;
		if (!this.slots.includes(slot)) return this.wakeWaiters();
		if (slot.calls === 0) {
			if (this.slots.length > this.opts.size) this.end(slot);
			else slot.idleTimer = setTimeout(() => this.end(slot), this.opts.idleMs);
		}
		this.wakeWaiters();
		this.emit();
	}

	private spawn(): Slot<Api> {
		const worker = this.create();
		const slot: Slot<Api> = { worker, api: Comlink.wrap<Api>(worker), calls: 0, tail: Promise.resolve(), idleTimer: null, onDeath: new Set() };
		worker.addEventListener('error', (e) => {
			e.preventDefault();
			this.kill(slot, new WorkerLostError(`The worker crashed${e.message ? `: ${e.message}` : ''}.`));
		});
		this.slots.push(slot);
		return slot;
	}

	private kill(slot: Slot<Api>, err: Error): void {
		for (const reject of slot.onDeath) reject(err);
		slot.onDeath.clear();
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

	/** Every waiter looks again: room may have opened on any worker. */
	private wakeWaiters(): void {
		for (const w of this.waiters.splice(0)) w();
	}

	private emit(): void {
		const s = this.stats;
		for (const fn of this.listeners) fn(s);
	}
}
