// A 64-bit difference hash (dHash) of a picture (pure): the picture shrunk to 9×8 grey levels, one
// bit per pair of neighbours in a row (is the left one brighter?). Resized and re-encoded copies of
// a photo keep nearly all bits; different photos differ in about half.

export const HASH_WIDTH = 9;
export const HASH_HEIGHT = 8;

/** Grey levels (Rec. 601 luma) of a 9×8 RGBA image → 16 hex digits. */
export function dHash(rgba: ArrayLike<number>): string {
	if (rgba.length !== HASH_WIDTH * HASH_HEIGHT * 4) throw new Error(`dHash needs a ${HASH_WIDTH}×${HASH_HEIGHT} RGBA image.`);
	const grey = (i: number) => 0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2];
	let hex = '';
	for (let y = 0; y < HASH_HEIGHT; y++) {
		let byte = 0;
		for (let x = 0; x < HASH_WIDTH - 1; x++) {
			const i = y * HASH_WIDTH + x;
			byte = (byte << 1) | (grey(i) > grey(i + 1) ? 1 : 0);
		}
		hex += byte.toString(16).padStart(2, '0');
	}
	return hex;
}

/** Bits that differ between two hashes of the same length. */
export function hammingHex(a: string, b: string): number {
	let n = 0;
	for (let i = 0; i < a.length; i += 8) {
		let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
		while (x) {
			x &= x - 1;
			n++;
		}
	}
	return n;
}
