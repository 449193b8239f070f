// HDR video in a real Chromium: a PQ clip (H.264 High 10, MP4) and an HLG clip (VP9 profile 2, WebM),
// both 10-bit BT.2020, made by native ffmpeg from a test card of known levels (test/hdr-clips.ts).
// The probe marks them HDR; under 'auto' WebCodecs passes them over (it does not tone-map) and
// ffmpeg.wasm makes 8-bit H.264 tagged BT.709 that plays to the end and whose picture is native
// ffmpeg's under the same command line, tone-mapped (bright patches not clipped, reference white
// not dimmed or blown, colours saturated), unlike the untreated conversion; the posters are
// tone-mapped too; WebCodecs forced refuses them in words. Skipped where the optional native ffmpeg
// is absent (nothing here could make an HDR clip).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscodeOptions } from '../../worker/shared/video-api';
import { probeColour, probeVideo } from '../../worker/video/probe';
import { ffmpegArgs } from '../../worker/video/transcode-args';
import { CARD, makeHdrClips, measureCard, nativeFfmpeg, runFfmpeg, type Patches } from '../hdr-clips';
import { chooseSetting, exportLibrary, gotoPath, importFiles, openApp, readStored, runQueueAll, saveArtifact, waitForQueuesIdle, type App } from './helpers/app';
import type { LibraryExport } from './helpers/check';
import { sha1File } from './helpers/media';

type Kind = 'pq' | 'hlg';
interface Clip {
	kind: Kind;
	path: string;
	sha1: string;
	/** Native ffmpeg with the app's own command line: tone-mapped, and (before this feature) untreated. */
	reference: string;
	untreated: string;
	id?: string;
}

/** Frames are compared at this size (the patches are 40 × 90 px here). */
const VIEW = { width: 320, height: 180 };
/** The grey patch at reference white (PQ 203 nits, HLG 75%), and the brightest unclipped one (PQ 1000 nits, HLG 90%). */
const REF_WHITE: Record<Kind, number> = { pq: 4, hlg: 5 };
const BRIGHT = 6;

const bin = nativeFfmpeg();
if (!bin) console.warn('hdr.e2e: skipped: native ffmpeg (@ffmpeg-installer/linux-x64, an optional dependency) is absent, so no HDR clip can be made');

/** A video file's frame at `t` s drawn at VIEW size in the page, as RGBA. */
function frameOf(app: App, src: string, t: number): Promise<number[]> {
	return app.page.evaluate(
		async ({ src, t, w, h }) => {
			const v = document.createElement('video');
			v.muted = true;
			v.src = src;
			await new Promise((ok, fail) => {
				v.onloadeddata = ok;
				v.onerror = () => fail(new Error(v.error?.message ?? 'video error'));
			});
			v.currentTime = t;
			await new Promise((ok) => (v.onseeked = ok));
			const ctx = new OffscreenCanvas(w, h).getContext('2d')!;
			ctx.drawImage(v, 0, 0, w, h);
			return [...ctx.getImageData(0, 0, w, h).data];
		},
		{ src, t, w: VIEW.width, h: VIEW.height }
	);
}

/** A blob: URL in the page of bytes from Node. */
function pageUrl(app: App, bytes: Buffer, type: string): Promise<string> {
	return app.page.evaluate(({ b64, type }) => URL.createObjectURL(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type })), { b64: bytes.toString('base64'), type });
}

/** A file of OPFS (a '/'-joined path) as bytes. */
async function opfsBytes(app: App, path: string): Promise<Buffer> {
	const b64 = await app.page.evaluate(async (path) => {
		let dir = await navigator.storage.getDirectory();
		const parts = path.split('/');
		for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
		const bytes = new Uint8Array(await (await (await dir.getFileHandle(parts.at(-1)!)).getFile()).arrayBuffer());
		let s = '';
		for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
		return btoa(s);
	}, path);
	return Buffer.from(b64, 'base64');
}

/** An image's pixels at VIEW size, decoded in the page. */
function imageOf(app: App, src: string): Promise<number[]> {
	return app.page.evaluate(
		async ({ src, w, h }) => {
			const bitmap = await createImageBitmap(await (await fetch(src)).blob());
			const ctx = new OffscreenCanvas(w, h).getContext('2d')!;
			ctx.drawImage(bitmap, 0, 0, w, h);
			return [...ctx.getImageData(0, 0, w, h).data];
		},
		{ src, w: VIEW.width, h: VIEW.height }
	);
}

/** The MP4's colour box: 'nclx' primaries / transfer / matrix codes (ISO/IEC 23091-2), null when absent. */
function colrBox(mp4: Buffer): number[] | null {
	const at = mp4.indexOf('colrnclx', 0, 'latin1');
	return at < 0 ? null : [0, 1, 2].map((i) => mp4.readUInt16BE(at + 8 + 2 * i));
}

const patchesDiff = (a: Patches, b: Patches) => {
	const xs = [...a.greys, ...a.colours.flat()];
	const ys = [...b.greys, ...b.colours.flat()];
	return xs.reduce((s, x, i) => s + Math.abs(x - ys[i]), 0) / xs.length;
};
const fmt = (p: Patches) => `greys ${p.greys.map((g) => g.toFixed(0)).join(' ')} | colours ${p.colours.map((c) => c.map((x) => x.toFixed(0)).join('/')).join(' ')}`;

describe.skipIf(!bin)('HDR video: probe, tone-mapped conversion by ffmpeg.wasm, refusal by WebCodecs', () => {
	let app: App;
	let dir = '';
	let library: LibraryExport;
	const clips: Clip[] = [];
	const logs: string[] = [];
	const clip = (k: Kind) => clips.find((c) => c.kind === k)!;
	const asset = (c: Clip) => library.assets.find((a) => a.checksum === c.sha1)!;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'shoebox-e2e-hdr-'));
		const made = await makeHdrClips(bin!, dir);
		for (const kind of ['pq', 'hlg'] as const) {
			const path = made[kind];
			// The app's own command line (for this clip's displayed size), run by native ffmpeg.
			const o: TranscodeOptions = { ...CARD, crf: 23, preset: 'ultrafast', threads: 1, audioCodec: null, videoCodec: 'h264', targetAudio: 'aac', durationS: CARD.seconds, engine: 'ffmpeg' };
			const native = (args: string[], out: string) => runFfmpeg(bin!, args.slice(2).map((a) => (a === 'in' ? path : a === 'out.mp4' ? out : a)));
			const reference = join(dir, `${kind}-reference.mp4`);
			const untreated = join(dir, `${kind}-untreated.mp4`);
			await native(ffmpegArgs(o, await probeColour(await openAsBlob(path))), reference);
			await native(ffmpegArgs(o, null), untreated);
			clips.push({ kind, path, sha1: await sha1File(path), reference, untreated });
		}
		app = await openApp('/');
		app.page.on('console', (m) => {
			if (/^transcode /.test(m.text())) logs.push(m.text());
		});
		await importFiles(app.page, clips.map((c) => c.path));
		await waitForQueuesIdle(app.page, { timeoutMs: 240_000 });
		({ library } = await exportLibrary(app.page));
		await saveArtifact('library-hdr.json', library);
		for (const c of clips) c.id = asset(c).id;
	}, 300_000);

	afterAll(async () => {
		console.log(logs.join('\n'));
		await app?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it('the probe records HDR and the colour description; the original is not playable (10-bit), so it is converted', async () => {
		const want = { pq: ['pq', 'smpte2084'], hlg: ['hlg', 'arib-std-b67'] };
		for (const c of clips) {
			const row = await Promise.all(['hdr', 'colorTransfer', 'colorPrimaries', 'colorMatrix', 'playable'].map((f) => readStored(app.page, 'assets', c.id!, f)));
			expect(row, c.kind).toEqual([...want[c.kind], 'bt2020', 'bt2020nc', false]);
			expect(asset(c).jobs.videoConversion, JSON.stringify(asset(c).errors)).toBe('done');
		}
	});

	it("under 'auto', WebCodecs passes HDR over with the reason and ffmpeg.wasm converts it", async () => {
		for (const c of clips) {
			expect(await readStored(app.page, 'assets', c.id!, 'transcodeEngine'), c.kind).toMatch(/^ffmpeg-(mt|st)$/);
			const line = logs.find((l) => l.startsWith(`transcode ${c.id}:`));
			expect(line, c.kind).toContain(`WebCodecs passed over: its picture is HDR (${c.kind.toUpperCase()}), which this engine does not tone-map to SDR`);
		}
	});

	it('each transcode is 8-bit 4:2:0 H.264 tagged BT.709, plays to the end, and is tone-mapped as native ffmpeg does it', async () => {
		for (const c of clips) {
			const path = (await readStored(app.page, 'assets', c.id!, 'derivatives')) as { transcode: string };
			const mp4 = await opfsBytes(app, path.transcode);
			const file = join(dir, `${c.kind}-app.mp4`);
			await writeFile(file, mp4);
			const p = await probeVideo(await openAsBlob(file));
			expect([p.videoCodec, p.bitDepth, p.pixelFormat, p.hdr, p.colorPrimaries, p.colorTransfer, p.colorMatrix], c.kind).toEqual(['h264', 8, 'yuv420p', null, 'bt709', 'bt709', 'bt709']);
			expect(colrBox(mp4), c.kind).toEqual([1, 1, 1]);
			expect(colrBox(await readFile(c.path)), `${c.kind} source`).toEqual(c.kind === 'pq' ? [9, 16, 9] : null);

			const src = await pageUrl(app, mp4, 'video/mp4');
			const played = await app.page.evaluate(async (src) => {
				const v = document.createElement('video');
				v.muted = true;
				v.src = src;
				await new Promise((ok) => (v.onloadedmetadata = ok));
				await v.play();
				await new Promise<void>((done) => {
					v.onended = () => done();
					setTimeout(done, 20_000);
				});
				return { ended: v.ended, duration: v.duration, w: v.videoWidth, h: v.videoHeight };
			}, src);
			expect(played.ended, c.kind).toBe(true);
			expect(Math.abs(played.duration - CARD.seconds), c.kind).toBeLessThan(0.15);
			expect([played.w, played.h]).toEqual([CARD.width, CARD.height]);

			const t = CARD.seconds / 2;
			const got = measureCard(await frameOf(app, src, t), VIEW.width, VIEW.height);
			const ref = measureCard(await frameOf(app, await pageUrl(app, await readFile(c.reference), 'video/mp4'), t), VIEW.width, VIEW.height);
			const old = measureCard(await frameOf(app, await pageUrl(app, await readFile(c.untreated), 'video/mp4'), t), VIEW.width, VIEW.height);
			console.log(`${c.kind} app (ffmpeg.wasm): ${fmt(got)}\n${c.kind} native, same command line: ${fmt(ref)}\n${c.kind} untreated (no tone mapping): ${fmt(old)}`);
			console.log(`${c.kind}: mean difference from native ${patchesDiff(got, ref).toFixed(2)}, from untreated ${patchesDiff(got, old).toFixed(1)} (of 255)`);
			expect(patchesDiff(got, ref), c.kind).toBeLessThan(3);
			expect(patchesDiff(got, old), c.kind).toBeGreaterThan(10);
			// Levels rise patch by patch up to the brightest unclipped one; reference white is neither dim nor blown.
			for (let i = 1; i <= BRIGHT; i++) expect(got.greys[i], `${c.kind} grey ${i}`).toBeGreaterThan(got.greys[i - 1] + 8);
			expect(got.greys[REF_WHITE[c.kind]], c.kind).toBeGreaterThan(150);
			expect(got.greys[REF_WHITE[c.kind]], c.kind).toBeLessThan(235);
			expect(got.greys[0], c.kind).toBeLessThan(8);
			// Saturated BT.2020 primaries stay saturated and keep their hue in BT.709.
			got.colours.slice(0, 3).forEach((rgb, i) => {
				const others = rgb.filter((_, k) => k !== i);
				expect(rgb[i], `${c.kind} colour ${i}`).toBeGreaterThan(150);
				expect(Math.max(...others), `${c.kind} colour ${i}`).toBeLessThan(60);
			});
		}
	}, 120_000);

	it("the posters (ffmpeg.wasm's frame) are tone-mapped like the transcode", async () => {
		for (const c of clips) {
			const d = (await readStored(app.page, 'assets', c.id!, 'derivatives')) as { preview: string; transcode: string };
			const ext = d.preview.split('.').at(-1)!;
			const poster = measureCard(await imageOf(app, await pageUrl(app, await opfsBytes(app, d.preview), `image/${ext === 'jpg' ? 'jpeg' : ext}`)), VIEW.width, VIEW.height);
			const frame = measureCard(await frameOf(app, await pageUrl(app, await opfsBytes(app, d.transcode), 'video/mp4'), 0.2), VIEW.width, VIEW.height);
			console.log(`${c.kind} poster: ${fmt(poster)}; mean difference from the transcode ${patchesDiff(poster, frame).toFixed(2)}`);
			expect(patchesDiff(poster, frame), c.kind).toBeLessThan(3);
		}
	});

	it('with WebCodecs forced, HDR clips fail with a readable reason', async () => {
		await gotoPath(app.page, '/settings');
		await chooseSetting(app.page, 'videoEngine', 'webcodecs');
		await runQueueAll(app.page, 'videoConversion');
		await waitForQueuesIdle(app.page, { timeoutMs: 120_000 });
		({ library } = await exportLibrary(app.page));
		for (const c of clips) {
			const a = asset(c);
			expect(a.jobs.videoConversion, c.kind).toBe('failed');
			expect(JSON.stringify(a.errors), c.kind).toContain(
				`WebCodecs) cannot convert this video: its picture is HDR (${c.kind.toUpperCase()}), which this engine does not tone-map to SDR.`
			);
		}
	}, 180_000);
});
