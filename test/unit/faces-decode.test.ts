// Detector decoding (YuNet, SCRFD) and NMS against onnxruntime-node reference numbers: the raw
// candidates the models produced on shared photos go through the app's TypeScript decoders, which
// must give the reference faces (boxes, 5 landmarks, scores) exactly.
import { describe, expect, test } from 'vitest';
import { modelFor } from '../../src/lib/models/catalog';
import { decodeDetections, planDetection } from '../../worker/ml/faces/pipeline';
import { iou, nms } from '../../worker/ml/shared/nms';
import { decodeYunet } from '../../worker/ml/faces/yunet';
import { decodeScrfd } from '../../worker/ml/faces/scrfd';
import { denseOutputs, fixture, live, reference } from './faces-reference';

const close = (a: number[], b: number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]) <= tol) && a.length === b.length;

describe(`face detector decoding (${live ? 'reference recomputed with onnxruntime-node' : 'committed reference fixture'})`, () => {
	for (const tier of ['small', 'large'] as const) {
		const spec = modelFor('faceDetection', tier)!.spec;
		for (const img of fixture.tiers[tier].images) {
			test(`${tier} (${spec.decoder}) ${img.path}: plan, decode, NMS`, async () => {
				const ref = (await reference()).tiers[tier].images.find((i) => i.path === img.path)!;
				expect(planDetection(spec, ref.width, ref.height)).toEqual(ref.plan);
				const out = denseOutputs(spec.decoder, ref, spec as never);
				const faces = decodeDetections(spec, out, planDetection(spec, ref.width, ref.height), ref.width, ref.height, fixture.minScore);
				expect(faces.length).toBe(ref.faces.length);
				faces.forEach((f, i) => {
					const r = ref.faces[i];
					expect(f.score).toBeCloseTo(r.score, 5);
					expect(close(f.box, r.box, 1e-3), `box ${f.box} vs ${r.box}`).toBe(true);
					expect(close(f.landmarks, r.landmarks, 1e-3), `landmarks ${f.landmarks} vs ${r.landmarks}`).toBe(true);
				});
			});
		}
	}

	test('the group photos give the manifest face counts at the default min score (both tiers)', async () => {
		const ref = await reference();
		const expected: Record<string, number> = { 'faces/group/bbt3.jpg': 5, 'faces/group/bbt1.jpg': 4, 'faces/single/stock_happy.jpg': 1, 'faces/amy/amy1.png': 1, 'faces/noface/mountain_cars.jpg': 0 };
		for (const tier of ['small', 'large'] as const) for (const im of ref.tiers[tier].images) expect([tier, im.path, im.faces.length]).toEqual([tier, im.path, expected[im.path]]);
	});

	test('a live reference matches the committed fixture', async () => {
		const ref = await reference();
		for (const tier of ['small', 'large'] as const)
			ref.tiers[tier].images.forEach((im, k) => {
				const fx = fixture.tiers[tier].images[k];
				expect(im.faces.length).toBe(fx.faces.length);
				im.faces.forEach((f, i) => {
					expect(close(f.box, fx.faces[i].box, 0.05)).toBe(true);
					expect(Math.abs(f.score - fx.faces[i].score)).toBeLessThan(1e-3);
					expect(close(f.embedding8, fx.faces[i].embedding8, 1e-3)).toBe(true);
				});
			});
	});
});

describe('decoders on hand-made outputs', () => {
	test('YuNet: one anchor at stride 8, cell (row 2, col 3)', () => {
		const W = 64, H = 32;
		const out: Record<string, Float32Array> = {};
		for (const s of [8, 16, 32]) {
			const n = (W / s) * (H / s);
			Object.assign(out, { [`cls_${s}`]: new Float32Array(n), [`obj_${s}`]: new Float32Array(n), [`bbox_${s}`]: new Float32Array(n * 4), [`kps_${s}`]: new Float32Array(n * 10) });
		}
		const i = 2 * (W / 8) + 3;
		out.cls_8[i] = 0.81;
		out.obj_8[i] = 1.2; // clamped to 1
		out.bbox_8.set([0.5, 0.5, Math.log(2), Math.log(3)], i * 4);
		out.kps_8.set([0, 0, 1, 0, 0.5, 0.5, 0, 1, 1, 1], i * 10);
		const [d, ...rest] = decodeYunet(out, W, H, 0.5);
		expect(rest).toHaveLength(0);
		expect(d.score).toBeCloseTo(0.9, 6);
		// centre (3.5·8, 2.5·8) = (28, 20), size 16 × 24
		expect(d.box.map((v) => +v.toFixed(4))).toEqual([20, 8, 36, 32]);
		expect(d.landmarks.map((v) => +v.toFixed(4))).toEqual([24, 16, 32, 16, 28, 20, 24, 24, 32, 24]);
	});

	test('SCRFD: anchor 2k+1 shares the centre of cell k', () => {
		const out: Record<string, Float32Array> = {};
		[8, 16, 32].forEach((s, k) => {
			const n = (640 / s) ** 2 * 2;
			Object.assign(out, { [`out${k}`]: new Float32Array(n), [`out${k + 3}`]: new Float32Array(n * 4), [`out${k + 6}`]: new Float32Array(n * 10) });
		});
		const cell = 1 * 20 + 2; // stride 32: row 1, col 2 → centre (64, 32)
		const i = cell * 2 + 1;
		out.out2[i] = 0.95;
		out.out5.set([1, 0.5, 1, 1.5], i * 4);
		out.out8.set([-0.5, -0.5, 0.5, -0.5, 0, 0, -0.25, 0.5, 0.25, 0.5], i * 10);
		const [d] = decodeScrfd(out, 0.5);
		expect(d.score).toBeCloseTo(0.95, 6);
		expect(d.box).toEqual([32, 16, 96, 80]);
		expect(d.landmarks).toEqual([48, 16, 80, 16, 64, 32, 56, 48, 72, 48]);
	});

	test('NMS keeps the best of overlapping boxes and every separate one', () => {
		const dets = [
			{ box: [0, 0, 10, 10] as [number, number, number, number], score: 0.8 },
			{ box: [1, 1, 11, 11] as [number, number, number, number], score: 0.9 },
			{ box: [20, 20, 30, 30] as [number, number, number, number], score: 0.7 },
			{ box: [5, 0, 15, 10] as [number, number, number, number], score: 0.6 } // IoU 1/3 with the first
		];
		expect(iou(dets[0].box, dets[3].box)).toBeCloseTo(1 / 3, 6);
		expect(iou(dets[1].box, dets[3].box)).toBeCloseTo(54 / 146, 6);
		expect(nms(dets, 0.3).map((d) => d.score)).toEqual([0.9, 0.7]);
		expect(nms(dets, 0.5).map((d) => d.score)).toEqual([0.9, 0.7, 0.6]);
	});
});
