// Serves build/ (the static SPA) with cross-origin isolation, an SPA fallback and correct MIME types.
// `vite preview` does not serve SvelteKit's static output, hence this small server.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolationHeaders } from './headers.js';

const MIME = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.onnx': 'application/octet-stream',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8'
};

/**
 * Starts the server; resolves with the listening http.Server. `isolate: false` (test-only: the video
 * benchmark's single-thread ffmpeg.wasm run) leaves out the COOP/COEP/CORP headers; the app itself is
 * always served isolated.
 */
export function serve({ root = resolve(fileURLToPath(new URL('../build', import.meta.url))), port = 4173, host = '127.0.0.1', isolate = true } = {}) {
	const server = createServer(async (req, res) => {
		if (isolate) for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		let file = normalize(join(root, path));
		if (!file.startsWith(root)) return void res.writeHead(403).end();
		let info = await stat(file).catch(() => null);
		if (info?.isDirectory()) {
			file = join(file, 'index.html');
			info = await stat(file).catch(() => null);
		}
		// Unknown paths without an extension are app routes: hand them the SPA shell.
		if (!info && !extname(path)) {
			file = join(root, 'index.html');
			info = await stat(file).catch(() => null);
		}
		if (!info) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
		const immutable = path.includes('/_app/immutable/');
		res.writeHead(200, {
			'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
			'Content-Length': info.size,
			'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache'
		});
		if (req.method === 'HEAD') return void res.end();
		createReadStream(file).pipe(res);
	});
	return new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(port, host, () => ok(server));
	});
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const port = Number(process.env.PORT ?? 4173);
	const host = process.env.HOST ?? '127.0.0.1';
	await serve({ port, host });
	console.log(`Shoebox: http://localhost:${port}/ (cross-origin isolated)`);
}
