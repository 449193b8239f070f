// Media for the sniff/EXIF tests: the shared corpus with its MANIFEST.json ground truth when present,
// otherwise a small set generated here with sharp and described in the same shape, so the same
// assertions run on one or the other, never on neither.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

/** The manifest's `expect` fields these tests use (see the corpus README). */
export interface Expect {
	format?: string;
	mime?: string;
	width?: number;
	height?: number;
	orientation?: number | null;
	display_width?: number;
	display_height?: number;
	date_taken?: string | null;
	date_taken_offset?: string;
	make?: string | null;
	model?: string | null;
	gps?: { lat: number; lon: number } | null;
	result?: 'error' | 'import';
	lenient?: boolean;
	declared_width?: number;
	declared_height?: number;
	exif_readable?: boolean;
}

export interface MediaCase {
	/** Relative to the corpus root: `photos/…`, `bad/…`. */
	path: string;
	kind: 'photo' | 'bad';
	expect: Expect;
	bytes: Uint8Array;
}

export interface Media {
	source: 'corpus' | 'generated';
	cases: MediaCase[];
}

export const mediaDir = resolve(process.env.SHOEBOX_MEDIA_DIR ?? join(process.cwd(), '../shared/media'));

/** Every photos/ and bad/ file of the corpus, or the generated set when the corpus is absent. */
export async function loadMedia(): Promise<Media> {
	const manifest = join(mediaDir, 'MANIFEST.json');
	if (!existsSync(manifest)) return { source: 'generated', cases: await generateMedia() };
	const { files } = JSON.parse(readFileSync(manifest, 'utf8')) as {
		files: { path: string; kind: string; expect: Expect }[];
	};
	const cases = files
		.filter((f) => f.path.startsWith('photos/') || f.path.startsWith('bad/'))
		.map((f) => ({
			path: f.path,
			kind: f.kind as MediaCase['kind'],
			expect: f.expect,
			bytes: new Uint8Array(readFileSync(join(mediaDir, f.path)))
		}));
	return { source: 'corpus', cases };
}

const solid = (width: number, height: number) =>
	sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 60 } } });

const photo = (over: Expect): Expect => ({
	orientation: null,
	date_taken: null,
	make: null,
	model: null,
	gps: null,
	...over
});

/** A camera-like JPEG: EXIF date, offset, make/model, southern/western GPS and Orientation 6. */
export async function cameraJpeg(): Promise<Uint8Array> {
	const buf = await solid(64, 48)
		.jpeg()
		.withMetadata({ orientation: 6 })
		.withExifMerge({
			IFD0: { Make: 'Shoebox Camera ', Model: 'Fixture One' },
			IFD2: { DateTimeOriginal: '2021:04:11 15:47:53', OffsetTimeOriginal: '-05:00' },
			IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 51/1 2160/100', GPSLongitudeRef: 'W', GPSLongitude: '70/1 30/1 0/1' }
		})
		.toBuffer();
	return new Uint8Array(buf);
}

/** Overwrites the EXIF block after its TIFF header with noise, as in a damaged file; the image data stays intact. */
function corruptExif(jpeg: Uint8Array): Uint8Array {
	const out = jpeg.slice();
	const exif = Buffer.from(out.buffer).indexOf('Exif\0\0');
	// The APP1 length field sits just before "Exif" and counts itself.
	const end = exif - 2 + ((out[exif - 2] << 8) | out[exif - 1]);
	const noisy = noise(end - exif);
	for (let i = exif + 6 + 8; i < end; i++) out[i] = noisy[i - exif];
	return out;
}

/** A PNG header that declares 50000×50000 with no pixel data (readers do not check the CRC). */
function pngBomb(): Uint8Array {
	const ihdr = Buffer.alloc(25);
	ihdr.writeUInt32BE(13, 0);
	ihdr.write('IHDR', 4, 'latin1');
	ihdr.writeUInt32BE(50000, 8);
	ihdr.writeUInt32BE(50000, 12);
	ihdr.set([8, 6, 0, 0, 0], 16);
	const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
	return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, iend]));
}

/** Deterministic noise (a linear congruential generator), so a run never depends on luck. */
function noise(length: number): Uint8Array {
	const out = new Uint8Array(length);
	let s = 12345;
	for (let i = 0; i < length; i++) {
		s = (Math.imul(s, 1103515245) + 12345) >>> 0;
		out[i] = s >>> 24;
	}
	return out;
}

async function generateMedia(): Promise<MediaCase[]> {
	const camera = await cameraJpeg();
	const cameraExpect = photo({
		format: 'jpeg',
		mime: 'image/jpeg',
		width: 64,
		height: 48,
		orientation: 6,
		display_width: 48,
		display_height: 64,
		date_taken: '2021-04-11T15:47:53',
		date_taken_offset: '-05:00',
		make: 'Shoebox Camera',
		model: 'Fixture One',
		gps: { lat: -33.856, lon: -70.5 }
	});
	const plain = async (format: 'png' | 'webp' | 'gif' | 'avif', mime: string, width: number, height: number): Promise<MediaCase> => ({
		path: `photos/plain.${format}`,
		kind: 'photo',
		expect: photo({ format, mime, width, height, display_width: width, display_height: height }),
		bytes: new Uint8Array(await solid(width, height).toFormat(format).toBuffer())
	});
	return [
		{ path: 'photos/camera.jpg', kind: 'photo', expect: cameraExpect, bytes: camera },
		await plain('png', 'image/png', 40, 30),
		await plain('webp', 'image/webp', 50, 20),
		await plain('gif', 'image/gif', 30, 20),
		await plain('avif', 'image/avif', 64, 48),
		{ path: 'bad/empty.jpg', kind: 'bad', expect: { result: 'error' }, bytes: new Uint8Array(0) },
		{ path: 'bad/random_bytes.jpg', kind: 'bad', expect: { result: 'error' }, bytes: noise(4096) },
		{
			path: 'bad/not_an_image.png',
			kind: 'bad',
			expect: { result: 'error' },
			bytes: new TextEncoder().encode('This is a plain text file that merely has a .png extension.\n')
		},
		{
			path: 'bad/png_bomb_50000x50000.png',
			kind: 'bad',
			expect: { result: 'error', declared_width: 50000, declared_height: 50000 },
			bytes: pngBomb()
		},
		{
			path: 'bad/corrupt_exif.jpg',
			kind: 'bad',
			expect: { result: 'import', width: 64, height: 48, date_taken: null, exif_readable: false },
			bytes: corruptExif(camera)
		},
		{ path: 'bad/jpeg_content.png', kind: 'photo', expect: { ...cameraExpect, result: 'import' }, bytes: camera }
	];
}
