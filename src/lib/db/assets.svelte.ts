import { watchThrottled } from './live';
import { db } from './schema';
import type { Asset } from './types';

/** The library, newest first, kept live across tabs. */
export class LibraryView {
	assets = $state<Asset[]>([]);
	loaded = $state(false);

	watch(): () => void {
		return watchThrottled(
			() => db().assets.where('[state+takenAt+id]').between(['timeline', '', ''], ['timeline', '\uffff', '\uffff']).reverse().toArray(),
			400,
			(rows) => {
				this.assets = rows;
				this.loaded = true;
			}
		);
	}
}
