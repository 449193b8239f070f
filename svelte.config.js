import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// SPA: every route falls back to index.html, rendered in the browser.
		adapter: adapter({ fallback: 'index.html' }),
		alias: { $worker: 'worker' }
	}
};
