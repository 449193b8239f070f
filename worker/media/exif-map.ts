// EXIF → ExtractedMetadata. ExifReader does the parsing; mapTags turns its output into our fields and
// is pure, so it can be tested with hand-made tags. Bad EXIF never fails an import: it gives nulls
// and a warning.
import ExifReader from 'exifreader';
import type { ExtractedMetadata, Gps } from '../../src/lib/db/types';
import type { Sniffed } from '../shared/api';
import { messageOf } from '../shared/errors';
import { normaliseOffset, parseExifDate } from './dates';

/** One tag as ExifReader gives it: the raw value (strings, numbers, [numerator, denominator]…). */
export interface RawTag {
	value: unknown;
	description?: unknown;
}

/** The part of ExifReader's expanded output that is used: IFD0, Exif and GPS IFD tags all land in `exif`. */
export interface TagGroups {
	exif?: Record<string, RawTag | undefined>;
}

export const DAMAGED_EXIF_WARNING = 'EXIF metadata could not be read: the EXIF block is damaged.';

export function readMetadata(bytes: Uint8Array, sniffed: Sniffed): ExtractedMetadata {
	// Video metadata (QuickTime atoms) is the video probe's job.
	if (sniffed.type !== 'image') return mapTags({}, sniffed);
	// For JPEG only the header segments are parsed: the metadata all lies before the scan data, and a
	// hostile file then cannot make the parser walk megabytes. HEIF's EXIF item may be anywhere.
	const jpeg = sniffed.format === 'jpeg' ? jpegHeader(bytes) : null;
	const source = jpeg?.header ?? bytes;
	let tags: TagGroups;
	try {
		// ExifReader's tag types describe well-formed files; values from a damaged one are read as unknown.
		tags = ExifReader.loadView(new DataView(source.buffer, source.byteOffset, source.byteLength), {
			expanded: true,
			// Only EXIF: XMP needs a DOMParser (absent in workers) and maker notes are not used.
			includeTags: { exif: true }
		}) as unknown as TagGroups;
	} catch (err) {
		if (err instanceof Error && err.name === 'MetadataMissingError') return mapTags({}, sniffed);
		return { ...mapTags({}, sniffed), exifWarning: `EXIF metadata could not be read: ${messageOf(err)}` };
	}
	const meta = mapTags(tags, sniffed);
	// ExifReader swallows a broken IFD and returns no tags; an Exif segment that yields nothing is damaged.
	if (jpeg?.hasExif && Object.keys(tags.exif ?? {}).length === 0) meta.exifWarning = DAMAGED_EXIF_WARNING;
	return meta;
}

/** ExifReader's tags → our fields. Display size: stored size turned by EXIF orientation, except HEIF. */
export function mapTags(tags: TagGroups, sniffed: Sniffed): ExtractedMetadata {
	const exif = tags.exif ?? {};
	const orientation = orientationOf(exif.Orientation);
	// HEIF carries its rotation in `irot`, already in the sniffed size; EXIF Orientation must not turn it again.
	const heif = sniffed.format === 'heic' || sniffed.format === 'avif';
	const swap = !heif && orientation !== null && orientation >= 5;
	return {
		width: swap ? sniffed.height : sniffed.width,
		height: swap ? sniffed.width : sniffed.height,
		orientation,
		dateTaken: parseExifDate(text(exif.DateTimeOriginal)),
		dateTakenOffset: normaliseOffset(text(exif.OffsetTimeOriginal)),
		make: text(exif.Make),
		model: text(exif.Model),
		lens: text(exif.LensModel) ?? text(exif.LensMake),
		exposureTime: exposureOf(rational(exif.ExposureTime)),
		fNumber: round(rational(exif.FNumber), 2),
		iso: isoOf(exif.ISOSpeedRatings ?? exif.PhotographicSensitivity),
		focalLength: round(rational(exif.FocalLength), 2),
		gps: gpsOf(exif),
		exifWarning: null
	};
}

/** ASCII tags come as ['text']; cameras pad them with NULs and spaces. Empty → null. */
function text(tag: RawTag | undefined): string | null {
	if (!tag) return null;
	const v = tag.value;
	let s: string | null = null;
	if (typeof v === 'string') s = v;
	else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) s = v.join('');
	else if (typeof tag.description === 'string') s = tag.description;
	const trimmed = s?.replace(/\0/g, '').trim();
	return trimmed ? trimmed : null;
}

function ratio(v: unknown): number | null {
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
		return v[1] === 0 ? null : v[0] / v[1];
	}
	return null;
}

/** A RATIONAL tag: [numerator, denominator], sometimes wrapped in a one-element array. */
function rational(tag: RawTag | undefined): number | null {
	if (!tag) return null;
	const v = tag.value;
	return Array.isArray(v) && v.length === 1 ? ratio(v[0]) : ratio(v);
}

function round(n: number | null, decimals: number): number | null {
	if (n === null || !(n > 0)) return null;
	const f = 10 ** decimals;
	return Math.round(n * f) / f;
}

/** Seconds → how cameras print it: "1/250" below 0.3 s, else decimal seconds ("0.5", "2", "30"). */
function exposureOf(seconds: number | null): string | null {
	if (seconds === null || !(seconds > 0)) return null;
	if (seconds >= 0.3) return String(Math.round(seconds * 10) / 10);
	return `1/${Math.round(1 / seconds)}`;
}

function isoOf(tag: RawTag | undefined): number | null {
	const v = Array.isArray(tag?.value) ? tag.value[0] : tag?.value;
	return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

function orientationOf(tag: RawTag | undefined): number | null {
	const v = Array.isArray(tag?.value) ? tag.value[0] : tag?.value;
	return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 8 ? v : null;
}

/** Degrees, minutes, seconds as three rationals (or one decimal number) → decimal degrees. */
function degrees(tag: RawTag | undefined): number | null {
	const v = tag?.value;
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (!Array.isArray(v) || v.length === 0 || v.length > 3) return null;
	let total = 0;
	for (let i = 0; i < v.length; i++) {
		const part = ratio(v[i]);
		if (part === null || part < 0) return null;
		total += part / 60 ** i;
	}
	return total;
}

function gpsOf(exif: Record<string, RawTag | undefined>): Gps | null {
	let lat = degrees(exif.GPSLatitude);
	let lon = degrees(exif.GPSLongitude);
	if (lat === null || lon === null) return null;
	if (text(exif.GPSLatitudeRef)?.toUpperCase().startsWith('S')) lat = -lat;
	if (text(exif.GPSLongitudeRef)?.toUpperCase().startsWith('W')) lon = -lon;
	// 0/0 is what cameras write when they had no fix.
	if ((lat === 0 && lon === 0) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
	// `+ 0` turns a rounded -0 into 0.
	const six = (n: number) => Math.round(n * 1e6) / 1e6 + 0;
	return { lat: six(lat), lon: six(lon) };
}

/** The JPEG's segments before the scan data, and whether one of them is an EXIF APP1. */
function jpegHeader(bytes: Uint8Array): { header: Uint8Array; hasExif: boolean } {
	let hasExif = false;
	let p = 2;
	while (p + 4 <= bytes.length && bytes[p] === 0xff) {
		const marker = bytes[p + 1];
		// Fill bytes before a marker.
		if (marker === 0xff) {
			p++;
			continue;
		}
		// Start of scan or end of image: the metadata region is over.
		if (marker === 0xda || marker === 0xd9) break;
		// Markers without a length: TEM and restart markers.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			p += 2;
			continue;
		}
		const length = (bytes[p + 2] << 8) | bytes[p + 3];
		if (length < 2) break;
		if (marker === 0xe1 && latin1(bytes, p + 4, 6) === 'Exif\0\0') hasExif = true;
		p += 2 + length;
	}
	return { header: bytes.subarray(0, Math.min(p, bytes.length)), hasExif };
}

function latin1(bytes: Uint8Array, start: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(start, start + length));
}
