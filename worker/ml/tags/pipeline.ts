// Object tags on decoded pixels (pure apart from the model runner it is handed, so Node tests run
// it with onnxruntime-node and the ML worker with onnxruntime-web): letterbox → YOLOX → decode →
// class-aware NMS → one tag per label (its best box).
import { modelFor, type ModelSpec } from '../../../src/lib/models/catalog';
import type { RunModel } from '../faces/pipeline';
import { resizeRgba, type RgbaImage } from '../faces/preprocess';
import { nmsByClass } from '../shared/nms';
import { decodeYolox, letterboxTensor, planLetterbox, type ObjectDetection } from './yolox';

/**
 * Below this a tag is not shown. Measured on the shared things/ photos as the app sees them
 * (previews; test/unit/tags-pipeline.test.ts): at 0.45, 24 of the 25 expected tags and one wrong
 * label; 0.40 adds a wrong "dining table", 0.50 loses a tie (0.46).
 */
export const TAG_MIN_SCORE = 0.45;
/** YOLOX's own NMS threshold. */
export const TAG_NMS_IOU = 0.45;
/**
 * A tag stands only on boxes of at least TAG_MIN_BOX² model-input pixels (COCO's "small object"
 * bound, 32²): the nano model is least reliable below it, and the two other wrong tags on the
 * things/ photos sat there (a snow patch as "car", a round light as "clock"; a true traffic light
 * is lost with them).
 */
export const TAG_MIN_BOX = 32;

export interface Tag {
	label: string;
	score: number;
	/** [x, y, w, h], 0–1 of the image's width and height. */
	box: [number, number, number, number];
}

export interface TagTimings {
	/** resize + tensor (ms, JS) */
	preprocess: number;
	model: number;
	/** decode + NMS + per-label pick (ms, JS) */
	decode: number;
}

export interface TagOptions {
	minScore?: number;
	iou?: number;
	/** See TAG_MIN_BOX (tagImage only). */
	minBox?: number;
	/** Added to, so one object sums over many images. */
	timings?: TagTimings;
}

export function emptyTagTimings(): TagTimings {
	return { preprocess: 0, model: 0, decode: 0 };
}

/** The object-tag model from the catalog (one tier); `file` is its path under the models folder. */
export function tagModel(): { id: string; file: string; spec: ModelSpec } {
	const m = modelFor('objectTags', 'small');
	if (!m) throw new Error('The model catalog has no object-tag model.');
	return { id: m.id, file: m.files[0].name, spec: m.spec };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Every object found (after NMS), best first, boxes in image pixels. */
export async function detectObjects(spec: ModelSpec, img: RgbaImage, run: RunModel, opts: TagOptions = {}): Promise<ObjectDetection[]> {
	const timings = opts.timings ?? emptyTagTimings();
	let t = now();
	const plan = planLetterbox(spec, img.width, img.height);
	const input = letterboxTensor(spec, resizeRgba(img, plan.width, plan.height), plan);
	timings.preprocess += now() - t;
	t = now();
	const out = await run(input, [1, 3, plan.tensorHeight, plan.tensorWidth]);
	timings.model += now() - t;
	t = now();
	const name = typeof spec.outputs.detections === 'string' ? spec.outputs.detections : '';
	const raw = out[name] ?? Object.values(out)[0];
	const dets = nmsByClass(decodeYolox(spec, raw, plan, img.width, img.height, opts.minScore ?? TAG_MIN_SCORE), opts.iou ?? TAG_NMS_IOU);
	timings.decode += now() - t;
	return dets;
}

/** One tag per label: its best-scoring box, normalised to the image. Best first. */
export function tagsOf(dets: readonly ObjectDetection[], width: number, height: number): Tag[] {
	const best = new Map<string, ObjectDetection>();
	for (const d of dets) if ((best.get(d.label)?.score ?? -1) < d.score) best.set(d.label, d);
	return [...best.values()]
		.sort((a, b) => b.score - a.score)
		.map((d) => ({ label: d.label, score: d.score, box: [d.box[0] / width, d.box[1] / height, (d.box[2] - d.box[0]) / width, (d.box[3] - d.box[1]) / height] }));
}

/** The object tags of one decoded image (EXIF orientation already applied). */
export async function tagImage(spec: ModelSpec, img: RgbaImage, run: RunModel, opts: TagOptions = {}): Promise<Tag[]> {
	const dets = await detectObjects(spec, img, run, opts);
	const t = now();
	// box area in model-input pixels = image pixels / scale²
	const { scale } = planLetterbox(spec, img.width, img.height);
	const minArea = (opts.minBox ?? TAG_MIN_BOX) ** 2 * scale * scale;
	const tags = tagsOf(dets.filter((d) => (d.box[2] - d.box[0]) * (d.box[3] - d.box[1]) >= minArea), img.width, img.height);
	if (opts.timings) opts.timings.decode += now() - t;
	return tags;
}
