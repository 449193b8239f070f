// Strips → batched tensors for the angle classifier and the recogniser, and batching by width.
import { resizeRgba, type ColorSpec, type RgbaImage } from '../faces/preprocess';

/**
 * [n, 3, height, width]: each strip at the left of its slot, the rest 0 after normalisation
 * (mid-grey), the value PP-OCR pads with. Strips wider than `width` are cut (callers size batches
 * so that none is).
 */
export function stripsTensor(strips: readonly RgbaImage[], width: number, height: number, colour: ColorSpec): Float32Array {
	const plane = width * height;
	const out = new Float32Array(strips.length * 3 * plane);
	const k = colour.scale ?? 1;
	const ch = colour.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
	strips.forEach((s, n) => {
		for (let c = 0; c < 3; c++) {
			const base = (n * 3 + c) * plane;
			const m = colour.mean[c], sd = colour.std[c], src = ch[c];
			for (let y = 0; y < Math.min(height, s.height); y++)
				for (let x = 0; x < Math.min(width, s.width); x++) out[base + y * width + x] = (s.data[(y * s.width + x) * 4 + src] * k - m) / sd;
		}
	});
	return out;
}

/** The classifier's view of a strip: squeezed to at most `width` wide (it takes a fixed 48 × 192). */
export function classifierStrip(strip: RgbaImage, width: number): RgbaImage {
	return strip.width <= width ? strip : resizeRgba(strip, width, strip.height);
}

/**
 * Groups strip indices for the recogniser: sorted by width, a batch holds at most `maxBatch`
 * strips and its widest is at most `maxSpread` × its narrowest, so padding wastes little. Each
 * batch's tensor is its widest strip rounded up to `multiple`.
 */
export function widthBatches(widths: readonly number[], maxBatch: number, maxSpread: number, multiple = 8): Array<{ indices: number[]; width: number }> {
	const order = widths.map((_, i) => i).sort((a, b) => widths[a] - widths[b]);
	const batches: Array<{ indices: number[]; width: number }> = [];
	for (const i of order) {
		const last = batches[batches.length - 1];
		if (last && last.indices.length < maxBatch && widths[i] <= widths[last.indices[0]] * maxSpread) last.indices.push(i);
		else batches.push({ indices: [i], width: 0 });
	}
	for (const b of batches) b.width = Math.ceil(Math.max(...b.indices.map((i) => widths[i])) / multiple) * multiple;
	return batches;
}
