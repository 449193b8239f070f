import { describe, expect, it } from 'vitest';
import { formatLocal, formatOffset, normaliseOffset, parseExifDate, resolveTakenAt } from '../../worker/media/dates';

describe('parseExifDate', () => {
	it.each([
		['2021:04:11 15:47:53', '2021-04-11T15:47:53'],
		['2021-04-11 15:47:53', '2021-04-11T15:47:53'],
		['2021-04-11T15:47:53', '2021-04-11T15:47:53'],
		['2021:04:11 15:47:53.123', '2021-04-11T15:47:53'],
		['2021:04:11 15:47:53+02:00', '2021-04-11T15:47:53'],
		['2021:04:11 15:47', '2021-04-11T15:47:00'],
		['2021:04:11', '2021-04-11T00:00:00'],
		['  2021:04:11 15:47:53\0\0', '2021-04-11T15:47:53'],
		['2024:02:29 12:00:00', '2024-02-29T12:00:00']
	])('%j → %s', (raw, want) => expect(parseExifDate(raw)).toBe(want));

	it.each([
		'0000:00:00 00:00:00',
		'    :  :     :  :  ',
		'2023:02:29 12:00:00',
		'2021:13:01 00:00:00',
		'2021:04:31 00:00:00',
		'2021:00:10 00:00:00',
		'2021:04:11 24:00:00',
		'2021:04:11 15:60:00',
		'2021:04:11 15:47:53 and more',
		'yesterday',
		''
	])('%j → null', (raw) => expect(parseExifDate(raw)).toBeNull());

	it('takes null and undefined', () => {
		expect(parseExifDate(null)).toBeNull();
		expect(parseExifDate(undefined)).toBeNull();
	});
});

describe('normaliseOffset', () => {
	it.each([
		['+03:00', '+03:00'],
		['-0500', '-05:00'],
		['+5:30', '+05:30'],
		['Z', '+00:00'],
		['-00:00', '+00:00'],
		['+14:00', '+14:00'],
		[' +09:00\0', '+09:00']
	])('%j → %s', (raw, want) => expect(normaliseOffset(raw)).toBe(want));

	it.each(['+15:00', '+03:60', '03:00', 'GMT+3', '+3', '', '   :  '])('%j → null', (raw) => expect(normaliseOffset(raw)).toBeNull());
});

describe('local time formatting', () => {
	const ms = Date.UTC(2020, 0, 1, 23, 30, 15);

	it('formats an instant as the wall clock at an offset', () => {
		expect(formatLocal(ms, 0)).toBe('2020-01-01T23:30:15');
		expect(formatLocal(ms, 120)).toBe('2020-01-02T01:30:15');
		expect(formatLocal(ms, -330)).toBe('2020-01-01T18:00:15');
	});

	it('formats offsets as +HH:MM', () => {
		expect(formatOffset(0)).toBe('+00:00');
		expect(formatOffset(180)).toBe('+03:00');
		expect(formatOffset(-300)).toBe('-05:00');
		expect(formatOffset(345)).toBe('+05:45');
		expect(formatOffset(-570)).toBe('-09:30');
	});
});

describe('resolveTakenAt', () => {
	const fileTime = Date.UTC(2019, 5, 30, 22, 0, 0);

	it('prefers DateTimeOriginal with its offset', () => {
		expect(resolveTakenAt({ dateTaken: '2021-04-11T15:47:53', dateTakenOffset: '-05:00' }, fileTime, 120)).toEqual({
			takenAt: '2021-04-11T15:47:53',
			takenAtOffset: '-05:00',
			takenAtSource: 'exif'
		});
	});

	it('keeps an EXIF time without offset as a wall clock of unknown zone', () => {
		expect(resolveTakenAt({ dateTaken: '2008-05-30T15:56:01', dateTakenOffset: null }, fileTime, 120)).toEqual({
			takenAt: '2008-05-30T15:56:01',
			takenAtOffset: null,
			takenAtSource: 'exif'
		});
	});

	it('falls back to the file time in local time with the local offset', () => {
		expect(resolveTakenAt({ dateTaken: null, dateTakenOffset: '+03:00' }, fileTime, 120)).toEqual({
			takenAt: '2019-07-01T00:00:00',
			takenAtOffset: '+02:00',
			takenAtSource: 'file'
		});
	});
});
