// Alignment (similarity transform onto the ArcFace template, bilinear warp), embedding post-processing
// (L2) and preprocessing, against the onnxruntime-node reference and against known geometry.
import { describe, expect, test } from 'vitest';
import { modelFor } from '../../src/lib/models/catalog';
import { applySimilarity, ARCFACE_TEMPLATE, cropSquare, invertSimilarity, umeyama, warpSourceRect, warpToNchw } from '../../worker/ml/faces/align';
import { cosine, l2norm, l2normalize } from '../../worker/ml/faces/embed';
import { templateOf } from '../../worker/ml/faces/pipeline';
import { aspectInput, colorSpecOf, letterboxInput, resizeRgba, toNchw } from '../../worker/ml/faces/preprocess';
import { live, reference } from './faces-reference';

const embedSpec = modelFor('faceEmbedding', 'small')!.spec;

describe(`alignment and embedding post-processing (${live ? 'live onnxruntime-node reference' : 'committed fixture'})`, () => {
	test('the catalog template is the ArcFace one', () => {
		expect(templateOf(embedSpec)).toEqual([...ARCFACE_TEMPLATE]);
	});

	test('similarity transforms of every reference face equal the reference (Umeyama)', async () => {
		const ref = await reference();
		let n = 0;
		for (const tier of ['small', 'large'] as const)
			for (const im of ref.tiers[tier].images)
				for (const f of im.faces) {
					const t = umeyama(f.landmarks, templateOf(embedSpec));
					const [a, nb, tx, b, a2, ty] = f.transform;
					expect(a2).toBeCloseTo(a, 9);
					// the fixture rounds landmarks and matrices to 7 significant digits
					for (const [x, y] of [[t.a, a], [t.b, b], [-t.b, nb]]) expect(Math.abs(x - y)).toBeLessThan(1e-5);
					for (const [x, y] of [[t.tx, tx], [t.ty, ty]]) expect(Math.abs(x - y)).toBeLessThan(5e-3);
					n++;
				}
		expect(n).toBeGreaterThanOrEqual(20);
	});

	test('L2 normalisation of a raw embedding gives the reference unit vector', async () => {
		const ref = await reference();
		let n = 0;
		for (const tier of ['small', 'large'] as const)
			for (const im of ref.tiers[tier].images) {
				const f = im.faces[0];
				if (!f?.raw) continue;
				expect(l2norm(f.raw)).toBeCloseTo(f.rawNorm, 3);
				const e = l2normalize(f.raw);
				expect(l2norm(e)).toBeCloseTo(1, 6);
				e.slice(0, 8).forEach((v, i) => expect(v).toBeCloseTo(f.embedding8[i], 5));
				n++;
			}
		expect(n).toBeGreaterThanOrEqual(8);
	});
});

describe('alignment geometry', () => {
	test('Umeyama recovers a known rotation + scale + shift exactly', () => {
		const truth = { a: 1.3 * Math.cos(0.4), b: 1.3 * Math.sin(0.4), tx: -20, ty: 7 };
		const src = [100, 120, 160, 118, 131, 150, 108, 180, 155, 178];
		const dst = src.flatMap((_, i) => (i % 2 ? [] : applySimilarity(truth, src[i], src[i + 1])));
		const t = umeyama(src, dst);
		for (const k of ['a', 'b', 'tx', 'ty'] as const) expect(t[k]).toBeCloseTo(truth[k], 9);
		const inv = invertSimilarity(t);
		const [x, y] = applySimilarity(inv, ...applySimilarity(t, 3, 4));
		expect([x, y].map((v) => +v.toFixed(9))).toEqual([3, 4]);
	});

	test('warping an image through the identity copies its pixels (normalised)', () => {
		const w = 112, h = 112;
		const data = new Uint8ClampedArray(w * h * 4);
		for (let i = 0; i < w * h; i++) data.set([i % 256, (i * 7) % 256, (i * 13) % 256, 255], i * 4);
		const spec = colorSpecOf(embedSpec);
		const warped = warpToNchw({ data, width: w, height: h }, { a: 1, b: 0, tx: 0, ty: 0 }, spec);
		expect(Array.from(warped)).toEqual(Array.from(toNchw({ data, width: w, height: h }, spec)));
		// half a pixel shift: the average of neighbours
		const shifted = warpToNchw({ data, width: w, height: h }, { a: 1, b: 0, tx: -0.5, ty: 0 }, { order: 'rgb', mean: [0, 0, 0], std: [1, 1, 1] });
		expect(shifted[5]).toBeCloseTo((data[5 * 4] + data[6 * 4]) / 2, 4);
	});

	test('warping from only the pixels warpSourceRect names gives the same tensor as from the whole image', () => {
		const w = 400, h = 300;
		const data = new Uint8ClampedArray(w * h * 4);
		for (let i = 0; i < w * h; i++) data.set([(i * 31) % 256, (i * 7) % 256, (i * 13) % 256, 255], i * 4);
		const whole = { data, width: w, height: h };
		const spec = colorSpecOf(embedSpec);
		// faces inside, rotated, tiny, large, and half outside each edge
		const faces = [
			[150, 120, 190, 119, 170, 145, 155, 170, 188, 169],
			[10, 30, 40, 20, 30, 45, 22, 60, 45, 52],
			[200, 200, 203, 200, 201.5, 202, 200.5, 204, 202.7, 204],
			[40, 60, 330, 70, 190, 170, 80, 260, 300, 262],
			[-20, 100, 20, 100, 0, 125, -15, 150, 15, 150],
			[380, 280, 420, 282, 400, 305, 385, 330, 418, 331]
		];
		const [, , fw, fh] = warpSourceRect(umeyama(faces[0]), w, h);
		// eyes 40 px apart (the template's are 35): about 112 × 40/35 px square, plus the turn and a neighbour pixel
		expect([fw, fh].every((v) => v > 120 && v < 150)).toBe(true);
		for (const lm of faces) {
			const t = umeyama(lm);
			const [x, y, rw, rh] = warpSourceRect(t, w, h);
			expect(x >= 0 && y >= 0 && x + rw <= w && y + rh <= h).toBe(true);
			const part = new Uint8ClampedArray(rw * rh * 4);
			for (let r = 0; r < rh; r++) part.set(data.subarray(((y + r) * w + x) * 4, ((y + r) * w + x + rw) * 4), r * rw * 4);
			expect(Array.from(warpToNchw({ data: part, width: rw, height: rh }, t, spec, 112, [x, y]))).toEqual(Array.from(warpToNchw(whole, t, spec)));
		}
	});

	test('face crop squares grow the box, stay inside the image', () => {
		expect(cropSquare([100, 100, 140, 160], 1000, 800, 0.25)).toEqual([75, 85, 90, 90]);
		expect(cropSquare([0, 0, 50, 50], 60, 60, 0.5)).toEqual([0, 0, 60, 60]);
		const [x, y, s] = cropSquare([950, 750, 1000, 800], 1000, 800);
		expect(x + s).toBeLessThanOrEqual(1000);
		expect(y + s).toBeLessThanOrEqual(800);
	});

	test('cosine', () => {
		expect(cosine([1, 0], [0, 1])).toBe(0);
		expect(cosine([2, 0], [3, 0])).toBe(1);
	});
});

describe('preprocessing', () => {
	test('detector input sizes keep the aspect and pad to ×32 (YuNet) or letterbox 640 (SCRFD)', () => {
		expect(aspectInput(2160, 1440, 480)).toEqual({ width: 480, height: 320, tensorWidth: 480, tensorHeight: 320, scale: 4.5 });
		expect(aspectInput(1440, 2000, 480)).toMatchObject({ width: 346, height: 480, tensorWidth: 352, tensorHeight: 480 });
		expect(letterboxInput(1366, 768, 640)).toMatchObject({ width: 640, height: 360, tensorWidth: 640, tensorHeight: 640 });
	});

	test('area downscale by an integer factor averages blocks; colour order, mean and std apply', () => {
		const data = new Uint8ClampedArray(4 * 2 * 4);
		[10, 20, 30, 40, 50, 60, 70, 80].forEach((v, i) => data.set([v, 255 - v, 0, 255], i * 4));
		const small = resizeRgba({ data, width: 4, height: 2 }, 2, 1);
		expect(Array.from(small.data)).toEqual([35, 220, 0, 255, 55, 200, 0, 255]);
		const bgr = toNchw(small, { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] }, 4, 2);
		expect(Array.from(bgr.slice(0, 8), (v) => v + 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // B plane, then padding
		expect(Array.from(bgr.slice(16, 20), (v) => v + 0)).toEqual([35, 55, 0, 0]); // R plane
		const norm = toNchw(small, colorSpecOf(embedSpec));
		expect(norm[0]).toBeCloseTo((35 - 127.5) / 128, 6);
	});
});
