// Helpers for the installable/offline tests: the service worker, its caches, and a private server
// (a copy of build/ on its own port) that a test can stop to be truly offline or change to ship an update.
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { serve } from '../../../scripts/serve.mjs';
import { REPO_ROOT } from './media';

export const BUILD_DIR = join(REPO_ROOT, 'build');

/** Resolves once a service worker is active and controls the page. */
export async function waitForServiceWorker(page: Page, timeoutMs = 60_000): Promise<string> {
	return page.evaluate(async (timeout) => {
		const sw = navigator.serviceWorker;
		const guard = new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no service worker in time')), timeout));
		await Promise.race([sw.ready, guard]);
		if (!sw.controller) {
			await Promise.race([new Promise((ok) => sw.addEventListener('controllerchange', ok, { once: true })), guard]);
		}
		return sw.controller!.scriptURL;
	}, timeoutMs);
}

/** Every cache of the origin with the paths it holds. */
export async function readCaches(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(async () => {
		const out: Record<string, string[]> = {};
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
		}
		return out;
	});
}

/** Files of build/ (paths from the root, with a leading slash) bigger than `bytes`. */
export async function bigBuildFiles(bytes: number, dir = BUILD_DIR): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(dir, { recursive: true })) {
		const path = join(dir, entry);
		const info = await stat(path);
		if (info.isFile() && info.size > bytes) out.push('/' + relative(dir, path).split('\\').join('/'));
	}
	return out;
}

export interface OwnServer {
	baseURL: string;
	root: string;
	/** Stops answering (connections refused): offline for real, service worker included. */
	stop(): Promise<void>;
	/** Starts again on the same port (same origin, so the same service worker registration). */
	start(): Promise<void>;
	dispose(): Promise<void>;
}

/** Serves a private copy of build/ (so a test may change files) on a port of its own. */
export async function ownServer(): Promise<OwnServer> {
	const root = await mkdtemp(join(tmpdir(), 'shoebox-e2e-build-'));
	await cp(BUILD_DIR, root, { recursive: true });
	let server: Server | null = (await serve({ root, port: 0, host: '127.0.0.1' })) as Server;
	const { port } = server.address() as AddressInfo;
	const stop = async () => {
		if (!server) return;
		const s = server;
		server = null;
		s.closeAllConnections?.();
		await new Promise((ok) => s.close(() => ok(undefined)));
	};
	return {
		baseURL: `http://127.0.0.1:${port}`,
		root,
		stop,
		async start() {
			if (!server) server = (await serve({ root, port, host: '127.0.0.1' })) as Server;
		},
		async dispose() {
			await stop();
			await rm(root, { recursive: true, force: true });
		}
	};
}
