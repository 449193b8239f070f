// "On this day": photos taken on today's month and day in earlier years.
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import { prefixRange } from './range';

export interface Memory {
	year: number;
	yearsAgo: number;
	assets: Asset[];
}

/** One entry per earlier year that has photos on this day, most recent year first. */
export async function onThisDay(today = new Date(), yearsBack = 40, perYear = 12): Promise<Memory[]> {
	const mmdd = `${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
	const years = Array.from({ length: yearsBack }, (_, i) => today.getFullYear() - 1 - i);
	const found = await Promise.all(
		years.map(async (year) => ({
			year,
			yearsAgo: today.getFullYear() - year,
			assets: await db()
				.assets.where('[state+takenAt+id]')
				.between(...prefixRange(`${year}-${mmdd}`))
				.limit(perYear)
				.toArray()
		}))
	);
	return found.filter((m) => m.assets.length > 0);
}
