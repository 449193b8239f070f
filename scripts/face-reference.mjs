#!/usr/bin/env node
// Native reference for the face pipeline (dev only): the same models, the same catalog specs and
// the same steps as the ML worker, run in onnxruntime-node, written independently of the app's
// TypeScript so the two check each other.
//
//   node scripts/face-reference.mjs     → writes test/unit/fixtures/faces/reference.json
//
// Also imported by test/unit/faces-pipeline.test.ts (recomputes the reference when the models are
// present) and by test/bench/faces.mjs (the native side of the benchmark).
// Env: SHOEBOX_MODELS_DIR (default ../shared/models), SHOEBOX_MEDIA_DIR (default ../shared/media).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(REPO, '../shared/models'));
export const MEDIA_DIR = resolve(process.env.SHOEBOX_MEDIA_DIR ?? join(REPO, '../shared/media'));
export const FIXTURE = join(REPO, 'test/unit/fixtures/faces/reference.json');
/** The images the fixture covers: group photos, a single face, an identity crop (small-image border), no face. */
export const REFERENCE_IMAGES = ['faces/group/bbt3.jpg', 'faces/group/bbt1.jpg', 'faces/single/stock_happy.jpg', 'faces/amy/amy1.png', 'faces/noface/mountain_cars.jpg'];
export const MIN_SCORE = 0.7;
/** Raw candidates at or above this score are kept in the fixture (sparse), for the no-model tests. */
const SPARSE_SCORE = 0.3;
const SMALL_SIDE = 320;
const SMALL_BORDER = 0.25;

const catalog = JSON.parse(readFileSync(join(REPO, 'models/catalog.json'), 'utf8'));
function entry(task, tier) {
	const all = catalog.models.filter((m) => m.task === task);
	return all.find((m) => m.tier === tier) ?? all[0];
}
export function tierModels(tier) {
	const det = entry('faceDetection', tier);
	const emb = entry('faceEmbedding', tier);
	return { det, emb, detFile: join(MODELS_DIR, det.files[0].name), embFile: join(MODELS_DIR, emb.files[0].name) };
}
export function modelsPresent() {
	return ['small', 'large'].every((t) => {
		const m = tierModels(t);
		return existsSync(m.detFile) && existsSync(m.embFile);
	});
}

// ---- geometry ---------------------------------------------------------------------------------

/** Same policy as worker/ml/faces/pipeline.ts planDetection, written again. */
export function plan(spec, width, height) {
	const long = Math.max(width, height);
	const small = long <= SMALL_SIDE;
	const border = small ? Math.round(long * SMALL_BORDER) : 0;
	const bw = width + 2 * border, bh = height + 2 * border;
	let rw, rh, tw, th;
	if (spec.size.dynamic) {
		const s = Math.min(spec.size.maxSide / Math.max(bw, bh), 1);
		rw = Math.max(1, Math.round(bw * s));
		rh = Math.max(1, Math.round(bh * s));
		const m = spec.size.multipleOf;
		tw = Math.max(m, Math.ceil(rw / m) * m);
		th = Math.max(m, Math.ceil(rh / m) * m);
	} else {
		const size = spec.size.width;
		const s = Math.min(size / Math.max(bw, bh), small ? 1 : Infinity);
		rw = Math.max(1, Math.min(size, Math.round(bw * s)));
		rh = Math.max(1, Math.min(size, Math.round(bh * s)));
		tw = th = size;
	}
	const scale = bw / rw;
	return { width: Math.max(1, Math.round(width / scale)), height: Math.max(1, Math.round(height / scale)), tensorWidth: tw, tensorHeight: th, scale, offsetX: Math.round(border / scale), offsetY: Math.round(border / scale) };
}

function tensorOf(spec, rgba, w, h, p) {
	const plane = p.tensorWidth * p.tensorHeight;
	const out = new Float32Array(3 * plane);
	const order = spec.colour === 'BGR' ? [2, 1, 0] : [0, 1, 2];
	const k = spec.scale ?? 1;
	for (let c = 0; c < 3; c++) {
		const pad = (0 * k - spec.mean[c]) / spec.std[c];
		out.fill(pad, c * plane, (c + 1) * plane);
	}
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++)
			for (let c = 0; c < 3; c++) out[c * plane + (y + p.offsetY) * p.tensorWidth + x + p.offsetX] = (rgba[(y * w + x) * 4 + order[c]] * k - spec.mean[c]) / spec.std[c];
	return out;
}

function candidates(spec, out, p, minScore) {
	const res = [];
	if (spec.decoder === 'yunet') {
		spec.strides.forEach((s, si) => {
			const cols = p.tensorWidth / s;
			const cls = out[spec.outputs.cls[si]], obj = out[spec.outputs.obj[si]], bb = out[spec.outputs.bbox[si]], kp = out[spec.outputs.kps[si]];
			for (let i = 0; i < cls.length; i++) {
				const score = Math.sqrt(Math.min(1, Math.max(0, cls[i])) * Math.min(1, Math.max(0, obj[i])));
				if (score < minScore) continue;
				const col = i % cols, row = Math.floor(i / cols);
				const cx = (col + bb[4 * i]) * s, cy = (row + bb[4 * i + 1]) * s, w = Math.exp(bb[4 * i + 2]) * s, h = Math.exp(bb[4 * i + 3]) * s;
				const lm = [];
				for (let k = 0; k < 5; k++) lm.push((col + kp[10 * i + 2 * k]) * s, (row + kp[10 * i + 2 * k + 1]) * s);
				res.push({ stride: s, index: i, score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], landmarks: lm, raw: { cls: cls[i], obj: obj[i], bbox: [...bb.slice(4 * i, 4 * i + 4)], kps: [...kp.slice(10 * i, 10 * i + 10)] } });
			}
		});
	} else {
		spec.strides.forEach((s, si) => {
			const cols = p.tensorWidth / s;
			const sc = out[spec.outputs.scores[si]], bb = out[spec.outputs.boxes[si]], kp = out[spec.outputs.kps[si]];
			const A = spec.anchorsPerCell;
			for (let i = 0; i < sc.length; i++) {
				if (sc[i] < minScore) continue;
				const cell = Math.floor(i / A);
				const cx = (cell % cols) * s, cy = Math.floor(cell / cols) * s;
				const lm = [];
				for (let k = 0; k < 5; k++) lm.push(cx + kp[10 * i + 2 * k] * s, cy + kp[10 * i + 2 * k + 1] * s);
				res.push({ stride: s, index: i, score: sc[i], box: [cx - bb[4 * i] * s, cy - bb[4 * i + 1] * s, cx + bb[4 * i + 2] * s, cy + bb[4 * i + 3] * s], landmarks: lm, raw: { score: sc[i], dist: [...bb.slice(4 * i, 4 * i + 4)], kps: [...kp.slice(10 * i, 10 * i + 10)] } });
			}
		});
	}
	return res;
}

function overlap(a, b) {
	const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
	if (w <= 0 || h <= 0) return 0;
	return (w * h) / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h);
}

function suppress(c, thr) {
	const kept = [];
	for (const d of [...c].sort((a, b) => b.score - a.score)) if (kept.every((k) => overlap(k.box, d.box) <= thr)) kept.push(d);
	return kept;
}

/** Least-squares similarity (Umeyama, 2-D) as the 2×3 matrix [[a, −b, tx], [b, a, ty]]. */
export function similarity(src, dst) {
	const n = src.length / 2;
	const mean = (v, o) => v.filter((_, i) => i % 2 === o).reduce((p, q) => p + q, 0) / n;
	const [sx, sy, dx, dy] = [mean(src, 0), mean(src, 1), mean(dst, 0), mean(dst, 1)];
	let sxx = 0, sxy = 0, var_ = 0;
	for (let i = 0; i < n; i++) {
		const x = src[2 * i] - sx, y = src[2 * i + 1] - sy, u = dst[2 * i] - dx, v = dst[2 * i + 1] - dy;
		sxx += x * u + y * v;
		sxy += x * v - y * u;
		var_ += x * x + y * y;
	}
	const a = sxx / var_, b = sxy / var_;
	return [a, -b, dx - a * sx + b * sy, b, a, dy - b * sx - a * sy];
}

function warp(rgba, w, h, M, spec, size) {
	// inverse of [[a, -b, tx], [b, a, ty]]
	const [a, nb, tx, b] = M;
	const d = a * a + b * b;
	const ia = a / d, ib = -b / d;
	const itx = -(ia * tx - ib * M[5]), ity = -(ib * tx + ia * M[5]);
	void nb;
	const out = new Float32Array(3 * size * size);
	const order = spec.colour === 'BGR' ? [2, 1, 0] : [0, 1, 2];
	const at = (x, y, c) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : rgba[(y * w + x) * 4 + c]);
	for (let v = 0; v < size; v++)
		for (let u = 0; u < size; u++) {
			const sx = ia * u - ib * v + itx, sy = ib * u + ia * v + ity;
			const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
			for (let c = 0; c < 3; c++) {
				const ch = order[c];
				const val = at(x0, y0, ch) * (1 - fx) * (1 - fy) + at(x0 + 1, y0, ch) * fx * (1 - fy) + at(x0, y0 + 1, ch) * (1 - fx) * fy + at(x0 + 1, y0 + 1, ch) * fx * fy;
				out[c * size * size + v * size + u] = (val * (spec.scale ?? 1) - spec.mean[c]) / spec.std[c];
			}
		}
	return out;
}

// ---- images -----------------------------------------------------------------------------------

/** Full RGBA of an image (EXIF orientation applied, as the app's previews are). */
export async function decodeFile(file) {
	const { data, info } = await sharp(file).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The detector's view of an image: resized by sharp (libvips, default kernel) to the plan's size. */
export async function resizeFor(img, p) {
	if (p.width === img.width && p.height === img.height) return img;
	const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).resize(p.width, p.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

// ---- the pipeline -----------------------------------------------------------------------------

/**
 * A native pipeline for one tier: sessions created once. `run(img, resized?)` → faces in image
 * pixels with embeddings, plus timings (ms) per step.
 */
export async function createNativePipeline(tier, { threads = 1 } = {}) {
	const ort = (await import('onnxruntime-node')).default;
	const m = tierModels(tier);
	const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
	const det = await ort.InferenceSession.create(m.detFile, opts);
	const emb = await ort.InferenceSession.create(m.embFile, opts);
	const ds = m.det.spec, es = m.emb.spec;
	const template = es.align.template.flat();
	const esize = es.size.width;
	async function run(img, { resized, minScore = MIN_SCORE, sparse = false } = {}) {
		const t = { resize: 0, detect: 0, decode: 0, align: 0, embed: 0 };
		let t0 = performance.now();
		const p = plan(ds, img.width, img.height);
		const small = resized ?? (await resizeFor(img, p));
		const input = tensorOf(ds, small.data, small.width, small.height, p);
		t.resize = performance.now() - t0;
		t0 = performance.now();
		const res = await det.run({ [ds.input]: new ort.Tensor('float32', input, [1, 3, p.tensorHeight, p.tensorWidth]) });
		const out = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.data]));
		t.detect = performance.now() - t0;
		t0 = performance.now();
		const cands = candidates(ds, out, p, Math.min(minScore, sparse ? SPARSE_SCORE : minScore));
		const kept = suppress(cands.filter((c) => c.score >= minScore), ds.nmsIou);
		const clip = (v, max) => Math.min(max, Math.max(0, v));
		const faces = kept
			.map((d) => ({
				score: d.score,
				box: [clip((d.box[0] - p.offsetX) * p.scale, img.width), clip((d.box[1] - p.offsetY) * p.scale, img.height), clip((d.box[2] - p.offsetX) * p.scale, img.width), clip((d.box[3] - p.offsetY) * p.scale, img.height)],
				landmarks: d.landmarks.map((v, i) => (v - (i % 2 ? p.offsetY : p.offsetX)) * p.scale)
			}))
			.filter((f) => f.box[2] - f.box[0] >= 1 && f.box[3] - f.box[1] >= 1);
		t.decode = performance.now() - t0;
		for (const f of faces) {
			t0 = performance.now();
			f.transform = similarity(f.landmarks, template);
			const x = warp(img.data, img.width, img.height, f.transform, es, esize);
			t.align += performance.now() - t0;
			t0 = performance.now();
			const o = await emb.run({ [es.input]: new ort.Tensor('float32', x, [1, 3, esize, esize]) });
			const raw = Object.values(o)[0].data;
			const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0));
			f.raw = [...raw];
			f.rawNorm = norm;
			f.embedding = Float32Array.from(raw, (v) => v / norm);
			t.embed += performance.now() - t0;
		}
		return { plan: p, faces, timings: t, candidates: sparse ? cands : undefined };
	}
	return { tier, detectorId: m.det.id, embedderId: m.emb.id, run, release: async () => (await det.release(), await emb.release()) };
}

const r6 = (x) => Number(x.toPrecision(7));

/** The fixture: per image and tier, the plan, the sparse raw candidates and the final faces. */
export async function computeReference() {
	const out = { generatedBy: 'scripts/face-reference.mjs (onnxruntime-node)', minScore: MIN_SCORE, sparseScore: SPARSE_SCORE, tiers: {} };
	for (const tier of ['small', 'large']) {
		const pipe = await createNativePipeline(tier);
		const images = [];
		for (const path of REFERENCE_IMAGES) {
			const img = await decodeFile(join(MEDIA_DIR, path));
			const r = await pipe.run(img, { sparse: true });
			images.push({
				path,
				width: img.width,
				height: img.height,
				plan: r.plan,
				candidates: r.candidates.map((c) => ({ stride: c.stride, index: c.index, ...Object.fromEntries(Object.entries(c.raw).map(([k, v]) => [k, Array.isArray(v) ? v.map(r6) : r6(v)])) })),
				faces: r.faces.map((f, i) => ({
					box: f.box.map(r6),
					landmarks: f.landmarks.map(r6),
					score: r6(f.score),
					transform: f.transform.map(r6),
					embedding8: [...f.embedding.slice(0, 8)].map(r6),
					rawNorm: r6(f.rawNorm),
					// the whole raw output of the first face, for the L2 normalisation test
					...(i === 0 ? { raw: f.raw.map(r6) } : {})
				}))
			});
		}
		out.tiers[tier] = { detector: pipe.detectorId, embedder: pipe.embedderId, images };
		await pipe.release();
	}
	return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (!modelsPresent()) throw new Error(`Models not found in ${MODELS_DIR} (set SHOEBOX_MODELS_DIR).`);
	const ref = await computeReference();
	await mkdir(dirname(FIXTURE), { recursive: true });
	await writeFile(FIXTURE, JSON.stringify(ref) + '\n');
	for (const [tier, t] of Object.entries(ref.tiers)) for (const im of t.images) console.log(`${tier} ${im.path}: ${im.faces.length} faces, ${im.candidates.length} raw candidates ≥ ${SPARSE_SCORE}`);
	console.log(`wrote ${FIXTURE}`);
}
