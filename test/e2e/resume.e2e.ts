// Acceptance test 2: reload in the middle of an import; nothing stored is lost, the queues resume,
// and importing the folder again adds only what was missing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	exportLibrary, importFiles, openApp, readAssetCount, readProgress, startImport, waitForQueuesIdle, type App
} from './helpers/app';
import { checkImport, duplicateChecksums } from './helpers/check';
import { loadCases, uniqueContents, type Case } from './helpers/media';

describe('reload during an import', () => {
	let app: App;
	let photos: Case[];

	beforeAll(async () => {
		photos = await loadCases(inject('mediaDir'), ['photos']);
		app = await openApp('/');
	});
	afterAll(async () => {
		await app?.close();
	});

	it('keeps what was stored, resumes the jobs, and re-import only adds the rest', async () => {
		const { page } = app;
		await startImport(page, photos.map((c) => c.path));
		// Poll from inside the page (every 10 ms) so the reload lands as early as possible.
		await page.waitForFunction(
			() => Number(document.querySelector<HTMLElement>('[data-testid="import-progress"]')?.dataset.processed ?? 0) >= 3,
			null,
			{ polling: 10, timeout: 120_000 }
		);
		const atReload = await readProgress(page);
		await page.reload();
		console.log(`reloaded at import-progress ${JSON.stringify(atReload)} (of ${photos.length} files)`);

		const afterReload = await readAssetCount(page);
		console.log(`assets after reload: ${afterReload}`);
		expect(afterReload).toBeGreaterThanOrEqual(3);

		// The jobs of the stored assets pick up where they stopped and finish without failures.
		const queues = await waitForQueuesIdle(page);
		console.log(`queues after resume: ${JSON.stringify(queues)}`);
		for (const q of Object.values(queues)) expect(q.failed).toBe(0);
		const stored = await readAssetCount(page);
		expect(stored).toBe(afterReload); // nothing appeared or vanished while the jobs ran

		// Import the whole folder again: what is already in counts as duplicates.
		const again = await importFiles(page, photos.map((c) => c.path));
		console.log(`re-import: ${JSON.stringify(again)}`);
		expect(again.duplicates).toBe(stored);
		expect(again.imported).toBe(uniqueContents(photos) - stored);
		expect(again.failed).toBe(0);

		const finalQueues = await waitForQueuesIdle(page);
		for (const q of Object.values(finalQueues)) expect(q.failed).toBe(0);
		expect(await readAssetCount(page)).toBe(uniqueContents(photos));

		// Every photo exactly once, intact, with its jobs done (the full per-file ground truth).
		const { library } = await exportLibrary(page);
		expect(duplicateChecksums(library)).toEqual([]);
		const result = checkImport(photos, library);
		console.log(`after resume + re-import:\n  ${result.rows.join('\n  ')}`);
		expect(result.problems).toEqual([]);
	});
});
