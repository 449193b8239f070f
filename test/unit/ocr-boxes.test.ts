// DB post-processing and box geometry on hand-made probability maps and images: separate blobs,
// a rotated blob, noise and faint regions dropped, unclip; crops, quarter turns, reading order,
// the orientation vote and recogniser batching.
import { describe, expect, test } from 'vitest';
import { cropQuad, rotate180, rotate90, rotateClockwise, toStrip } from '../../worker/ml/ocr/crop';
import { DB_DEFAULTS, dbBoxes } from '../../worker/ml/ocr/db';
import { planTextDetection } from '../../worker/ml/ocr/detect';
import { convexHull, minAreaRect, rectQuad, unclipRect, type RotatedRect } from '../../worker/ml/ocr/geometry';
import { opaqueOnWhite } from '../../worker/ml/ocr/opaque';
import { readingRows } from '../../worker/ml/ocr/order';
import { pageRotation, rotateRect, type StripVote } from '../../worker/ml/ocr/orientation';
import { widthBatches } from '../../worker/ml/ocr/strips';

const W = 200, H = 120;

/** A map with `value` on the pixels whose centres fall in the rectangle. */
function paint(map: Float32Array, r: RotatedRect, value: number) {
	for (let y = 0; y < H; y++)
		for (let x = 0; x < W; x++) {
			const dx = x + 0.5 - r.cx, dy = y + 0.5 - r.cy;
			if (Math.abs(dx * r.ux + dy * r.uy) <= r.w / 2 && Math.abs(-dx * r.uy + dy * r.ux) <= r.h / 2) map[y * W + x] = value;
		}
}

/** Axis-aligned block of pixels [x0, x1) × [y0, y1). */
function block(map: Float32Array, x0: number, y0: number, x1: number, y1: number, value: number) {
	for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) map[y * W + x] = value;
}

const noUnclip = { ...DB_DEFAULTS, unclipRatio: 0 };

describe('dbBoxes', () => {
	test('two separate blobs give two boxes over their pixel centres', () => {
		const map = new Float32Array(W * H);
		block(map, 10, 20, 60, 35, 0.9); // 50 × 15 px
		block(map, 100, 70, 180, 90, 0.8); // 80 × 20 px
		const boxes = dbBoxes(map, W, H, noUnclip).sort((a, b) => a.rect.cx - b.rect.cx);
		expect(boxes).toHaveLength(2);
		const [a, b] = boxes;
		expect(a.rect.cx).toBeCloseTo(35, 5);
		expect(a.rect.cy).toBeCloseTo(27.5, 5);
		// centres of the end pixels: one pixel less than the blob each way
		expect([Math.max(a.rect.w, a.rect.h), Math.min(a.rect.w, a.rect.h)].map((v) => +v.toFixed(5))).toEqual([49, 14]);
		expect(a.score).toBeCloseTo(0.9, 5);
		expect(b.rect.cx).toBeCloseTo(140, 5);
		expect(b.score).toBeCloseTo(0.8, 5);
	});

	test('a rotated blob gives a rotated box of its size and angle', () => {
		const map = new Float32Array(W * H);
		const angle = (25 * Math.PI) / 180;
		paint(map, { cx: 100, cy: 60, w: 120, h: 24, ux: Math.cos(angle), uy: Math.sin(angle) }, 0.95);
		const [box, ...rest] = dbBoxes(map, W, H, noUnclip);
		expect(rest).toHaveLength(0);
		const r = box.rect;
		const long = Math.max(r.w, r.h), short = Math.min(r.w, r.h);
		expect(Math.abs(long - 120)).toBeLessThan(2.5);
		expect(Math.abs(short - 24)).toBeLessThan(2.5);
		// the long side's direction, as an angle in [0°, 180°)
		const [ux, uy] = r.w >= r.h ? [r.ux, r.uy] : [-r.uy, r.ux];
		const deg = ((Math.atan2(uy, ux) * 180) / Math.PI + 180) % 180;
		expect(Math.abs(deg - 25)).toBeLessThan(1.5);
		expect(Math.abs(r.cx - 100)).toBeLessThan(1);
		expect(Math.abs(r.cy - 60)).toBeLessThan(1);
	});

	test('small noise and faint regions are dropped', () => {
		const map = new Float32Array(W * H);
		block(map, 20, 20, 80, 40, 0.9); // text
		map[5 * W + 150] = 1; // single pixels
		map[100 * W + 10] = 1;
		block(map, 150, 100, 152, 102, 1); // 2 × 2: shorter side 1 between centres
		block(map, 120, 10, 190, 30, 0.4); // above the map threshold, below the box threshold
		const boxes = dbBoxes(map, W, H, DB_DEFAULTS);
		expect(boxes).toHaveLength(1);
		expect(boxes[0].rect.cx).toBeCloseTo(50, 5);
	});

	test('the probability threshold splits blobs that touch only through low values', () => {
		const map = new Float32Array(W * H);
		block(map, 10, 10, 190, 30, 0.25);
		block(map, 10, 10, 60, 30, 0.9);
		block(map, 120, 10, 190, 30, 0.9);
		expect(dbBoxes(map, W, H, noUnclip)).toHaveLength(2);
	});

	test('unclip grows each side by area × ratio / perimeter', () => {
		const map = new Float32Array(W * H);
		block(map, 20, 20, 121, 41, 0.9); // centres span 100 × 20
		const [box] = dbBoxes(map, W, H, { ...DB_DEFAULTS, unclipRatio: 1.5 });
		const d = (100 * 20 * 1.5) / (2 * (100 + 20));
		expect(Math.max(box.rect.w, box.rect.h)).toBeCloseTo(100 + 2 * d, 5);
		expect(Math.min(box.rect.w, box.rect.h)).toBeCloseTo(20 + 2 * d, 5);
		// the score is measured before growing
		expect(box.score).toBeCloseTo(0.9, 5);
	});
});

describe('geometry', () => {
	test('unclipRect on a known rectangle', () => {
		const r = unclipRect({ cx: 0, cy: 0, w: 100, h: 20, ux: 1, uy: 0 }, 1.5);
		expect(r.w).toBeCloseTo(125, 9);
		expect(r.h).toBeCloseTo(45, 9);
	});

	test('minimum-area rectangle of a square turned 45°', () => {
		const s = Math.SQRT1_2 * 10;
		const r = minAreaRect(convexHull([0, -s, s, 0, 0, s, -s, 0, 0, 0, 1, 1]));
		expect(r.w).toBeCloseTo(10, 9);
		expect(r.h).toBeCloseTo(10, 9);
	});

	test('corners of an axis-aligned box come out tl, tr, br, bl', () => {
		expect(rectQuad({ cx: 50, cy: 20, w: 60, h: 10, ux: 1, uy: 0 })).toEqual([20, 15, 80, 15, 80, 25, 20, 25]);
		// the same rectangle described along its other side
		expect(rectQuad({ cx: 50, cy: 20, w: 10, h: 60, ux: 0, uy: 1 })).toEqual([20, 15, 80, 15, 80, 25, 20, 25]);
	});

	test('the detector plan keeps multiples of 32 and never upscales', () => {
		expect(planTextDetection(2160, 1440, 960)).toMatchObject({ width: 960, height: 640 });
		expect(planTextDetection(320, 180, 960)).toMatchObject({ width: 320, height: 192 });
		expect(planTextDetection(10, 10, 960)).toMatchObject({ width: 32, height: 32 });
	});
});

describe('crops and turns', () => {
	// 4 × 2 image: pixel value = 10·x + y in every colour channel
	const img = { width: 4, height: 2, data: new Uint8ClampedArray(4 * 2 * 4) };
	for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) img.data.set([10 * x + y, 10 * x + y, 10 * x + y, 255], (y * 4 + x) * 4);
	const at = (m: { width: number; data: ArrayLike<number> }, x: number, y: number) => m.data[(y * m.width + x) * 4];

	test('an axis-aligned quad on pixel edges crops the same pixels', () => {
		const c = cropQuad(img, [1, 0, 3, 0, 3, 2, 1, 2]);
		expect([c.width, c.height]).toEqual([2, 2]);
		expect([at(c, 0, 0), at(c, 1, 0), at(c, 0, 1), at(c, 1, 1)]).toEqual([10, 20, 11, 21]);
	});

	test('a quad whose first edge runs down the image reads along it', () => {
		// tl at the top-right, tr at the bottom-right: the crop is the image turned counter-clockwise
		const c = cropQuad(img, [4, 0, 4, 2, 0, 2, 0, 0]);
		expect([c.width, c.height]).toEqual([2, 4]);
		expect(at(c, 0, 0)).toBe(30);
		expect(at(c, 1, 0)).toBe(31);
		expect(at(c, 0, 3)).toBe(0);
	});

	test('quarter turns and half turns', () => {
		const ccw = rotate90(img);
		expect([ccw.width, ccw.height]).toEqual([2, 4]);
		expect(at(ccw, 0, 0)).toBe(30); // top-right → top-left
		expect(at(ccw, 0, 3)).toBe(0); // top-left → bottom-left
		const cw = rotateClockwise(img);
		expect(at(cw, 0, 0)).toBe(1); // bottom-left → top-left
		expect(at(cw, 1, 0)).toBe(0);
		expect(rotateClockwise(rotate90(img)).data).toEqual(img.data);
		const half = rotate180(img);
		expect(at(half, 0, 0)).toBe(31);
		expect(rotate180(half).data).toEqual(img.data);
	});

	test('strips are 48 high with the aspect kept, squeezed past the cap', () => {
		const wide = { width: 400, height: 20, data: new Uint8ClampedArray(400 * 20 * 4) };
		expect(toStrip(wide, 48, 2000)).toMatchObject({ width: 960, height: 48 });
		expect(toStrip(wide, 48, 600)).toMatchObject({ width: 600, height: 48 });
	});

	test('transparent pixels become white', () => {
		const t = { width: 2, height: 1, data: new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255]) };
		expect(Array.from(opaqueOnWhite(t).data)).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
		const opaque = { width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) };
		expect(opaqueOnWhite(opaque)).toBe(opaque);
	});
});

describe('reading order and orientation', () => {
	test('rows top to bottom, words left to right; a lower line stays apart', () => {
		const rows = readingRows([
			[300, 102, 80, 20], // line 1, right
			[10, 100, 100, 22], // line 1, left
			[10, 130, 200, 20], // line 2
			[150, 98, 100, 24] // line 1, middle (taller)
		]);
		expect(rows).toEqual([[1, 3, 0], [2]]);
	});

	test('rects map into the turned image', () => {
		// a 100 × 50 image; a box at its top-left corner
		const r = [0, 0, 10, 5] as const;
		expect(rotateRect(r, 100, 50, 90)).toEqual([45, 0, 5, 10]);
		expect(rotateRect(r, 100, 50, 180)).toEqual([90, 45, 10, 5]);
		expect(rotateRect(r, 100, 50, 270)).toEqual([0, 90, 5, 10]);
		expect(rotateRect(rotateRect(r, 100, 50, 90), 50, 100, 270)).toEqual([...r]);
	});

	test('the vote: wide strips decide 0°/180°, a majority of turned ones 90°/270°', () => {
		const v = (turned: boolean, upsideDown: number, weight = 100): StripVote => ({ turned, upsideDown, weight });
		expect(pageRotation([])).toBe(0);
		expect(pageRotation([v(false, 0.1), v(false, 0.95, 50)])).toBe(0);
		expect(pageRotation([v(false, 0.9), v(false, 0.8), v(false, 0.2, 50)])).toBe(180);
		expect(pageRotation([v(true, 0.1), v(true, 0.2), v(false, 0.9)])).toBe(270);
		expect(pageRotation([v(true, 0.9), v(true, 0.7), v(false, 0.1)])).toBe(90);
	});
});

describe('widthBatches', () => {
	test('sorted by width, capped in size and spread, widths rounded up to 8', () => {
		const b = widthBatches([100, 400, 110, 105, 390, 120, 1000], 3, 1.5);
		expect(b).toEqual([
			{ indices: [0, 3, 2], width: 112 },
			{ indices: [5], width: 120 },
			{ indices: [4, 1], width: 400 },
			{ indices: [6], width: 1000 }
		]);
	});
});
