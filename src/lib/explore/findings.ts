// What the search jobs found in one asset (its things and its text) and how a place reads, for the
// viewer's info panel and the Explore page.
import { db } from '../db/schema';
import type { Place, TagRow, TextRow } from '../db/types';

export interface AssetFindings {
	/** Best score first. */
	tags: TagRow[];
	/** Null until the ocr job ran, or when it found nothing. */
	text: TextRow | null;
}

export async function findingsOf(assetId: string): Promise<AssetFindings> {
	const d = db();
	const [tags, text] = await Promise.all([d.tags.where('[assetId+label]').between([assetId, ''], [assetId, '\uffff']).toArray(), d.texts.get(assetId)]);
	return { tags: tags.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)), text: text?.text.trim() ? text : null };
}

/** "Arezzo, Tuscany, Italy"; a part equal to the one before it is said once ("Monaco", not "Monaco, Monaco"). */
export function placeName(p: Pick<Place, 'city' | 'region' | 'country'>): string {
	const parts: string[] = [];
	for (const part of [p.city, p.region, p.country]) {
		if (part && part.toLowerCase() !== parts.at(-1)?.toLowerCase()) parts.push(part);
	}
	return parts.join(', ');
}
