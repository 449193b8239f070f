// How files reach Shoebox without the picker: the share sheet (Web Share Target: the service worker
// keeps the POSTed files and opens /?shared=1) and the OS "Open with" (File Handling: window.launchQueue).
// Both hand the files to the importer like a picked selection. Call launchImports() from the root
// layout's <script> (it registers its own onMount).
import { onMount } from 'svelte';
import { replaceState } from '$app/navigation';
import { importer } from './importer.svelte';
import { takeSharedFiles } from './share-store';

interface LaunchParams {
	files?: readonly FileSystemHandle[];
}
interface LaunchQueue {
	setConsumer(consumer: (params: LaunchParams) => void): void;
}

let consuming = false;

export function launchImports(): void {
	onMount(() => {
		void importShared();
		consumeLaunchQueue();
	});
}

/** /?shared=1: import what the service worker stored, then drop the flag from the address. */
export async function importShared(): Promise<number> {
	const url = new URL(location.href);
	if (!url.searchParams.has('shared')) return 0;
	let files: File[] = [];
	try {
		files = await takeSharedFiles();
	} catch (err) {
		console.warn('shared files', err);
	}
	if (files.length) importer().add(files);
	url.searchParams.delete('shared');
	try {
		replaceState(url, {});
	} catch {
		history.replaceState(history.state, '', url);
	}
	return files.length;
}

/** File Handling API (installed app, Chromium desktop): files opened with Shoebox. */
function consumeLaunchQueue(): void {
	const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
	if (!queue || consuming) return;
	consuming = true;
	queue.setConsumer(async (params) => {
		const handles = (params.files ?? []).filter((h): h is FileSystemFileHandle => h.kind === 'file');
		const files = await Promise.all(handles.map((h) => h.getFile().catch(() => null)));
		const ok = files.filter((f): f is File => f !== null);
		if (ok.length) importer().add(ok);
	});
}
