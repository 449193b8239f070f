// SCRFD (InsightFace) decoding: fixed 640×640 letterboxed input, 2 anchors per cell at strides
// 8/16/32; outputs out0..2 scores, out3..5 box distances, out6..8 landmark offsets (pure).
import type { Detection } from './detection';
import type { ColorSpec } from './preprocess';

export const SCRFD_SIZE = 640;
export const SCRFD_STRIDES = [8, 16, 32] as const;
export const SCRFD_ANCHORS = 2;
/** RGB, (x − 127.5) / 128. */
export const SCRFD_COLOR: ColorSpec = { order: 'rgb', mean: [127.5, 127.5, 127.5], std: [128, 128, 128] };
export const SCRFD_NMS = 0.4;

export type ScrfdOutputs = Record<string, Float32Array | number[]>;

/**
 * Candidates with score ≥ minScore, in input pixels, before NMS. Anchor i of a stride: cell = i / 2,
 * centre = (col·s, row·s); box = centre ∓ distances·s; point k = centre + offset_k·s.
 */
export function decodeScrfd(out: ScrfdOutputs, minScore: number, size = SCRFD_SIZE): Detection[] {
	const dets: Detection[] = [];
	SCRFD_STRIDES.forEach((s, idx) => {
		const scores = out[`out${idx}`], dist = out[`out${idx + 3}`], kps = out[`out${idx + 6}`];
		if (!scores || !dist || !kps) throw new Error(`SCRFD output for stride ${s} is missing`);
		const cols = Math.floor(size / s);
		const n = cols * Math.floor(size / s) * SCRFD_ANCHORS;
		if (scores.length !== n) throw new Error(`SCRFD stride ${s}: ${scores.length} anchors, expected ${n}`);
		for (let i = 0; i < n; i++) {
			const score = scores[i];
			if (score < minScore) continue;
			const cell = Math.floor(i / SCRFD_ANCHORS);
			const cx = (cell % cols) * s;
			const cy = Math.floor(cell / cols) * s;
			const box: [number, number, number, number] = [cx - dist[i * 4] * s, cy - dist[i * 4 + 1] * s, cx + dist[i * 4 + 2] * s, cy + dist[i * 4 + 3] * s];
			const landmarks: number[] = [];
			for (let k = 0; k < 5; k++) landmarks.push(cx + kps[i * 10 + 2 * k] * s, cy + kps[i * 10 + 2 * k + 1] * s);
			dets.push({ box, landmarks, score });
		}
	});
	return dets;
}
