import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { isolationHeaders } from './scripts/headers.js';

/** COOP/COEP on the dev and preview servers (npm start uses scripts/serve.mjs, which sets the same). */
function crossOriginIsolation(): Plugin {
	const use = (server: { middlewares: { use: (fn: (req: unknown, res: { setHeader: (k: string, v: string) => void }, next: () => void) => void) => void } }) =>
		server.middlewares.use((_req, res, next) => {
			for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
			next();
		});
	return { name: 'shoebox-cross-origin-isolation', configureServer: use, configurePreviewServer: use };
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit()],
	worker: { format: 'es' },
	optimizeDeps: { exclude: ['libheif-js'] },
	server: { port: 5173 },
	preview: { port: 4173 }
});
