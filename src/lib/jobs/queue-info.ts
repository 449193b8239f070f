import type { QueueName } from '../db/types';

/** Names and one-line descriptions for the jobs page. */
export const queueInfo: Record<QueueName, { title: string; description: string }> = {
	metadataExtraction: { title: 'Extract metadata', description: 'Dates, camera, lens, exposure, GPS and displayed size from each file.' },
	thumbnailGeneration: { title: 'Generate thumbnails', description: 'Thumbnails, previews and blurred placeholders for the timeline and viewer.' }
};
