// Progress of the transcodes running in this tab (0–1 by asset id), for the jobs page and the viewer.
import { SvelteMap } from 'svelte/reactivity';

export const transcodeProgress = new SvelteMap<string, number>();
