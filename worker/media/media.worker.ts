// Media worker: metadata and derivatives for one asset at a time. It reads the original from OPFS
// itself and writes its outputs there, so no large buffer crosses to the page.
import * as Comlink from 'comlink';
import { derivativePath } from '../../src/lib/blobs/store';
import type { MediaApi, Sniffed, ThumbnailSettings } from '../shared/api';
import { MediaError } from '../shared/errors';
import { oneAtATime } from '../shared/one-at-a-time';
import { originalFile, storeDerived } from '../shared/storage';
import { readMetadata } from './exif-map';
import { assertPixelLimit, sniff } from './sniff';
import { decodeForDerivatives, makeDerivatives, type Decoded, type Derivatives } from './thumbnails';

const HEAD_BYTES = 1 << 20;

const api: MediaApi = {
	async extractMetadata(checksum) {
		const bytes = new Uint8Array(await (await originalFile(checksum)).arrayBuffer());
		const sniffed = await sniff(bytes);
		return { ...readMetadata(bytes, sniffed), sniffed };
	},

	async makeThumbnails(assetId: string, checksum: string, s: ThumbnailSettings) {
		const file = await originalFile(checksum);
		let sniffed = await sniff(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()));
		// The header can sit past the first MiB (large embedded previews): look at the whole file then.
		if (!sniffed.width && file.size > HEAD_BYTES) sniffed = await sniff(new Uint8Array(await file.arrayBuffer()));
		if (sniffed.type !== 'image') throw new MediaError('Only images get thumbnails for now.', true);
		return derivativesOfImage(assetId, file, sniffed, s);
	},

	// Video modules (mediabunny) load on the first video job only: image jobs never pay for them.
	async probeVideo(checksum) {
		const [{ probeVideo }, { decidePlayable, browserSupport }] = await Promise.all([import('../video/probe'), import('../../src/lib/video/playable')]);
		const probe = await probeVideo(await originalFile(checksum));
		const verdict = await decidePlayable(probe, browserSupport);
		return { ...probe, playable: verdict.playable, playableReason: verdict.reason };
	},

	async makeVideoPoster(assetId: string, checksum: string, s: ThumbnailSettings) {
		const [{ probeVideo }, { posterFrame, NeedsConversion }] = await Promise.all([import('../video/probe'), import('../video/poster')]);
		const file = await originalFile(checksum);
		const probe = await probeVideo(file);
		assertPixelLimit(probe.width, probe.height, s.maxPixels);
		let frame: ImageBitmap;
		try {
			frame = await posterFrame(file, probe);
		} catch (err) {
			if (err instanceof NeedsConversion) return { needsConversion: err.codec };
			throw err;
		}
		return storeDerivatives(assetId, { bitmap: frame, width: frame.width, height: frame.height }, s);
	},

	async makeThumbnailsFromImage(assetId: string, image: Uint8Array, s: ThumbnailSettings) {
		const sniffed = await sniff(image);
		if (sniffed.type !== 'image') throw new MediaError('The extracted video frame is not an image.', true);
		return derivativesOfImage(assetId, new Blob([image as Uint8Array<ArrayBuffer>]), sniffed, s);
	}
};

/** Refuses a decompression bomb from its header, then decodes the image once and stores its derivatives. */
async function derivativesOfImage(assetId: string, image: Blob, sniffed: Sniffed, s: ThumbnailSettings) {
	if (sniffed.width && sniffed.height) assertPixelLimit(sniffed.width, sniffed.height, s.maxPixels);
	const minShort = Math.max(s.previewSize, s.thumbnailSize);
	return storeDerivatives(assetId, await decodeForDerivatives(image, sniffed.format, s.maxPixels, sniffed, minShort), s);
}

/** Preview, thumbnail and thumbhash from a decoded image, written to OPFS; closes the bitmap. */
async function storeDerivatives(assetId: string, decoded: Decoded, s: ThumbnailSettings) {
	let d: Derivatives;
	try {
		d = await makeDerivatives(decoded, s);
	} finally {
		decoded.bitmap.close();
	}
	const thumbnail = derivativePath(assetId, 'thumbnail', s.thumbnailFormat);
	const preview = derivativePath(assetId, 'preview', s.previewFormat);
	// Two writes at once: each is several round trips to the browser process.
	await Promise.all([storeDerived(preview, d.preview.blob), storeDerived(thumbnail, d.thumbnail.blob)]);
	return { thumbhash: d.thumbhash, phash: d.phash, thumbnail: thumbnail.join('/'), preview: preview.join('/'), width: d.width, height: d.height };
}

Comlink.expose(oneAtATime(api));
