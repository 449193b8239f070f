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

/**
 * Greedy CTC for one sequence: the best class per time step, repeats collapsed, blanks dropped.
 * `probs` holds `steps` × `classes` softmax outputs from `offset` (one item of a batch).
 */
export function decodeCtc(probs: Float32Array, steps: number, classes: number, charset: readonly string[], offset = 0, blank = 0): DecodedLine {
	let text = '';
	let kept = 0;
	let sum = 0;
	let prev = -1;
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
		if (best !== blank && best !== prev) {
			text += charset[best] ?? '';
			sum += bestP;
			kept++;
		}
		prev = best;
	}
	return { text, score: kept ? sum / kept : 0 };
}
