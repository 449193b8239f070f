/** A video's length as tiles show it: 0:05, 1:02:03 (rounded up below a second, so never 0:00). */
export function formatDuration(seconds: number): string {
	const s = Math.max(1, Math.round(seconds));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const ss = String(s % 60).padStart(2, '0');
	return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
