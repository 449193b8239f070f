// CLIP's byte-level BPE tokenizer (pure: runs in the ML worker and in Node tests).
//
// Same steps as OpenAI's CLIP tokenizer and Hugging Face's CLIPTokenizer:
//   special "<|startoftext|>" / "<|endoftext|>" typed in the text, exactly so, are those tokens
//           (as in Hugging Face; OpenAI also takes them in any case).
//   clean   NFC, runs of Unicode white space → one space, trim, lower-case. (OpenAI also runs ftfy
//           and html.unescape; Hugging Face's fast tokenizer, which transformers.js and most exports
//           use, does neither, and neither do we: "&amp;" stays five characters.) Lower-casing is
//           JavaScript's, as Python's str.lower in OpenAI's tokenizer and as transformers.js: a
//           word-final Σ becomes ς, where Hugging Face's Rust tokenizer gives σ.
//   split   CLIP's pattern: contractions ('s 't 're 've 'm 'll 'd), runs of letters, single digits,
//           runs of anything else that is not white space.
//   bytes   each piece's UTF-8 bytes → GPT-2's printable byte alphabet, "</w>" on the last symbol.
//   BPE     merge the adjacent pair of lowest merge rank until none is in the merge table.
//   frame   [start, …ids, end], cut so the end token is always last, padded to the context length.

/** Token ids and context length of OpenAI's CLIP (models/catalog.json `clip-*-text` spec). */
export const CLIP_START = 49406;
export const CLIP_END = 49407;
export const CLIP_CONTEXT = 77;

export interface ClipTokenizerOptions {
	startToken?: number;
	endToken?: number;
	/** Fills the rest of the context. The model pools at the first end token behind a causal mask, so any value gives the same embedding; Hugging Face pads with the end token, OpenAI with 0. */
	padToken?: number;
	contextLength?: number;
}

const SPECIAL = /(<\|startoftext\|>|<\|endoftext\|>)/;
const PIECES = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\p{White_Space}\p{L}\p{N}]+/gu;
const SPACES = /\p{White_Space}+/gu;
/** Bounds memory in a long-lived worker; a search session meets far fewer distinct words. */
const CACHE_LIMIT = 20_000;

/** NFC, white space collapsed and trimmed, lower-case. */
export function cleanText(text: string): string {
	return text.normalize('NFC').replace(SPACES, ' ').trim().toLowerCase();
}

/** The pieces BPE runs on, in order (text already cleaned). */
export function preTokenize(cleaned: string): string[] {
	return cleaned.match(PIECES) ?? [];
}

/**
 * GPT-2's byte → character table: printable Latin-1 bytes stand for themselves, the other 68 bytes
 * take the characters from U+0100 on, so every byte string becomes a visible string without spaces.
 */
export function byteAlphabet(): string[] {
	const table: string[] = new Array(256);
	const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
	let next = 256;
	for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : next++);
	return table;
}

/** merges.txt → rank per "left right" pair (the "#version" header and blank lines are skipped). */
export function parseMerges(merges: string | readonly string[]): Map<string, number> {
	const lines = typeof merges === 'string' ? merges.split(/\r?\n/) : merges;
	const ranks = new Map<string, number>();
	for (const line of lines) {
		if (!line || line.startsWith('#version')) continue;
		ranks.set(line, ranks.size);
	}
	return ranks;
}

export class ClipTokenizer {
	readonly startToken: number;
	readonly endToken: number;
	readonly padToken: number;
	readonly contextLength: number;
	private readonly vocab: Map<string, number>;
	private readonly ranks: Map<string, number>;
	private readonly bytes = byteAlphabet();
	private readonly encoder = new TextEncoder();
	private readonly cache = new Map<string, number[]>();

	/** `vocab`: vocab.json's object (token → id); `merges`: merges.txt's text or its lines. */
	constructor(vocab: Record<string, number>, merges: string | readonly string[], options: ClipTokenizerOptions = {}) {
		this.vocab = new Map(Object.entries(vocab));
		this.ranks = parseMerges(merges);
		this.startToken = options.startToken ?? CLIP_START;
		this.endToken = options.endToken ?? CLIP_END;
		this.padToken = options.padToken ?? this.endToken;
		this.contextLength = options.contextLength ?? CLIP_CONTEXT;
		if (this.contextLength < 2) throw new Error('CLIP context length must leave room for the start and end tokens.');
	}

	/** From the two files' text, as the worker fetches them. */
	static fromFiles(vocabJson: string, mergesTxt: string, options?: ClipTokenizerOptions): ClipTokenizer {
		return new ClipTokenizer(JSON.parse(vocabJson) as Record<string, number>, mergesTxt, options);
	}

	/** The text's token ids, without start/end and without truncation. */
	tokenize(text: string): number[] {
		const ids: number[] = [];
		// split() with a capturing group keeps the special tokens at the odd indices
		text.split(SPECIAL).forEach((part, i) => {
			if (i % 2) ids.push(this.id(part));
			else for (const piece of preTokenize(cleanText(part))) for (const id of this.piece(piece)) ids.push(id);
		});
		return ids;
	}

	/** [start, …ids, end] cut to the context length (end kept last), padded with the pad token. */
	encode(text: string): Int32Array {
		const out = new Int32Array(this.contextLength).fill(this.padToken);
		const ids = this.tokenize(text);
		const n = Math.min(ids.length, this.contextLength - 2);
		out[0] = this.startToken;
		for (let i = 0; i < n; i++) out[i + 1] = ids[i];
		out[n + 1] = this.endToken;
		return out;
	}

	/** Several texts as the text model's int64 `input_ids` tensor data, [texts.length, contextLength] row-major. */
	encodeBatch(texts: readonly string[]): { data: BigInt64Array; dims: [number, number] } {
		const data = new BigInt64Array(texts.length * this.contextLength);
		texts.forEach((t, row) => {
			const ids = this.encode(t);
			for (let i = 0; i < ids.length; i++) data[row * this.contextLength + i] = BigInt(ids[i]);
		});
		return { data, dims: [texts.length, this.contextLength] };
	}

	private piece(piece: string): number[] {
		const hit = this.cache.get(piece);
		if (hit) return hit;
		const ids = this.bpe(piece).map((s) => this.id(s));
		if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
		this.cache.set(piece, ids);
		return ids;
	}

	/** Unknown symbols cannot happen with CLIP's vocabulary (every byte symbol is in it); like Hugging Face, they would map to the end token. */
	private id(symbol: string): number {
		return this.vocab.get(symbol) ?? this.endToken;
	}

	private bpe(piece: string): string[] {
		let word: string[] = [];
		for (const b of this.encoder.encode(piece)) word.push(this.bytes[b]);
		word[word.length - 1] += '</w>';
		while (word.length > 1) {
			let best = Infinity;
			let left = '';
			let right = '';
			for (let i = 0; i + 1 < word.length; i++) {
				const r = this.ranks.get(word[i] + ' ' + word[i + 1]);
				if (r !== undefined && r < best) [best, left, right] = [r, word[i], word[i + 1]];
			}
			if (best === Infinity) break;
			// every occurrence of the pair, left to right
			const merged: string[] = [];
			for (let i = 0; i < word.length; i++) {
				if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
					merged.push(left + right);
					i++;
				} else merged.push(word[i]);
			}
			word = merged;
		}
		return word;
	}
}

/** Tokenizer options from a catalog `clip-text` spec (`contextLength`, `tokenizer.startToken` …). */
export function tokenizerOptionsOf(spec: Readonly<Record<string, unknown>>): ClipTokenizerOptions {
	const t = (spec.tokenizer ?? {}) as { startToken?: number; endToken?: number; padToken?: number };
	return {
		startToken: t.startToken,
		endToken: t.endToken,
		padToken: t.padToken,
		contextLength: typeof spec.contextLength === 'number' ? spec.contextLength : undefined
	};
}
