// Reading order for text boxes: rows top to bottom, boxes in a row left to right.

/** An axis-aligned box: x, y, width, height (any unit, the same for all). */
export type Rect = readonly [number, number, number, number];

/**
 * Rows of box indices. Boxes are taken by their vertical centre; a box joins the current row when
 * it overlaps the row's first box vertically by at least half the smaller height, so words of one
 * line share a row while the next line does not. The extent is not grown as boxes join, so a
 * tall box cannot chain two lines together.
 */
export function readingRows(boxes: readonly Rect[]): number[][] {
	const order = boxes.map((_, i) => i).sort((a, b) => boxes[a][1] + boxes[a][3] / 2 - (boxes[b][1] + boxes[b][3] / 2));
	const rows: Array<{ top: number; bottom: number; items: number[] }> = [];
	for (const i of order) {
		const [, y, , h] = boxes[i];
		const row = rows[rows.length - 1];
		const overlap = row ? Math.min(row.bottom, y + h) - Math.max(row.top, y) : -1;
		if (row && overlap >= 0.5 * Math.min(h, row.bottom - row.top)) row.items.push(i);
		else rows.push({ top: y, bottom: y + h, items: [i] });
	}
	return rows.map((r) => r.items.sort((a, b) => boxes[a][0] - boxes[b][0]));
}
