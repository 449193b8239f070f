/** Storage usage, quota and persistence, as shown on the settings page. */
export interface StorageInfo {
	usage: number;
	quota: number;
	persisted: boolean;
}

export async function storageInfo(): Promise<StorageInfo> {
	const { usage = 0, quota = 0 } = await navigator.storage.estimate();
	const persisted = (await navigator.storage.persisted?.()) ?? false;
	return { usage, quota, persisted };
}

/** Asks the browser not to evict the library under storage pressure. */
export async function requestPersistence(): Promise<boolean> {
	if (await navigator.storage.persisted?.()) return true;
	return (await navigator.storage.persist?.()) ?? false;
}

export function formatBytes(n: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let i = 0;
	while (n >= 1024 && i < units.length - 1) {
		n /= 1024;
		i++;
	}
	return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
