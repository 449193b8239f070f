// Video conversion (videoConversion queue) in a real Chromium: every clip of the corpus that Chromium
// cannot play (MANIFEST needs_transcode_chromium) gets an H.264 transcode that the viewer plays to the
// end at the right displayed size, by whichever engine 'auto' picks; a playable H.264 clip is not
// converted under the default 'required' policy; each engine forced by the setting converts the
// rotated clip keeping its rotation; WebCodecs forced refuses what the browser cannot decode, in words;
// cancel ends a running conversion's worker.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chooseSetting, exportLibrary, gotoPath, importFiles, openApp, readStored, runQueueAll, saveArtifact, screenshot, waitForQueuesIdle, type App } from './helpers/app';
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
const VP9 = 'video/vp9_opus_640x360.webm';
const AVI = 'video/mjpeg_pcm_640x480.avi';
const TARGET = 720;

/** The displayed size of a transcode: shorter side scaled to the target (never up), even sides. */
function expectedSize(e: Expect): { w: number; h: number } {
	const scale = Math.min(1, TARGET / Math.min(e.display_width, e.display_height));
	return { w: Math.round((e.display_width * scale) / 2) * 2, h: Math.round((e.display_height * scale) / 2) * 2 };
}

/** The engine that made an asset's transcode, from its row (not part of the export). */
const engineOf = async (page: App['page'], id: string) => (await readStored(page, 'assets', id, 'transcodeEngine')) as string | null | undefined;

/** A blob: URL of an asset's transcode in OPFS, made in the page. */
function transcodeUrl(page: App['page'], id: string): Promise<string> {
	return page.evaluate(async (id) => {
		const root = await navigator.storage.getDirectory();
		const f = await (await (await (await root.getDirectoryHandle('derived')).getDirectoryHandle(id)).getFileHandle('transcode.mp4')).getFile();
		return URL.createObjectURL(f);
	}, id);
}

/** Plays an OPFS transcode in a fresh <video> to the end; what the element saw. */
async function playTranscode(page: App['page'], id: string) {
	return page.evaluate(async (src) => {
		const v = document.createElement('video');
		v.muted = true;
		v.src = src;
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
	}, await transcodeUrl(page, id));
}

/** A transcode's picture at `t` seconds, shrunk to 16×16 RGBA: enough to tell two encodes of one clip agree. */
async function frameAt(page: App['page'], id: string, t: number): Promise<number[]> {
	return page.evaluate(
		async ({ src, t }) => {
			const v = document.createElement('video');
			v.muted = true;
			v.src = src;
			await new Promise((ok) => (v.onloadeddata = ok));
			v.currentTime = t;
			await new Promise((ok) => (v.onseeked = ok));
			const c = new OffscreenCanvas(16, 16);
			const ctx = c.getContext('2d')!;
			ctx.drawImage(v, 0, 0, 16, 16);
			return [...ctx.getImageData(0, 0, 16, 16).data];
		},
		{ src: await transcodeUrl(page, id), t }
	);
}

/** The MP4 sample entries (codec fourccs) found in an asset's transcode: avc1, vp09, av01, mp4a, Opus. */
async function sampleEntries(page: App['page'], id: string): Promise<string[]> {
	return page.evaluate(async (src) => {
		// The clips are a few MB: the whole file is searched (the moov box may come last).
		const text = new TextDecoder('latin1').decode(await (await fetch(src)).arrayBuffer());
		return ['avc1', 'vp09', 'av01', 'mp4a', 'Opus'].filter((f) => text.includes(f));
	}, await transcodeUrl(page, id));
}

const meanAbsDiff = (a: number[], b: number[]) => a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0) / a.length;

describe.skipIf(inject('mediaSource') !== 'corpus')('video conversion (WebCodecs and ffmpeg.wasm)', () => {
	let app: App;
	let library: LibraryExport;
	let clips: Clip[] = [];
	let importS = 0;
	const speeds: string[] = [];
	/** Per clip, a frame of its ffmpeg.wasm transcode (filled by the forced-ffmpeg test). */
	const ffmpegFrames = new Map<string, number[]>();

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
		for (const f of manifest.files.filter((x) => x.kind === 'video' && (x.expect.needs_transcode_chromium || [H264, ROTATED, VP9].includes(x.path)))) {
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
			const engine = await engineOf(app.page, a.id);
			// mediabunny does not read AVI: that one is always ffmpeg.wasm's; the rest go where the browser can.
			if (c.path === AVI ? !engine?.startsWith('ffmpeg') : !engine) problems.push(`${c.path}: made by ${engine}`);
			const r = await play(a.id);
			console.log(`${c.path} (${engine}): ${JSON.stringify(r)}`);
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

	it("under 'all' with ffmpeg.wasm forced, a rotated clip's transcode keeps its displayed (portrait) size", async () => {
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoPolicy', 'all');
		await chooseSetting(app.page, 'videoEngine', 'ffmpeg');
		await gotoPath(app.page, '/');
		await importFiles(app.page, [join(inject('mediaDir'), ROTATED)]);
		await waitForQueuesIdle(app.page, { timeoutMs: 120_000 });
		await load();
		const c = clip(ROTATED);
		const a = assetOf(c)!;
		expect(a.jobs.videoConversion, JSON.stringify(a.errors)).toBe('done');
		expect(await engineOf(app.page, a.id)).toMatch(/^ffmpeg-(mt|st)$/);
		// The viewer keeps playing the original (the browser plays it): the transcode is played here.
		const r = await playTranscode(app.page, a.id);
		console.log(`${c.path} ffmpeg transcode: ${JSON.stringify(r)}`);
		expect(r.ended).toBe(true);
		expect(Math.abs(r.duration - c.expect.duration_s)).toBeLessThan(0.15);
		expect({ w: r.w, h: r.h }).toEqual(expectedSize(c.expect));

		// Every clip through ffmpeg.wasm: the reference pictures the WebCodecs engine is compared with below.
		await runQueueAll(app.page, 'videoConversion');
		await waitForQueuesIdle(app.page, { timeoutMs: 180_000 });
		await load();
		for (const k of clips) {
			const a = assetOf(k)!;
			expect(a.jobs.videoConversion, `${k.path}: ${JSON.stringify(a.errors)}`).toBe('done');
			expect(await engineOf(app.page, a.id), k.path).toMatch(/^ffmpeg-(mt|st)$/);
			ffmpegFrames.set(k.path, await frameAt(app.page, a.id, Math.min(1, k.expect.duration_s / 2)));
		}
	}, 300_000);

	it('with WebCodecs forced, converts what the browser decodes (rotation kept) and refuses the rest with a reason', async () => {
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoEngine', 'webcodecs');
		await runQueueAll(app.page, 'videoConversion');
		await waitForQueuesIdle(app.page, { timeoutMs: 180_000 });
		await load();
		const canDecodeHevc = await app.page.evaluate(async () => (await VideoDecoder.isConfigSupported({ codec: 'hev1.1.6.L93.B0' })).supported === true);
		const converted = clips.filter((c) => assetOf(c)?.jobs.videoConversion === 'done').map((c) => c.path);
		console.log(`WebCodecs converted: ${converted.join(', ')}`);
		for (const path of [H264, ROTATED, VP9]) expect(converted).toContain(path);
		for (const path of converted) {
			const c = clip(path);
			const a = assetOf(c)!;
			expect(await engineOf(app.page, a.id), path).toBe('webcodecs');
			// The same picture as ffmpeg.wasm made of this clip (a wrong pixel format or rotation would differ widely).
			const diff = meanAbsDiff(await frameAt(app.page, a.id, Math.min(1, c.expect.duration_s / 2)), ffmpegFrames.get(path)!);
			console.log(`${path}: WebCodecs vs ffmpeg.wasm frame, mean difference ${diff.toFixed(1)} of 255`);
			expect(diff, path).toBeLessThan(12);
			const r = await playTranscode(app.page, a.id);
			console.log(`${path} WebCodecs transcode: ${JSON.stringify(r)}`);
			expect(r.ended, path).toBe(true);
			expect(Math.abs(r.duration - c.expect.duration_s), path).toBeLessThan(0.15);
			expect({ w: r.w, h: r.h }, path).toEqual(expectedSize(c.expect));
		}
		const avi = assetOf(clip(AVI))!;
		expect(avi.jobs.videoConversion).toBe('failed');
		expect(JSON.stringify(avi.errors)).toMatch(/WebCodecs\) cannot convert this video: the browser's converter does not read this container/);
		if (!canDecodeHevc) {
			const hevc = assetOf(clip('video/hevc_aac_720p.mp4'))!;
			expect(hevc.jobs.videoConversion).toBe('failed');
			expect(JSON.stringify(hevc.errors)).toMatch(/cannot decode its HEVC \(H\.265\) video/);
		}
		// The failures are readable on the jobs page too.
		await gotoPath(app.page, '/jobs');
		await app.page.locator('[data-testid="queue-videoConversion"] summary').click();
		await expect.poll(() => app.page.locator('[data-testid="queue-videoConversion"]').textContent()).toMatch(/cannot convert this video/);
		await screenshot(app.page, 'transcode-webcodecs-refusals');
	}, 240_000);

	it('cancel ends the running conversion and its worker; the job fails as cancelled, the earlier transcode stays', async () => {
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoEngine', 'ffmpeg');
		await runQueueAll(app.page, 'videoConversion');
		const running = app.page.getByTestId('transcode-running').first();
		await running.waitFor({ timeout: 60_000 });
		const id = (await running.getAttribute('data-asset-id'))!;
		// The video pool runs one worker by default: the one converting this clip.
		const videoWorkers = app.page.workers().filter((w) => w.url().includes('transcode.worker'));
		expect(videoWorkers.length).toBe(1);
		let ended = false;
		videoWorkers[0].on('close', () => (ended = true));
		await screenshot(app.page, 'transcode-running');
		await running.getByTestId('transcode-cancel').click();
		await waitForQueuesIdle(app.page, { timeoutMs: 180_000 });
		await load();
		const a = library.assets.find((x) => x.id === id)!;
		expect(a.jobs.videoConversion).toBe('failed');
		expect(JSON.stringify(a.errors)).toMatch(/Cancelled by you/);
		// The worker that ran it was ended (a fresh one took the next clip).
		expect(ended).toBe(true);
		// The rest of the queue went on, and the cancelled clip keeps the transcode it had.
		expect(library.assets.filter((x) => x.type === 'video' && x.id !== id && x.jobs.videoConversion === 'done').length).toBeGreaterThan(0);
		const kept = (await readStored(app.page, 'assets', id, 'derivatives')) as { transcode?: string };
		if (kept.transcode) expect((await playTranscode(app.page, id)).ended).toBe(true);
		await gotoPath(app.page, '/jobs');
		await app.page.locator('[data-testid="queue-videoConversion"] summary').click();
		await expect.poll(() => app.page.locator('[data-testid="queue-videoConversion"]').textContent()).toMatch(/Cancelled by you/);
		await screenshot(app.page, 'transcode-cancelled');
	}, 240_000);

	it('with VP9 and Opus chosen, conversions by WebCodecs are VP9 (ffmpeg.wasm makes H.264), all play; sound the browser cannot play becomes Opus', async () => {
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoEngine', 'auto');
		await chooseSetting(app.page, 'videoCodec', 'vp9');
		await chooseSetting(app.page, 'videoAudioCodec', 'opus');
		await runQueueAll(app.page, 'videoConversion');
		await waitForQueuesIdle(app.page, { timeoutMs: 240_000 });
		await load();
		for (const c of clips) {
			const a = assetOf(c)!;
			expect(a.jobs.videoConversion, `${c.path}: ${JSON.stringify(a.errors)}`).toBe('done');
			const codecs = await sampleEntries(app.page, a.id);
			console.log(`${c.path} VP9 setting (${await engineOf(app.page, a.id)}): ${codecs.join(', ')}`);
			const engine = await engineOf(app.page, a.id);
			// ffmpeg.wasm's libvpx traps (upstream bug): what it converts is H.264, and the row says so.
			const made = engine === 'webcodecs' ? 'vp9' : 'h264';
			expect(await readStored(app.page, 'assets', a.id, 'transcodeCodec'), c.path).toBe(made);
			expect(codecs, c.path).toContain(made === 'vp9' ? 'vp09' : 'avc1');
			if (c.path === VP9 || c.path === H264) expect(engine, c.path).toBe('webcodecs');
			// PCM in the AVI is not playable in MP4: it must have become Opus; AAC is kept.
			if (c.path === AVI) expect(codecs).toContain('Opus');
			if (c.path === H264) expect(codecs).toContain('mp4a');
			const r = await playTranscode(app.page, a.id);
			expect(r.ended, c.path).toBe(true);
			expect({ w: r.w, h: r.h }, c.path).toEqual(expectedSize(c.expect));
		}
	}, 300_000);
});
