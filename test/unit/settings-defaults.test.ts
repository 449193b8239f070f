import { describe, expect, it } from 'vitest';
import { clampWorkers, defaultSettings, defaultWorkers } from '../../src/lib/settings/defaults';
import { defaultConcurrency } from '../../src/lib/jobs/queue-defs';

describe('settings defaults', () => {
	it('uses one worker less than the cores, at least one', () => {
		expect(defaultWorkers(1)).toBe(1);
		expect(defaultWorkers(2)).toBe(1);
		expect(defaultWorkers(8)).toBe(7);
		expect(defaultSettings({ cores: 12 }).workers).toBe(11);
	});

	it('has the thumbnail sizes, formats and quality of the issue', () => {
		const s = defaultSettings({ cores: 4 });
		expect([s.thumbnailSize, s.thumbnailFormat, s.previewSize, s.previewFormat, s.quality]).toEqual([250, 'webp', 1440, 'jpeg', 80]);
	});

	it('clamps a stored worker count to this device', () => {
		expect(clampWorkers(16, 4)).toBe(4);
		expect(clampWorkers(0, 4)).toBe(1);
		expect(clampWorkers(2.6, 4)).toBe(3);
	});

	it('lets each queue use the whole pool by default', () => {
		expect(defaultConcurrency('thumbnailGeneration', 8)).toBe(7);
		expect(defaultConcurrency('metadataExtraction', 2)).toBe(2);
	});
});
