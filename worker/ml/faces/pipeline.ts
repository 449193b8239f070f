// The face pipeline on decoded pixels (pure apart from the model runners it is handed, so Node
// tests run it with onnxruntime-node and the ML worker with onnxruntime-web):
// resize → detector tensor → decode → NMS → image coordinates → align (similarity onto the
// ArcFace template) → embed → L2-normalise.
import { modelFor, type ModelSpec } from '../../../src/lib/models/catalog';
import { ARCFACE_TEMPLATE, umeyama, warpToNchw, ALIGN_SIZE, type Similarity } from './align';
import { l2norm, l2normalize } from './embed';
import type { Detection } from './detection';
import { nms } from '../shared/nms';
import { aspectInput, colorSpecOf, letterboxInput, resizeRgba, toNchw, type DetectInput, type RgbaImage } from './preprocess';
import { decodeScrfd, SCRFD_NMS } from './scrfd';
import { decodeYunet, YUNET_NMS } from './yunet';

export type FaceTier = 'small' | 'large';

/**
 * The two models of a tier, read from the catalog (models/catalog.json): the detector's input size
 * policy, colour order, mean/std and NMS threshold, and the embedder's colour spec and template.
 */
export interface FaceModels {
	detectorId: string;
	embedderId: string;
	detector: ModelSpec;
	embedder: ModelSpec;
}

export function faceModels(tier: FaceTier): FaceModels {
	const d = modelFor('faceDetection', tier);
	const e = modelFor('faceEmbedding', tier);
	if (!d || !e) throw new Error(`The model catalog has no face models for the ${tier} tier.`);
	return { detectorId: d.id, embedderId: e.id, detector: d.spec, embedder: e.spec };
}

/** Runs one model on one float32 NCHW tensor; resolves to its outputs by name. */
export type RunModel = (input: Float32Array, dims: readonly number[]) => Promise<Record<string, Float32Array>>;

/**
 * Faces that fill the whole frame (an identity crop, a selfie) are outside what both detectors
 * were trained on: an image whose longer side is at most SMALL_IMAGE_SIDE gets a black border of
 * SMALL_IMAGE_BORDER × its longer side, and is never upscaled (SCRFD finds no face in a 150 px
 * crop blown up to 640).
 */
export const SMALL_IMAGE_SIDE = 320;
export const SMALL_IMAGE_BORDER = 0.25;

export interface DetectPlan extends DetectInput {
	/** Where the resized image sits in the tensor (input pixels). */
	offsetX: number;
	offsetY: number;
}

export function planDetection(spec: ModelSpec, width: number, height: number): DetectPlan {
	const small = Math.max(width, height) <= SMALL_IMAGE_SIDE;
	const border = small ? Math.round(Math.max(width, height) * SMALL_IMAGE_BORDER) : 0;
	const bw = width + 2 * border, bh = height + 2 * border;
	const size = spec.size ?? { dynamic: true };
	const base = size.dynamic
		? aspectInput(bw, bh, size.maxSide ?? 640, size.multipleOf ?? 32)
		: letterboxInput(bw, bh, size.width ?? 640, small ? 1 : Infinity);
	// the image alone, at the same scale
	const w = Math.max(1, Math.round(width / base.scale));
	const h = Math.max(1, Math.round(height / base.scale));
	const off = Math.round(border / base.scale);
	return { ...base, width: w, height: h, offsetX: off, offsetY: off };
}

/** The detector's input tensor for a plan (the image resized to plan.width × plan.height first). */
export function detectorTensor(spec: ModelSpec, resized: RgbaImage, plan: DetectPlan): Float32Array {
	const colour = colorSpecOf(spec);
	if (!plan.offsetX && !plan.offsetY) return toNchw(resized, colour, plan.tensorWidth, plan.tensorHeight);
	// shift: build a padded RGBA first (small images only)
	const data = new Uint8ClampedArray(plan.tensorWidth * plan.tensorHeight * 4);
	for (let y = 0; y < resized.height; y++) {
		const src = resized.data.subarray(y * resized.width * 4, (y + 1) * resized.width * 4);
		data.set(src, ((y + plan.offsetY) * plan.tensorWidth + plan.offsetX) * 4);
	}
	return toNchw({ data, width: plan.tensorWidth, height: plan.tensorHeight }, colour);
}

/** Raw outputs → faces in image pixels (after NMS, boxes clipped to the image). */
export function decodeDetections(spec: ModelSpec, outputs: Record<string, Float32Array | number[]>, plan: DetectPlan, imageWidth: number, imageHeight: number, minScore: number): Detection[] {
	let raw: Detection[];
	if (spec.decoder === 'yunet') raw = decodeYunet(outputs, plan.tensorWidth, plan.tensorHeight, minScore);
	else if (spec.decoder === 'scrfd') raw = decodeScrfd(outputs, minScore, plan.tensorWidth);
	else throw new Error(`No face decoder for "${spec.decoder}"`);
	const iouMax = typeof spec.nmsIou === 'number' ? spec.nmsIou : spec.decoder === 'yunet' ? YUNET_NMS : SCRFD_NMS;
	const kept = nms(raw, iouMax);
	const s = plan.scale;
	const mx = (x: number) => (x - plan.offsetX) * s;
	const my = (y: number) => (y - plan.offsetY) * s;
	const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
	return kept
		.map((d) => ({
			box: [clip(mx(d.box[0]), imageWidth), clip(my(d.box[1]), imageHeight), clip(mx(d.box[2]), imageWidth), clip(my(d.box[3]), imageHeight)] as Detection['box'],
			landmarks: d.landmarks.map((v, i) => (i % 2 ? my(v) : mx(v))),
			score: d.score
		}))
		.filter((d) => d.box[2] - d.box[0] >= 1 && d.box[3] - d.box[1] >= 1);
}

/** The embedder's alignment template, flat (the catalog's, else ArcFace's). */
export function templateOf(spec: ModelSpec): number[] {
	const t = (spec.align as { template?: number[][] } | undefined)?.template;
	return t && t.length === 5 ? t.flat() : [...ARCFACE_TEMPLATE];
}

export interface FaceTimings {
	resize: number;
	detect: number;
	decode: number;
	align: number;
	embed: number;
}

export interface PipelineFace extends Detection {
	/** L2-normalised. */
	embedding: Float32Array;
	/** Norm of the raw model output (tests compare it). */
	rawNorm: number;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Detection only. `img` is the image's pixels, resized here (area filter), or only its size when
 * `resized` (the image at the plan's size, e.g. drawn by the browser) is given.
 */
export async function detect(spec: ModelSpec, img: RgbaImage | { width: number; height: number }, runDetector: RunModel, minScore: number, timings?: FaceTimings, resized?: RgbaImage): Promise<Detection[]> {
	const plan = planDetection(spec, img.width, img.height);
	let t = now();
	const small = resized && resized.width === plan.width && resized.height === plan.height ? resized : 'data' in img ? resizeRgba(img, plan.width, plan.height) : null;
	if (!small) throw new Error(`detect: no pixels at the detector's size ${plan.width}×${plan.height}`);
	const input = detectorTensor(spec, small, plan);
	if (timings) timings.resize += now() - t;
	t = now();
	const out = await runDetector(input, [1, 3, plan.tensorHeight, plan.tensorWidth]);
	if (timings) timings.detect += now() - t;
	t = now();
	const faces = decodeDetections(spec, out, plan, img.width, img.height, minScore);
	if (timings) timings.decode += now() - t;
	return faces;
}

/** The similarity that aligns a face's landmarks onto the embedder's template, and its input size. */
export function alignment(spec: ModelSpec, landmarks: readonly number[]): { transform: Similarity; size: number } {
	return { transform: umeyama(landmarks, templateOf(spec)), size: spec.size?.width ?? ALIGN_SIZE };
}

/**
 * Align one face of `img` and embed it. `img` may be only the part of the image the alignment reads
 * (warpSourceRect), starting at `origin`.
 */
export async function embed(spec: ModelSpec, img: RgbaImage, landmarks: readonly number[], runEmbedder: RunModel, timings?: FaceTimings, origin: readonly [number, number] = [0, 0]): Promise<{ embedding: Float32Array; rawNorm: number }> {
	let t = now();
	const { transform, size } = alignment(spec, landmarks);
	const input = warpToNchw(img, transform, colorSpecOf(spec), size, origin);
	if (timings) timings.align += now() - t;
	t = now();
	const out = await runEmbedder(input, [1, 3, size, size]);
	const raw = Object.values(out)[0];
	if (timings) timings.embed += now() - t;
	return { embedding: l2normalize(raw), rawNorm: l2norm(raw) };
}

export function emptyTimings(): FaceTimings {
	return { resize: 0, detect: 0, decode: 0, align: 0, embed: 0 };
}

/** The whole pipeline on one decoded image. */
export async function detectAndEmbed(models: FaceModels, img: RgbaImage, runDetector: RunModel, runEmbedder: RunModel, minScore: number, timings = emptyTimings(), resized?: RgbaImage): Promise<PipelineFace[]> {
	const dets = await detect(models.detector, img, runDetector, minScore, timings, resized);
	const faces: PipelineFace[] = [];
	for (const d of dets) faces.push({ ...d, ...(await embed(models.embedder, img, d.landmarks, runEmbedder, timings)) });
	return faces;
}
