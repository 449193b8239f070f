// The model manager on /settings (docs/models.md): models served by the app's origin show as
// "bundled", install into OPFS (checked there by sha256 in the page), remove, install from local
// files, and a wrong file is refused with a readable error.
// Needs `npm run models` before `npm run build` (npm test does both), so that build/models/ is filled.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, screenshot, type App } from './helpers/app';
import { REPO_ROOT } from './helpers/media';
import { models } from '../../src/lib/models/catalog';

const byId = (id: string) => models.find((m) => m.id === id)!;
const FACE_IDS = ['yunet-s', 'scrfd-2.5g', 'mobilefacenet'];
const BUILD_MODELS = join(REPO_ROOT, 'build', 'models');

async function rowState(page: Page, id: string): Promise<string | null> {
	return page.getByTestId(`model-${id}`).getAttribute('data-state');
}

async function waitState(page: Page, id: string, state: string, timeout = 60_000) {
	try {
		await page.locator(`[data-testid="model-${id}"][data-state="${state}"][data-busy=""]`).waitFor({ state: 'attached', timeout });
	} catch (e) {
		const error = await page.getByTestId(`model-error-${id}`).textContent().catch(() => null);
		throw new Error(`model ${id} did not reach ${state}: state ${await rowState(page, id)}, error ${error}\n${e}`);
	}
}

/** sha256 (hex) and size of OPFS models/<name>, computed in the page; null when absent. */
async function opfsFile(page: Page, name: string): Promise<{ sha256: string; bytes: number } | null> {
	return page.evaluate(async (name) => {
		try {
			let d = await navigator.storage.getDirectory();
			const parts = ['models', ...name.split('/')];
			for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p);
			const file = await (await d.getFileHandle(parts[parts.length - 1])).getFile();
			const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
			return { sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''), bytes: file.size };
		} catch {
			return null;
		}
	}, name);
}

async function storageBytes(page: Page): Promise<number> {
	return Number(await page.getByTestId('models-storage').getAttribute('data-bytes'));
}

describe('model manager', () => {
	let app: App;

	beforeAll(async () => {
		for (const id of FACE_IDS) {
			for (const f of byId(id).files) {
				if (!existsSync(join(BUILD_MODELS, f.name))) {
					throw new Error(`build/models/${f.name} is missing: run \`npm run models\` and then \`npm run build\` (npm test does).`);
				}
			}
		}
		app = await openApp('/settings');
		await app.page.locator('[data-testid="model-manager"][data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
	});
	afterAll(async () => {
		await app?.close();
	});

	it('lists every catalog model; the face models are served by the app (bundled)', async () => {
		const { page } = app;
		for (const m of models) await expect(page.getByTestId(`model-${m.id}`).count()).resolves.toBe(1);
		for (const id of FACE_IDS) expect(await rowState(page, id), id).toBe('bundled');
		// Files the models script could not fetch here (CLIP has no mirror) are reported missing.
		for (const m of models) {
			const served = m.files.every((f) => existsSync(join(BUILD_MODELS, f.name)));
			expect(await rowState(page, m.id), m.id).toBe(served ? 'bundled' : 'missing');
		}
		// Licences, with the notes that matter.
		await expect(page.getByTestId('model-scrfd-2.5g').textContent()).resolves.toMatch(/non-commercial/i);
		await expect(page.getByTestId('model-mobilefacenet').textContent()).resolves.toMatch(/licence unknown/i);
		expect(await storageBytes(page)).toBe(0);
		await screenshot(page, 'models-settings');
	});

	it('installs a model into OPFS with a progress bar, checks it, and removes it', async () => {
		const { page } = app;
		const entry = byId('scrfd-2.5g');
		const file = entry.files[0];
		// Note whether the progress bar was ever shown (the install from localhost is quick).
		await page.evaluate((id) => {
			const w = window as unknown as { __progressSeen: boolean };
			w.__progressSeen = false;
			new MutationObserver(() => {
				if (document.querySelector(`[data-testid="model-progress-${id}"]`)) w.__progressSeen = true;
			}).observe(document.body, { subtree: true, childList: true });
		}, entry.id);

		await page.getByTestId(`model-install-${entry.id}`).click();
		await waitState(page, entry.id, 'installed');
		expect(await page.evaluate(() => (window as unknown as { __progressSeen: boolean }).__progressSeen)).toBe(true);
		expect(await opfsFile(page, file.name)).toEqual({ sha256: file.sha256, bytes: file.bytes });
		await expect.poll(() => storageBytes(page)).toBe(file.bytes);
		await expect(page.getByTestId(`model-install-${entry.id}`).isDisabled()).resolves.toBe(true);

		// Still installed after a reload (it lives in OPFS, not in memory).
		await app.goto('/settings');
		await page.locator('[data-testid="model-manager"][data-ready="true"]').waitFor({ state: 'attached' });
		expect(await rowState(page, entry.id)).toBe('installed');

		await page.getByTestId(`model-remove-${entry.id}`).click();
		await waitState(page, entry.id, 'bundled');
		expect(await opfsFile(page, file.name)).toBeNull();
		await expect.poll(() => storageBytes(page)).toBe(0);
	});

	it('installs from local files (offline), checked by sha256', async () => {
		const { page } = app;
		const entry = byId('mobilefacenet');
		const file = entry.files[0];
		await page.getByTestId(`model-files-${entry.id}`).setInputFiles([join(BUILD_MODELS, file.name)]);
		await waitState(page, entry.id, 'installed');
		expect(await opfsFile(page, file.name)).toEqual({ sha256: file.sha256, bytes: file.bytes });
		await expect(page.getByTestId(`model-error-${entry.id}`).count()).resolves.toBe(0);

		await page.getByTestId(`model-remove-${entry.id}`).click();
		await waitState(page, entry.id, 'bundled');
	});

	it('refuses a wrong file with a readable error and stores nothing', async () => {
		const { page } = app;
		const entry = byId('yunet-s');
		const file = entry.files[0];
		const label = file.name.split('/').pop()!;
		const real = await readFile(join(BUILD_MODELS, file.name));

		// Right name and size, other bytes: the checksum gives it away.
		const tampered = Buffer.from(real);
		tampered[tampered.length >> 1] ^= 0xff;
		await page.getByTestId(`model-files-${entry.id}`).setInputFiles([{ name: label, mimeType: 'application/octet-stream', buffer: tampered }]);
		const error = page.getByTestId(`model-error-${entry.id}`);
		await error.waitFor();
		expect(await error.textContent()).toMatch(new RegExp(`${label.replace(/\./g, '\\.')}: checksum does not match`));
		expect(await error.getAttribute('role')).toBe('alert');
		await waitState(page, entry.id, 'bundled');
		expect(await opfsFile(page, file.name)).toBeNull();

		// Another model's file: named and sized otherwise, so it is not taken for this one.
		const other = byId('mobilefacenet').files[0];
		await page.getByTestId(`model-files-${entry.id}`).setInputFiles([join(BUILD_MODELS, other.name)]);
		await expect.poll(() => error.textContent()).toMatch(new RegExp(`${label.replace(/\./g, '\\.')} was not among the chosen files`));
		await waitState(page, entry.id, 'bundled');
		expect(await opfsFile(page, file.name)).toBeNull();
		await screenshot(page, 'models-wrong-file');
	});
});
