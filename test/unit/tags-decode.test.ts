// YOLOX decoding and class-aware NMS on hand-made output tensors: the anchor order (stride by
// stride, each grid row-major), grid offsets and strides, the letterbox undone into image pixels,
// per-class suppression, and the one-tag-per-label pick.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nmsByClass } from '../../worker/ml/shared/nms';
import { COCO_CLASSES } from '../../worker/ml/tags/coco';
import { tagModel, tagsOf } from '../../worker/ml/tags/pipeline';
import { decodeYolox, letterboxTensor, planLetterbox, YOLOX_PAD, type ObjectDetection } from '../../worker/ml/tags/yolox';
import { mediaDir } from './fixtures';

const { spec } = tagModel();
const ROW = 85;
const GRIDS = [
	{ s: 8, n: 52 },
	{ s: 16, n: 26 },
	{ s: 32, n: 13 }
];

function emptyOutput(): Float32Array {
	return new Float32Array(3549 * ROW);
}

/** Writes one anchor: raw box offsets, objectness and some class probabilities. */
function setAnchor(out: Float32Array, stride: number, gx: number, gy: number, raw: [number, number, number, number], obj: number, cls: Record<string, number>) {
	let row = 0;
	for (const g of GRIDS) {
		if (g.s === stride) break;
		row += g.n * g.n;
	}
	row += gy * (416 / stride) + gx;
	out.set([...raw, obj], row * ROW);
	for (const [label, p] of Object.entries(cls)) out[row * ROW + 5 + COCO_CLASSES.indexOf(label as never)] = p;
}

const rounded = (b: readonly number[]) => b.map((v) => +v.toFixed(4));

describe('COCO classes', () => {
	test('80 distinct names in YOLOX order, as people read them', () => {
		expect(new Set(COCO_CLASSES).size).toBe(80);
		expect([COCO_CLASSES[0], COCO_CLASSES[16], COCO_CLASSES[57], COCO_CLASSES[60], COCO_CLASSES[62], COCO_CLASSES[79]]).toEqual(['person', 'dog', 'couch', 'dining table', 'tv', 'toothbrush']);
	});

	test('every label of the media manifest is a class name', () => {
		const manifest = join(mediaDir, 'MANIFEST.json');
		// without the corpus, the labels its README promises
		const labels = existsSync(manifest)
			? (JSON.parse(readFileSync(manifest, 'utf8')) as { files: { expect: { tags?: string[]; also_present?: string[] } }[] }).files.flatMap((f) => [...(f.expect.tags ?? []), ...(f.expect.also_present ?? [])])
			: ['dining table', 'potted plant', 'traffic light', 'wine glass', 'motorcycle'];
		expect(labels.length).toBeGreaterThan(0);
		for (const l of labels) expect(COCO_CLASSES).toContain(l);
	});
});

describe('letterbox', () => {
	test('the longer side fills 416; small images are scaled up', () => {
		expect(planLetterbox(spec, 832, 624)).toEqual({ width: 416, height: 312, tensorWidth: 416, tensorHeight: 416, scale: 2 });
		expect(planLetterbox(spec, 104, 208)).toEqual({ width: 208, height: 416, tensorWidth: 416, tensorHeight: 416, scale: 0.5 });
	});

	test('BGR raw 0–255 at the top-left, grey 114 elsewhere', () => {
		const img = { data: Uint8Array.of(10, 20, 30, 255, 40, 50, 60, 255), width: 2, height: 1 };
		const t = letterboxTensor(spec, img, { width: 2, height: 1, tensorWidth: 416, tensorHeight: 416, scale: 1 });
		const plane = 416 * 416;
		expect(t.length).toBe(3 * plane);
		expect([t[0], t[1], t[2], t[416]]).toEqual([30, 60, YOLOX_PAD, YOLOX_PAD]); // B
		expect([t[plane], t[plane + 1]]).toEqual([20, 50]); // G
		expect([t[2 * plane], t[2 * plane + 1], t[3 * plane - 1]]).toEqual([10, 40, YOLOX_PAD]); // R
	});
});

describe('YOLOX decoding', () => {
	const plan416 = planLetterbox(spec, 416, 416);

	test('stride 8: grid offsets, exp sizes, score = obj · cls', () => {
		const out = emptyOutput();
		setAnchor(out, 8, 3, 2, [0.5, 0.25, Math.log(2), 0], 0.9, { dog: 0.8 });
		const [d, ...rest] = decodeYolox(spec, out, plan416, 416, 416, 0.3);
		expect(rest).toHaveLength(0);
		expect(d.label).toBe('dog');
		expect(d.classId).toBe(16);
		expect(d.score).toBeCloseTo(0.72, 6);
		// centre ((3 + 0.5)·8, (2 + 0.25)·8) = (28, 18), size 16 × 8
		expect(rounded(d.box)).toEqual([20, 14, 36, 22]);
	});

	test('strides 16 and 32 come after the 52² + 26² earlier anchors', () => {
		const out = emptyOutput();
		setAnchor(out, 16, 25, 1, [0, 0, 0, 0], 0.8, { bus: 1 });
		setAnchor(out, 32, 12, 12, [0.5, 0.5, Math.log(4), Math.log(2)], 0.7, { person: 1 });
		const dets = decodeYolox(spec, out, plan416, 416, 416, 0.5);
		const bus = dets.find((d) => d.label === 'bus')!;
		const person = dets.find((d) => d.label === 'person')!;
		// (25·16, 1·16) = (400, 16), 16 × 16
		expect(rounded(bus.box)).toEqual([392, 8, 408, 24]);
		// (12.5·32, 12.5·32) = (400, 400), 128 × 64, clipped to the image
		expect(rounded(person.box)).toEqual([336, 368, 416, 416]);
	});

	test('the letterbox is undone: boxes in image pixels, clipped to the image', () => {
		const out = emptyOutput();
		setAnchor(out, 16, 10, 5, [0, 0, Math.log(2), Math.log(2)], 1, { cat: 0.9 });
		const plan = planLetterbox(spec, 832, 624); // image pixels per input pixel: 2
		const [cat] = decodeYolox(spec, out, plan, 832, 624, 0.5);
		// input (160, 80) ± 16 → image × 2
		expect(rounded(cat.box)).toEqual([288, 128, 352, 192]);
		// an anchor in the grey padding below the image is clipped away
		setAnchor(out, 32, 4, 11, [0, 0, 0, 0], 1, { car: 1 });
		expect(decodeYolox(spec, out, plan, 832, 624, 0.5).map((d) => d.label)).toEqual(['cat']);
	});

	test('a box with several classes over the min score gives one detection per class', () => {
		const out = emptyOutput();
		setAnchor(out, 8, 0, 0, [0.5, 0.5, 0, 0], 0.9, { couch: 0.7, chair: 0.6, bed: 0.3 });
		const dets = decodeYolox(spec, out, plan416, 416, 416, 0.5);
		expect(dets.map((d) => [d.label, +d.score.toFixed(4)])).toEqual([
			['chair', 0.54],
			['couch', 0.63]
		]);
	});

	test('an output of the wrong size is an error', () => {
		expect(() => decodeYolox(spec, new Float32Array(3549 * 84), plan416, 416, 416, 0.5)).toThrow(/expected 3549/);
	});
});

describe('class-aware NMS and tags', () => {
	const det = (label: string, score: number, box: ObjectDetection['box']): ObjectDetection => ({ classId: COCO_CLASSES.indexOf(label as never), label, score, box });

	test('only boxes of the same class suppress each other', () => {
		const dets = [
			det('dog', 0.8, [0, 0, 100, 100]),
			det('dog', 0.6, [10, 10, 110, 110]), // IoU 0.68 with the first dog: suppressed
			det('bicycle', 0.7, [5, 5, 105, 105]), // same place, other class: kept
			det('dog', 0.5, [200, 200, 260, 260]) // a second dog elsewhere: kept
		];
		expect(nmsByClass(dets, 0.45).map((d) => `${d.label} ${d.score}`)).toEqual(['dog 0.8', 'bicycle 0.7', 'dog 0.5']);
	});

	test('decode → NMS on one tensor: neighbouring anchors on one object collapse', () => {
		const out = emptyOutput();
		setAnchor(out, 16, 10, 10, [0.5, 0.5, Math.log(4), Math.log(4)], 0.9, { dog: 0.9 });
		setAnchor(out, 16, 11, 10, [-0.4, 0.5, Math.log(4), Math.log(4)], 0.8, { dog: 0.9, cat: 0.6 });
		const kept = nmsByClass(decodeYolox(spec, out, planLetterbox(spec, 416, 416), 416, 416, 0.4), 0.45);
		expect(kept.map((d) => `${d.label} ${d.score.toFixed(2)}`)).toEqual(['dog 0.81', 'cat 0.48']);
	});

	test('one tag per label: its best box, normalised [x, y, w, h], best first', () => {
		const tags = tagsOf([det('person', 0.6, [0, 0, 50, 100]), det('person', 0.9, [100, 50, 300, 150]), det('tie', 0.5, [40, 20, 60, 80])], 400, 200);
		expect(tags).toEqual([
			{ label: 'person', score: 0.9, box: [0.25, 0.25, 0.5, 0.5] },
			{ label: 'tie', score: 0.5, box: [0.1, 0.1, 0.05, 0.3] }
		]);
	});
});
