import { defineConfig } from 'vitest/config';

export default defineConfig({
	// Generous limits against hangs only: the tests that run real models and decode real photos share
	// two cores with each other, and their time says nothing (speed is measured in `npm run bench`).
	test: { include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 180_000 }
});
