// The sharp (libvips) side of the thumbnail benchmark: the same three outputs the app's media
// worker makes, from one decode per image. Used as a library, and as a child process (forked by
// thumbnails.mjs) that takes files over IPC one at a time, so N processes share one work queue
// the way the app's workers share the thumbnailGeneration queue.
//
// Child env: SHARP_THREADS (libvips threads per image; "1" for equal parallelism), SHARP_MODE.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

/** Same sizing rules as worker/media/thumbnails.ts. */
export function fitShortSide(width, height, shortSide) {
	const scale = Math.min(1, shortSide / Math.min(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
export function fitInside(width, height, box) {
	const scale = Math.min(1, box / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export const OUTPUT = { thumbnailSize: 250, previewSize: 1440, quality: 80 };
const WHITE = { r: 255, g: 255, b: 255 };

/**
 * mode "raw" (what Immich does): decode once (orientation applied) to raw pixels, then resize and
 * encode the preview, the thumbnail and the thumbhash input from that buffer.
 * mode "clone": one `sharp(file).rotate()` and three clone() pipelines (libvips may then use
 * shrink-on-load per pipeline, i.e. a cheaper reduced decode each time).
 */
export async function makeDerivatives(file, outDir, name, mode = 'raw') {
	const input = await readFile(file); // the app reads the original from OPFS: read the bytes here too
	const previewPath = join(outDir, `${name}.preview.jpeg`);
	const thumbPath = join(outDir, `${name}.thumbnail.webp`);
	let hash;
	if (mode === 'raw') {
		const { data, info } = await sharp(input, { failOn: 'none' }).rotate().raw().toBuffer({ resolveWithObject: true });
		const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
		const from = () => sharp(data, raw);
		const p = fitShortSide(info.width, info.height, OUTPUT.previewSize);
		let prev = from();
		if (p.width !== info.width || p.height !== info.height) prev = prev.resize(p.width, p.height, { fit: 'fill' });
		await prev.flatten({ background: WHITE }).jpeg({ quality: OUTPUT.quality }).toFile(previewPath);
		const t = fitShortSide(info.width, info.height, OUTPUT.thumbnailSize);
		let th = from();
		if (t.width !== info.width || t.height !== info.height) th = th.resize(t.width, t.height, { fit: 'fill' });
		await th.webp({ quality: OUTPUT.quality }).toFile(thumbPath);
		const s = fitInside(info.width, info.height, 100);
		const small = await from().resize(s.width, s.height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
		hash = rgbaToThumbHash(small.info.width, small.info.height, small.data);
	} else {
		const base = sharp(input, { failOn: 'none' }).rotate();
		const meta = await base.metadata();
		const swap = (meta.orientation ?? 1) >= 5;
		const w = swap ? meta.height : meta.width;
		const h = swap ? meta.width : meta.height;
		const p = fitShortSide(w, h, OUTPUT.previewSize);
		await base.clone().resize(p.width, p.height, { fit: 'fill' }).flatten({ background: WHITE }).jpeg({ quality: OUTPUT.quality }).toFile(previewPath);
		const t = fitShortSide(w, h, OUTPUT.thumbnailSize);
		await base.clone().resize(t.width, t.height, { fit: 'fill' }).webp({ quality: OUTPUT.quality }).toFile(thumbPath);
		const s = fitInside(w, h, 100);
		const small = await base.clone().resize(s.width, s.height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
		hash = rgbaToThumbHash(small.info.width, small.info.height, small.data);
	}
	return Buffer.from(hash).toString('base64');
}

// ---- child process -------------------------------------------------------------------------

if (process.send && process.env.SHARP_BENCH_CHILD === '1') {
	const threads = Number(process.env.SHARP_THREADS ?? '1');
	sharp.concurrency(threads);
	sharp.cache(false); // no operation cache: every pass decodes again, as a fresh image would
	const mode = process.env.SHARP_MODE ?? 'raw';
	const outDir = process.env.SHARP_OUT_DIR;
	await mkdir(outDir, { recursive: true });
	process.on('message', async (msg) => {
		if (msg.cmd === 'exit') return process.exit(0);
		if (msg.cmd === 'peak') {
			const m = /VmHWM:\s+(\d+) kB/.exec(await readFile('/proc/self/status', 'utf8').catch(() => ''));
			return process.send({ id: msg.id, peakMiB: m ? Number(m[1]) / 1024 : null });
		}
		try {
			const thumbhash = await makeDerivatives(msg.file, outDir, msg.name, mode);
			process.send({ id: msg.id, ok: true, thumbhash });
		} catch (err) {
			process.send({ id: msg.id, ok: false, error: String(err?.message ?? err) });
		}
	});
	process.send({ ready: true, threads: sharp.concurrency() });
}
