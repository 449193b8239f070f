// Video metadata from the original in OPFS: mediabunny demuxes MP4/QuickTime/WebM/Matroska through a
// BlobSource (only the parts it needs are read), the small readers in containers.ts add creation time
// and GPS, and AVI (which mediabunny does not read) has its own header parser. Runs in the media
// worker and in Node (the unit tests), since demuxing needs no browser API.
import { ALL_FORMATS, BlobSource, Input } from 'mediabunny';
import type { VideoProbe } from '../shared/api';
import { MediaError } from '../shared/errors';
import { audioCodecName, pixelFormat, streamFormat, videoCodecName } from './codecs';
import { sourceColour, type SourceColour } from './colour';
import { matroskaMeta, quickTimeMeta, readAviHeader } from './containers';

/** How many packets to look at for the average frame rate (a few seconds of a normal clip). */
const FPS_PACKETS = 120;

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function containerName(formatName: string, mime: string): string {
	if (mime.startsWith('video/quicktime')) return 'mov';
	if (mime.startsWith('video/webm')) return 'webm';
	if (/matroska/i.test(formatName)) return 'mkv';
	if (/mp4/i.test(formatName)) return 'mp4';
	return formatName.toLowerCase();
}

/** The RIFF signature: AVI goes to its own parser. */
async function isAvi(file: Blob): Promise<boolean> {
	const h = new Uint8Array(await file.slice(0, 12).arrayBuffer());
	return String.fromCharCode(...h.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...h.subarray(8, 12)) === 'AVI ';
}

async function probeAvi(file: Blob): Promise<VideoProbe> {
	let a;
	try {
		a = await readAviHeader(file);
	} catch (err) {
		throw new MediaError(`This AVI file cannot be read: ${err instanceof Error ? err.message : String(err)}.`, true);
	}
	const eightBit420 = a.videoCodec === 'mjpeg' ? { bitDepth: 8, chroma: null } : { bitDepth: null, chroma: null };
	return {
		container: 'avi',
		mime: 'video/x-msvideo',
		videoCodec: a.videoCodec,
		codecString: null,
		profile: null,
		pixelFormat: null,
		...eightBit420,
		codedWidth: a.width,
		codedHeight: a.height,
		width: a.width,
		height: a.height,
		rotation: 0,
		fps: a.fps,
		durationS: a.durationS,
		audioCodec: a.audioCodec,
		audioCodecString: null,
		// The AVI header says nothing of colour (and MJPEG/MPEG-4 ASP there are SDR).
		hdr: null,
		colorPrimaries: null,
		colorTransfer: null,
		colorMatrix: null,
		creationTime: null,
		gps: null
	};
}

/**
 * Everything the library records about a video. A file whose index cannot be read (a truncated
 * moov, random bytes with a video header) fails with a permanent, readable MediaError.
 */
export async function probeVideo(file: Blob): Promise<VideoProbe> {
	if (file.size === 0) throw new MediaError('The video file is empty.', true);
	if (await isAvi(file)) return probeAvi(file);

	const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
	try {
		let formatName: string;
		let mime: string;
		try {
			formatName = (await input.getFormat()).name;
			mime = await input.getMimeType();
		} catch {
			throw new MediaError('This video container is not recognised (or its header is damaged).', true);
		}
		const track = await input.getPrimaryVideoTrack().catch(() => null);
		if (!track) {
			throw new MediaError(
				'No video track could be read: the file is truncated or damaged (its index — the MP4 "moov" box — is missing or incomplete).',
				true
			);
		}
		const container = containerName(formatName, mime);
		const codecString = await track.getCodecParameterString().catch(() => null);
		const config = await track.getDecoderConfig().catch(() => null);
		const fmt = streamFormat(track.codec, codecString, config?.description ?? null);
		const colour = sourceColour(await track.getColorSpace().catch(() => null));
		const stats = await track.computePacketStats(FPS_PACKETS).catch(() => null);
		const duration = await input.computeDuration().catch(() => 0);
		if (!stats || stats.packetCount === 0 || !(duration > 0)) {
			throw new MediaError('The video has no readable frames: the file is truncated or damaged.', true);
		}
		const audio = await input.getPrimaryAudioTrack().catch(() => null);
		const meta = container === 'webm' || container === 'mkv' ? await matroskaMeta(file) : await quickTimeMeta(file);
		return {
			container,
			mime: mime.split(';')[0],
			videoCodec: videoCodecName(track.codec),
			codecString,
			profile: fmt.profile,
			pixelFormat: pixelFormat(fmt.chroma, fmt.bitDepth),
			bitDepth: fmt.bitDepth,
			chroma: fmt.chroma,
			codedWidth: track.codedWidth,
			codedHeight: track.codedHeight,
			width: track.displayWidth,
			height: track.displayHeight,
			rotation: track.rotation,
			fps: stats.averagePacketRate > 0 ? round(stats.averagePacketRate, 3) : null,
			durationS: round(duration, 3),
			audioCodec: audio ? audioCodecName(audio.codec) ?? 'unknown' : null,
			audioCodecString: audio ? await audio.getCodecParameterString().catch(() => null) : null,
			hdr: colour.hdr,
			colorPrimaries: colour.primaries,
			colorTransfer: colour.transfer,
			colorMatrix: colour.matrix,
			creationTime: meta.creationTime,
			gps: meta.gps
		};
	} catch (err) {
		if (err instanceof MediaError) throw err;
		throw new MediaError(`This video cannot be read: ${err instanceof Error ? err.message : String(err)}.`, true);
	} finally {
		input.dispose();
	}
}

/**
 * The colour description of a file's video track alone (for the converter, which tone-maps HDR):
 * null when mediabunny cannot read the file (AVI, damaged), which is then treated as SDR.
 */
export async function probeColour(file: Blob): Promise<SourceColour | null> {
	if (file.size === 0 || (await isAvi(file))) return null;
	const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
	try {
		const track = await input.getPrimaryVideoTrack();
		return track ? sourceColour(await track.getColorSpace()) : null;
	} catch {
		return null;
	} finally {
		input.dispose();
	}
}
