// Date rules for "when was this taken": EXIF wall-clock strings, their offsets, and the file-time fallback.
// Pure: no Date.now, no host time zone (the caller passes the offset), so tests are deterministic.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
	// Day 0 of the next month is the last day of this one; UTC so the host zone cannot shift it.
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// YYYY:MM:DD or YYYY-MM-DD, optional time after a space or T, optional subseconds and zone suffix.
const EXIF_DATE =
	/^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An EXIF date string (`2021:04:11 15:47:53`, also `2021-04-11T15:47:53.123`) as local
 * `YYYY-MM-DDTHH:MM:SS`, or null for anything that is not a real calendar time (all-zero dates,
 * month 13, 31 February, blanks, garbage). A zone suffix is ignored here: offsets are a separate tag.
 */
export function parseExifDate(raw: string | null | undefined): string | null {
	if (typeof raw !== 'string') return null;
	// Cameras pad with NULs and spaces.
	const m = EXIF_DATE.exec(raw.replace(/\0/g, '').trim());
	if (!m) return null;
	const [year, month, day] = [m[1], m[2], m[3]].map(Number);
	const [hour, minute, second] = [m[4], m[5], m[6]].map((v) => (v === undefined ? 0 : Number(v)));
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	if (hour > 23 || minute > 59 || second > 59) return null;
	return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/** `+03:00`, `-0500`, `+3:00`, `Z` → `+HH:MM`; anything else (or beyond ±14:00) → null. */
export function normaliseOffset(raw: string | null | undefined): string | null {
	if (typeof raw !== 'string') return null;
	const s = raw.replace(/\0/g, '').trim();
	if (s === 'Z') return '+00:00';
	const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(s);
	if (!m) return null;
	const minutes = Number(m[2]) * 60 + Number(m[3]);
	if (Number(m[3]) > 59 || minutes > 14 * 60) return null;
	return formatOffset(m[1] === '-' ? -minutes : minutes);
}

/** Minutes east of UTC → `+HH:MM` (zero is `+00:00`). */
export function formatOffset(minutes: number): string {
	const total = Math.round(minutes);
	const abs = Math.abs(total);
	return `${total < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A timestamp (ms since epoch) as the wall-clock time `YYYY-MM-DDTHH:MM:SS` at the given offset. */
export function formatLocal(ms: number, tzOffsetMinutes: number): string {
	// Shift, then read the UTC fields: the host's own zone never enters. Throws RangeError for NaN.
	return new Date(ms + Math.round(tzOffsetMinutes) * 60_000).toISOString().slice(0, 19);
}

export interface TakenAt {
	takenAt: string;
	takenAtOffset: string | null;
	takenAtSource: 'exif' | 'file';
}

/**
 * DateTimeOriginal wins (with its own offset, or none: an EXIF time without an offset is a wall
 * clock in an unknown zone); otherwise the file's modification time in the device's local time.
 */
export function resolveTakenAt(
	meta: { dateTaken: string | null; dateTakenOffset: string | null },
	fileModifiedAt: number,
	tzOffsetMinutes: number
): TakenAt {
	if (meta.dateTaken) {
		return { takenAt: meta.dateTaken, takenAtOffset: meta.dateTakenOffset, takenAtSource: 'exif' };
	}
	return {
		takenAt: formatLocal(fileModifiedAt, tzOffsetMinutes),
		takenAtOffset: formatOffset(tzOffsetMinutes),
		takenAtSource: 'file'
	};
}
