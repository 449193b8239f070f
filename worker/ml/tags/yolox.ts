// YOLOX (COCO) pre- and post-processing (pure): letterbox into the fixed square input at the
// top-left, then decode the raw [1, anchors, 5 + classes] output into boxes in image pixels.
// See ../../../../shared/models/MODELS.md and the catalog's `yolox-nano` spec.
import type { ModelSpec } from '../../../src/lib/models/catalog';
import { colorSpecOf, letterboxInput, type DetectInput, type RgbaImage } from '../faces/preprocess';
import { COCO_CLASSES } from './coco';

/** The grey YOLOX was trained to see around a letterboxed image (catalog: size.pad). */
export const YOLOX_PAD = 114;
const DEFAULT_STRIDES = [8, 16, 32];

export interface ObjectDetection {
	/** Index into COCO_CLASSES. */
	classId: number;
	label: string;
	/** objectness · class probability */
	score: number;
	/** [x1, y1, x2, y2] in image pixels, clipped to the image. */
	box: [number, number, number, number];
}

const inputSize = (spec: ModelSpec) => spec.size?.width ?? 416;
const stridesOf = (spec: ModelSpec) => (Array.isArray(spec.strides) ? (spec.strides as number[]) : DEFAULT_STRIDES);

/** The longer side fills the square input (small images are scaled up, as YOLOX was trained). */
export function planLetterbox(spec: ModelSpec, width: number, height: number): DetectInput {
	return letterboxInput(width, height, inputSize(spec));
}

/** `resized` (plan.width × plan.height) at the top-left of the square tensor, the rest YOLOX_PAD grey. */
export function letterboxTensor(spec: ModelSpec, resized: RgbaImage, plan: DetectInput): Float32Array {
	const { order, scale = 1, mean, std } = colorSpecOf(spec);
	const src = order === 'bgr' ? [2, 1, 0] : [0, 1, 2];
	const W = plan.tensorWidth, H = plan.tensorHeight, plane = W * H;
	const out = new Float32Array(3 * plane);
	const d = resized.data;
	for (let c = 0; c < 3; c++) {
		const k = scale / std[c], m = mean[c] / std[c], ch = src[c], base = c * plane;
		out.fill(YOLOX_PAD * k - m, base, base + plane);
		for (let y = 0; y < resized.height && y < H; y++) {
			const row = base + y * W;
			for (let x = 0; x < resized.width && x < W; x++) out[row + x] = d[(y * resized.width + x) * 4 + ch] * k - m;
		}
	}
	return out;
}

/**
 * Every (anchor, class) with obj · cls ≥ minScore, before NMS. Anchors run stride by stride
 * (8, 16, 32), each grid row-major: centre = (o0 + gx, o1 + gy)·s, size = exp(o2, o3)·s in input
 * pixels, then × plan.scale into the image. A box may carry several classes (a couch that is
 * also a chair); class-aware NMS and the per-label pick sort them out.
 */
export function decodeYolox(spec: ModelSpec, output: ArrayLike<number>, plan: DetectInput, imageWidth: number, imageHeight: number, minScore: number): ObjectDetection[] {
	const classes = COCO_CLASSES.length;
	const stride = 5 + classes;
	const size = inputSize(spec);
	const grids = stridesOf(spec).map((s) => ({ s, n: Math.floor(size / s) }));
	const anchors = grids.reduce((sum, g) => sum + g.n * g.n, 0);
	if (output.length !== anchors * stride) throw new Error(`YOLOX output has ${output.length} values, expected ${anchors} × ${stride}`);
	const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
	const dets: ObjectDetection[] = [];
	let row = 0;
	for (const { s, n } of grids) {
		for (let gy = 0; gy < n; gy++) {
			for (let gx = 0; gx < n; gx++, row++) {
				const o = row * stride;
				const obj = output[o + 4];
				if (obj < minScore) continue; // class probabilities are ≤ 1
				const cx = (output[o] + gx) * s, cy = (output[o + 1] + gy) * s;
				const hw = (Math.exp(output[o + 2]) * s) / 2, hh = (Math.exp(output[o + 3]) * s) / 2;
				const box: ObjectDetection['box'] = [
					clip((cx - hw) * plan.scale, imageWidth),
					clip((cy - hh) * plan.scale, imageHeight),
					clip((cx + hw) * plan.scale, imageWidth),
					clip((cy + hh) * plan.scale, imageHeight)
				];
				if (box[2] - box[0] < 1 || box[3] - box[1] < 1) continue;
				for (let c = 0; c < classes; c++) {
					const score = obj * output[o + 5 + c];
					if (score >= minScore) dets.push({ classId: c, label: COCO_CLASSES[c], score, box: [...box] });
				}
			}
		}
	}
	return dets;
}
