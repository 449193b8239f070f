// Words the model manager shows for catalog values.
import type { ModelTask, ModelTier } from '$lib/models/catalog';
import type { ModelState } from '$lib/models/store';

export const TASK_LABELS: Record<ModelTask, string> = {
	faceDetection: 'Face detection',
	faceEmbedding: 'Face recognition',
	clipImage: 'Smart search (images)',
	clipText: 'Smart search (text)',
	objectTags: 'Object tags',
	ocrDetect: 'Text: find',
	ocrRecognise: 'Text: read',
	ocrAngle: 'Text: orientation'
};

export const TIER_LABELS: Record<ModelTier, string> = { small: 'Small', large: 'Large' };

export const STATE_LABELS: Record<ModelState, string> = {
	installed: 'Installed',
	bundled: 'Available (not installed)',
	missing: 'Missing'
};

export const STATE_HINTS: Record<ModelState, string> = {
	installed: 'Stored in this browser; works offline.',
	bundled: 'Served by this app; installing copies it into the browser.',
	missing: 'Not served by this app: installing downloads it from its public source, or install it from files.'
};
