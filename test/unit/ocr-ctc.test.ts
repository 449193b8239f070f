// Greedy CTC decoding on hand-made probabilities, and the recogniser's character set: blank at 0,
// the keys file's lines, a space last (checked on the real keys file when it is present).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { modelById } from '../../src/lib/models/catalog';
import { charsetFromKeys, ctcOptions, decodeCtc } from '../../worker/ml/ocr/ctc';

const MODELS_DIR = resolve(process.env.SHOEBOX_MODELS_DIR ?? join(process.cwd(), '../shared/models'));
const KEYS = join(MODELS_DIR, 'ocr/ppocr_keys_v1.txt');

/** Softmax-like rows: each step puts `p` on its class and spreads the rest evenly (≈ 0.03 each here). */
function probs(classes: number, seq: number[], p = 0.9): Float32Array {
	const out = new Float32Array(seq.length * classes).fill((1 - p) / (classes - 1));
	seq.forEach((c, t) => (out[t * classes + c] = p));
	return out;
}

describe('charsetFromKeys', () => {
	test('blank first, one class per line, a space last', () => {
		expect(charsetFromKeys('a\nb\nc\n')).toEqual(['', 'a', 'b', 'c', ' ']);
		expect(charsetFromKeys('a\nb\nc')).toEqual(['', 'a', 'b', 'c', ' ']);
		expect(charsetFromKeys('a\r\nb\r\n')).toEqual(['', 'a', 'b', ' ']);
		expect(charsetFromKeys('a\nb', false)).toEqual(['', 'a', 'b']);
	});

	test('keeps a line that is itself a space or punctuation', () => {
		expect(charsetFromKeys(' \n.\n')).toEqual(['', ' ', '.', ' ']);
	});

	test.skipIf(!existsSync(KEYS))('the real keys file gives the recogniser’s 6625 classes (needs ../shared/models)', () => {
		const charset = charsetFromKeys(readFileSync(KEYS, 'utf8'));
		const spec = modelById('ppocr-v4-rec')!.spec;
		expect(charset.length).toBe(spec.classes);
		expect(charset[0]).toBe('');
		expect(charset[charset.length - 1]).toBe(' ');
		// Latin letters and digits are in the set (the corpus is English)
		for (const ch of 'AZaz09.') expect(charset.indexOf(ch)).toBeGreaterThan(0);
	});
});

describe('decodeCtc', () => {
	const charset = ['', 'a', 'b', ' '];

	test('collapses repeats and drops blanks', () => {
		const seq = [0, 1, 1, 0, 1, 2, 2, 2, 0, 3, 2, 0];
		const r = decodeCtc(probs(4, seq), seq.length, 4, charset);
		expect(r.text).toBe('aab b');
		expect(r.score).toBeCloseTo(0.9, 5);
	});

	test('a blank between equal classes keeps both; without one they merge', () => {
		expect(decodeCtc(probs(4, [1, 0, 1]), 3, 4, charset).text).toBe('aa');
		expect(decodeCtc(probs(4, [1, 1, 1]), 3, 4, charset).text).toBe('a');
	});

	test('all blanks: empty text, score 0', () => {
		expect(decodeCtc(probs(4, [0, 0, 0]), 3, 4, charset)).toEqual({ text: '', score: 0 });
	});

	test('the score is the mean of the kept characters’ probabilities', () => {
		const p = probs(4, [1, 1, 0, 2]);
		p[1] = 0.7; // the first 'a' step
		p[4 + 1] = 0.95; // its repeat: not a new character, so not counted
		p[3 * 4 + 2] = 0.5;
		p[3 * 4 + 1] = 0.2;
		const r = decodeCtc(p, 4, 4, charset);
		expect(r.text).toBe('ab');
		expect(r.score).toBeCloseTo((0.7 + 0.5) / 2, 5);
	});

	test('a space the blank outvoted is put back when its share of the gap is clear', () => {
		// "a b" where the blank wins every step between a and b
		const seq = [1, 0, 0, 2];
		const withShare = (share: number) => {
			const p = probs(4, seq);
			p[2 * 4 + 0] = 0.9 - share; // the middle blank step
			p[2 * 4 + 3] = share;
			return decodeCtc(p, 4, 4, charset);
		};
		expect(withShare(0.3).text).toBe('a b');
		expect(withShare(0.01).text).toBe('ab');
		// a space the recogniser did emit is not doubled
		expect(decodeCtc(probs(4, [1, 0, 3, 0, 2]), 5, 4, charset).text).toBe('a b');
		// never before the first character, and not with spaceProb ≥ 1
		const lead = probs(4, [0, 1]);
		lead[3] = 0.5;
		expect(decodeCtc(lead, 2, 4, charset).text).toBe('a');
		const p = probs(4, seq);
		p[2 * 4 + 3] = 0.4;
		expect(decodeCtc(p, 4, 4, charset, 0, { ...ctcOptions(charset), spaceProb: 1 }).text).toBe('ab');
	});

	test('the space class is found at the end of the charset, or not at all', () => {
		expect(ctcOptions(charset)).toEqual({ blank: 0, space: 3, spaceProb: 0.05 });
		expect(ctcOptions(['', 'a', 'b']).space).toBe(-1);
	});

	test('reads one item of a batch by offset', () => {
		const a = probs(4, [1, 0, 2]);
		const b = probs(4, [2, 2, 1]);
		const batch = new Float32Array([...a, ...b]);
		expect(decodeCtc(batch, 3, 4, charset, 0).text).toBe('ab');
		expect(decodeCtc(batch, 3, 4, charset, 3 * 4).text).toBe('ba');
	});
});
