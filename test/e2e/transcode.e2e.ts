// Video conversion (videoConversion queue, ffmpeg.wasm engine) in a real Chromium: every clip of the
// corpus that Chromium cannot play (MANIFEST needs_transcode_chromium) gets an H.264 transcode that
// the viewer plays to the end at the right displayed size; a playable H.264 clip is not converted
// under the default 'required' policy; under 'all', the rotated clip's transcode keeps its rotation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportLibrary, gotoPath, importFiles, openApp, saveArtifact, screenshot, waitForQueuesIdle, waitForStored, type App } from './helpers/app';
import type { ExportedAsset, LibraryExport } from './helpers/check';
import { sha1File } from './helpers/media';

interface Expect {
	video_codec: string;
	display_width: number;
	display_height: number;
	duration_s: number;
	needs_transcode_chromium: boolean;
}
interface Clip {
	path: string;
	sha1: string;
	expect: Expect;
}

const H264 = 'video/h264_aac_720p.mp4';
const ROTATED = 'video/rotated_90.mov';
const TARGET = 720;

/** The displayed size of a transcode: shorter side scaled to the target (never up), even sides. */
function expectedSize(e: Expect): { w: number; h: number } {
	const scale = Math.min(1, TARGET / Math.min(e.display_width, e.display_height));
	return { w: Math.round((e.display_width * scale) / 2) * 2, h: Math.round((e.display_height * scale) / 2) * 2 };
}

describe.skipIf(inject('mediaSource') !== 'corpus')('video conversion (ffmpeg.wasm)', () => {
	let app: App;
	let library: LibraryExport;
	let clips: Clip[] = [];
	let importS = 0;
	const speeds: string[] = [];

	const load = async () => ({ library } = await exportLibrary(app.page));
	const assetOf = (c: Clip) => library.assets.find((a) => a.checksum === c.sha1) as ExportedAsset | undefined;
	const clip = (p: string) => clips.find((c) => c.path === p)!;

	/** Plays the viewer's video of an asset to the end; what the element saw. */
	async function play(id: string) {
		await gotoPath(app.page, `/photos/${id}`);
		const video = app.page.getByTestId('viewer-video');
		await video.waitFor({ timeout: 30_000 });
		const source = await video.getAttribute('data-source');
		const r = await video.evaluate(async (v: HTMLVideoElement) => {
			v.muted = true;
			if (v.readyState < 1) await new Promise((ok) => v.addEventListener('loadedmetadata', ok, { once: true }));
			v.currentTime = 0;
			await v.play().catch(() => undefined);
			await new Promise<void>((done) => {
				if (v.ended) return done();
				v.addEventListener('ended', () => done(), { once: true });
				setTimeout(done, 20_000);
			});
			return { ended: v.ended, currentTime: v.currentTime, duration: v.duration, w: v.videoWidth, h: v.videoHeight, error: v.error?.message ?? null };
		});
		return { source, ...r };
	}

	beforeAll(async () => {
		const media = inject('mediaDir');
		const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8')) as { files: Array<{ path: string; kind: string; expect: Expect }> };
		for (const f of manifest.files.filter((x) => x.kind === 'video' && (x.expect.needs_transcode_chromium || x.path === H264 || x.path === ROTATED))) {
			clips.push({ path: f.path, sha1: await sha1File(join(media, f.path)), expect: f.expect });
		}
		expect(clip(H264).expect.needs_transcode_chromium).toBe(false);
		app = await openApp('/');
		app.page.on('console', (m) => {
			const t = m.text();
			if (/^transcode /.test(t)) speeds.push(t);
		});
		const t0 = Date.now();
		await importFiles(app.page, clips.filter((c) => c.path !== ROTATED).map((c) => join(media, c.path)));
		await waitForQueuesIdle(app.page, { timeoutMs: 240_000 });
		importS = (Date.now() - t0) / 1000;
		await load();
		await saveArtifact('library-transcode.json', library);
	}, 300_000);

	afterAll(async () => {
		console.log(`import + every queue: ${importS.toFixed(1)} s\n${speeds.join('\n')}`);
		await app?.close();
	});

	it('converts every clip Chromium cannot play; the viewer plays each transcode to the end at its displayed size', async () => {
		const problems: string[] = [];
		const needing = clips.filter((c) => c.expect.needs_transcode_chromium);
		expect(needing.length).toBeGreaterThan(0);
		for (const c of needing) {
			const a = assetOf(c);
			if (!a) {
				problems.push(`${c.path}: not imported`);
				continue;
			}
			if (a.jobs.videoConversion !== 'done') {
				problems.push(`${c.path}: videoConversion ${a.jobs.videoConversion} ${JSON.stringify(a.errors)}`);
				continue;
			}
			const r = await play(a.id);
			console.log(`${c.path}: ${JSON.stringify(r)}`);
			if (c.path.includes('hevc')) await screenshot(app.page, 'transcode-viewer');
			const want = expectedSize(c.expect);
			if (r.source !== 'transcode') problems.push(`${c.path}: viewer source ${r.source}`);
			if (r.error || !r.ended) problems.push(`${c.path}: did not play to the end (${JSON.stringify(r)})`);
			if (Math.abs(r.duration - c.expect.duration_s) > 0.15) problems.push(`${c.path}: duration ${r.duration}, expected ${c.expect.duration_s}`);
			if (r.w !== want.w || r.h !== want.h) problems.push(`${c.path}: ${r.w}×${r.h}, expected ${want.w}×${want.h}`);
		}
		expect(problems).toEqual([]);
	});

	it("does not convert a playable H.264 clip under the 'required' policy", async () => {
		const a = assetOf(clip(H264))!;
		expect(a.jobs.videoConversion).toBe('done');
		const r = await play(a.id);
		expect(r.source).toBeNull();
		const hasTranscode = await app.page.evaluate(async (id) => {
			try {
				const root = await navigator.storage.getDirectory();
				await (await (await root.getDirectoryHandle('derived')).getDirectoryHandle(id)).getFileHandle('transcode.mp4');
				return true;
			} catch {
				return false;
			}
		}, a.id);
		expect(hasTranscode).toBe(false);
	});

	it("under 'all', a rotated clip's transcode keeps its displayed (portrait) size", async () => {
		await gotoPath(app.page, '/settings');
		await app.page.getByTestId('setting-videoPolicy').selectOption('all');
		// The setting is written to IndexedDB asynchronously: make sure it is stored before navigating.
		await waitForStored(app.page, 'settings', 'videoPolicy', 'value', 'all');
		await gotoPath(app.page, '/');
		await importFiles(app.page, [join(inject('mediaDir'), ROTATED)]);
		await waitForQueuesIdle(app.page, { timeoutMs: 120_000 });
		await load();
		const c = clip(ROTATED);
		const a = assetOf(c)!;
		expect(a.jobs.videoConversion, JSON.stringify(a.errors)).toBe('done');
		// The viewer keeps playing the original (the browser plays it): the transcode is played here.
		const r = await app.page.evaluate(async (id) => {
			const root = await navigator.storage.getDirectory();
			const f = await (await (await (await root.getDirectoryHandle('derived')).getDirectoryHandle(id)).getFileHandle('transcode.mp4')).getFile();
			const v = document.createElement('video');
			v.muted = true;
			v.src = URL.createObjectURL(f);
			await new Promise((ok, fail) => {
				v.onloadedmetadata = ok;
				v.onerror = () => fail(new Error(v.error?.message ?? 'video error'));
			});
			await v.play();
			await new Promise<void>((done) => {
				v.onended = () => done();
				setTimeout(done, 20_000);
			});
			return { ended: v.ended, duration: v.duration, w: v.videoWidth, h: v.videoHeight };
		}, a.id);
		console.log(`${c.path} transcode: ${JSON.stringify(r)}`);
		expect(r.ended).toBe(true);
		expect(Math.abs(r.duration - c.expect.duration_s)).toBeLessThan(0.15);
		expect({ w: r.w, h: r.h }).toEqual(expectedSize(c.expect));
	}, 180_000);
});
