#!/usr/bin/env node
// Face embeddings of the whole shared faces corpus, for tuning and testing the people clustering
// (scripts/tune-faces.mjs, test/unit/cluster.test.ts). Native onnxruntime-node, the same steps as
// the app's faceDetection job: SCRFD-2.5g (640 letterbox, 5 landmarks) → similarity transform onto
// the ArcFace 112×112 template → MobileFaceNet → L2-normalise.
//
//   node scripts/face-corpus-embeddings.mjs [--media ../shared/media/faces] [--models ../shared/models]
//
// Writes test/unit/fixtures/faces/corpus-embeddings.json:
//   { model, faces: [{ file, asset, identity, box: [x,y,w,h] normalised, score, embedding: number[128] }] }
// Identity folders (one face per 150×150 crop) give their folder name; group photos give the
// MANIFEST identities left to right (bbt4: back row, then front row); `single/` stock photos are
// each their own person. Faces beyond the labelled ones (or in crowd/) are not written.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : dflt;
};
const MEDIA = resolve(arg('--media', join(ROOT, '..', 'shared', 'media', 'faces')));
const MODELS = resolve(arg('--models', process.env.SHOEBOX_MODELS_DIR ?? join(ROOT, '..', 'shared', 'models')));
const OUT = join(ROOT, 'test', 'unit', 'fixtures', 'faces', 'corpus-embeddings.json');
const MIN_SCORE = 0.5;
const SIZE = 640;

const TEMPLATE = [
	[38.2946, 51.6963],
	[73.5318, 51.5014],
	[56.0252, 71.7366],
	[41.5493, 92.3655],
	[70.7299, 92.2041]
];

/** RGB raw pixels of a file (grayscale expanded), EXIF orientation applied. */
async function load(path) {
	const { data, info } = await sharp(path).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
	if (info.channels === 3) return { data, width: info.width, height: info.height };
	const rgb = Buffer.alloc(info.width * info.height * 3);
	for (let i = 0; i < info.width * info.height; i++) rgb.fill(data[i * info.channels], i * 3, i * 3 + 3);
	return { data: rgb, width: info.width, height: info.height };
}

/** Pads an image by `pad` pixels on every side (mid grey): SCRFD misses a face that fills the frame. */
function padImage(img, pad) {
	const w = img.width + 2 * pad;
	const h = img.height + 2 * pad;
	const out = Buffer.alloc(w * h * 3, 127);
	for (let y = 0; y < img.height; y++) img.data.copy(out, ((y + pad) * w + pad) * 3, y * img.width * 3, (y + 1) * img.width * 3);
	return { data: out, width: w, height: h };
}

function bilinear(img, x, y, c) {
	const x0 = Math.floor(x);
	const y0 = Math.floor(y);
	const fx = x - x0;
	const fy = y - y0;
	const px = (xx, yy) => {
		if (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) return 0;
		return img.data[(yy * img.width + xx) * 3 + c];
	};
	return (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) + (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
}

async function detect(session, img) {
	const scale = Math.min(SIZE / img.width, SIZE / img.height);
	const input = new Float32Array(3 * SIZE * SIZE);
	const sw = Math.round(img.width * scale);
	const sh = Math.round(img.height * scale);
	for (let y = 0; y < sh; y++)
		for (let x = 0; x < sw; x++)
			for (let c = 0; c < 3; c++) input[c * SIZE * SIZE + y * SIZE + x] = (bilinear(img, (x + 0.5) / scale - 0.5, (y + 0.5) / scale - 0.5, c) - 127.5) / 128;
	// Letterbox padding (outside sw×sh) is 0 after normalisation: (127.5 − 127.5) / 128.
	const out = await session.run({ images: new ort.Tensor('float32', input, [1, 3, SIZE, SIZE]) });
	const found = [];
	[8, 16, 32].forEach((s, k) => {
		const scores = out[`out${k}`].data;
		const boxes = out[`out${k + 3}`].data;
		const kps = out[`out${k + 6}`].data;
		const cols = SIZE / s;
		for (let i = 0; i < scores.length; i++) {
			if (scores[i] < MIN_SCORE) continue;
			const cell = Math.floor(i / 2);
			const cx = (cell % cols) * s;
			const cy = Math.floor(cell / cols) * s;
			const b = boxes.subarray(i * 4, i * 4 + 4);
			const x1 = (cx - b[0] * s) / scale;
			const y1 = (cy - b[1] * s) / scale;
			const x2 = (cx + b[2] * s) / scale;
			const y2 = (cy + b[3] * s) / scale;
			const lm = [];
			for (let j = 0; j < 5; j++) lm.push([(cx + kps[i * 10 + 2 * j] * s) / scale, (cy + kps[i * 10 + 2 * j + 1] * s) / scale]);
			found.push({ score: scores[i], box: [x1, y1, x2, y2], lm });
		}
	});
	found.sort((a, b) => b.score - a.score);
	const keep = [];
	for (const f of found) if (keep.every((k) => iou(k.box, f.box) < 0.4)) keep.push(f);
	return keep;
}

function iou(a, b) {
	const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
	const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
	const i = w * h;
	return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
}

/** Least-squares similarity transform (Umeyama) mapping `src` points onto `dst`: [a, b, tx, ty]. */
function similarity(src, dst) {
	const n = src.length;
	const mean = (pts, k) => pts.reduce((s, p) => s + p[k], 0) / n;
	const [sx, sy, dx, dy] = [mean(src, 0), mean(src, 1), mean(dst, 0), mean(dst, 1)];
	let num1 = 0;
	let num2 = 0;
	let den = 0;
	for (let i = 0; i < n; i++) {
		const [px, py] = [src[i][0] - sx, src[i][1] - sy];
		const [qx, qy] = [dst[i][0] - dx, dst[i][1] - dy];
		num1 += px * qx + py * qy;
		num2 += px * qy - py * qx;
		den += px * px + py * py;
	}
	const a = num1 / den;
	const b = num2 / den;
	return [a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)];
}

async function embed(session, img, lm) {
	const [a, b, tx, ty] = similarity(lm, TEMPLATE);
	// Inverse map: destination pixel → source point.
	const det = a * a + b * b;
	const input = new Float32Array(3 * 112 * 112);
	for (let y = 0; y < 112; y++)
		for (let x = 0; x < 112; x++) {
			const u = x - tx;
			const v = y - ty;
			const sxp = (a * u + b * v) / det;
			const syp = (-b * u + a * v) / det;
			for (let c = 0; c < 3; c++) input[c * 112 * 112 + y * 112 + x] = (bilinear(img, sxp, syp, c) - 127.5) / 128;
		}
	const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 112, 112]) });
	const e = Array.from(out.output.data);
	const norm = Math.hypot(...e);
	return e.map((x) => x / norm);
}

async function main() {
	const manifest = JSON.parse(await readFile(join(MEDIA, '..', 'MANIFEST.json'), 'utf8'));
	const expect = new Map(manifest.files.map((f) => [f.path, f.expect ?? {}]));
	const det = await ort.InferenceSession.create(join(MODELS, 'face-detect', 'scrfd_2.5g_kps.onnx'));
	const emb = await ort.InferenceSession.create(join(MODELS, 'face-embed', 'mobilefacenet_128d.onnx'));
	const faces = [];
	const report = [];
	for (const dir of (await readdir(MEDIA)).sort()) {
		if (dir === 'crowd' || dir === 'noface') continue;
		for (const name of (await readdir(join(MEDIA, dir))).sort()) {
			const rel = `faces/${dir}/${name}`;
			const ids = expect.get(rel)?.identities ?? [];
			if (!ids.length) continue;
			let img = await load(join(MEDIA, dir, name));
			const crop = ids.length === 1 && img.width <= 200;
			const pad = crop ? Math.round(img.width / 2) : 0;
			if (pad) img = padImage(img, pad);
			let found = await detect(det, img);
			if (crop) found = found.slice(0, 1);
			// Label left to right; bbt4 lists its back row first.
			found = found.slice(0, ids.length);
			const cx = (f) => (f.box[0] + f.box[2]) / 2;
			const cy = (f) => (f.box[1] + f.box[3]) / 2;
			found.sort((p, q) => cx(p) - cx(q));
			if (name === 'bbt4.jpg') {
				const byY = [...found].sort((p, q) => cy(p) - cy(q));
				const back = new Set(byY.slice(0, 3));
				found = [...found.filter((f) => back.has(f)), ...found.filter((f) => !back.has(f))];
			}
			report.push(`${rel}: ${found.length}/${ids.length} faces`);
			const W = img.width - 2 * pad;
			const H = img.height - 2 * pad;
			for (let i = 0; i < found.length; i++) {
				const f = found[i];
				const [x1, y1, x2, y2] = f.box.map((v) => v - pad);
				faces.push({
					file: rel,
					asset: rel,
					identity: ids[i],
					box: [x1 / W, y1 / H, (x2 - x1) / W, (y2 - y1) / H].map((v) => +v.toFixed(4)),
					score: +f.score.toFixed(4),
					embedding: (await embed(emb, img, f.lm)).map((v) => +v.toFixed(5))
				});
			}
		}
	}
	await mkdir(dirname(OUT), { recursive: true });
	await writeFile(OUT, JSON.stringify({ model: 'scrfd_2.5g_kps+mobilefacenet_128d', faces }) + '\n');
	console.log(report.join('\n'));
	console.log(`${faces.length} faces → ${OUT}`);
}

await main();
