import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// SPA: every route falls back to index.html, rendered in the browser.
		adapter: adapter({ fallback: 'index.html' }),
		alias: { $worker: 'worker' },
		// src/service-worker.ts is built by SvelteKit and given its precache list by @vite-pwa/sveltekit;
		// the app registers it itself (src/lib/components/pwa/UpdatePrompt.svelte).
		serviceWorker: { register: false }
	}
};
