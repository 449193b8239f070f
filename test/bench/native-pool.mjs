// The native side of the tag and OCR benchmarks: N worker threads, each with its own JS thread and
// its own onnxruntime-node session(s) — as the app runs N Web Workers with one onnxruntime-web
// session each — taking the next image from one shared list. Threads, not one thread with N
// sessions in Promise.all: onnxruntime-node's run() computes synchronously on the calling JS
// thread, so sessions sharing a thread never overlap.
//
// A runner module exports a factory `(options) → { run(jpeg) → { found, summary, timings }, release() }`;
// each thread imports it, makes one runner and runs it on the images it is sent; the calling
// thread times each image from message to answer.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { bundled, preload } from './ts-module.mjs';

const SELF = fileURLToPath(import.meta.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function start(spec, bundles) {
	const w = new Worker(SELF, { workerData: { nativePool: true, ...spec, bundles } });
	return new Promise((ok, fail) => {
		w.once('message', () => ok(w));
		w.once('error', fail);
	});
}

/**
 * `passes` timed passes (after one untimed) over `inputs` (preview JPEG buffers) with `workers`
 * threads, each running the `factory(options)` export of `module` (a file URL).
 * → seconds (median pass), times, perSecond (images/s), found (last pass), steps (per-step sums of
 *   the last pass, ms), callMs (sum over the last pass of each image's time as the calling thread sees it,
 *   messages included), perImage [{ found, summary }].
 */
export async function nativePool({ module, factory, options = {}, inputs, workers, passes }) {
	const bundles = await bundled();
	const started = await Promise.allSettled(Array.from({ length: workers }, () => start({ module, factory, options, inputs }, bundles)));
	const pool = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
	try {
		if (pool.length < workers) throw started.find((s) => s.status === 'rejected').reason;
		const times = [];
		let last;
		for (let pass = 0; pass <= passes; pass++) {
			let next = 0;
			const now = { found: 0, steps: {}, callMs: 0, perImage: new Array(inputs.length) };
			const t0 = performance.now();
			await Promise.all(
				pool.map(
					(w) =>
						new Promise((done, fail) => {
							let sent = 0;
							const give = () => {
								if (next >= inputs.length) return done();
								sent = performance.now();
								w.postMessage({ index: next++ });
							};
							w.on('message', (m) => {
								if (m.error) return fail(new Error(m.error));
								now.found += m.found;
								now.callMs += performance.now() - sent;
								now.perImage[m.index] = { found: m.found, summary: m.summary };
								for (const [k, v] of Object.entries(m.timings)) now.steps[k] = (now.steps[k] ?? 0) + v;
								give();
							});
							give();
						})
				)
			);
			for (const w of pool) w.removeAllListeners('message');
			if (pass > 0) times.push((performance.now() - t0) / 1000);
			last = now;
		}
		const seconds = median(times);
		return { seconds, times, images: inputs.length, perSecond: inputs.length / seconds, ...last };
	} finally {
		await Promise.all(pool.map((w) => w.terminate()));
	}
}

async function thread() {
	const { module, factory, options, inputs, bundles } = workerData;
	preload(bundles);
	const jpegs = inputs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
	const runner = await (await import(module))[factory](options);
	parentPort.on('message', async ({ index }) => {
		try {
			const r = await runner.run(jpegs[index]);
			parentPort.postMessage({ index, found: r.found, summary: r.summary, timings: r.timings });
		} catch (e) {
			parentPort.postMessage({ index, error: String(e?.stack ?? e) });
		}
	});
	parentPort.postMessage({ ready: true });
}

if (!isMainThread && workerData?.nativePool) await thread();
