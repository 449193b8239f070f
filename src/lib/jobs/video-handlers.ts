// The videoConversion queue: decide (needsTranscode), then transcode in the video pool's worker and
// record the result on the row (blob first, row second).
import * as Comlink from 'comlink';
import type { VideoApi, TranscodeProgress } from '../../../worker/shared/video-api';
import { MediaError } from '../../../worker/shared/errors';
import { db } from '../db/schema';
import type { Asset } from '../db/types';
import type { Settings } from '../settings/defaults';
import { needsTranscode, targetSize } from '../video/transcode-policy';
import { transcodeProgress } from './transcode-progress.svelte';

export type VideoRun = <T>(fn: (api: Comlink.Remote<VideoApi>) => Promise<T>) => Promise<T>;

export async function convertVideo(asset: Asset, video: VideoRun, s: Settings): Promise<void> {
	if (!needsTranscode(asset, s)) return; // done, nothing to do under this policy
	if (asset.width == null || asset.height == null) throw new MediaError('The video has no known size: its metadata could not be read.', true);
	const size = targetSize(asset.width, asset.height, s.videoTargetHeight);
	const opts = {
		...size,
		crf: s.videoCrf,
		preset: s.videoPreset,
		threads: s.videoThreads,
		audioCodec: asset.audioCodec ?? null,
		videoCodec: s.videoCodec,
		targetAudio: s.videoAudioCodec,
		durationS: asset.durationS ?? null,
		engine: s.videoEngine
	};
	transcodeProgress.set(asset.id, 0);
	try {
		const r = await video((api) =>
			api.transcode(asset.id, asset.checksum, opts, Comlink.proxy((p: TranscodeProgress) => transcodeProgress.set(asset.id, p.ratio)))
		);
		const speed = asset.durationS ? `, ${(asset.durationS / r.seconds).toFixed(2)} s of video per s` : '';
		console.info(`transcode ${asset.id}: ${r.engine} ${r.videoCodec} in ${r.seconds.toFixed(3)} s${speed}${r.fallback ? ` (${r.fallback})` : ''}`);
		await db().transaction('rw', db().assets, async () => {
			const current = await db().assets.get(asset.id);
			if (!current) return;
			await db().assets.update(asset.id, { derivatives: { ...current.derivatives, transcode: r.path }, transcodedAt: Date.now(), transcodeEngine: r.engine, transcodeCodec: r.videoCodec });
		});
	} finally {
		transcodeProgress.delete(asset.id);
	}
}
