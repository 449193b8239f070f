// Transcode worker: one video at a time, by the engine the settings ask for (and poster frames of
// videos the browser cannot decode, through ffmpeg.wasm). 'auto' tries the
// browser's own codecs first (WebCodecs: native speed) and falls back to ffmpeg.wasm for what they
// cannot do (HEVC or 10-bit without a hardware decoder, AVI, MJPEG, HDR to tone-map…); 'webcodecs'
// and 'ffmpeg' force one.
import * as Comlink from 'comlink';
import { derivativePath, fileHandle, readBlob, removeBlob, storageErrorMessage } from '../../src/lib/blobs/store';
import { MediaError } from '../shared/errors';
import { originalFile, storageFailure, storeDerived } from '../shared/storage';
import type { TranscodeOptions, TranscodeProgress, TranscodeResult, VideoApi } from '../shared/video-api';
import type { SourceColour } from './colour';
import { frameFfmpeg, transcodeFfmpeg } from './ffmpeg-engine';
import { VIDEO_CODEC_NAMES } from './output-codecs';
import { probeColour } from './probe';
import { transcodeWebCodecs, WebCodecsRefused } from './webcodecs-engine';
import { hdrRefusal } from './webcodecs-refusal';

/** The MP4 is streamed into its OPFS file, which keeps it only once complete (close), never a half-made one. */
async function viaWebCodecs(file: Blob, path: string[], o: TranscodeOptions, onProgress?: (p: TranscodeProgress) => void): Promise<number> {
	const earlier = await readBlob(path);
	const handle = await fileHandle(path, true);
	const out = await handle.createWritable();
	try {
		await transcodeWebCodecs(file, (chunk) => out.write(chunk), o, onProgress);
		await out.close();
	} catch (err) {
		await out.abort().catch(() => {});
		// An earlier transcode stays as it was; a file created just now for this one goes.
		if (!earlier) await removeBlob(path).catch(() => {});
		throw err;
	}
	return (await handle.getFile()).size;
}

async function viaFfmpeg(file: Blob, path: string[], o: TranscodeOptions, colour: SourceColour | null, onProgress?: (p: TranscodeProgress) => void) {
	const { out, kind } = await transcodeFfmpeg(file, o, colour, onProgress);
	await storeDerived(path, out as Uint8Array<ArrayBuffer>);
	return { bytes: out.byteLength, engine: `ffmpeg-${kind}` as const };
}

const api: VideoApi = {
	async posterImage(checksum: string, atS: number): Promise<Uint8Array> {
		const file = await originalFile(checksum);
		const colour = await probeColour(file);
		let png: Uint8Array;
		try {
			png = await frameFfmpeg(file, atS, colour);
		} catch (err) {
			if (atS === 0) throw err;
			png = await frameFfmpeg(file, 0, colour);
		}
		return Comlink.transfer(png, [png.buffer]);
	},

	async transcode(assetId: string, checksum: string, o: TranscodeOptions, onProgress?: (p: TranscodeProgress) => void): Promise<TranscodeResult> {
		const file = await originalFile(checksum);
		const path = derivativePath(assetId, 'transcode', 'mp4');
		const t0 = performance.now();
		const done = (bytes: number, engine: TranscodeResult['engine'], fallback: string | null, videoCodec = o.videoCodec): TranscodeResult => {
			onProgress?.({ ratio: 1 });
			return { path: path.join('/'), bytes, engine, videoCodec, fallback, seconds: (performance.now() - t0) / 1000 };
		};
		// The colour description decides tone mapping (ffmpeg.wasm) and keeps HDR from WebCodecs.
		const colour = await probeColour(file);
		let fallback: string | null = null;
		if (o.engine !== 'ffmpeg') {
			try {
				if (colour?.hdr) throw new WebCodecsRefused(hdrRefusal(colour.hdr));
				return done(await viaWebCodecs(file, path, o, onProgress), 'webcodecs', null);
			} catch (err) {
				if (storageErrorMessage(err)) throw storageFailure(err);
				const why = err instanceof Error ? err.message : String(err);
				if (o.engine === 'webcodecs') throw new MediaError(`The browser's own codecs (WebCodecs) cannot convert this video: ${why}.`, true);
				fallback = `WebCodecs passed over: ${err instanceof WebCodecsRefused ? why : `it failed (${why})`}`;
			}
		}
		const r = await viaFfmpeg(file, path, o, colour, onProgress);
		// ffmpeg.wasm makes H.264 only (see transcode-args.ts): a playable file beats none.
		if (o.videoCodec !== 'h264') fallback = `${fallback ?? 'ffmpeg.wasm forced'}; made H.264, as ffmpeg.wasm cannot encode ${VIDEO_CODEC_NAMES[o.videoCodec]}`;
		return done(r.bytes, r.engine, fallback, 'h264');
	}
};

Comlink.expose(api);
