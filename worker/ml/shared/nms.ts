// Greedy non-maximum suppression over [x1, y1, x2, y2] boxes (pure), shared by every detector.

export interface Scored {
	/** [x1, y1, x2, y2] */
	box: readonly number[];
	score: number;
}

export function iou(a: readonly number[], b: readonly number[]): number {
	const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
	const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
	if (w <= 0 || h <= 0) return 0;
	const inter = w * h;
	const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
	return union > 0 ? inter / union : 0;
}

/** Keeps the best-scoring detections, dropping any that overlap a kept one by more than `threshold` IoU. */
export function nms<T extends Scored>(dets: T[], threshold: number, topK = 750): T[] {
	const sorted = [...dets].sort((a, b) => b.score - a.score).slice(0, 5000);
	const kept: T[] = [];
	for (const d of sorted) {
		if (kept.length >= topK) break;
		if (kept.every((k) => iou(k.box, d.box) <= threshold)) kept.push(d);
	}
	return kept;
}

/**
 * NMS within each class only: a dog box never suppresses the bicycle box it overlaps. Best first
 * across all classes.
 */
export function nmsByClass<T extends Scored & { classId: number }>(dets: T[], threshold: number, topK = 750): T[] {
	const byClass = new Map<number, T[]>();
	for (const d of dets) {
		const list = byClass.get(d.classId);
		if (list) list.push(d);
		else byClass.set(d.classId, [d]);
	}
	const kept: T[] = [];
	for (const list of byClass.values()) kept.push(...nms(list, threshold, topK));
	return kept.sort((a, b) => b.score - a.score);
}
