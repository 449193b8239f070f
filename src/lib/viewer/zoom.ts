// Zoom and pan arithmetic for the viewer (pure): the point under the cursor stays put.

export interface View {
	scale: number;
	x: number;
	y: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 8;

/** Zooms by `factor` around the point (px, py) given relative to the stage's centre. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
	const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
	const k = scale / v.scale;
	if (scale === MIN_SCALE) return { scale, x: 0, y: 0 };
	return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
}

/** Keeps the zoomed image covering the stage: no panning past its edges. */
export function clampPan(v: View, imgW: number, imgH: number, stageW: number, stageH: number): View {
	const maxX = Math.max(0, (imgW * v.scale - stageW) / 2);
	const maxY = Math.max(0, (imgH * v.scale - stageH) / 2);
	return { scale: v.scale, x: Math.max(-maxX, Math.min(maxX, v.x)), y: Math.max(-maxY, Math.min(maxY, v.y)) };
}

/** Size of an image of w×h fitted inside the stage (never upscaled past `maxUpscale`). */
export function fit(w: number, h: number, stageW: number, stageH: number, maxUpscale = 1): { width: number; height: number } {
	const s = Math.min(stageW / w, stageH / h, maxUpscale);
	return { width: w * s, height: h * s };
}
