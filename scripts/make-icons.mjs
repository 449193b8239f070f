// Renders the PWA icons from static/favicon.svg into static/icons/ (run once; the PNGs are committed).
// `node scripts/make-icons.mjs`
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = await readFile(`${root}static/favicon.svg`);
const out = `${root}static/icons`;
await mkdir(out, { recursive: true });

/** The SVG rendered at `inner` px, centred on a `size` px square of `background`. */
async function icon(file, size, inner, background) {
	const art = await sharp(svg, { density: Math.ceil((72 * inner) / 64) * 2 }).resize(inner, inner).png().toBuffer();
	await sharp({ create: { width: size, height: size, channels: 4, background } })
		.composite([{ input: art, gravity: 'centre' }])
		.png({ compressionLevel: 9 })
		.toFile(`${out}/${file}`);
	console.log(`static/icons/${file}`);
}

const clear = { r: 0, g: 0, b: 0, alpha: 0 };
const white = { r: 255, g: 255, b: 255, alpha: 1 };
await icon('icon-192.png', 192, 192, clear);
await icon('icon-512.png', 512, 512, clear);
// Maskable: the art stays inside the 80% safe circle, on an opaque background that fills the mask.
await icon('maskable-512.png', 512, 320, white);
// iOS ignores transparency (shows black): opaque, with a small margin.
await icon('apple-touch-icon.png', 180, 150, white);
