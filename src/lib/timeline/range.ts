// Key ranges over the assets' [state+takenAt+id] index.

export type TimelineKey = [string, string, string];

export const TIMELINE_RANGE: [TimelineKey, TimelineKey] = [
	['timeline', '', ''],
	['timeline', '\uffff', '\uffff']
];

/** Every asset of a state whose takenAt starts with `prefix` (a year, a month `YYYY-MM`, a day). */
export function prefixRange(prefix: string, state = 'timeline'): [TimelineKey, TimelineKey] {
	return [
		[state, prefix, ''],
		[state, `${prefix}\uffff`, '']
	];
}
