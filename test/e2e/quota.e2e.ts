// Acceptance test 4: a full quota is a clear per-file error, and nothing stored before is lost.
// The quota is shrunk for real through the DevTools protocol (Storage.overrideQuotaForOrigin), so
// the app meets the browser's own QuotaExceededError rather than a simulated one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	exportLibrary, gotoPath, importFiles, openApp, readAssetCount, readImportFailures, waitForQueuesIdle, type App
} from './helpers/app';
import { checkImport } from './helpers/check';
import { loadCases, type Case } from './helpers/media';

const STORAGE_FULL = { subject: /storage|quota|disk|space/i, state: /full|exceed|insufficient|not enough|out of/i };
const HEADROOM = 256 * 1024; // room for a few rows, far less than the large photo

describe('storage quota', () => {
	let app: App;
	let small: Case[];
	let large: Case;

	beforeAll(async () => {
		const photos = (await loadCases(inject('mediaDir'), ['photos'])).sort((a, b) => a.bytes - b.bytes);
		small = photos.filter((c) => c.expect.mime === 'image/jpeg').slice(0, 3);
		large = photos[photos.length - 1];
		expect(large.bytes).toBeGreaterThan(4 * HEADROOM);
		app = await openApp('/');
	});
	afterAll(async () => {
		await app?.close();
	});

	it('reports the file that no longer fits, and keeps the earlier assets intact', async () => {
		const { page, context, baseURL } = app;
		const first = await importFiles(page, small.map((c) => c.path));
		expect(first).toMatchObject({ imported: small.length, failed: 0 });
		await waitForQueuesIdle(page, { minDone: small.length });

		// Ask the browser's quota manager itself: navigator.storage.estimate() in this Chromium keeps
		// reporting the default quota under an override, although writes past it do fail.
		const origin = new URL(baseURL).origin;
		const cdp = await context.newCDPSession(page);
		const before = await cdp.send('Storage.getUsageAndQuota', { origin });
		const quotaSize = before.usage + HEADROOM;
		await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize });
		const after = await cdp.send('Storage.getUsageAndQuota', { origin });
		console.log(`usage ${before.usage} of ${before.quota}; quota now ${after.quota} (override ${after.overrideActive})`);
		expect(after).toMatchObject({ quota: quotaSize, overrideActive: true });

		await gotoPath(page, '/');
		const second = await importFiles(page, [large.path]);
		const failures = await readImportFailures(page);
		console.log(`large import: ${JSON.stringify(second)}; failures: ${JSON.stringify(failures)}`);
		expect(second).toMatchObject({ total: 1, imported: 0, failed: 1 });
		const line = failures.find((f) => f.name === large.name);
		expect(line, `import-failure for ${large.name}`).toBeDefined();
		expect(line!.text).toMatch(STORAGE_FULL.subject);
		expect(line!.text).toMatch(STORAGE_FULL.state);

		expect(await readAssetCount(page)).toBe(small.length);
		const { library } = await exportLibrary(page);
		const reason = library.failedImports.find((f) => f.name === large.name)?.reason ?? '';
		expect(reason).toMatch(STORAGE_FULL.subject);
		expect(reason).toMatch(STORAGE_FULL.state);
		// The earlier photos keep their full ground truth; the large one is only a failed import.
		const result = checkImport([...small, { ...large, accept: ['failed-import'] }], library);
		console.log(`after the quota error:\n  ${result.rows.join('\n  ')}`);
		expect(result.problems).toEqual([]);
	});
});
