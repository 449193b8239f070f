// Global setup for the e2e suite: serves build/ on a free port, finds Chromium and the media
// corpus (generating fixtures when it is absent), and hands all three to the tests via provide().
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serve } from '../../../scripts/serve.mjs';
import { findChromium } from '../../chromium.mjs';
import { REPO_ROOT, resolveMediaDir } from '../helpers/media';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		mediaDir: string;
		mediaSource: 'corpus' | 'generated';
	}
}

export default async function setup(project: TestProject) {
	const root = join(REPO_ROOT, 'build');
	if (!existsSync(join(root, 'index.html'))) {
		throw new Error(`No built app in ${root}: run \`npm run build\` before the e2e tests (npm test does).`);
	}
	findChromium(); // fail fast, with the install hint, before any test starts

	const server = (await serve({ root, port: 0, host: '127.0.0.1' })) as import('node:http').Server;
	const { port } = server.address() as AddressInfo;
	// 127.0.0.1 is a secure context, so OPFS, SharedArrayBuffer (with COOP/COEP) and workers all work.
	project.provide('baseURL', `http://127.0.0.1:${port}`);

	const media = await resolveMediaDir();
	project.provide('mediaDir', media.dir);
	project.provide('mediaSource', media.source);
	console.log(`[e2e] app on http://127.0.0.1:${port}, media: ${media.dir} (${media.source})`);

	return async () => {
		server.closeAllConnections?.();
		await new Promise((ok) => server.close(() => ok(undefined)));
		if (media.source === 'generated') await rm(media.dir, { recursive: true, force: true });
	};
}
