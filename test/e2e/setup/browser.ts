// Launches Chromium for the e2e tests (found by test/chromium.mjs), one fresh profile per test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../chromium.mjs';

/** The zone the browser runs in; tests compute "local time" expectations in the same zone. */
export const BROWSER_TZ = 'UTC';

export interface Browser {
	context: BrowserContext;
	/** Messages of alert/confirm/prompt dialogs (a hostile file name must never open one). */
	dialogs: string[];
	/** Uncaught page errors, printed as they happen to help read a failure. */
	pageErrors: string[];
	close(): Promise<void>;
}

/** A fresh profile each time, so every test file starts with empty OPFS and IndexedDB. */
export async function launchBrowser(): Promise<Browser> {
	const userDataDir = await mkdtemp(join(tmpdir(), 'shoebox-e2e-profile-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: findChromium(),
		headless: true,
		args: CHROMIUM_ARGS,
		acceptDownloads: true,
		viewport: { width: 1280, height: 900 },
		// Pin the zone for pages and, through TZ, for the whole browser (workers included).
		timezoneId: BROWSER_TZ,
		env: { ...process.env, TZ: BROWSER_TZ }
	});
	context.setDefaultTimeout(30_000);
	const dialogs: string[] = [];
	const pageErrors: string[] = [];
	const watch = (page: import('playwright-core').Page) => {
		page.on('dialog', (d) => {
			dialogs.push(`${d.type()}: ${d.message()}`);
			void d.dismiss().catch(() => {});
		});
		page.on('pageerror', (e) => {
			pageErrors.push(String(e));
			console.warn(`[browser pageerror] ${e}`);
		});
		// The app reports what it recovers from with console.error: show it beside the test's output.
		page.on('console', (m) => {
			if (m.type() === 'error') console.warn(`[browser console.error] ${m.text()}`);
		});
	};
	context.pages().forEach(watch);
	context.on('page', watch);
	return {
		context,
		dialogs,
		pageErrors,
		async close() {
			await context.close().catch(() => {});
			await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
		}
	};
}
