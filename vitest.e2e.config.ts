import { defineConfig } from 'vitest/config';

// End-to-end suite: a real Chromium drives the built app (build/), served by scripts/serve.mjs.
// `npm test` builds first; run alone with `npm run build && npx vitest run --config vitest.e2e.config.ts`.
export default defineConfig({
	test: {
		include: ['test/e2e/**/*.e2e.ts'],
		environment: 'node',
		globalSetup: ['test/e2e/setup/global.ts'],
		// Safety nets against hangs, not speed assertions: a full import of the media corpus
		// (24 MP JPEG, HEIC through WASM) on a 2-core machine takes a while.
		testTimeout: 300_000,
		hookTimeout: 180_000,
		// One browser at a time: the machine has 2 cores and the app itself runs a worker pool.
		fileParallelism: false,
		maxConcurrency: 1
	}
});
