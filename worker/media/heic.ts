// HEIC/HEIF decoding with libheif (WASM, loaded on first use). Chromium cannot decode HEIF itself.
interface HeifImage {
	get_width(): number;
	get_height(): number;
	is_primary?(): boolean;
	display(target: ImageData, done: (result: ImageData | null) => void): void;
	free(): void;
}
interface Libheif {
	HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] };
}

let libheif: Promise<Libheif> | null = null;

function load(): Promise<Libheif> {
	libheif ??= import('libheif-js/libheif-wasm/libheif-bundle.mjs').then((m) => m.default() as Libheif);
	return libheif;
}

/** Decodes the primary image; libheif applies the file's own transforms (irot/imir), never EXIF's. */
export async function decodeHeif(bytes: Uint8Array, assertSize: (w: number, h: number) => void): Promise<ImageData> {
	const lib = await load();
	const images = new lib.HeifDecoder().decode(bytes);
	if (images.length === 0) throw new Error('The HEIF file holds no image that can be decoded.');
	const primary = images.find((i) => i.is_primary?.()) ?? images[0];
	try {
		const width = primary.get_width();
		const height = primary.get_height();
		assertSize(width, height);
		const target = new ImageData(width, height);
		const result = await new Promise<ImageData | null>((resolve) => primary.display(target, resolve));
		if (!result) throw new Error('The HEIF image could not be decoded.');
		return result;
	} finally {
		for (const img of images) img.free();
	}
}
