import type { QueueName } from '../db/types';

/** Names and one-line descriptions for the jobs page. */
export const queueInfo: Record<QueueName, { title: string; description: string }> = {
	metadataExtraction: { title: 'Extract metadata', description: 'Dates, camera, lens, exposure, GPS and displayed size from each file.' },
	thumbnailGeneration: { title: 'Generate thumbnails', description: 'Thumbnails, previews and blurred placeholders for the timeline and viewer.' },
	faceDetection: { title: 'Face detection', description: 'Finds faces in each preview and computes what makes each face recognisable, on this device.' },
	facialRecognition: { title: 'Facial recognition', description: 'Groups the faces into people (one batch at a time).' },
	smartSearch: { title: 'Smart search', description: 'Describes each preview with CLIP so that a search in your own words finds it, on this device.' },
	objectTagging: { title: 'Things', description: 'Finds everyday things (80 kinds: dogs, cars, cups…) in each preview, for search and Explore.' },
	ocr: { title: 'Text in photos', description: 'Reads printed text (signs, documents, captions) in each preview, for search.' },
	duplicateDetection: { title: 'Duplicate detection', description: 'Finds near-duplicates (resized, re-encoded, burst shots) by their smart-search embeddings; without CLIP, by a fingerprint of the thumbnail.' },
	videoConversion: { title: 'Convert videos', description: 'Transcodes videos this browser cannot play (or all, by the video policy) to MP4 (H.264 by default), on this device.' }
};
