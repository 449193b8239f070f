// Key ranges over the assets' [state+takenAt+id] index.

export type TimelineKey = [string, string, string];

/** Every asset of a state ('timeline', 'archive', 'trash'). */
export function stateRange(state: string): [TimelineKey, TimelineKey] {
	return [
		[state, '', ''],
		[state, '\uffff', '\uffff']
	];
}

export const TIMELINE_RANGE = stateRange('timeline');

/** Every asset of a state whose takenAt starts with `prefix` (a year, a month `YYYY-MM`, a day). */
export function prefixRange(prefix: string, state = 'timeline'): [TimelineKey, TimelineKey] {
	return [
		[state, prefix, ''],
		[state, `${prefix}\uffff`, '']
	];
}
