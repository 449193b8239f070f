// The whole OCR pipeline (worker/ml/ocr/pipeline.ts) with onnxruntime-node on every image of the
// shared text corpus, as the app runs it: on the preview (EXIF orientation applied, transparency
// on white, shorter side at most 1440 and never upscaled, JPEG at the default quality). Needs
// ../shared/models and ../shared/media; without them only the stand-in-model test runs, which
// checks the plumbing (boxes, reading order, the vertical-text second pass) on a generated image.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { rotateClockwise } from '../../worker/ml/ocr/crop';
import { charsetFromKeys } from '../../worker/ml/ocr/ctc';
import { ocrModels, readText, type OcrModels, type OcrResult, type OcrRunners } from '../../worker/ml/ocr/pipeline';
import { mediaDir } from './fixtures';
import { ortRunner } from './ort-runner';

const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(process.cwd(), '../shared/models'));
const OCR = join(MODELS_DIR, 'ocr');
const FILES = { det: 'ch_PP-OCRv4_det_infer.onnx', rec: 'ch_PP-OCRv4_rec_infer.onnx', cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx', keys: 'ppocr_keys_v1.txt' };
const MANIFEST = join(mediaDir, 'MANIFEST.json');
const live = Object.values(FILES).every((f) => existsSync(join(OCR, f))) && existsSync(MANIFEST);
/** The app's defaults: settings previewSize and quality (src/lib/settings/defaults.ts). */
const PREVIEW_SHORT_SIDE = 1440;
const PREVIEW_QUALITY = 80;

type Rgba = { data: Uint8Array; width: number; height: number };

async function raw(s: ReturnType<typeof sharp>): Promise<Rgba> {
	const { data, info } = await s.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The app's preview of a file; `exif: false` ignores its EXIF orientation (pixels as stored). */
async function preview(file: string, { exif = true, turn = 0 } = {}): Promise<Rgba> {
	let img = sharp(file);
	if (exif) img = img.rotate();
	let buf = await img.flatten({ background: '#ffffff' }).png().toBuffer();
	if (turn) buf = await sharp(buf).rotate(turn).png().toBuffer();
	const { width = 0, height = 0 } = await sharp(buf).metadata();
	const s = Math.min(1, PREVIEW_SHORT_SIDE / Math.min(width, height));
	return raw(sharp(await sharp(buf).resize(Math.round(width * s), Math.round(height * s)).jpeg({ quality: PREVIEW_QUALITY }).toBuffer()));
}

/** As the corpus README says: case-insensitive, whitespace collapsed. */
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const ms = (v: number) => Math.round(v);

function expectBoxesInside(r: OcrResult) {
	for (const l of r.lines) {
		const [x, y, w, h] = l.box;
		expect(x).toBeGreaterThanOrEqual(0);
		expect(y).toBeGreaterThanOrEqual(0);
		expect(x + w).toBeLessThanOrEqual(1 + 1e-9);
		expect(y + h).toBeLessThanOrEqual(1 + 1e-9);
		expect(l.score).toBeGreaterThan(0);
	}
}

describe('OCR pipeline with the PP-OCRv4 models', () => {
	const setup = async () => {
		const models = ocrModels(readFileSync(join(OCR, FILES.keys), 'utf8'));
		const runners: OcrRunners = { det: await ortRunner(join(OCR, FILES.det)), rec: await ortRunner(join(OCR, FILES.rec)), cls: await ortRunner(join(OCR, FILES.cls)) };
		return { models, runners };
	};

	test.skipIf(!live)('finds at least 80% of the corpus text_contains strings (needs ../shared/models and ../shared/media)', async () => {
		const { models, runners } = await setup();
		const files = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { files: { path: string; expect: { text_contains?: string[] } }[] }).files.filter((f) => f.path.startsWith('text/') && f.expect.text_contains);
		expect(files.length).toBeGreaterThan(0);
		let found = 0, total = 0;
		for (const f of files) {
			const img = await preview(join(mediaDir, f.path));
			const r = await readText(models, img, runners);
			expectBoxesInside(r);
			const text = norm(r.text);
			const hits = f.expect.text_contains!.filter((s) => text.includes(norm(s)));
			found += hits.length;
			total += f.expect.text_contains!.length;
			const t = r.timings;
			console.log(`${f.path} ${img.width}×${img.height}: ${hits.length}/${f.expect.text_contains!.length} rot ${r.rotation}° det ${ms(t.det)} cls ${ms(t.cls)} rec ${ms(t.rec)} total ${ms(t.total)} ms — ${JSON.stringify(r.text.slice(0, 120))}`);
		}
		console.log(`found ${found}/${total}`);
		expect(found / total).toBeGreaterThanOrEqual(0.8);
	});

	test.skipIf(!live)('text turned a quarter without EXIF is read upright, and its rotation reported (needs the models and media)', async () => {
		const { models, runners } = await setup();
		// rotated_90.jpg ignoring its EXIF: the text runs bottom to top
		const turned = await readText(models, await preview(join(mediaDir, 'text/rotated_90.jpg'), { exif: false }), runners);
		expect(norm(turned.text)).toContain('tesseract.js');
		expect(turned.rotation).toBe(90);
		// a page turned clockwise: several lines, which must come back in reading order
		const page = await readText(models, await preview(join(mediaDir, 'text/testocr.png'), { turn: 90 }), runners);
		expect(page.rotation).toBe(270);
		const text = norm(page.text);
		for (const s of ['12 point text', 'quick brown dog', 'lazy fox']) expect(text).toContain(s);
		expect(text.indexOf('this is a lot')).toBeLessThan(text.indexOf('of file format'));
		expectBoxesInside(page);
	});
});

describe('OCR pipeline with stand-in models', () => {
	// three dark bars on white: two words on a first line, one on a second
	const W = 320, H = 120;
	const bars = [
		[20, 20, 120, 44],
		[160, 20, 300, 44],
		[20, 70, 200, 94]
	];
	const page = { width: W, height: H, data: new Uint8ClampedArray(W * H * 4).fill(255) };
	for (const [x0, y0, x1, y1] of bars) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) page.data.set([0, 0, 0, 255], (y * W + x) * 4);

	const models: OcrModels = { ...ocrModels(''), charset: charsetFromKeys('x\ny') };
	const classes = models.charset.length;
	const runners: OcrRunners = {
		// text where the first channel is dark (below the normalised mid-grey)
		det: async (input, dims) => ({ 'sigmoid_0.tmp_0': input.slice(0, dims[2] * dims[3]).map((v) => (v < 0 ? 0.9 : 0)) }),
		cls: async (_, dims) => ({ 'softmax_0.tmp_0': new Float32Array(dims[0] * 2).map((_, i) => (i % 2 ? 0.05 : 0.95)) }),
		// every strip reads "xy": x at step 1, y at step 2, blanks elsewhere
		rec: async (_, dims) => {
			const steps = dims[3] / 8;
			const out = new Float32Array(dims[0] * steps * classes);
			for (let n = 0; n < dims[0]; n++)
				for (let t = 0; t < steps; t++) out[(n * steps + t) * classes + (t === 1 ? 1 : t === 2 ? 2 : 0)] = 1;
			return { 'softmax_11.tmp_0': out };
		}
	};

	const covers = (box: number[], [x0, y0, x1, y1]: number[], w: number, h: number) => box[0] * w <= x0 && box[1] * h <= y0 && (box[0] + box[2]) * w >= x1 && (box[1] + box[3]) * h >= y1;

	test('boxes around each bar, in reading order, text joined by rows', async () => {
		const r = await readText(models, page, runners);
		expect(r.rotation).toBe(0);
		expect(r.text).toBe('xy xy\nxy');
		expect(r.lines).toHaveLength(3);
		r.lines.forEach((l, i) => expect(covers(l.box, bars[i], W, H)).toBe(true));
		expectBoxesInside(r);
	});

	test('a page turned clockwise is read again upright; boxes stay in its own frame', async () => {
		const turned = rotateClockwise(page);
		const r = await readText(models, turned, runners);
		expect(r.rotation).toBe(270);
		expect(r.text).toBe('xy xy\nxy');
		// bar (x, y) of the page lands at (H − y, x) in the turned image
		const moved = bars.map(([x0, y0, x1, y1]) => [H - y1, x0, H - y0, x1]);
		r.lines.forEach((l, i) => expect(covers(l.box, moved[i], turned.width, turned.height)).toBe(true));
	});
});
