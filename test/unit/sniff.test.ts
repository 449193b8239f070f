import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
	assertPixelLimit,
	EMPTY_MESSAGE,
	heifPrimarySize,
	sniff,
	TEXT_MESSAGE,
	UNKNOWN_MESSAGE
} from '../../worker/media/sniff';
import { isPermanent } from '../../worker/shared/errors';
import { loadMedia, type MediaCase } from './fixtures';

const media = await loadMedia();
const LIMIT = 100_000_000;

/** The reason each known `result: "error"` file must give; other error files just fail permanently. */
const REASONS: Record<string, string> = {
	'bad/empty.jpg': EMPTY_MESSAGE,
	'bad/random_bytes.jpg': UNKNOWN_MESSAGE,
	'bad/not_an_image.png': TEXT_MESSAGE
};

async function rejection(bytes: Uint8Array): Promise<Error> {
	const err = await sniff(bytes).then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(Error);
	expect(isPermanent(err)).toBe(true);
	return err as Error;
}

function mediaSuite(cases: MediaCase[]) {
	it('has photos and bad files to test', () => {
		expect(cases.some((c) => c.kind === 'photo')).toBe(true);
		expect(cases.some((c) => c.expect.result === 'error')).toBe(true);
	});

	it.each(cases.filter((c) => c.expect.mime))('$path: type, mime, format and stored size', async (c) => {
		const s = await sniff(c.bytes);
		expect(s.type).toBe('image');
		expect(s.mime).toBe(c.expect.mime);
		expect(s.format).toBe(c.expect.format);
		expect([s.width, s.height]).toEqual([c.expect.width, c.expect.height]);
	});

	it.each(cases.filter((c) => c.expect.result === 'error'))('$path: refused with a clear reason', async (c) => {
		const reason = REASONS[c.path];
		if (reason) {
			expect((await rejection(c.bytes)).message).toBe(reason);
		} else if (c.expect.declared_width && c.expect.declared_height) {
			// The bomb sniffs fine: its header is honest about the size, which is what gets it refused.
			const s = await sniff(c.bytes);
			expect([s.width, s.height]).toEqual([c.expect.declared_width, c.expect.declared_height]);
			expect(() => assertPixelLimit(s.width ?? 0, s.height ?? 0, LIMIT)).toThrow(/over the 100 megapixel limit/);
		} else {
			// Truncated files keep a valid header: decoding or the video probe is where they fail.
			const s = await sniff(c.bytes);
			expect(['image', 'video']).toContain(s.type);
		}
	});

	it.each(cases.filter((c) => c.expect.exif_readable === false))('$path: sniffs although its EXIF is damaged', async (c) => {
		const s = await sniff(c.bytes);
		expect([s.mime, s.width, s.height]).toEqual(['image/jpeg', c.expect.width, c.expect.height]);
	});
}

// The corpus when it is there, else fixtures generated here: one of the two always runs.
describe(`sniff: ${media.source === 'corpus' ? 'media corpus' : 'generated fixtures'}`, () => mediaSuite(media.cases));

const ascii = (s: string) => new TextEncoder().encode(s);

/** An ISO BMFF box: 32-bit size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
	const size = 8 + payload.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(size);
	new DataView(out.buffer).setUint32(0, size);
	out.set(ascii(type), 4);
	let off = 8;
	for (const p of payload) {
		out.set(p, off);
		off += p.length;
	}
	return out;
}

function u32s(...values: number[]): Uint8Array {
	const out = new Uint8Array(values.length * 4);
	values.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v));
	return out;
}

/**
 * A HEIF skeleton: item 1 is a 100×100 thumbnail, item 2 (primary) is 4000×3000 with `irot` = 1
 * (90°), so it shows as 3000×4000.
 */
function heif(majorBrand = 'heic', compatible = 'mif1heic', rotation = 1): Uint8Array {
	const ftyp = box('ftyp', ascii(majorBrand), u32s(0), ascii(compatible));
	const pitm = box('pitm', new Uint8Array([0, 0, 0, 0, 0, 2]));
	const ipco = box(
		'ipco',
		box('ispe', u32s(0, 4000, 3000)),
		box('irot', new Uint8Array([rotation])),
		box('ispe', u32s(0, 100, 100))
	);
	// version 0, flags 0: 16-bit item ids, 8-bit property indexes (top bit = essential).
	const ipma = box('ipma', u32s(0, 2), new Uint8Array([0, 1, 1, 3, 0, 2, 2, 1, 0x82]));
	const hdlr = box('hdlr', u32s(0, 0), ascii('pict'), u32s(0, 0, 0), new Uint8Array([0]));
	const meta = box('meta', u32s(0), hdlr, pitm, box('iprp', ipco, ipma));
	const mdat = box('mdat', new Uint8Array(16));
	const out = new Uint8Array(ftyp.length + meta.length + mdat.length);
	out.set(ftyp, 0);
	out.set(meta, ftyp.length);
	out.set(mdat, ftyp.length + meta.length);
	return out;
}

describe('sniff: content rules', () => {
	it('reads HEIF size from the primary item, after its irot', async () => {
		expect(await sniff(heif())).toEqual({ type: 'image', mime: 'image/heic', format: 'heic', width: 3000, height: 4000 });
		expect(heifPrimarySize(heif('heic', 'mif1heic', 2))).toEqual({ width: 4000, height: 3000 });
	});

	it('gives a null HEIF size when the given bytes end before the meta box does', async () => {
		const s = await sniff(heif().subarray(0, 60));
		expect([s.format, s.width, s.height]).toEqual(['heic', null, null]);
	});

	it('calls a mif1 file with the avif brand AVIF', async () => {
		const s = await sniff(heif('mif1', 'mif1avif'));
		expect([s.mime, s.format]).toEqual(['image/avif', 'avif']);
	});

	it('reads the stored size from a 1 MiB prefix of a large JPEG', async () => {
		// Noise does not compress, so the file is well over 1 MiB.
		const noise = { type: 'gaussian', mean: 128, sigma: 60 } as const;
		const create = { width: 3000, height: 2000, channels: 3, background: '#000', noise } as const;
		const big = new Uint8Array(await sharp({ create }).jpeg().toBuffer());
		expect(big.length).toBeGreaterThan(1 << 20);
		const s = await sniff(big.subarray(0, 1 << 20));
		expect([s.mime, s.width, s.height]).toEqual(['image/jpeg', 3000, 2000]);
	});

	it('names recognised formats it does not support', async () => {
		const tiff = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).tiff().toBuffer());
		expect((await rejection(tiff)).message).toBe('TIFF files are not supported yet.');
		expect((await rejection(ascii('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).message).toBe(
			'SVG files are not supported yet.'
		);
		expect((await rejection(ascii('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'))).message).toBe('This is a PDF file (application/pdf), not a photo or video.');
	});

	it('tells text, noise and nothing apart', async () => {
		expect((await rejection(ascii('héllo, wörld\r\n\tline two\n'))).message).toBe(TEXT_MESSAGE);
		expect((await rejection(new Uint8Array([0xff, 0x00, 0x13, 0x37, 0x80, 0x81, 0xfe]))).message).toBe(UNKNOWN_MESSAGE);
		expect((await rejection(new Uint8Array(0))).message).toBe(EMPTY_MESSAGE);
	});

	it('refuses more pixels than the limit, with the numbers', () => {
		expect(() => assertPixelLimit(50000, 50000, LIMIT)).toThrow(
			'Image is 50000×50000 (2500.0 megapixels), over the 100 megapixel limit: refused before decoding to protect memory.'
		);
		expect(() => assertPixelLimit(10000, 10000, LIMIT)).not.toThrow();
		expect(() => assertPixelLimit(10000, 10001, LIMIT)).toThrow(/100\.0 megapixels/);
	});
});
