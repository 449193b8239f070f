// Months and days of the timeline, from the ordered list of takenAt keys alone (no asset rows):
// enough to lay out the whole library before any row is read.

export interface DayBucket {
	/** YYYY-MM-DD */
	key: string;
	count: number;
}

export interface MonthBucket {
	/** YYYY-MM */
	key: string;
	count: number;
	days: DayBucket[];
}

export function sameMonth(a: MonthBucket, b: MonthBucket): boolean {
	return a.key === b.key && a.count === b.count && a.days.length === b.days.length && a.days.every((d, i) => d.key === b.days[i].key && d.count === b.days[i].count);
}

/** `takenAt` values newest first (local `YYYY-MM-DDTHH:MM:SS`) → months and days, newest first. */
export function bucketize(takenAt: ArrayLike<string>): MonthBucket[] {
	const months: MonthBucket[] = [];
	let month: MonthBucket | null = null;
	let day: DayBucket | null = null;
	for (let i = 0; i < takenAt.length; i++) {
		const t = takenAt[i];
		const m = t.slice(0, 7);
		const d = t.slice(0, 10);
		if (!month || month.key !== m) {
			month = { key: m, count: 0, days: [] };
			months.push(month);
			day = null;
		}
		if (!day || day.key !== d) {
			day = { key: d, count: 0 };
			month.days.push(day);
		}
		month.count++;
		day.count++;
	}
	return months;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function monthLabel(key: string): string {
	const [y, m] = key.split('-').map(Number);
	return `${MONTHS[m - 1] ?? '?'} ${y}`;
}

export function dayLabel(key: string): string {
	const [y, m, d] = key.split('-').map(Number);
	const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
	return `${WEEKDAYS[wd] ?? ''}, ${MONTHS[m - 1]?.slice(0, 3) ?? '?'} ${d}`;
}
