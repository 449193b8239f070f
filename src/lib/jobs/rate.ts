export interface Sample {
	/** ms */
	t: number;
	/** items finished so far */
	done: number;
}

/** Items per second between the oldest and newest sample; null until there is enough to say. */
export function rate(samples: Sample[]): number | null {
	if (samples.length < 2) return null;
	const a = samples[0];
	const b = samples[samples.length - 1];
	const dt = (b.t - a.t) / 1000;
	if (dt < 0.5 || b.done <= a.done) return null;
	return (b.done - a.done) / dt;
}
