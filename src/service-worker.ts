/// <reference types="@sveltejs/kit" />
/// <reference lib="webworker" />
// Shoebox's service worker (docs/offline.md). SvelteKit builds it; @vite-pwa/sveltekit injects the
// precache list (the app shell) in place of self.__WB_MANIFEST.
//  - precache: HTML shell, JS/CSS chunks under 1 MB, icons, the web manifest;
//  - run time, cache first: any other /_app/immutable/ file (the ~2 MB libheif chunk) and *.wasm;
//  - navigations fall back to the shell, so /jobs, /settings, /photos/<id> open offline;
//  - every response it serves keeps COOP/COEP/CORP, or the page would lose crossOriginIsolated;
//  - POST /share (Web Share Target) keeps the files and redirects to /?shared=1;
//  - a new version waits until the page asks it to take over (the "update available" prompt).
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { putSharedFiles } from '$lib/import/share-store';

const sw = globalThis.self as unknown as ServiceWorkerGlobalScope;

const RUNTIME_CACHE = 'shoebox-runtime';

/** Same values as scripts/headers.js (the server's): a cached copy must carry them too. */
const ISOLATION: Record<string, string> = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

function withIsolation(response: Response): Response {
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
	if (Object.entries(ISOLATION).every(([k, v]) => response.headers.get(k) === v)) return response;
	const headers = new Headers(response.headers);
	for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = {
	handlerWillRespond: async ({ response }) => withIsolation(response)
};

// ---- share target (before Workbox's routes: they only answer GET) -----------------------------

sw.addEventListener('fetch', (event) => {
	const url = new URL(event.request.url);
	if (event.request.method !== 'POST' || url.origin !== sw.location.origin || url.pathname !== '/share') return;
	event.respondWith(receiveShare(event.request));
});

async function receiveShare(request: Request): Promise<Response> {
	try {
		const form = await request.formData();
		const files = [...form.values()].filter((v): v is File => typeof v !== 'string');
		await putSharedFiles(files);
		return Response.redirect(new URL('/?shared=1', sw.location.origin).href, 303);
	} catch (err) {
		console.warn('share target', err);
		return Response.redirect(new URL('/?shared=error', sw.location.origin).href, 303);
	}
}

// ---- precache + navigation fallback ---------------------------------------------------------

addPlugins([isolation]);
// Written out as `self.__WB_MANIFEST`: the build replaces exactly that text with the list.
precacheAndRoute((self as unknown as { __WB_MANIFEST: (string | PrecacheEntry)[] }).__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
	new NavigationRoute(createHandlerBoundToURL('/index.html'), {
		// Real files and the model folder are never answered with the shell.
		denylist: [/^\/models\//, /^\/share$/, /\/[^/?]+\.[a-z0-9]+$/i]
	})
);

// ---- run time: big immutable chunks and WASM, cached on first use ----------------------------

registerRoute(
	({ url, request }) =>
		url.origin === sw.location.origin &&
		request.method === 'GET' &&
		!url.pathname.startsWith('/models/') &&
		(url.pathname.startsWith('/_app/immutable/') || url.pathname.endsWith('.wasm')),
	new CacheFirst({
		cacheName: RUNTIME_CACHE,
		plugins: [
			new CacheableResponsePlugin({ statuses: [200] }),
			// Hashed names: an old version's chunks age out instead of piling up.
			new ExpirationPlugin({ maxEntries: 40, purgeOnQuotaError: true }),
			isolation
		]
	})
);

// ---- updates ----------------------------------------------------------------------------------

// The first install takes control at once (offline from the first visit); later versions wait for
// the page's "Reload" (UpdatePrompt.svelte posts SKIP_WAITING).
clientsClaim();
sw.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});
