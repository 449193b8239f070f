// DB (differentiable binarisation) post-processing: the detector's text probability map → one
// rotated box per connected text region, grown back to the text's full extent ("unclip").
// Coordinates are in map pixels, pixel i covering [i, i + 1) (so its centre is i + 0.5).
import { convexHull, inRect, minAreaRect, unclipRect, type RotatedRect } from './geometry';

export interface DbOptions {
	/** A map pixel is text when its probability is above this. */
	threshold: number;
	/** A region is kept when the mean probability inside its rectangle reaches this. */
	boxThreshold: number;
	/** Growth of a region: area·ratio/perimeter on every side. */
	unclipRatio: number;
	/** Regions whose shorter side is below this (map pixels) are dropped; after unclip, below this + 2. */
	minSize: number;
	/** At most this many boxes (the best-scoring). */
	maxBoxes: number;
}

/** PP-OCR's defaults (tools/infer/utility.py: det_db_thresh, det_db_box_thresh, det_db_unclip_ratio). */
export const DB_DEFAULTS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, maxBoxes: 1000 };

export interface DbBox {
	/** The unclipped rectangle (map pixels). */
	rect: RotatedRect;
	/** Mean probability inside the region's rectangle before unclip. */
	score: number;
}

export function dbBoxes(prob: Float32Array, width: number, height: number, opts: DbOptions = DB_DEFAULTS): DbBox[] {
	const labels = new Int32Array(width * height);
	const stack = new Int32Array(width * height);
	const members = new Int32Array(width * height);
	const boxes: DbBox[] = [];
	let next = 0;
	for (let start = 0; start < width * height; start++) {
		if (labels[start] || !(prob[start] > opts.threshold)) continue;
		// flood fill, 8-connected (as contour tracing joins diagonal neighbours)
		const label = ++next;
		labels[start] = label;
		let top = 0, count = 0;
		stack[top++] = start;
		while (top) {
			const p = stack[--top];
			members[count++] = p;
			const px = p % width, py = (p - px) / width;
			for (let dy = -1; dy <= 1; dy++) {
				const y = py + dy;
				if (y < 0 || y >= height) continue;
				for (let dx = -1; dx <= 1; dx++) {
					const x = px + dx;
					if (x < 0 || x >= width) continue;
					const q = y * width + x;
					if (!labels[q] && prob[q] > opts.threshold) {
						labels[q] = label;
						stack[top++] = q;
					}
				}
			}
		}
		const box = regionBox(prob, width, height, members.subarray(0, count), opts);
		if (box) boxes.push(box);
	}
	return boxes.sort((a, b) => b.score - a.score).slice(0, opts.maxBoxes);
}

/** One region's box, or null when it is too small or too faint. */
function regionBox(prob: Float32Array, width: number, height: number, pixels: Int32Array, opts: DbOptions): DbBox | null {
	// the hull of a region is the hull of each row's two end pixels (pixel centres)
	let minY = height, maxY = -1;
	for (const p of pixels) {
		const y = Math.floor(p / width);
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	}
	const rows = maxY - minY + 1;
	const left = new Int32Array(rows).fill(width);
	const right = new Int32Array(rows).fill(-1);
	for (const p of pixels) {
		const y = Math.floor(p / width), x = p - y * width;
		if (x < left[y - minY]) left[y - minY] = x;
		if (x > right[y - minY]) right[y - minY] = x;
	}
	const ends: number[] = [];
	for (let r = 0; r < rows; r++) ends.push(left[r] + 0.5, minY + r + 0.5, right[r] + 0.5, minY + r + 0.5);
	const rect = minAreaRect(convexHull(ends));
	if (Math.min(rect.w, rect.h) < opts.minSize) return null;
	const score = meanInside(prob, width, height, rect);
	if (score < opts.boxThreshold) return null;
	const grown = unclipRect(rect, opts.unclipRatio);
	if (Math.min(grown.w, grown.h) < opts.minSize + 2) return null;
	return { rect: grown, score };
}

/** Mean probability over the map pixels whose centres lie in the rectangle (its border included). */
function meanInside(prob: Float32Array, width: number, height: number, r: RotatedRect): number {
	const ex = (Math.abs(r.ux) * r.w + Math.abs(r.uy) * r.h) / 2;
	const ey = (Math.abs(r.uy) * r.w + Math.abs(r.ux) * r.h) / 2;
	const x0 = Math.max(0, Math.floor(r.cx - ex)), x1 = Math.min(width - 1, Math.ceil(r.cx + ex));
	const y0 = Math.max(0, Math.floor(r.cy - ey)), y1 = Math.min(height - 1, Math.ceil(r.cy + ey));
	let sum = 0, n = 0;
	for (let y = y0; y <= y1; y++)
		for (let x = x0; x <= x1; x++)
			if (inRect(r, x + 0.5, y + 0.5, 1e-3)) {
				sum += prob[y * width + x];
				n++;
			}
	return n ? sum / n : 0;
}
