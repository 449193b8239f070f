import { describe, expect, it } from 'vitest';
import type { Sniffed } from '../../worker/shared/api';
import { mapTags, readMetadata, type RawTag, type TagGroups } from '../../worker/media/exif-map';
import { sniff } from '../../worker/media/sniff';
import { loadMedia, type MediaCase } from './fixtures';

const media = await loadMedia();

function mediaSuite(cases: MediaCase[]) {
	it.each(cases.filter((c) => c.kind === 'photo' && c.expect.mime))('$path: metadata matches the manifest', async (c) => {
		const e = c.expect;
		const m = readMetadata(c.bytes, await sniff(c.bytes));
		expect(m.exifWarning).toBeNull();
		expect(m.dateTaken).toBe(e.date_taken);
		expect(m.dateTakenOffset).toBe(e.date_taken_offset ?? null);
		expect(m.make).toBe(e.make);
		expect(m.model).toBe(e.model);
		expect(m.orientation).toBe(e.orientation);
		expect([m.width, m.height]).toEqual([e.display_width, e.display_height]);
		if (e.gps) {
			expect(m.gps?.lat).toBeCloseTo(e.gps.lat, 5);
			expect(m.gps?.lon).toBeCloseTo(e.gps.lon, 5);
		} else {
			expect(m.gps).toBeNull();
		}
	});

	it.each(cases.filter((c) => c.expect.exif_readable === false))('$path: damaged EXIF gives nulls and a warning', async (c) => {
		const m = readMetadata(c.bytes, await sniff(c.bytes));
		expect(m.dateTaken).toBeNull();
		expect([m.width, m.height]).toEqual([c.expect.width, c.expect.height]);
		const allNull = [m.make, m.model, m.gps, m.orientation, m.dateTakenOffset].every((v) => v === null);
		expect(m.exifWarning !== null || allNull).toBe(true);
		if (m.exifWarning) expect(m.exifWarning).toMatch(/^EXIF metadata could not be read: /);
	});

	// Whatever sniffs (truncated files, the pixel bomb) must also get through metadata without throwing.
	it.each(cases.filter((c) => c.expect.result === 'error'))('$path: metadata never throws', async (c) => {
		const sniffed = await sniff(c.bytes).catch(() => null);
		if (sniffed) expect(() => readMetadata(c.bytes, sniffed)).not.toThrow();
	});
}

// The corpus when it is there, else fixtures generated here: one of the two always runs.
describe(`readMetadata: ${media.source === 'corpus' ? 'media corpus' : 'generated fixtures'}`, () => mediaSuite(media.cases));

const jpeg: Sniffed = { type: 'image', mime: 'image/jpeg', format: 'jpeg', width: 4000, height: 3000 };
const heic: Sniffed = { type: 'image', mime: 'image/heic', format: 'heic', width: 3000, height: 4000 };

/** ExifReader's shapes: ASCII as ['text'], RATIONAL as [n, d], SHORT as a number. */
const str = (s: string): RawTag => ({ value: [s], description: s });
const rat = (n: number, d: number): RawTag => ({ value: [n, d] });
const num = (n: number): RawTag => ({ value: n });
const dms = (d: number, m: number, s100: number): RawTag => ({ value: [[d, 1], [m, 1], [s100, 100]] });
const tags = (exif: Record<string, RawTag>): TagGroups => ({ exif });

describe('mapTags', () => {
	it('maps a full camera tag set', () => {
		const m = mapTags(
			tags({
				DateTimeOriginal: str('2022:08:14 14:12:31'),
				OffsetTimeOriginal: str('+0300'),
				Make: str('  HMD Global\0'),
				Model: str('Nokia 8.3 5G '),
				LensModel: str('EF 50mm f/1.8'),
				ExposureTime: rat(541, 1000000),
				FNumber: rat(220, 100),
				ISOSpeedRatings: num(100),
				FocalLength: rat(275, 100),
				Orientation: num(1),
				GPSLatitudeRef: str('N'),
				GPSLatitude: dms(60, 8, 4814),
				GPSLongitudeRef: str('E'),
				GPSLongitude: dms(24, 54, 2438)
			}),
			jpeg
		);
		expect(m).toEqual({
			width: 4000,
			height: 3000,
			orientation: 1,
			dateTaken: '2022-08-14T14:12:31',
			dateTakenOffset: '+03:00',
			make: 'HMD Global',
			model: 'Nokia 8.3 5G',
			lens: 'EF 50mm f/1.8',
			exposureTime: '1/1848',
			fNumber: 2.2,
			iso: 100,
			focalLength: 2.75,
			gps: { lat: 60.146706, lon: 24.906772 },
			exifWarning: null
		});
	});

	it('gives all nulls and the stored size for no tags', () => {
		const m = mapTags({}, jpeg);
		expect(m.width).toBe(4000);
		const { width: _w, height: _h, ...rest } = m;
		expect(Object.values(rest).every((v) => v === null)).toBe(true);
	});

	it('uses DateTimeOriginal only, and drops zero or impossible dates and bad offsets', () => {
		expect(mapTags(tags({ DateTime: str('2020:01:01 00:00:00') }), jpeg).dateTaken).toBeNull();
		expect(mapTags(tags({ DateTimeOriginal: str('0000:00:00 00:00:00') }), jpeg).dateTaken).toBeNull();
		expect(mapTags(tags({ DateTimeOriginal: str('2021:02:30 10:00:00') }), jpeg).dateTaken).toBeNull();
		expect(mapTags(tags({ OffsetTimeOriginal: str('   :  ') }), jpeg).dateTakenOffset).toBeNull();
	});

	it('signs GPS from the S and W refs and drops 0/0', () => {
		const gps = (latRef: string, lonRef: string) =>
			mapTags(
				tags({ GPSLatitudeRef: str(latRef), GPSLatitude: dms(33, 51, 2160), GPSLongitudeRef: str(lonRef), GPSLongitude: dms(70, 30, 0) }),
				jpeg
			).gps;
		expect(gps('S', 'W')).toEqual({ lat: -33.856, lon: -70.5 });
		expect(gps('N', 'W')).toEqual({ lat: 33.856, lon: -70.5 });
		expect(gps('S', 'E')).toEqual({ lat: -33.856, lon: 70.5 });
		expect(mapTags(tags({ GPSLatitude: dms(0, 0, 0), GPSLongitude: dms(0, 0, 0) }), jpeg).gps).toBeNull();
		expect(mapTags(tags({ GPSLatitude: dms(43, 28, 0) }), jpeg).gps).toBeNull();
		expect(mapTags(tags({ GPSLatitude: { value: [[43, 0], [1, 1], [0, 1]] }, GPSLongitude: dms(1, 0, 0) }), jpeg).gps).toBeNull();
	});

	it('falls back from LensModel to LensMake, then null', () => {
		expect(mapTags(tags({ LensMake: str('Canon'), LensModel: str('EF-S 18-55mm') }), jpeg).lens).toBe('EF-S 18-55mm');
		expect(mapTags(tags({ LensMake: str('Canon'), LensModel: str('  ') }), jpeg).lens).toBe('Canon');
		expect(mapTags(tags({ LensMake: str('') }), jpeg).lens).toBeNull();
	});

	it('prints exposure times as cameras do', () => {
		const exposure = (n: number, d: number) => mapTags(tags({ ExposureTime: rat(n, d) }), jpeg).exposureTime;
		expect(exposure(1, 250)).toBe('1/250');
		expect(exposure(10, 2500)).toBe('1/250');
		expect(exposure(1, 2)).toBe('0.5');
		expect(exposure(30, 1)).toBe('30');
		expect(exposure(1, 0)).toBeNull();
		expect(exposure(0, 1)).toBeNull();
	});

	it('reads ISO from either tag name, as a number or a list', () => {
		expect(mapTags(tags({ ISOSpeedRatings: { value: [400, 0] } }), jpeg).iso).toBe(400);
		expect(mapTags(tags({ PhotographicSensitivity: num(3200) }), jpeg).iso).toBe(3200);
	});

	it('swaps the display size for orientations 5 to 8 only', () => {
		const turned = (o: number) => mapTags(tags({ Orientation: num(o) }), jpeg);
		for (const o of [5, 6, 7, 8]) expect(turned(o)).toMatchObject({ width: 3000, height: 4000, orientation: o });
		for (const o of [1, 2, 3, 4]) expect(turned(o)).toMatchObject({ width: 4000, height: 3000, orientation: o });
		expect(mapTags(tags({ Orientation: num(9) }), jpeg)).toMatchObject({ width: 4000, height: 3000, orientation: null });
	});

	it('never turns HEIF by its EXIF orientation: irot is already in the sniffed size', () => {
		expect(mapTags(tags({ Orientation: num(6) }), heic)).toMatchObject({ width: 3000, height: 4000, orientation: 6 });
	});

	it('keeps unknown sizes unknown', () => {
		expect(mapTags(tags({ Orientation: num(6) }), { ...jpeg, width: null, height: null })).toMatchObject({ width: null, height: null });
	});
});

describe('readMetadata: hostile input', () => {
	it('does not read EXIF from videos', () => {
		const m = readMetadata(new Uint8Array(64), { type: 'video', mime: 'video/mp4', format: 'mp4', width: null, height: null });
		expect(m.exifWarning).toBeNull();
		expect(m.dateTaken).toBeNull();
	});

	it('survives an EXIF segment of noise', () => {
		const bytes = new Uint8Array(600);
		bytes.set([0xff, 0xd8, 0xff, 0xe1, 0x02, 0x00, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]);
		for (let i = 20; i < bytes.length; i++) bytes[i] = (i * 73 + 11) & 0xff;
		const m = readMetadata(bytes, { ...jpeg, width: null, height: null });
		expect(m.dateTaken).toBeNull();
		expect(m.exifWarning).toMatch(/^EXIF metadata could not be read: /);
	});
});
