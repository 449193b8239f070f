// Smart-search plumbing end to end on CLIP-shaped models (test/fixtures/clip-models.mjs) with
// onnxruntime-node: tokenizer → text model, preprocessing → image model, L2-normalise, rank. The
// generated models plant a few words on the embedding of a picture; each query must find its picture
// among solid, banded and striped images of several sizes. Uses the real CLIP vocabulary when
// SHOEBOX_MODELS_DIR/clip-tokenizer is there, else a small BPE vocabulary made here for the words.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { modelById } from '../../src/lib/models/catalog';
import { l2normalize } from '../../worker/ml/faces/embed';
import type { RgbaImage } from '../../worker/ml/faces/preprocess';
import { clipImageTensor } from '../../worker/ml/clip/preprocess';
import { byteAlphabet, ClipTokenizer, CLIP_END, CLIP_START, tokenizerOptionsOf } from '../../worker/ml/clip/tokenizer';
import { imageFeature, writeClipModels } from '../fixtures/clip-models.mjs';

const OUT = join(process.cwd(), 'test/fixtures/generated/clip');
const TOKENIZER_DIR = join(resolve(process.env.SHOEBOX_MODELS_DIR ?? join(process.cwd(), '../shared/models')), 'clip-tokenizer');
const realVocabulary = existsSync(join(TOKENIZER_DIR, 'vocab.json')) && existsSync(join(TOKENIZER_DIR, 'merges.txt'));
const imageSpec = modelById('clip-b32-image-q8')!.spec;
const textSpec = modelById('clip-b32-text-q8')!.spec;

type Rgb = [number, number, number];
const RED: Rgb = [230, 25, 20], GREEN: Rgb = [30, 160, 45], BLUE: Rgb = [25, 45, 220], YELLOW: Rgb = [240, 215, 30];
const WHITE: Rgb = [248, 248, 245], BLACK: Rgb = [12, 10, 14], SKY: Rgb = [110, 180, 240], GRASS: Rgb = [45, 140, 50];
const ORANGE: Rgb = [250, 140, 40], NAVY: Rgb = [20, 30, 90];

/** Planted words → the picture they mean (quadrants: top-left, top-right, bottom-left, bottom-right). */
const WORDS: Record<string, Rgb | [Rgb, Rgb, Rgb, Rgb]> = {
	red: RED,
	green: GREEN,
	blue: BLUE,
	yellow: YELLOW,
	white: WHITE,
	black: BLACK,
	landscape: [SKY, SKY, GRASS, GRASS],
	sunset: [ORANGE, ORANGE, NAVY, NAVY]
};

/** A picture with deterministic texture (±12 per channel), so nothing is exactly flat. */
function picture(width: number, height: number, colour: (x: number, y: number) => Rgb): RgbaImage {
	const data = new Uint8ClampedArray(width * height * 4);
	let s = 7;
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const c = colour(x, y);
			const o = (y * width + x) * 4;
			for (let k = 0; k < 3; k++) {
				s = (Math.imul(s, 1103515245) + 12345) >>> 0;
				data[o + k] = c[k] + ((s >>> 24) % 25) - 12;
			}
			data[o + 3] = 255;
		}
	return { data, width, height };
}
const solid = (w: number, h: number, c: Rgb) => picture(w, h, () => c);
const banded = (w: number, h: number, top: Rgb, bottom: Rgb) => picture(w, h, (_, y) => (y < h / 2 ? top : bottom));

const IMAGES: Record<string, RgbaImage> = {
	red: solid(320, 240, RED),
	green: solid(240, 320, GREEN),
	blue: solid(500, 300, BLUE),
	yellow: solid(224, 224, YELLOW),
	white: solid(180, 120, WHITE),
	black: solid(300, 300, BLACK),
	landscape: banded(400, 300, SKY, GRASS),
	sunset: banded(360, 240, ORANGE, NAVY),
	// thin sky/grass stripes: the landscape's average colour without its layout
	stripes: picture(400, 300, (x) => ((x >> 3) % 2 ? SKY : GRASS)),
	// left half red, right half white: neither solid colour
	halves: picture(320, 240, (x) => (x < 160 ? RED : WHITE))
};

/**
 * A BPE vocabulary in which each word is one token: merges are added one at a time, always joining
 * the first two symbols the tokenizer still leaves, so earlier words keep their single token.
 */
function wordVocabulary(words: string[]): { vocab: Record<string, number>; merges: string[] } {
	const vocab: Record<string, number> = { '<|startoftext|>': CLIP_START, '<|endoftext|>': CLIP_END };
	byteAlphabet().forEach((s, i) => ((vocab[s] = i), (vocab[s + '</w>'] = 256 + i)));
	const merges: string[] = [];
	const symbols = (word: string) => {
		const names = new Map(Object.entries(vocab).map(([k, v]) => [v, k]));
		return new ClipTokenizer(vocab, merges).tokenize(word).map((id) => names.get(id)!);
	};
	for (const word of words)
		for (let s = symbols(word); s.length > 1; s = symbols(word)) {
			merges.push(`${s[0]} ${s[1]}`);
			vocab[s[0] + s[1]] = 512 + merges.length;
		}
	return { vocab, merges };
}

describe('CLIP-shaped models with onnxruntime-node', () => {
	let source: { vocab: Record<string, number>; merges: string | string[] };
	let tokenizer: ClipTokenizer;
	let files: { image: string; text: string };
	let vision: InferenceSession;
	let text: InferenceSession;
	let ort: typeof import('onnxruntime-node');

	beforeAll(async () => {
		source = realVocabulary
			? { vocab: JSON.parse(readFileSync(join(TOKENIZER_DIR, 'vocab.json'), 'utf8')), merges: readFileSync(join(TOKENIZER_DIR, 'merges.txt'), 'utf8') }
			: wordVocabulary(Object.keys(WORDS));
		tokenizer = new ClipTokenizer(source.vocab, source.merges, tokenizerOptionsOf(textSpec));
		const plants = Object.entries(WORDS).map(([word, picture]) => {
			const ids = tokenizer.tokenize(word);
			expect([word, ids.length]).toEqual([word, 1]);
			return { token: ids[0], feature: imageFeature(picture) };
		});
		files = await writeClipModels(OUT, plants);
		ort = (await import('onnxruntime-node')).default;
		vision = await ort.InferenceSession.create(files.image, { intraOpNumThreads: 1 });
		text = await ort.InferenceSession.create(files.text, { intraOpNumThreads: 1 });
	});

	async function embedImages(images: RgbaImage[]): Promise<Float32Array[]> {
		const plane = 3 * 224 * 224;
		const batch = new Float32Array(images.length * plane);
		images.forEach((img, i) => batch.set(clipImageTensor(img, imageSpec), i * plane));
		const out = await vision.run({ [imageSpec.input]: new ort.Tensor('float32', batch, [images.length, 3, 224, 224]) });
		const e = out[imageSpec.outputs.embedding as string];
		expect(e.dims).toEqual([images.length, imageSpec.embeddingDim]);
		const data = e.data as Float32Array;
		return images.map((_, i) => l2normalize(data.subarray(i * 512, (i + 1) * 512)));
	}

	async function embedTexts(queries: string[], tok = tokenizer): Promise<Float32Array[]> {
		const { data, dims } = tok.encodeBatch(queries);
		const out = await text.run({ [textSpec.input]: new ort.Tensor('int64', data, dims) });
		const e = out[textSpec.outputs.embedding as string];
		expect(e.dims).toEqual([queries.length, textSpec.embeddingDim]);
		const flat = e.data as Float32Array;
		return queries.map((_, i) => l2normalize(flat.subarray(i * 512, (i + 1) * 512)));
	}

	const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

	test("tensor names, types and shapes are the catalog's (the Xenova export's)", () => {
		expect(vision.inputNames).toEqual([imageSpec.input]);
		expect(vision.outputNames).toEqual([imageSpec.outputs.embedding]);
		expect(text.inputNames).toEqual([textSpec.input]);
		expect(text.outputNames).toEqual([textSpec.outputs.embedding]);
		const [pix] = vision.inputMetadata;
		const [ids] = text.inputMetadata;
		expect(pix.isTensor && [pix.type, pix.shape]).toEqual(['float32', ['batch_size', 3, imageSpec.size!.height, imageSpec.size!.width]]);
		expect(ids.isTensor && [ids.type, ids.shape]).toEqual([textSpec.inputType, ['batch_size', 'sequence_length']]);
		for (const f of [files.image, files.text]) expect(statSync(f).size).toBeLessThan(100_000);
	});

	test('each query finds its picture first', async () => {
		const names = Object.keys(IMAGES);
		const images = await embedImages(names.map((n) => IMAGES[n]));
		const cases: Array<[string, string]> = [
			['red', 'red'],
			['a photo of something green', 'green'],
			['BLUE!', 'blue'],
			['yellow flowers', 'yellow'],
			['white', 'white'],
			['a black cat at night', 'black'],
			['a landscape', 'landscape'],
			['sunset over the sea', 'sunset']
		];
		const queries = await embedTexts(cases.map(([q]) => q));
		cases.forEach(([query, want], i) => {
			const scores = images.map((e) => dot(queries[i], e));
			const order = names.map((n, k) => [n, scores[k]] as const).sort((a, b) => b[1] - a[1]);
			expect([query, order[0][0]]).toEqual([query, want]);
			expect(order[0][1] - order[1][1]).toBeGreaterThan(0.05);
		});
		// layout counts: the banded picture beats the stripes of the same average colour
		const [landscape] = await embedTexts(['landscape']);
		expect(dot(landscape, images[names.indexOf('landscape')])).toBeGreaterThan(dot(landscape, images[names.indexOf('stripes')]) + 0.1);
	});

	test('a batch gives the same embeddings as one image at a time', async () => {
		const both = await embedImages([IMAGES.red, IMAGES.sunset]);
		const [red] = await embedImages([IMAGES.red]);
		const [sunset] = await embedImages([IMAGES.sunset]);
		expect(dot(both[0], red)).toBeCloseTo(1, 5);
		expect(dot(both[1], sunset)).toBeCloseTo(1, 5);
	});

	test('as in CLIP, nothing after the first end token counts: the pad value does not change the embedding', async () => {
		const padZero = new ClipTokenizer(source.vocab, source.merges, { padToken: 0 });
		const [a] = await embedTexts(['a red car']);
		const [b] = await embedTexts(['a red car'], padZero);
		expect(dot(a, b)).toBeCloseTo(1, 6);
		expect(Array.from(padZero.encode('a red car').slice(-3))).toEqual([0, 0, 0]);
		// an end token typed in the query ends it too
		const [c] = await embedTexts(['a red car<|endoftext|> blue blue blue']);
		expect(dot(a, c)).toBeCloseTo(1, 6);
		const [d] = await embedTexts(['a red car blue blue blue']);
		expect(dot(a, d)).toBeLessThan(0.9);
	});
});
