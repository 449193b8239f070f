// Transparent pixels carry no colour worth reading (often black at alpha 0, so black text would
// vanish on black): images with alpha are composited onto white first, as the JPEG preview is.
import type { RgbaImage } from '../faces/preprocess';

/** The image over a white background; the same object when it is already opaque. */
export function opaqueOnWhite(img: RgbaImage): RgbaImage {
	const d = img.data;
	let opaque = true;
	for (let i = 3; i < d.length; i += 4)
		if (d[i] !== 255) {
			opaque = false;
			break;
		}
	if (opaque) return img;
	const out = new Uint8ClampedArray(d.length);
	for (let i = 0; i < d.length; i += 4) {
		const a = d[i + 3] / 255;
		out[i] = d[i] * a + 255 * (1 - a);
		out[i + 1] = d[i + 1] * a + 255 * (1 - a);
		out[i + 2] = d[i + 2] * a + 255 * (1 - a);
		out[i + 3] = 255;
	}
	return { data: out, width: img.width, height: img.height };
}
