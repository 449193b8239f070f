// Chromium for the end-to-end tests and the benchmarks: where the binary is (CHROMIUM_PATH, else
// /usr/bin/chromium, else the browser Playwright installed itself; otherwise an error that says how
// to get one) and the headless flags it runs with here.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const INSTALL_HINT = 'Install Chromium (Debian/Ubuntu: `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chrome/Chromium binary.';

/** @returns {string} */
export function findChromium() {
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
	throw new Error(`No Chromium found. ${INSTALL_HINT}`);
}

/** Headless, no sandbox (containers), no GPU, and none of Chromium's background network traffic. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
