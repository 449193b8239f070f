// Files shared to the installed app (Web Share Target) wait here between the service worker that
// receives the POST /share and the page that imports them. A Cache of our own, not the app's Dexie
// tables: the service worker never touches the library.
export const SHARE_CACHE = 'shoebox-shared-files';
const PREFIX = '/__shared/';

/** Service worker side: keeps the files (name, type and date survive in headers). */
export async function putSharedFiles(files: File[]): Promise<number> {
	const cache = await caches.open(SHARE_CACHE);
	const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
	await Promise.all(
		files.map((file, i) =>
			cache.put(
				new URL(`${PREFIX}${stamp}/${i}`, location.origin).href,
				new Response(file, {
					headers: {
						'Content-Type': file.type || 'application/octet-stream',
						'X-File-Name': encodeURIComponent(file.name),
						'X-Last-Modified': String(file.lastModified || Date.now())
					}
				})
			)
		)
	);
	return files.length;
}

/** Page side: every waiting file, removed from the store as it is read. */
export async function takeSharedFiles(): Promise<File[]> {
	if (typeof caches === 'undefined' || !(await caches.has(SHARE_CACHE))) return [];
	const cache = await caches.open(SHARE_CACHE);
	const files: File[] = [];
	const keys = [...(await cache.keys())].sort((a, b) => a.url.localeCompare(b.url, 'en', { numeric: true }));
	for (const request of keys) {
		const response = await cache.match(request);
		await cache.delete(request);
		if (!response) continue;
		const name = decodeURIComponent(response.headers.get('X-File-Name') ?? 'shared');
		const type = response.headers.get('Content-Type') ?? '';
		const lastModified = Number(response.headers.get('X-Last-Modified')) || Date.now();
		files.push(new File([await response.blob()], name, { type: type === 'application/octet-stream' ? '' : type, lastModified }));
	}
	return files;
}
