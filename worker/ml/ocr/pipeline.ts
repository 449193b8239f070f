// The OCR pipeline on decoded pixels (pure apart from the model runners it is handed, so Node
// tests run it with onnxruntime-node and the ML worker with onnxruntime-web):
// detector tensor → DB boxes → upright 48-px strips → angle classifier (0°/180°) → recogniser
// (batched by width) → greedy CTC → reading order.
import { modelById, type ModelSpec } from '../../../src/lib/models/catalog';
import type { RunModel } from '../faces/pipeline';
import { colorSpecOf, type RgbaImage } from '../faces/preprocess';
import { cropQuad, rotate180, rotate90, rotateClockwise, toStrip } from './crop';
import { charsetFromKeys, ctcOptions, decodeCtc } from './ctc';
import { DB_DEFAULTS, dbBoxes, type DbOptions } from './db';
import { planTextDetection, textDetectionTensor } from './detect';
import { opaqueOnWhite } from './opaque';
import { rectQuad, type Quad } from './geometry';
import { readingRows, type Rect } from './order';
import { groupUpsideDown, isTall, pageRotation, rotateRect, type PageRotation, type StripVote } from './orientation';
import { classifierStrip, stripsTensor, widthBatches } from './strips';

export const OCR_MODEL_IDS = { det: 'ppocr-v4-det', rec: 'ppocr-v4-rec', cls: 'ppocr-cls' } as const;

export interface OcrModels {
	det: ModelSpec;
	rec: ModelSpec;
	cls: ModelSpec;
	/** CTC classes: '' (blank), the keys file's characters, ' '. */
	charset: string[];
}

/** The catalog's OCR specs, with the recogniser's keys file (its text) turned into the charset. */
export function ocrModels(keysText: string): OcrModels {
	const spec = (id: string) => {
		const e = modelById(id);
		if (!e) throw new Error(`The model catalog has no ${id}.`);
		return e.spec;
	};
	const rec = spec(OCR_MODEL_IDS.rec);
	const ctc = rec.ctc as { appendSpace?: boolean } | undefined;
	return { det: spec(OCR_MODEL_IDS.det), rec, cls: spec(OCR_MODEL_IDS.cls), charset: charsetFromKeys(keysText, ctc?.appendSpace ?? true) };
}

export interface OcrRunners {
	det: RunModel;
	rec: RunModel;
	/** Without it every strip is read only as cropped (no 180° check). */
	cls?: RunModel;
}

export interface OcrOptions extends DbOptions {
	/** The detector sees the image with its longer side at most this (never upscaled); default: the catalog's size.maxSide (960). */
	maxSide?: number;
	/**
	 * The angle classifier calls a strip upside down from this probability; a strip whose call
	 * differs from its group's vote is read both ways.
	 */
	clsThreshold: number;
	/** A dropped space is put back where the recogniser gives it this share of a gap (see CtcOptions). */
	spaceProb: number;
	/** Lines read with a lower mean character probability are dropped. */
	minLineScore: number;
	/** Recogniser strips wider than this (px at 48 high) are squeezed to it. */
	maxStripWidth: number;
	/** Strips per recogniser / classifier call. */
	batch: number;
	/** A recogniser batch's widest strip is at most this × its narrowest. */
	batchSpread: number;
	/** Read a second time, turned upright, an image whose text runs vertically. */
	reorient: boolean;
}

export const OCR_DEFAULTS: OcrOptions = {
	...DB_DEFAULTS,
	// PP-OCR's 1.5 leaves lines too tight for this recogniser; 1.8–2.2 read the shared text corpus
	// (upright and turned) best
	unclipRatio: 1.8,
	clsThreshold: 0.5,
	spaceProb: 0.05,
	minLineScore: 0.5,
	maxStripWidth: 1600,
	batch: 8,
	batchSpread: 1.5,
	reorient: true
};

const STRIP_HEIGHT = 48;
/**
 * A doubtful strip's reading against its group's way wins only by this much mean probability:
 * a line read upside down scores far lower (0.2–0.6 against 0.95 on the corpus), while a glyph
 * that reads both ways ("6" / "9") scores the same and keeps the group's way.
 */
const OTHER_WAY_MARGIN = 0.1;
const CLS_WIDTH = 192;

export interface OcrLine {
	text: string;
	/** x, y, width, height as fractions (0–1) of the image. */
	box: [number, number, number, number];
	/** Mean character probability. */
	score: number;
}

/** Milliseconds per step. */
export interface OcrTimings {
	/** Resize + tensor. */
	prepare: number;
	det: number;
	/** DB post-processing. */
	boxes: number;
	/** Cropping strips. */
	crop: number;
	cls: number;
	rec: number;
	total: number;
}

export interface OcrResult {
	/** Lines in reading order: boxes of a row joined by spaces, rows by newlines. */
	text: string;
	lines: OcrLine[];
	/** Degrees clockwise that turn the image so its text reads upright (by the strips' vote; 0 without text). */
	rotation: PageRotation;
	timings: OcrTimings;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function output(spec: ModelSpec, out: Record<string, Float32Array>, key: string): Float32Array {
	const name = spec.outputs[key];
	return (typeof name === 'string' && out[name]) || Object.values(out)[0];
}

/** Text boxes in image pixels (quads), best first, with their detector scores. */
export async function detectText(spec: ModelSpec, img: RgbaImage, run: RunModel, opts: OcrOptions, timings: OcrTimings): Promise<Array<{ quad: Quad; score: number }>> {
	let t = now();
	const plan = planTextDetection(img.width, img.height, opts.maxSide ?? spec.size?.maxSide ?? 960, spec.size?.multipleOf ?? 32);
	const input = textDetectionTensor(spec, img, plan);
	timings.prepare += now() - t;
	t = now();
	const prob = output(spec, await run(input, [1, 3, plan.height, plan.width]), 'probability');
	timings.det += now() - t;
	t = now();
	const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
	const boxes = dbBoxes(prob, plan.width, plan.height, opts).map((b) => {
		const q = rectQuad(b.rect);
		const quad = q.map((v, i) => (i % 2 ? clip(v * plan.scaleY, img.height) : clip(v * plan.scaleX, img.width))) as Quad;
		return { quad, score: b.score };
	});
	timings.boxes += now() - t;
	return boxes;
}

/** The angle classifier's probability that each strip is upside down. */
async function upsideDown(spec: ModelSpec, strips: RgbaImage[], run: RunModel, batch: number): Promise<Float32Array> {
	const colour = colorSpecOf(spec);
	const w = spec.size?.width ?? CLS_WIDTH;
	const p = new Float32Array(strips.length);
	for (let at = 0; at < strips.length; at += batch) {
		const part = strips.slice(at, at + batch);
		const input = stripsTensor(part.map((s) => classifierStrip(s, w)), w, STRIP_HEIGHT, colour);
		const probs = output(spec, await run(input, [part.length, 3, STRIP_HEIGHT, w]), 'probabilities');
		part.forEach((_, i) => (p[at + i] = probs[2 * i + 1]));
	}
	return p;
}

/** Reads every strip: text and mean character probability, in the strips' order. */
async function recognise(models: OcrModels, strips: RgbaImage[], run: RunModel, opts: OcrOptions): Promise<Array<{ text: string; score: number }>> {
	const colour = colorSpecOf(models.rec);
	const classes = models.charset.length;
	const ctc = ctcOptions(models.charset, opts.spaceProb);
	const read: Array<{ text: string; score: number }> = new Array(strips.length);
	for (const b of widthBatches(strips.map((s) => s.width), opts.batch, opts.batchSpread)) {
		const input = stripsTensor(b.indices.map((i) => strips[i]), b.width, STRIP_HEIGHT, colour);
		const probs = output(models.rec, await run(input, [b.indices.length, 3, STRIP_HEIGHT, b.width]), 'logits');
		const steps = probs.length / (b.indices.length * classes);
		if (!Number.isInteger(steps)) throw new Error(`The recogniser gave ${probs.length} values, not a multiple of ${classes} classes.`);
		b.indices.forEach((i, k) => (read[i] = decodeCtc(probs, steps, classes, models.charset, k * steps * classes, ctc)));
	}
	return read;
}

export function emptyOcrTimings(): OcrTimings {
	return { prepare: 0, det: 0, boxes: 0, crop: 0, cls: 0, rec: 0, total: 0 };
}

interface Found {
	text: string;
	score: number;
	/** Axis-aligned box in the pass's image pixels. */
	rect: Rect;
}

/**
 * Detect → strips → vote on orientation → read, on one image as given. With `uprightOnly`, an
 * image whose text runs vertically is not read (`found` is null): the caller turns it first.
 */
async function readPass(models: OcrModels, img: RgbaImage, runners: OcrRunners, opts: OcrOptions, timings: OcrTimings, uprightOnly: boolean): Promise<{ found: Found[] | null; rotation: PageRotation }> {
	const boxes = await detectText(models.det, img, runners.det, opts, timings);
	let t = now();
	const crops = boxes.map((b) => cropQuad(img, b.quad));
	const turned = crops.map((c) => isTall(c.width, c.height));
	const strips = crops.map((c, i) => toStrip(turned[i] ? rotate90(c) : c, STRIP_HEIGHT, opts.maxStripWidth));
	timings.crop += now() - t;
	t = now();
	const p = runners.cls && strips.length ? await upsideDown(models.cls, strips, runners.cls, opts.batch) : new Float32Array(strips.length);
	const votes: StripVote[] = strips.map((s, i) => ({ turned: turned[i], upsideDown: p[i], weight: s.width }));
	const flipGroup = [groupUpsideDown(votes, false), groupUpsideDown(votes, true)];
	const flip = turned.map((tall) => flipGroup[+tall]);
	// each strip is read the way its group voted; one whose own call disagrees is read the other
	// way too, and the recogniser's confidence settles it
	const doubtful = strips.map((_, i) => i).filter((i) => (p[i] >= opts.clsThreshold) !== flip[i]);
	const rotation = pageRotation(votes);
	timings.cls += now() - t;
	if (uprightOnly && (rotation === 90 || rotation === 270)) return { found: null, rotation };
	t = now();
	const candidates = [...strips.map((s, i) => (flip[i] ? rotate180(s) : s)), ...doubtful.map((i) => (flip[i] ? strips[i] : rotate180(strips[i])))];
	const read = candidates.length ? await recognise(models, candidates, runners.rec, opts) : [];
	doubtful.forEach((i, k) => {
		if (read[strips.length + k].score > read[i].score + OTHER_WAY_MARGIN) read[i] = read[strips.length + k];
	});
	timings.rec += now() - t;

	const found: Found[] = [];
	boxes.forEach((b, i) => {
		const { text, score } = read[i];
		if (!text.trim() || score < opts.minLineScore) return;
		const xs = [b.quad[0], b.quad[2], b.quad[4], b.quad[6]], ys = [b.quad[1], b.quad[3], b.quad[5], b.quad[7]];
		const x = Math.min(...xs), y = Math.min(...ys);
		found.push({ text: text.trim(), score, rect: [x, y, Math.max(...xs) - x, Math.max(...ys) - y] });
	});
	return { found, rotation };
}

/**
 * The whole pipeline on one decoded image (the preview: shorter side ≤ 1440). When the strips
 * vote that the text runs vertically, the image is turned upright and read again: the detector
 * separates lines far better in upright text.
 */
export async function readText(models: OcrModels, image: RgbaImage, runners: OcrRunners, options: Partial<OcrOptions> = {}): Promise<OcrResult> {
	const opts = { ...OCR_DEFAULTS, ...options };
	const timings = emptyOcrTimings();
	const start = now();
	const img = opaqueOnWhite(image);
	let { found, rotation } = await readPass(models, img, runners, opts, timings, opts.reorient);
	if (!found) {
		const t = now();
		const upright = rotation === 90 ? rotateClockwise(img) : rotate90(img);
		timings.crop += now() - t;
		const again = await readPass(models, upright, runners, opts, timings, false);
		const back = ((360 - rotation) % 360) as PageRotation;
		found = (again.found ?? []).map((f) => ({ ...f, rect: rotateRect(f.rect, upright.width, upright.height, back) }));
		rotation = ((rotation + again.rotation) % 360) as PageRotation;
	}
	// no text, no orientation to report
	if (!found.length) rotation = 0;
	// reading order is that of the upright text; boxes stay in the image's own frame
	const rows = readingRows(found.map((f) => rotateRect(f.rect, img.width, img.height, rotation)));
	const lines = found.map(({ text, score, rect: r }): OcrLine => ({ text, score, box: [r[0] / img.width, r[1] / img.height, r[2] / img.width, r[3] / img.height] }));
	const text = rows.map((row) => row.map((i) => lines[i].text).join(' ')).join('\n');
	timings.total = now() - start;
	return { text, lines: rows.flat().map((i) => lines[i]), rotation, timings };
}
