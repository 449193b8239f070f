import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { WorkerLostError, WorkerPool } from '../../src/lib/jobs/pool';
import { oneAtATime } from '../../worker/shared/one-at-a-time';

/** A worker in this thread: Comlink on one end of a message channel, the API on the other. */
class ChannelWorker extends EventTarget {
	private readonly port: MessagePort;
	private readonly other: MessagePort;
	constructor(api: object) {
		super();
		const { port1, port2 } = new MessageChannel();
		this.port = port1;
		this.other = port2;
		Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
	}
	postMessage(message: unknown, transfer?: Transferable[]) {
		this.port.postMessage(message, transfer as never);
	}
	override addEventListener(type: string, fn: EventListenerOrEventListenerObject | null) {
		if (type === 'message') this.port.addEventListener('message', fn as never);
		else super.addEventListener(type, fn);
	}
	override removeEventListener(type: string, fn: EventListenerOrEventListenerObject | null) {
		if (type === 'message') this.port.removeEventListener('message', fn as never);
		else super.removeEventListener(type, fn);
	}
	start() {
		this.port.start();
	}
	terminate() {
		this.port.close();
		this.other.close();
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A worker API that logs when each call arrives, starts and ends; `wait` ms of pretend work. */
function loggingApi(log: string[]) {
	let running = 0;
	return {
		arrive: (name: string) => log.push(`arrive ${name}`),
		async work(name: string, wait: number) {
			running++;
			log.push(`start ${name} (running ${running})`);
			await sleep(wait);
			running--;
			log.push(`end ${name}`);
			return name;
		}
	};
}

type Api = ReturnType<typeof loggingApi>;
let pools: WorkerPool<Api>[] = [];
afterEach(() => {
	for (const p of pools) p.close();
	pools = [];
});

function pool(opts: { size: number; depth?: number; timeoutMs?: number }, log: string[]) {
	const p = new WorkerPool<Api>(
		() => {
			const api = loggingApi(log);
			// What arrives is logged at once; the work itself runs one call at a time, as in the media worker.
			const serial = oneAtATime({ work: api.work });
			return new ChannelWorker({ work: (name: string, wait: number) => (api.arrive(name), serial.work(name, wait)) }) as unknown as Worker;
		},
		{ timeoutMs: 5000, idleMs: 60_000, ...opts }
	);
	pools.push(p);
	return p;
}

describe('WorkerPool', () => {
	it('with depth 2, hands a busy worker its next call at once and the worker runs them in order', async () => {
		const log: string[] = [];
		const p = pool({ size: 1, depth: 2 }, log);
		const results = await Promise.all([p.run((api) => api.work('a', 60)), p.run((api) => api.work('b', 10))]);
		expect(results).toEqual(['a', 'b']);
		expect(log).toEqual(['arrive a', 'start a (running 1)', 'arrive b', 'end a', 'start b (running 1)', 'end b']);
		expect(p.stats).toMatchObject({ size: 1, alive: 1, busy: 0 });
	});

	it('with depth 1, the next call leaves the page only when the worker is free', async () => {
		const log: string[] = [];
		const p = pool({ size: 1 }, log);
		await Promise.all([p.run((api) => api.work('a', 40)), p.run((api) => api.work('b', 10)), p.run((api) => api.work('c', 10))]);
		expect(log.filter((l) => l.startsWith('arrive') || l.startsWith('end'))).toEqual(['arrive a', 'end a', 'arrive b', 'end b', 'arrive c', 'end c']);
	});

	it('fills idle workers before queueing on a busy one', async () => {
		const log: string[] = [];
		const p = pool({ size: 2, depth: 2 }, log);
		const calls = [p.run((api) => api.work('a', 40)), p.run((api) => api.work('b', 40))];
		await sleep(10);
		expect(p.stats).toMatchObject({ alive: 2, busy: 2 });
		await Promise.all(calls);
	});

	it('starts a queued call’s clock only when the worker gets to it', async () => {
		const log: string[] = [];
		// Each call takes 120 ms of a 200 ms limit; together they take 240 ms.
		const p = pool({ size: 1, depth: 2, timeoutMs: 200 }, log);
		const results = await Promise.all([p.run((api) => api.work('a', 120)), p.run((api) => api.work('b', 120))]);
		expect(results).toEqual(['a', 'b']);
	});

	it('ends a stuck worker: its calls fail with WorkerLostError, and the next call gets a fresh worker', async () => {
		const log: string[] = [];
		const p = pool({ size: 1, depth: 2, timeoutMs: 100 }, log);
		const stuck = p.run((api) => api.work('stuck', 10_000));
		const queued = p.run((api) => api.work('queued', 10));
		await expect(stuck).rejects.toBeInstanceOf(WorkerLostError);
		await expect(queued).rejects.toBeInstanceOf(WorkerLostError);
		expect(p.stats.alive).toBe(0);
		expect(await p.run((api) => api.work('fresh', 10))).toBe('fresh');
	});

	it('lets one call have its own time limit in place of the pool’s', async () => {
		const log: string[] = [];
		const p = pool({ size: 1, timeoutMs: 100 }, log);
		expect(await p.run((api) => api.work('long', 250), undefined, 5000)).toBe('long');
		await expect(p.run((api) => api.work('short', 10_000), undefined, 50)).rejects.toBeInstanceOf(WorkerLostError);
		// The pool's own limit still holds for calls without one.
		await expect(p.run((api) => api.work('default', 10_000))).rejects.toBeInstanceOf(WorkerLostError);
	});
});
