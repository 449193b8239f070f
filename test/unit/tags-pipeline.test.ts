// The whole TypeScript tag pipeline (worker/ml/tags/pipeline.ts: letterbox → YOLOX → decode →
// class-aware NMS → one tag per label). Always: on a generated image with a stand-in model that
// checks the tensor it is given and answers a hand-made output. With the model and the media: the
// real YOLOX-nano in onnxruntime-node (1 thread) on every things/ photo as the app sees it (its
// preview), against the manifest's expected tags.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MODELS_DIR, previewRgba } from '../bench/tags-native.mjs';
import type { RunModel } from '../../worker/ml/faces/pipeline';
import { COCO_CLASSES } from '../../worker/ml/tags/coco';
import { emptyTagTimings, tagImage, tagModel, TAG_MIN_SCORE, type Tag } from '../../worker/ml/tags/pipeline';
import { YOLOX_PAD } from '../../worker/ml/tags/yolox';
import { mediaDir } from './fixtures';

const model = tagModel();
const modelFile = join(MODELS_DIR, model.file);
const manifestFile = join(mediaDir, 'MANIFEST.json');
const live = existsSync(modelFile) && existsSync(manifestFile);

describe('tag pipeline with a stand-in model', () => {
	test('tensor in, one normalised tag per label out, small boxes dropped', async () => {
		// 832 × 416: halved into a 416 × 208 band at the top of the tensor
		const width = 832, height = 416;
		const data = new Uint8ClampedArray(width * height * 4);
		for (let i = 0; i < data.length; i += 4) data.set([200, 100, 50, 255], i);
		const seen: { dims?: readonly number[]; input?: Float32Array } = {};
		const run: RunModel = async (input, dims) => {
			Object.assign(seen, { input, dims });
			const out = new Float32Array(3549 * 85);
			const anchor = (row: number, raw: number[], obj: number, label: string, p: number) => {
				out.set([...raw, obj], row * 85);
				out[row * 85 + 5 + COCO_CLASSES.indexOf(label as never)] = p;
			};
			anchor(52 * 52 + 5 * 26 + 8, [0, 0, Math.log(4), Math.log(2)], 0.9, 'dog', 0.9); // (128, 80), 64 × 32
			anchor(52 * 52 + 5 * 26 + 9, [-0.5, 0, Math.log(4), Math.log(2)], 0.8, 'dog', 0.9); // the same dog, weaker
			anchor(1 * 52 + 1, [0, 0, 0, 0], 0.95, 'clock', 0.95); // 8 × 8 input pixels: too small for a tag
			return { output: out };
		};
		const timings = emptyTagTimings();
		const tags = await tagImage(model.spec, { data, width, height }, run, { timings });
		expect(seen.dims).toEqual([1, 3, 416, 416]);
		const plane = 416 * 416;
		const px = (c: number, x: number, y: number) => seen.input![c * plane + y * 416 + x];
		expect([px(0, 0, 0), px(1, 0, 0), px(2, 0, 0)]).toEqual([50, 100, 200]); // BGR
		expect([px(0, 415, 207), px(0, 0, 208), px(2, 415, 415)]).toEqual([50, YOLOX_PAD, YOLOX_PAD]);
		expect(tags).toHaveLength(1);
		expect(tags[0].label).toBe('dog');
		expect(tags[0].score).toBeCloseTo(0.81, 5);
		// input [96, 64, 160, 96] → image × 2 → normalised by 832 × 416
		tags[0].box.forEach((v, i) => expect(v).toBeCloseTo([192 / 832, 128 / 416, 128 / 832, 64 / 416][i], 5));
		expect(timings.preprocess).toBeGreaterThan(0);
		expect(timings.decode).toBeGreaterThan(0);
	});
});

interface ThingsFile {
	path: string;
	expect: { tags?: string[]; also_present?: string[] };
}

describe('YOLOX-nano on the things/ photos (onnxruntime-node, 1 thread)', () => {
	test.skipIf(!live)(`finds ≥ 90% of the expected tags with few wrong ones${live ? '' : ` (skipped: needs ${modelFile} and ${manifestFile})`}`, async () => {
		const ort = (await import('onnxruntime-node')).default;
		const session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: 1, interOpNumThreads: 1 });
		const run: RunModel = async (input, dims) => {
			const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [...dims]) });
			return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
		};
		const files = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: ThingsFile[] }).files.filter((f) => f.path.startsWith('things/'));
		expect(files.length).toBeGreaterThan(0);
		let expected = 0, found = 0;
		const wrong: string[] = [];
		const lines: string[] = [];
		const timings = emptyTagTimings();
		for (const f of files) {
			const img = await previewRgba(join(mediaDir, f.path));
			await tagImage(model.spec, img, run); // warm-up, untimed
			const tags: Tag[] = await tagImage(model.spec, img, run, { timings });
			const labels = tags.map((t) => t.label);
			const want = f.expect.tags ?? [];
			const allowed = new Set([...want, ...(f.expect.also_present ?? [])]);
			expected += want.length;
			found += want.filter((l) => labels.includes(l)).length;
			wrong.push(...labels.filter((l) => !allowed.has(l)).map((l) => `${f.path}: ${l}`));
			for (const t of tags) {
				expect(t.score).toBeGreaterThanOrEqual(TAG_MIN_SCORE);
				expect(t.box[0]).toBeGreaterThanOrEqual(0);
				expect(t.box[1]).toBeGreaterThanOrEqual(0);
				expect(t.box[0] + t.box[2]).toBeLessThanOrEqual(1 + 1e-6);
				expect(t.box[1] + t.box[3]).toBeLessThanOrEqual(1 + 1e-6);
			}
			const missing = want.filter((l) => !labels.includes(l));
			lines.push(`${f.path} (${img.width}×${img.height}): ${tags.map((t) => `${t.label} ${t.score.toFixed(2)}`).join(', ') || '—'}${missing.length ? `; missing ${missing.join(', ')}` : ''}`);
		}
		await session.release();
		const per = (ms: number) => (ms / files.length).toFixed(1);
		console.log(
			[
				...lines,
				`expected tags found: ${found}/${expected} at min score ${TAG_MIN_SCORE}`,
				`labels not on the photo: ${wrong.length}${wrong.length ? ` (${wrong.join('; ')})` : ''}`,
				`per image: model ${per(timings.model)} ms, preprocess ${per(timings.preprocess)} ms, decode ${per(timings.decode)} ms`
			].join('\n')
		);
		expect(found / expected).toBeGreaterThanOrEqual(0.9);
		// at most one wrong label in eight photos (measured: one, a horse read as "cow")
		expect(wrong.length).toBeLessThanOrEqual(Math.floor(files.length / 8));
	});
});
