// What a person can do with selected assets. Each page picks the actions that make sense there.
import { setFavorite, setState } from '../db/organise';

export interface SelectionAction {
	id: string;
	label: string;
	/** Runs on the selected ids; the selection is cleared afterwards unless it returns false. */
	run(ids: string[]): Promise<unknown>;
	danger?: boolean;
}

export const favorite: SelectionAction = { id: 'favorite', label: 'Favorite', run: (ids) => setFavorite(ids, true) };
export const unfavorite: SelectionAction = { id: 'unfavorite', label: 'Unfavorite', run: (ids) => setFavorite(ids, false) };
export const archive: SelectionAction = { id: 'archive', label: 'Archive', run: (ids) => setState(ids, 'archive') };
export const unarchive: SelectionAction = { id: 'unarchive', label: 'Unarchive', run: (ids) => setState(ids, 'timeline') };
export const trash: SelectionAction = { id: 'trash', label: 'Move to trash', run: (ids) => setState(ids, 'trash'), danger: true };
export const restore: SelectionAction = { id: 'restore', label: 'Restore', run: (ids) => setState(ids, 'timeline') };
