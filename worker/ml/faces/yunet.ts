// YuNet (libfacedetection) decoding: one anchor per cell at strides 8/16/32, any input size that
// is a multiple of 32 (pure). See ../../../../shared/models/MODELS.md.
import type { Detection } from './detection';
import type { ColorSpec } from './preprocess';

export const YUNET_STRIDES = [8, 16, 32] as const;
/** BGR, raw 0–255. */
export const YUNET_COLOR: ColorSpec = { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] };
export const YUNET_NMS = 0.3;

/** Output tensors by name: cls_8, obj_8, bbox_8, kps_8, … (batch 1). */
export type YunetOutputs = Record<string, Float32Array | number[]>;

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Candidates with score ≥ minScore, in input-tensor pixels, before NMS.
 * score = √(cls · obj); centre = (col + b0, row + b1)·s; size = exp(b2, b3)·s; point k = (col + p2k, row + p2k+1)·s.
 */
export function decodeYunet(out: YunetOutputs, tensorWidth: number, tensorHeight: number, minScore: number): Detection[] {
	const dets: Detection[] = [];
	for (const s of YUNET_STRIDES) {
		const cols = Math.floor(tensorWidth / s);
		const rows = Math.floor(tensorHeight / s);
		const cls = out[`cls_${s}`], obj = out[`obj_${s}`], bbox = out[`bbox_${s}`], kps = out[`kps_${s}`];
		if (!cls || !obj || !bbox || !kps) throw new Error(`YuNet output for stride ${s} is missing`);
		const n = rows * cols;
		if (cls.length !== n) throw new Error(`YuNet stride ${s}: ${cls.length} anchors, expected ${n} for ${tensorWidth}×${tensorHeight}`);
		for (let i = 0; i < n; i++) {
			const score = Math.sqrt(clamp01(cls[i]) * clamp01(obj[i]));
			if (score < minScore) continue;
			const row = Math.floor(i / cols);
			const col = i % cols;
			const cx = (col + bbox[i * 4]) * s;
			const cy = (row + bbox[i * 4 + 1]) * s;
			const w = Math.exp(bbox[i * 4 + 2]) * s;
			const h = Math.exp(bbox[i * 4 + 3]) * s;
			const landmarks: number[] = [];
			for (let k = 0; k < 5; k++) landmarks.push((col + kps[i * 10 + 2 * k]) * s, (row + kps[i * 10 + 2 * k + 1]) * s);
			dets.push({ box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], landmarks, score });
		}
	}
	return dets;
}
