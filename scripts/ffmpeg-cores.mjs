#!/usr/bin/env node
// npm run ffmpeg-cores (also run before every build): copies the ffmpeg.wasm cores from node_modules
// into static/ffmpeg/ (git-ignored), served by the app at /ffmpeg/st/ (single-thread, @ffmpeg/core)
// and /ffmpeg/mt/ (multi-thread, @ffmpeg/core-mt, used when the page is cross-origin isolated).
// The transcode worker loads them by absolute URL. Files already there with the same size are kept.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CORES = { st: '@ffmpeg/core', mt: '@ffmpeg/core-mt' };

for (const [dir, pkg] of Object.entries(CORES)) {
	const from = join(ROOT, 'node_modules', pkg, 'dist', 'esm');
	const to = join(ROOT, 'static', 'ffmpeg', dir);
	await mkdir(to, { recursive: true });
	let copied = 0;
	for (const name of await readdir(from)) {
		const a = await stat(join(from, name));
		const b = await stat(join(to, name)).catch(() => null);
		if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
		await copyFile(join(from, name), join(to, name));
		copied++;
	}
	console.log(`ffmpeg-cores: ${pkg} → static/ffmpeg/${dir} (${copied} copied)`);
}
