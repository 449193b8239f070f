import { describe, expect, it } from 'vitest';
import { toExport, EXPORT_VERSION } from '../../src/lib/db/export';
import type { Asset, JobRow, TextRow } from '../../src/lib/db/types';
import { jobsForNewAsset } from '../../src/lib/jobs/queues';

const asset = (over: Partial<Asset>): Asset => ({
	id: 'a1',
	checksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
	originalName: 'x.jpg',
	relativePath: null,
	type: 'image',
	mime: 'image/jpeg',
	bytes: 10,
	fileModifiedAt: 0,
	importedAt: 0,
	takenAt: '2020-01-02T03:04:05',
	takenAtOffset: '+01:00',
	takenAtSource: 'exif',
	width: 4,
	height: 3,
	orientation: 1,
	make: 'Canon',
	model: 'EOS',
	lens: null,
	exposureTime: '1/100',
	fNumber: 2.8,
	iso: 100,
	focalLength: 35,
	gps: { lat: 1.5, lon: -2.25 },
	thumbhash: null,
	derivatives: {},
	warnings: [],
	state: 'timeline',
	favorite: 0,
	trashedAt: null,
	...over
});

describe('library.json', () => {
	it('maps rows to the documented schema with job states and errors per asset', () => {
		const jobs: JobRow[] = [
			{ queue: 'metadataExtraction', assetId: 'a1', status: 'done', attempts: 1, notBefore: 0, enqueuedAt: 0, updatedAt: 0, error: null },
			{ queue: 'thumbnailGeneration', assetId: 'a1', status: 'failed', attempts: 3, notBefore: 0, enqueuedAt: 0, updatedAt: 0, error: 'broken' }
		];
		const doc = toExport(
			{ assets: [asset({ favorite: 1 })], jobs, failed: [{ name: 'empty.jpg', reason: 'The file is empty (0 bytes).', at: 1 }], albums: [], members: [] },
			new Date(0)
		);
		expect(doc.version).toBe(EXPORT_VERSION);
		expect(doc.exportedAt).toBe('1970-01-01T00:00:00.000Z');
		expect(doc.assets[0]).toEqual({
			id: 'a1',
			checksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
			originalName: 'x.jpg',
			type: 'image',
			mime: 'image/jpeg',
			bytes: 10,
			width: 4,
			height: 3,
			takenAt: '2020-01-02T03:04:05',
			takenAtOffset: '+01:00',
			make: 'Canon',
			model: 'EOS',
			lens: null,
			gps: { lat: 1.5, lon: -2.25 },
			durationS: null,
			videoCodec: null,
			audioCodec: null,
			rotation: null,
			fps: null,
			favorite: true,
			archived: false,
			trashed: false,
			place: null,
			jobs: { metadataExtraction: 'done', thumbnailGeneration: 'failed' },
			errors: [{ queue: 'thumbnailGeneration', message: 'broken' }]
		});
		expect(doc.failedImports).toEqual([{ name: 'empty.jpg', reason: 'The file is empty (0 bytes).' }]);
	});

	it('gives a new video waiting metadata and poster jobs, and exports its video fields', () => {
		const jobs = jobsForNewAsset({ id: 'v', type: 'video' }, 0);
		const video = asset({ id: 'v', type: 'video', mime: 'video/quicktime', width: 720, height: 1280, durationS: 3, videoCodec: 'h264', audioCodec: 'aac', rotation: 90, fps: 25 });
		const doc = toExport({ assets: [video], jobs, failed: [], albums: [], members: [] }, new Date(0));
		expect(doc.assets[0].jobs).toMatchObject({ metadataExtraction: 'waiting', thumbnailGeneration: 'waiting' });
		expect(doc.assets[0]).toMatchObject({ type: 'video', width: 720, height: 1280, durationS: 3, videoCodec: 'h264', audioCodec: 'aac', rotation: 90, fps: 25 });
	});

	it('lists albums with their members in the order they were added, and archive/trash flags', () => {
		const doc = toExport(
			{
				assets: [asset({ id: 'a', state: 'archive' }), asset({ id: 'b', state: 'trash', trashedAt: 5 })],
				jobs: [],
				failed: [],
				albums: [{ id: 'al', name: 'Trip', createdAt: 0, updatedAt: 0, coverAssetId: 'b' }],
				members: [
					{ albumId: 'al', assetId: 'b', addedAt: 2 },
					{ albumId: 'al', assetId: 'a', addedAt: 1 },
					{ albumId: 'other', assetId: 'a', addedAt: 1 }
				]
			},
			new Date(0)
		);
		expect(doc.albums).toEqual([{ id: 'al', name: 'Trip', createdAt: '1970-01-01T00:00:00.000Z', coverAssetId: 'b', assetIds: ['a', 'b'] }]);
		expect(doc.assets.map((a) => [a.archived, a.trashed])).toEqual([[true, false], [false, true]]);
	});

	it('lists faces (without embeddings) in asset order, left to right, and people with face counts', () => {
		const face = (assetId: string, x: number, personId: string | null) => ({ assetId, box: [x, 0.2, 0.1, 0.15] as [number, number, number, number], score: 0.9, personId });
		const doc = toExport(
			{
				assets: [asset({ id: 'new' }), asset({ id: 'old' })],
				jobs: [],
				failed: [],
				albums: [],
				members: [],
				faces: [face('old', 0.5, 'ann'), face('new', 0.6, null), face('new', 0.1, 'ann'), face('gone', 0.1, 'bob'), face('old', 0.1, 'deleted')],
				people: [
					{ id: 'ann', name: 'Ann', hidden: 0, coverFaceId: null, createdAt: 0, updatedAt: 0 },
					{ id: 'bob', name: null, hidden: 1, coverFaceId: null, createdAt: 0, updatedAt: 0 }
				]
			},
			new Date(0)
		);
		expect(doc.faces).toEqual([
			{ assetId: 'new', box: [0.1, 0.2, 0.1, 0.15], score: 0.9, personId: 'ann' },
			{ assetId: 'new', box: [0.6, 0.2, 0.1, 0.15], score: 0.9, personId: null },
			{ assetId: 'old', box: [0.1, 0.2, 0.1, 0.15], score: 0.9, personId: null },
			{ assetId: 'old', box: [0.5, 0.2, 0.1, 0.15], score: 0.9, personId: 'ann' }
		]);
		expect(doc.people).toEqual([
			{ id: 'ann', name: 'Ann', hidden: false, faceCount: 2 },
			{ id: 'bob', name: null, hidden: true, faceCount: 0 }
		]);
		expect(JSON.stringify(doc)).not.toContain('embedding');
	});

	it('has empty faces, people, tags and text when there are none', () => {
		const doc = toExport({ assets: [asset({})], jobs: [], failed: [], albums: [], members: [] }, new Date(0));
		expect(doc.faces).toEqual([]);
		expect(doc.people).toEqual([]);
		expect(doc.tags).toEqual([]);
		expect(doc.text).toEqual([]);
	});

	it('exports each asset’s place without its country code, and null where there is none', () => {
		const arezzo = { city: 'Arezzo', region: 'Tuscany', country: 'Italy', countryCode: 'IT' };
		const doc = toExport(
			{ assets: [asset({ id: 'p', place: arezzo }), asset({ id: 'q', place: { ...arezzo, city: 'Monaco', region: null, country: 'Monaco' } }), asset({ id: 'n', place: null }), asset({ id: 'u' })], jobs: [], failed: [], albums: [], members: [] },
			new Date(0)
		);
		expect(doc.assets.map((a) => a.place)).toEqual([{ city: 'Arezzo', region: 'Tuscany', country: 'Italy' }, { city: 'Monaco', region: null, country: 'Monaco' }, null, null]);
	});

	it('lists tags and text of the exported assets only, in asset order (tags best first), without boxes or lines', () => {
		const box: [number, number, number, number] = [0.1, 0.1, 0.5, 0.5];
		const tag = (assetId: string, label: string, score: number) => ({ assetId, label, score, box, model: 'yolox-nano' });
		const doc = toExport(
			{
				assets: [asset({ id: 'new' }), asset({ id: 'old' })],
				jobs: [],
				failed: [],
				albums: [],
				members: [],
				tags: [tag('old', 'dog', 0.6), tag('gone', 'cat', 0.99), tag('new', 'cup', 0.5), tag('new', 'person', 0.9), tag('new', 'bowl', 0.5), tag('old', 'car', 0.8)],
				texts: [
					{ assetId: 'old', text: 'OSTERIA\nda Gino', lines: [{ text: 'OSTERIA', box, score: 0.9 }], words: ['osteria', 'da', 'gino'], model: 'ppocr' },
					{ assetId: 'gone', text: 'EXIT', lines: [], words: ['exit'], model: 'ppocr' },
					{ assetId: 'new', text: ' ', lines: [], words: [], model: 'ppocr' }
				] as TextRow[]
			},
			new Date(0)
		);
		expect(doc.tags).toEqual([
			{ assetId: 'new', label: 'person', score: 0.9 },
			{ assetId: 'new', label: 'bowl', score: 0.5 },
			{ assetId: 'new', label: 'cup', score: 0.5 },
			{ assetId: 'old', label: 'car', score: 0.8 },
			{ assetId: 'old', label: 'dog', score: 0.6 }
		]);
		expect(doc.text).toEqual([{ assetId: 'old', text: 'OSTERIA\nda Gino' }]);
		const json = JSON.stringify(doc);
		expect(json).not.toContain('yolox');
		expect(json).not.toContain('words');
	});
});
