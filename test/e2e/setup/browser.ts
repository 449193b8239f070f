// Finds and launches Chromium for the e2e tests: CHROMIUM_PATH, else /usr/bin/chromium, else the
// browser Playwright installed itself; otherwise a clear error that says how to get one.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const INSTALL_HINT =
	'Install Chromium (Debian/Ubuntu: `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chrome/Chromium binary.';

export function findChromium(): string {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist. ${INSTALL_HINT}`);
		return fromEnv;
	}
	if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
	try {
		const bundled = chromium.executablePath(); // where `npx playwright install chromium` puts it
		if (bundled && existsSync(bundled)) return bundled;
	} catch {
		// playwright-core throws when it has no browser registry entry: fall through to the hint
	}
	throw new Error(`No Chromium found for the end-to-end tests. ${INSTALL_HINT}`);
}

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

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
		args: ARGS,
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
