// Video: probe, poster and playback decision in a real Chromium. Imports every clip of <media>/video,
// bad/truncated_moov.mp4 and one H.264 clip generated in the page (WebCodecs + mediabunny: black
// first frame, rotation 90), so the poster path is tested for real even without the corpus.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chooseSetting, exportLibrary, gotoPath, importFiles, openApp, readGrid, saveArtifact, screenshot, waitForQueuesIdle, type App } from './helpers/app';
import type { ExportedAsset, LibraryExport } from './helpers/check';
import { REPO_ROOT, sha1File } from './helpers/media';

interface VideoExpect {
	container?: string;
	video_codec: string;
	pix_fmt?: string;
	display_width: number;
	display_height: number;
	rotation: number;
	fps: number;
	duration_s: number;
	has_audio: boolean;
	needs_transcode_chromium: boolean;
}

interface Clip {
	name: string;
	path: string;
	sha1: string;
	expect: VideoExpect;
}

type VideoAsset = ExportedAsset & { durationS: number | null; videoCodec: string | null; audioCodec: string | null; rotation: number | null; fps: number | null };

const GENERATED: VideoExpect = {
	video_codec: 'h264',
	pix_fmt: 'yuv420p',
	display_width: 240,
	display_height: 320,
	rotation: 90,
	fps: 25,
	duration_s: 2,
	has_audio: false,
	needs_transcode_chromium: false
};

/** Whether the poster comes through WebCodecs (8-bit 4:2:0 H.264/VP8/VP9/AV1 outside AVI); ffmpeg.wasm makes the others. */
function posterExpected(e: VideoExpect): boolean {
	return ['h264', 'vp8', 'vp9', 'av1'].includes(e.video_codec) && (e.pix_fmt ?? 'yuv420p') === 'yuv420p' && e.container !== 'avi';
}

/** A 2 s 320×240 H.264 MP4 at 25 fps, rotation 90, first frame black, made in the page. */
async function generateClip(app: App): Promise<Buffer> {
	const bundle = join(REPO_ROOT, 'node_modules/mediabunny/dist/bundles/mediabunny.min.cjs');
	await app.page.addScriptTag({ content: await readFile(bundle, 'utf8') });
	const bytes = await app.page.evaluate(async () => {
		const M = (window as unknown as { Mediabunny: typeof import('mediabunny') }).Mediabunny;
		const canvas = new OffscreenCanvas(320, 240);
		const ctx = canvas.getContext('2d')!;
		const output = new M.Output({ format: new M.Mp4OutputFormat(), target: new M.BufferTarget() });
		const source = new M.CanvasSource(canvas, { codec: 'avc', bitrate: 1e6 });
		output.addVideoTrack(source, { frameRate: 25, rotation: 90 });
		await output.start();
		for (let i = 0; i < 50; i++) {
			ctx.fillStyle = i === 0 ? '#000' : `hsl(${i * 7}, 80%, 55%)`;
			ctx.fillRect(0, 0, 320, 240);
			if (i) {
				ctx.fillStyle = '#fff';
				ctx.font = '48px sans-serif';
				ctx.fillText(`UP ${i}`, 80, 140);
			}
			await source.add(i / 25, 1 / 25);
		}
		await output.finalize();
		const buf = new Uint8Array((output.target as InstanceType<typeof M.BufferTarget>).buffer!);
		let s = '';
		for (const b of buf) s += String.fromCharCode(b);
		return btoa(s);
	});
	return Buffer.from(bytes, 'base64');
}

describe(`video (${inject('mediaSource')} media)`, () => {
	let app: App;
	let clips: Clip[] = [];
	let truncated: { path: string; sha1: string } | null = null;
	let library: LibraryExport;
	const byName = new Map<string, VideoAsset>();

	beforeAll(async () => {
		const media = inject('mediaDir');
		if (inject('mediaSource') === 'corpus') {
			const manifest = JSON.parse(await readFile(join(media, 'MANIFEST.json'), 'utf8')) as { files: Array<{ path: string; kind: string; expect: VideoExpect }> };
			for (const f of manifest.files.filter((x) => x.kind === 'video')) {
				const path = join(media, f.path);
				clips.push({ name: f.path.split('/').pop()!, path, sha1: await sha1File(path), expect: f.expect });
			}
			const t = join(media, 'bad/truncated_moov.mp4');
			if (existsSync(t)) truncated = { path: t, sha1: await sha1File(t) };
		}
		app = await openApp('/');
		const dir = join(REPO_ROOT, 'test-results', 'e2e');
		await mkdir(dir, { recursive: true });
		const generated = join(dir, 'generated_h264_rot90.mp4');
		await writeFile(generated, await generateClip(app));
		clips.push({ name: 'generated_h264_rot90.mp4', path: generated, sha1: await sha1File(generated), expect: GENERATED });
		// Conversion is tested in transcode.e2e.ts: here the viewer must explain what it cannot play.
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoPolicy', 'disabled');
		await gotoPath(app.page, '/');
		await importFiles(app.page, [...clips.map((c) => c.path), ...(truncated ? [truncated.path] : [])]);
		const queues = await waitForQueuesIdle(app.page);
		console.log(`queues idle: ${JSON.stringify(queues)}`);
		({ library } = await exportLibrary(app.page));
		await saveArtifact(`library-video-${inject('mediaSource')}.json`, library);
		for (const c of clips) {
			const a = library.assets.find((x) => x.checksum === c.sha1) as VideoAsset | undefined;
			if (a) byName.set(c.name, a);
		}
		for (const c of clips) {
			const a = byName.get(c.name);
			console.log(
				`${c.name}: ${a?.videoCodec} ${a?.width}x${a?.height} rot=${a?.rotation} ${a?.durationS}s ${a?.fps}fps audio=${a?.audioCodec} takenAt=${a?.takenAt} ` +
					`jobs=${JSON.stringify(a?.jobs)} ${a?.errors.map((e) => e.message).join(' | ') ?? ''}`
			);
		}
	});

	afterAll(async () => {
		await app?.close();
	});

	it('probes every clip: codec, displayed size, rotation, duration (±0.1 s), audio and frame rate', () => {
		const problems: string[] = [];
		for (const c of clips) {
			const a = byName.get(c.name);
			if (!a) {
				problems.push(`${c.name}: no asset`);
				continue;
			}
			const e = c.expect;
			const say = (what: string, got: unknown, want: unknown) => problems.push(`${c.name}: ${what} got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
			if (a.type !== 'video') say('type', a.type, 'video');
			if (a.jobs.metadataExtraction !== 'done') say('jobs.metadataExtraction', a.jobs.metadataExtraction, 'done');
			if (a.videoCodec !== e.video_codec) say('videoCodec', a.videoCodec, e.video_codec);
			if (a.width !== e.display_width || a.height !== e.display_height) say('displayed size', [a.width, a.height], [e.display_width, e.display_height]);
			if (a.rotation !== e.rotation) say('rotation', a.rotation, e.rotation);
			if (a.durationS === null || Math.abs(a.durationS - e.duration_s) > 0.1) say('durationS (±0.1)', a.durationS, e.duration_s);
			if ((a.audioCodec !== null) !== e.has_audio) say('audio', a.audioCodec, e.has_audio ? 'a codec' : null);
			if (a.fps === null || Math.abs(a.fps - e.fps) > 0.01) say('fps', a.fps, e.fps);
		}
		expect(problems).toEqual([]);
		expect(byName.size).toBe(clips.length);
	});

	it('makes a poster (thumbnail) for every clip: WebCodecs where the browser decodes it, ffmpeg.wasm otherwise', async () => {
		const problems: string[] = [];
		const withPoster = new Set<string>();
		for (const c of clips) {
			const a = byName.get(c.name)!;
			if (a.jobs.thumbnailGeneration !== 'done') problems.push(`${c.name}: poster ${a.jobs.thumbnailGeneration} ${JSON.stringify(a.errors)}`);
			withPoster.add(a.id);
		}
		console.log(`posters: ${clips.filter((c) => posterExpected(c.expect)).length} clips WebCodecs can decode, ${clips.filter((c) => !posterExpected(c.expect)).length} through ffmpeg.wasm`);
		expect(problems).toEqual([]);
		await expect
			.poll(async () => (await readGrid(app.page)).tiles.filter((t) => withPoster.has(t.id) && !t.hasThumbnail).map((t) => t.id), { timeout: 60_000, interval: 500 })
			.toEqual([]);
		await gotoPath(app.page, '/');
		await app.page.waitForTimeout(1000);
		await screenshot(app.page, 'video-grid');
	});

	it('skips a black first frame: the generated clip’s poster is not black', async () => {
		const a = byName.get('generated_h264_rot90.mp4')!;
		const luma = await app.page.evaluate(async (id) => {
			const tile = document.querySelector<HTMLImageElement>(`[data-asset-id="${id}"] img`);
			if (!tile) return null;
			await tile.decode();
			const c = new OffscreenCanvas(16, 16);
			const ctx = c.getContext('2d')!;
			ctx.drawImage(tile, 0, 0, 16, 16);
			const d = ctx.getImageData(0, 0, 16, 16).data;
			let s = 0;
			for (let i = 0; i < d.length; i += 4) s += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
			return s / (d.length / 4);
		}, a.id);
		expect(luma).not.toBeNull();
		expect(luma!).toBeGreaterThan(40);
	});

	it.skipIf(inject('mediaSource') !== 'corpus')('fails a truncated moov with a readable error and nothing else breaks', () => {
		expect(truncated).not.toBeNull();
		const a = library.assets.find((x) => x.checksum === truncated!.sha1);
		const failed = library.failedImports.find((f) => f.name === 'truncated_moov.mp4');
		if (a) {
			expect(a.jobs.metadataExtraction).toBe('failed');
			const msg = a.errors.find((e) => e.queue === 'metadataExtraction')?.message ?? '';
			expect(msg).toMatch(/truncated|damaged/i);
			expect(msg).not.toMatch(/undefined|\[object|TypeError/);
		} else expect(failed?.reason).toBeTruthy();
		// Every other clip was probed.
		for (const c of clips) expect(byName.get(c.name)?.jobs.metadataExtraction, c.name).toBe('done');
	});

	it('plays every playable original in the viewer and explains the others', async () => {
		for (const c of clips) {
			const a = byName.get(c.name)!;
			await gotoPath(app.page, `/photos/${a.id}`);
			if (c.expect.needs_transcode_chromium) {
				const msg = app.page.getByTestId('viewer-message');
				await msg.waitFor({ timeout: 15_000 });
				expect(await msg.innerText(), c.name).toMatch(/^This browser cannot play .+; it has not been converted/);
				if (c.name.startsWith('hevc')) await screenshot(app.page, 'video-viewer-unplayable');
				continue;
			}
			const video = app.page.getByTestId('viewer-video');
			await video.waitFor({ timeout: 15_000 });
			await video.evaluate((v: HTMLVideoElement) => {
				v.muted = true;
				return v.play().catch(() => undefined);
			});
			await app.page.waitForFunction(
				() => {
					const v = document.querySelector<HTMLVideoElement>('[data-testid="viewer-video"]');
					return !!v && (v.ended || v.currentTime > 0.1) && !v.error;
				},
				null,
				{ timeout: 20_000, polling: 100 }
			);
			const shown = await video.evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight, error: v.error?.message ?? null }));
			expect(shown.error, c.name).toBeNull();
			// <video> reports the displayed size (rotation applied) in Chromium.
			expect([shown.w, shown.h], c.name).toEqual([c.expect.display_width, c.expect.display_height]);
			if (c.name === 'rotated_90.mov' || (c.name.startsWith('generated') && !clips.some((x) => x.name === 'rotated_90.mov'))) {
				await video.evaluate((v: HTMLVideoElement) => v.pause());
				await screenshot(app.page, 'video-viewer-playing');
			}
		}
	});
});
