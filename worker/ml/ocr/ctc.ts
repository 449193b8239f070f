// The recogniser's character set and greedy CTC decoding (pure: Node tests run it as is).

/**
 * The CTC classes from the keys file: index 0 is the blank (''), then one class per line of the
 * file, then a space when `appendSpace` (PP-OCR's `use_space_char`). A trailing newline or CRs
 * (a file saved on Windows) add no class.
 */
export function charsetFromKeys(text: string, appendSpace = true): string[] {
	const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
	if (lines.length && lines[lines.length - 1] === '') lines.pop();
	return ['', ...lines, ...(appendSpace ? [' '] : [])];
}

export interface DecodedLine {
	text: string;
	/** Mean of the winning probabilities of the characters kept (0 when none). */
	score: number;
}

/** Where the blank and the space sit among the classes, and when a dropped space is put back. */
export interface CtcOptions {
	blank: number;
	/** The space's class, or -1 when the charset has none. */
	space: number;
	/**
	 * The recogniser (trained mostly on Chinese) often lets the blank win over the space between
	 * Latin words ("FIRSTCHEQUING"), yet still gives the space a clear share there, while between
	 * letters of a word it gives it next to nothing. A space goes between two characters when some
	 * blank step between them gives the space at least this probability (1 or more: never).
	 */
	spaceProb: number;
}

/** The usual layout: blank first, space last (PP-OCR's use_space_char). */
export function ctcOptions(charset: readonly string[], spaceProb = 0.05): CtcOptions {
	const space = charset[charset.length - 1] === ' ' ? charset.length - 1 : -1;
	return { blank: 0, space, spaceProb };
}

/**
 * Greedy CTC for one sequence: the best class per time step, repeats collapsed, blanks dropped.
 * `probs` holds `steps` × `classes` softmax outputs from `offset` (one item of a batch).
 */
export function decodeCtc(probs: Float32Array, steps: number, classes: number, charset: readonly string[], offset = 0, opts: CtcOptions = ctcOptions(charset)): DecodedLine {
	let text = '';
	let sum = 0;
	let kept = 0;
	let prev = -1;
	// the space's best share over the blank steps since the last character
	let gapSpace = 0;
	for (let t = 0; t < steps; t++) {
		const row = offset + t * classes;
		let best = 0;
		let bestP = probs[row];
		for (let c = 1; c < classes; c++) {
			const p = probs[row + c];
			if (p > bestP) {
				bestP = p;
				best = c;
			}
		}
		if (best === opts.blank) {
			if (opts.space >= 0) gapSpace = Math.max(gapSpace, probs[row + opts.space]);
		} else if (best !== prev) {
			const ch = charset[best] ?? '';
			if (gapSpace >= opts.spaceProb && text && !text.endsWith(' ') && ch !== ' ') text += ' ';
			text += ch;
			sum += bestP;
			kept++;
			gapSpace = 0;
		}
		prev = best;
	}
	return { text, score: kept ? sum / kept : 0 };
}
