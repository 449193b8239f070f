// The app's TypeScript ML pipelines (worker/ml/**) for Node: one entry file and all it imports (the
// model catalog JSON included) bundled with rolldown into one ES module, so the native benchmarks
// run the very same code as the ML worker. A worker thread is handed its parent's bundles
// (bundled() → preload()) instead of bundling again.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bundles = new Map();

/** The code of `entry` (a path relative to the repository) and its imports, as one ES module. */
export function bundleTs(entry) {
	let code = bundles.get(entry);
	if (!code) {
		code = (async () => {
			const bundle = await rolldown({ input: resolve(REPO, entry), platform: 'neutral', logLevel: 'silent' });
			try {
				const { output } = await bundle.generate({ format: 'esm' });
				return output[0].code;
			} finally {
				await bundle.close();
			}
		})();
		bundles.set(entry, code);
	}
	return code;
}

/** Every bundle made so far in this thread: entry → code. */
export async function bundled() {
	return Object.fromEntries(await Promise.all([...bundles].map(async ([entry, code]) => [entry, await code])));
}

/** Takes bundles made elsewhere (another thread's bundled()). */
export function preload(codes) {
	for (const [entry, code] of Object.entries(codes)) bundles.set(entry, Promise.resolve(code));
}

function importCode(code) {
	return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const modules = new Map();

/** `entry` (relative to the repository) bundled and imported, once per process. */
export function importTs(entry) {
	let m = modules.get(entry);
	if (!m) {
		m = bundleTs(entry).then(importCode);
		modules.set(entry, m);
	}
	return m;
}
