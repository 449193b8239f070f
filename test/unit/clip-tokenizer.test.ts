// The hand-written CLIP tokenizer (worker/ml/clip/tokenizer.ts). BPE itself is checked on a small
// inline vocabulary every run; the real vocabulary (SHOEBOX_MODELS_DIR/clip-tokenizer, default
// ../shared/models) is checked against ids from an independent implementation when it is present.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { modelById } from '../../src/lib/models/catalog';
import { byteAlphabet, cleanText, ClipTokenizer, CLIP_END, CLIP_START, parseMerges, preTokenize, tokenizerOptionsOf } from '../../worker/ml/clip/tokenizer';

const TOKENIZER_DIR = join(resolve(process.env.SHOEBOX_MODELS_DIR ?? join(process.cwd(), '../shared/models')), 'clip-tokenizer');
const haveFiles = existsSync(join(TOKENIZER_DIR, 'vocab.json')) && existsSync(join(TOKENIZER_DIR, 'merges.txt'));

describe('text cleaning and pieces', () => {
	test('NFC, white space collapsed and trimmed, lower-case', () => {
		expect(cleanText('  A\t\tPhoto\n of  CAFE\u0301\u00a0\u3000 ')).toBe('a photo of café');
		// U+FEFF is not Unicode white space (JavaScript's \s would take it)
		expect(cleanText('a\ufeffb\u0085c')).toBe('a\ufeffb c');
		// word-final sigma, as Python's str.lower in OpenAI's tokenizer
		expect(cleanText('ΟΔΟΣ')).toBe('οδος');
	});

	test("CLIP's split: contractions, letter runs, single digits, other runs", () => {
		expect(preTokenize("it's 2024, isn't it?!")).toEqual(['it', "'s", '2', '0', '2', '4', ',', 'isn', "'t", 'it', '?!']);
		expect(preTokenize("we'll they've i'm you'd we're o'x")).toEqual(['we', "'ll", 'they', "'ve", 'i', "'m", 'you', "'d", 'we', "'re", 'o', "'", 'x']);
		expect(preTokenize('東京タワー 🐶🐱 naïve ½')).toEqual(['東京タワー', '🐶🐱', 'naïve', '½']);
		expect(preTokenize('')).toEqual([]);
	});

	test("GPT-2's byte alphabet: printable bytes as themselves, the rest from U+0100", () => {
		const a = byteAlphabet();
		expect(new Set(a).size).toBe(256);
		expect([a[0x21], a[0x41], a[0xe9]]).toEqual(['!', 'A', 'é']);
		expect([a[0x00], a[0x0a], a[0x20], a[0x7f], a[0xa0], a[0xad]]).toEqual(['\u0100', '\u010a', '\u0120', '\u0121', '\u0142', '\u0143']);
	});

	test('merges.txt: header and blank lines skipped, rank = line order', () => {
		const r = parseMerges('#version: 0.2\ni n\nt h\n\n');
		expect([...r.entries()]).toEqual([['i n', 0], ['t h', 1]]);
	});
});

describe('BPE on an inline vocabulary', () => {
	// ids as CLIP lays them out: 256 byte symbols, the same with "</w>", merged symbols, then the specials
	const alphabet = byteAlphabet();
	const merges = ['r e', 're d</w>', 'c a', 'ca t</w>', 'e d</w>', 'a a', 'a a</w>', 'aa aa</w>'];
	const vocab: Record<string, number> = {};
	alphabet.forEach((s, i) => ((vocab[s] = i), (vocab[s + '</w>'] = 256 + i)));
	['re', 'red</w>', 'ca', 'cat</w>', 'ed</w>', 'aa', 'aa</w>', 'aaaa</w>'].forEach((s, i) => (vocab[s] = 512 + i));
	vocab['<|startoftext|>'] = CLIP_START;
	vocab['<|endoftext|>'] = CLIP_END;
	const tok = new ClipTokenizer(vocab, ['#version: 0.2', ...merges]);
	const sym = (s: string) => vocab[s];

	test('merges by rank until no pair is in the table', () => {
		expect(tok.tokenize('Red')).toEqual([sym('red</w>')]);
		expect(tok.tokenize('bed')).toEqual([sym('b'), sym('ed</w>')]);
		expect(tok.tokenize("cat's")).toEqual([sym('cat</w>'), sym("'"), sym('s</w>')]);
		// "a a" (rank 5) beats "a a</w>" (rank 6); both "a a" pairs of aaaa merge in one step
		expect(tok.tokenize('aaa')).toEqual([sym('aa'), sym('a</w>')]);
		expect(tok.tokenize('aaaa')).toEqual([sym('aaaa</w>')]);
		// multi-byte characters become one symbol per UTF-8 byte
		expect(tok.tokenize('é')).toEqual([sym('Ã'), sym('©</w>')]);
	});

	test('start, end, truncation with the end token last, padding', () => {
		const ids = tok.encode('red cat');
		expect(ids).toBeInstanceOf(Int32Array);
		expect(ids.length).toBe(77);
		expect(Array.from(ids.slice(0, 4))).toEqual([CLIP_START, sym('red</w>'), sym('cat</w>'), CLIP_END]);
		expect(ids.slice(4).every((v) => v === CLIP_END)).toBe(true);
		const long = tok.encode('red '.repeat(100));
		expect(long[0]).toBe(CLIP_START);
		expect(long.slice(1, 76).every((v) => v === sym('red</w>'))).toBe(true);
		expect(long[76]).toBe(CLIP_END);
		const exact = tok.encode('red '.repeat(75));
		expect([exact[75], exact[76]]).toEqual([sym('red</w>'), CLIP_END]);
		const padded0 = new ClipTokenizer(vocab, merges, { padToken: 0, contextLength: 8 }).encode('red');
		expect(Array.from(padded0)).toEqual([CLIP_START, sym('red</w>'), CLIP_END, 0, 0, 0, 0, 0]);
	});

	test('the special tokens typed exactly are those tokens', () => {
		expect(tok.tokenize('red<|endoftext|>cat')).toEqual([sym('red</w>'), CLIP_END, sym('cat</w>')]);
		expect(tok.tokenize('<|startoftext|>')).toEqual([CLIP_START]);
	});

	test('a batch as int64 input_ids, row-major', () => {
		const { data, dims } = tok.encodeBatch(['red', 'cat']);
		expect(dims).toEqual([2, 77]);
		expect(data).toBeInstanceOf(BigInt64Array);
		expect([data[0], data[1], data[2], data[77], data[78], data[79]]).toEqual([49406n, BigInt(sym('red</w>')), 49407n, 49406n, BigInt(sym('cat</w>')), 49407n]);
	});

	test("options from the catalog's clip-text spec", () => {
		const entry = modelById('clip-b32-text-q8');
		expect(entry).toBeDefined();
		expect(tokenizerOptionsOf(entry!.spec)).toEqual({ startToken: 49406, endToken: 49407, padToken: 49407, contextLength: 77 });
	});
});

// Reference ids: Hugging Face `transformers` 5.18.0 CLIPTokenizer (Rust `tokenizers` 0.23.2 backend)
// built from these vocab.json/merges.txt, called as tok(text, truncation=True, max_length=77), with
// the start and end ids taken off. One deliberate difference, marked below: a word-final Σ. There the
// reference ids come from the same tokenizer run on Python's NFC(text).lower(), which is what
// OpenAI's own tokenizer lower-cases with (and transformers.js too).
const REFERENCE: Array<[string, number[]]> = [
	['a photo of a cat', [320, 1125, 539, 320, 2368]],
	['Hello, World!!!', [3306, 267, 1002, 995]],
	['  multiple   spaces\tand\nnewlines  ', [6470, 9006, 537, 1218, 3418]],
	['', []],
	["it's a dog's life, isn't it? we'll see; they've I'm you'd", [585, 568, 320, 1929, 568, 970, 267, 2923, 713, 585, 286, 649, 1342, 862, 282, 889, 1200, 328, 880, 592, 1896]],
	["rock'n'roll o'clock", [2172, 262, 333, 262, 3341, 334, 262, 6716]],
	['café crème brûlée naïve', [15304, 1075, 12138, 614, 711, 127, 119, 75, 13489, 1097, 35689, 563]],
	['cafe\u0301', [15304]],
	['東京タワーの夜景', [48338, 21078, 105, 34941, 2429, 107, 13457, 21575, 23170, 250, 48132, 363]],
	['서울의 밤', [15074, 250, 18541, 116, 8276, 502, 15810, 353]],
	['नमस्ते दुनिया', [3124, 101, 48254, 28505, 19389, 27263, 25130, 29552, 39653, 26090, 26721, 37299, 13343]],
	['🐶🐱 party 🎉👍🏽', [14466, 22979, 1580, 4310, 43722]],
	['👨\u200d👩\u200d👧 family', [25023, 26304, 964, 356, 1315]],
	['123 4567 3.14 2024-01-01 $9.99 50%', [272, 273, 274, 275, 276, 277, 278, 274, 269, 272, 275, 273, 271, 273, 275, 268, 271, 272, 268, 271, 272, 259, 280, 269, 280, 280, 276, 271, 260]],
	['²³ ½ Ⅻ ٣', [41175, 126, 367, 33613, 158, 227, 375, 149, 352]],
	['a <|endoftext|> b', [320, 49407, 321]],
	['<|ENDOFTEXT|>', [27, 347, 40786, 4160, 91, 285]],
	['fish &amp; chips', [2759, 261, 6259, 282, 8855]],
	['a\u00a0b\u3000c\u2003d\u0085e\ufefff', [320, 321, 322, 323, 324, 171, 119, 379, 325]],
	['İstanbul ǅemal ß ẞ', [328, 16384, 11231, 131, 228, 908, 566, 127, 509, 127, 509]],
	['aaaaaaaa hmmmmmmm !!!!!!!!!! ....', [6727, 19336, 71, 1028, 21808, 35579, 1390]],
	['http://example.com/a?b=c#d', [15066, 12441, 6228, 269, 2464, 270, 320, 286, 321, 284, 322, 258, 323]],
	// word-final Σ: NFC(text).lower() reference (the Rust tokenizer alone gives 481 "σ" at index 7)
	['ΟΔΟΣ σοφός', [138, 123, 138, 112, 138, 123, 139, 480, 139, 225, 138, 123, 139, 228, 139, 234, 139, 480]]
];

describe('the CLIP vocabulary', () => {
	const load = () => ClipTokenizer.fromFiles(readFileSync(join(TOKENIZER_DIR, 'vocab.json'), 'utf8'), readFileSync(join(TOKENIZER_DIR, 'merges.txt'), 'utf8'));

	test.skipIf(!haveFiles)(`ids as Hugging Face's CLIPTokenizer gives them (needs ${TOKENIZER_DIR})`, () => {
		const tok = load();
		for (const [text, ids] of REFERENCE) {
			const enc = tok.encode(text);
			expect([text, Array.from(enc.slice(0, ids.length + 2))]).toEqual([text, [CLIP_START, ...ids, CLIP_END]]);
			expect(enc.slice(ids.length + 2).every((v) => v === CLIP_END)).toBe(true);
		}
		// the public example, in full
		expect(Array.from(tok.encode('a photo of a cat').slice(0, 7))).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
	});

	test.skipIf(!haveFiles)(`77-token limit: 75 text tokens, then the end token (needs ${TOKENIZER_DIR})`, () => {
		const tok = load();
		const words = tok.encode('word '.repeat(100));
		expect(words[0]).toBe(CLIP_START);
		expect(words.slice(1, 76).every((v) => v === 2653)).toBe(true);
		expect(words[76]).toBe(CLIP_END);
		// one digit per token: 0 … 9 then 1 0, 1 1 … cut after 75 tokens (reference: the same Hugging Face tokenizer)
		const digits = tok.encode(Array.from({ length: 100 }, (_, i) => i).join(' '));
		expect(Array.from(digits.slice(70))).toEqual([280, 275, 271, 275, 272, 275, 49407]);
	});

	test.skipIf(!haveFiles)(`the byte symbols are ids 0–511 in alphabet order (needs ${TOKENIZER_DIR})`, () => {
		const vocab = JSON.parse(readFileSync(join(TOKENIZER_DIR, 'vocab.json'), 'utf8')) as Record<string, number>;
		const order = Array.from({ length: 256 }, (_, b) => b).sort((x, y) => byteAlphabet()[x].codePointAt(0)! - byteAlphabet()[y].codePointAt(0)!);
		// the alphabet's characters sorted by code point are the ids 0…255 of vocab.json
		order.forEach((b, i) => {
			expect(vocab[byteAlphabet()[b]]).toBe(i);
			expect(vocab[byteAlphabet()[b] + '</w>']).toBe(256 + i);
		});
		expect([vocab['<|startoftext|>'], vocab['<|endoftext|>']]).toEqual([CLIP_START, CLIP_END]);
	});
});
