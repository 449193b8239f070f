// The whole TypeScript face pipeline (worker/ml/faces/pipeline.ts: plan → tensor → detector →
// decode → NMS → align → embedder → L2) run with onnxruntime-node on the shared photos, against the
// independent native reference of scripts/face-reference.mjs. Needs the models and the media; where
// they are absent, the same pipeline runs on the committed raw outputs instead (decode → align
// parameters → L2), so a real assertion runs either way.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { decodeFile, MEDIA_DIR, resizeFor, tierModels } from '../../scripts/face-reference.mjs';
import { umeyama } from '../../worker/ml/faces/align';
import { cosine, l2normalize } from '../../worker/ml/faces/embed';
import { decodeDetections, detectAndEmbed, faceModels, planDetection, templateOf } from '../../worker/ml/faces/pipeline';
import { denseOutputs, live, reference } from './faces-reference';
import { ortRunner } from './ort-runner';

describe.each(['small', 'large'] as const)('%s tier: the TypeScript pipeline', (tier) => {
	const models = faceModels(tier);
	if (live) {
		test('with onnxruntime-node gives the native reference faces and embeddings', async () => {
			const ref = await reference();
			const m = tierModels(tier);
			const det = await ortRunner(m.detFile);
			const emb = await ortRunner(m.embFile);
			for (const im of ref.tiers[tier].images) {
				const img = await decodeFile(join(MEDIA_DIR, im.path));
				// the same resized pixels as the reference (sharp), so differences are the code's alone
				const resized = await resizeFor(img, planDetection(models.detector, img.width, img.height));
				const faces = await detectAndEmbed(models, img, det, emb, ref.minScore, undefined, resized);
				expect([im.path, faces.length]).toEqual([im.path, im.faces.length]);
				faces.forEach((f, i) => {
					const r = im.faces[i];
					expect(Math.abs(f.score - r.score)).toBeLessThan(1e-4);
					f.box.forEach((v, k) => expect(Math.abs(v - r.box[k])).toBeLessThan(0.01));
					f.landmarks.forEach((v, k) => expect(Math.abs(v - r.landmarks[k])).toBeLessThan(0.01));
					f.embedding.slice(0, 8).forEach((v, k) => expect(Math.abs(v - r.embedding8[k])).toBeLessThan(1e-3));
					expect(Math.abs(f.rawNorm - r.rawNorm) / r.rawNorm).toBeLessThan(1e-3);
				});
			}
		});

		test('embeddings: same person closer than different people (identity crops)', async () => {
			const m = tierModels(tier);
			const det = await ortRunner(m.detFile);
			const emb = await ortRunner(m.embFile);
			const people = ['amy', 'penny', 'sheldon'];
			const e: Record<string, Float32Array[]> = {};
			for (const p of people)
				for (const n of [1, 2, 3]) {
					const faces = await detectAndEmbed(models, await decodeFile(join(MEDIA_DIR, `faces/${p}/${p}${n}.png`)), det, emb, 0.5);
					expect(faces).toHaveLength(1);
					(e[p] ??= []).push(faces[0].embedding);
				}
			const same: number[] = [], diff: number[] = [];
			for (const a of people) for (const b of people) for (const x of e[a]) for (const y of e[b]) if (x !== y) (a === b ? same : diff).push(cosine(x, y));
			const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
			expect(mean(same)).toBeGreaterThan(mean(diff) + 0.3);
		});
	} else {
		test('(no models here) on the committed raw outputs: faces, alignment, unit embeddings', async () => {
			const ref = await reference();
			for (const im of ref.tiers[tier].images) {
				const plan = planDetection(models.detector, im.width, im.height);
				const faces = decodeDetections(models.detector, denseOutputs(models.detector.decoder, im, models.detector as never), plan, im.width, im.height, ref.minScore);
				expect(faces.length).toBe(im.faces.length);
				faces.forEach((f, i) => {
					const t = umeyama(f.landmarks, templateOf(models.embedder));
					expect(Math.abs(t.a - im.faces[i].transform[0])).toBeLessThan(1e-5);
				});
				if (im.faces[0]?.raw) expect(l2normalize(im.faces[0].raw)[0]).toBeCloseTo(im.faces[0].embedding8[0], 5);
			}
		});
	}
});
