// Plane geometry for text boxes: convex hull, minimum-area rotated rectangle, corner order, and
// the DB "unclip" expansion. Points are flat [x0, y0, x1, y1, …] arrays.

/** A rectangle of size w × h centred on (cx, cy); the w side points along (ux, uy), a unit vector. */
export interface RotatedRect {
	cx: number;
	cy: number;
	w: number;
	h: number;
	ux: number;
	uy: number;
}

/** Four corners, clockwise on screen from the top-left: tl, tr, br, bl (x, y each). */
export type Quad = [number, number, number, number, number, number, number, number];

/** Andrew's monotone chain; collinear points are dropped. Returns the hull counter-clockwise (y up). */
export function convexHull(points: ArrayLike<number>): number[] {
	const n = points.length / 2;
	const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => points[2 * a] - points[2 * b] || points[2 * a + 1] - points[2 * b + 1]);
	const x = (i: number) => points[2 * i];
	const y = (i: number) => points[2 * i + 1];
	const cross = (o: number, a: number, b: number) => (x(a) - x(o)) * (y(b) - y(o)) - (y(a) - y(o)) * (x(b) - x(o));
	const chain = (order: number[]) => {
		const out: number[] = [];
		for (const i of order) {
			while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], i) <= 0) out.pop();
			out.push(i);
		}
		out.pop(); // the last point starts the other chain
		return out;
	};
	if (n < 3) {
		// one point, or a segment (two distinct points at most)
		const uniq = idx.filter((i, k) => k === 0 || x(i) !== x(idx[k - 1]) || y(i) !== y(idx[k - 1]));
		return uniq.flatMap((i) => [x(i), y(i)]);
	}
	const hull = [...chain(idx), ...chain([...idx].reverse())];
	return (hull.length ? hull : [idx[0]]).flatMap((i) => [x(i), y(i)]);
}

/**
 * The smallest-area rectangle around a convex hull: one of its sides lies along a hull edge
 * (rotating calipers), so trying every edge direction is exact. Hulls here are small (tens of
 * points), so the quadratic scan is cheap.
 */
export function minAreaRect(hull: ArrayLike<number>): RotatedRect {
	const n = hull.length / 2;
	if (n === 0) return { cx: 0, cy: 0, w: 0, h: 0, ux: 1, uy: 0 };
	if (n === 1) return { cx: hull[0], cy: hull[1], w: 0, h: 0, ux: 1, uy: 0 };
	let best: RotatedRect | null = null;
	let bestArea = Infinity;
	for (let i = 0; i < n; i++) {
		const j = (i + 1) % n;
		let ux = hull[2 * j] - hull[2 * i];
		let uy = hull[2 * j + 1] - hull[2 * i + 1];
		const len = Math.hypot(ux, uy);
		if (len === 0) continue;
		ux /= len;
		uy /= len;
		let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
		for (let k = 0; k < n; k++) {
			const px = hull[2 * k], py = hull[2 * k + 1];
			const u = px * ux + py * uy;
			const v = -px * uy + py * ux;
			if (u < minU) minU = u;
			if (u > maxU) maxU = u;
			if (v < minV) minV = v;
			if (v > maxV) maxV = v;
		}
		const w = maxU - minU, h = maxV - minV;
		// ties (a segment has area 0 for every edge): keep the first
		if (w * h < bestArea - 1e-9) {
			bestArea = w * h;
			const cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
			best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, w, h, ux, uy };
		}
	}
	return best ?? { cx: hull[0], cy: hull[1], w: 0, h: 0, ux: 1, uy: 0 };
}

/**
 * The rectangle's corners as tl, tr, br, bl: the two leftmost corners are the left side (the upper
 * one is tl), the other two the right side, as PP-OCR orders them; so a box's first edge runs
 * along a near-horizontal line of text.
 */
export function rectQuad(r: RotatedRect): Quad {
	const ax = (r.ux * r.w) / 2, ay = (r.uy * r.w) / 2;
	const bx = (-r.uy * r.h) / 2, by = (r.ux * r.h) / 2;
	const pts = [
		[r.cx - ax - bx, r.cy - ay - by],
		[r.cx + ax - bx, r.cy + ay - by],
		[r.cx + ax + bx, r.cy + ay + by],
		[r.cx - ax + bx, r.cy - ay + by]
	].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
	const [l1, l2] = pts[0][1] <= pts[1][1] ? [pts[0], pts[1]] : [pts[1], pts[0]];
	const [r1, r2] = pts[2][1] <= pts[3][1] ? [pts[2], pts[3]] : [pts[3], pts[2]];
	return [l1[0], l1[1], r1[0], r1[1], r2[0], r2[1], l2[0], l2[1]];
}

/**
 * DB's unclip: the detector is trained on text regions shrunk by D = area·(1 − r²)/perimeter, so
 * a found region is grown back by area·ratio/perimeter on every side. For a rectangle the offset
 * polygon's bounding rectangle is exactly the rectangle widened by 2·D each way.
 */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
	const perimeter = 2 * (r.w + r.h);
	if (perimeter === 0) return r;
	const d = (r.w * r.h * ratio) / perimeter;
	return { ...r, w: r.w + 2 * d, h: r.h + 2 * d };
}

/** Whether (x, y) is inside the rectangle, its border included (within `eps`). */
export function inRect(r: RotatedRect, x: number, y: number, eps = 1e-6): boolean {
	const dx = x - r.cx, dy = y - r.cy;
	return Math.abs(dx * r.ux + dy * r.uy) <= r.w / 2 + eps && Math.abs(-dx * r.uy + dy * r.ux) <= r.h / 2 + eps;
}
