// Which catalog models each ML queue runs, at the sizes the settings choose (pure).
import type { QueueName } from '../db/types';
import type { Settings } from '../settings/defaults';
import { modelFor, type CatalogEntry } from './catalog';

export function modelsForQueue(queue: QueueName, s: Pick<Settings, 'faceTier' | 'clipTier'>): CatalogEntry[] {
	const pick = (...xs: Array<CatalogEntry | undefined>) => xs.filter((x): x is CatalogEntry => !!x);
	switch (queue) {
		case 'faceDetection':
			return pick(modelFor('faceDetection', s.faceTier), modelFor('faceEmbedding', s.faceTier));
		case 'smartSearch':
			// the text encoder is for queries; indexing needs it installed too for search to work
			return pick(modelFor('clipImage', s.clipTier), modelFor('clipText', s.clipTier));
		case 'objectTagging':
			return pick(modelFor('objectTags', 'small'));
		case 'ocr':
			return pick(modelFor('ocrDetect', 'small'), modelFor('ocrAngle', 'small'), modelFor('ocrRecognise', 'small'));
		default:
			return [];
	}
}
