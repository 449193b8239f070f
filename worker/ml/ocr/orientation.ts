// Which way the text of an image runs. Text in one photo nearly always shares one orientation,
// so the image decides by vote: tall boxes against wide ones (0°/180° or 90°/270°), then the
// angle classifier's calls summed over the strips (upright or upside down). A single strip's
// call is much less reliable than the vote (neighbouring lines in a loose box fool it).
import { TALL_RATIO } from './crop';

/** Degrees clockwise that turn the image so its text reads upright. */
export type PageRotation = 0 | 90 | 180 | 270;

export interface StripVote {
	/** The crop was turned a quarter counter-clockwise because it was tall. */
	turned: boolean;
	/** The classifier's probability that the (possibly turned) strip is upside down. */
	upsideDown: number;
	/** Weight: the length of text the strip holds (its width at strip height). */
	weight: number;
}

/** A crop is tall (vertical text, to be turned) when its height is at least TALL_RATIO × its width. */
export function isTall(width: number, height: number): boolean {
	return height >= width * TALL_RATIO;
}

/** Whether the strips of one group (turned or not) are upside down, by their weighted vote. */
export function groupUpsideDown(votes: readonly StripVote[], turned: boolean): boolean {
	let sum = 0;
	for (const v of votes) if (v.turned === turned) sum += v.weight * (v.upsideDown - 0.5);
	return sum > 0;
}

/**
 * The image's rotation: vertical when turned strips hold more text than the others; then the
 * group's vote picks the direction. A crop turned counter-clockwise reads upright when the image
 * is turned the same way (270° clockwise), and upside down when it needs 90°.
 */
export function pageRotation(votes: readonly StripVote[]): PageRotation {
	let tall = 0, wide = 0;
	for (const v of votes) v.turned ? (tall += v.weight) : (wide += v.weight);
	if (tall > wide) return groupUpsideDown(votes, true) ? 90 : 270;
	return groupUpsideDown(votes, false) ? 180 : 0;
}

/** An axis-aligned rect [x, y, w, h] of a width × height image, in the image turned `rotation`° clockwise. */
export function rotateRect(r: readonly [number, number, number, number], width: number, height: number, rotation: PageRotation): [number, number, number, number] {
	const [x, y, w, h] = r;
	switch (rotation) {
		case 90:
			return [height - y - h, x, h, w];
		case 180:
			return [width - x - w, height - y - h, w, h];
		case 270:
			return [y, width - x - w, h, w];
		default:
			return [x, y, w, h];
	}
}
