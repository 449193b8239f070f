// The app's preview of a photo, made with sharp the way the thumbnail job makes it in the browser
// (worker/media/thumbnails.ts): EXIF orientation applied, shorter side at most 1440 (never
// upscaled), transparency on white, JPEG q80. The ML jobs read this preview, not the original.
import sharp from 'sharp';

const PREVIEW_SIDE = 1440;
const PREVIEW_QUALITY = 80;

/** The preview JPEG of `file`. */
export async function previewJpeg(file) {
	const img = sharp(file).rotate();
	const { width, height } = await img.clone().metadata().then((m) => ((m.orientation ?? 1) >= 5 ? { width: m.height, height: m.width } : m));
	const s = Math.min(1, PREVIEW_SIDE / Math.min(width, height));
	return img
		.resize(Math.round(width * s), Math.round(height * s))
		.flatten({ background: '#ffffff' })
		.jpeg({ quality: PREVIEW_QUALITY })
		.toBuffer();
}

/** Decoded RGBA pixels of an image (a buffer or a path); resized first to exactly `size` ({ width, height }) when given. */
export async function decodeRgba(input, size) {
	let img = sharp(input);
	if (size) img = img.resize(size.width, size.height, { fit: 'fill' });
	const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
