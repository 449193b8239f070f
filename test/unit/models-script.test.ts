import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFile, defaultMirror, parseArgs, planFiles, run, selectFiles, sha256File } from '../../scripts/models.mjs';
import { MODEL_TASKS, MODEL_TIERS, models, modelsFor, type CatalogEntry } from '../../src/lib/models/catalog';
import { ModelError, sha256Hex, verifyBytes } from '../../src/lib/models/store';

const hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

interface FakeFile {
	name: string;
	bytes: number | null;
	sha256: string | null;
	urls: string[];
}
const fake = (name: string, content: string, urls: string[] = []): FakeFile => ({ name, bytes: Buffer.byteLength(content), sha256: hex(content), urls });

let tmp: string;
let mirror: string;
let out: string;
beforeEach(async () => {
	tmp = await mkdtemp(join(tmpdir(), 'shoebox-models-'));
	mirror = join(tmp, 'mirror');
	out = join(tmp, 'out');
	await mkdir(mirror, { recursive: true });
});
afterEach(async () => {
	await rm(tmp, { recursive: true, force: true });
});

async function put(dir: string, name: string, content: string | Uint8Array) {
	await mkdir(dirname(join(dir, name)), { recursive: true });
	await writeFile(join(dir, name), content);
}

describe('models script: hash check', () => {
	it('hashes a file like sha256sum', async () => {
		await put(tmp, 'a.bin', 'hello');
		expect(await sha256File(join(tmp, 'a.bin'))).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
	});

	it('accepts the right file, refuses a wrong size or hash, and says null when absent', async () => {
		const f = fake('d/m.onnx', 'model-bytes');
		expect(await checkFile(join(tmp, 'd/m.onnx'), f))!.toBeNull();
		await put(tmp, 'd/m.onnx', 'model-bytes');
		expect((await checkFile(join(tmp, 'd/m.onnx'), f))!.ok).toBe(true);
		await put(tmp, 'd/m.onnx', 'model-bytez'); // same size, other bytes
		const wrong = (await checkFile(join(tmp, 'd/m.onnx'), f))!;
		expect(wrong.ok).toBe(false);
		expect(wrong.reason).toMatch(/sha256/);
		await put(tmp, 'd/m.onnx', 'short');
		expect((await checkFile(join(tmp, 'd/m.onnx'), f))!.reason).toMatch(/size 5/);
	});

	it('checks an unverified file (no sha256) by its size when known, else by presence', async () => {
		await put(tmp, 'u.onnx', 'abc');
		expect((await checkFile(join(tmp, 'u.onnx'), { name: 'u.onnx', bytes: 3, sha256: null, urls: [] }))!.ok).toBe(true);
		expect((await checkFile(join(tmp, 'u.onnx'), { name: 'u.onnx', bytes: 4, sha256: null, urls: [] }))!.ok).toBe(false);
		expect((await checkFile(join(tmp, 'u.onnx'), { name: 'u.onnx', bytes: null, sha256: null, urls: [] }))!.reason).toMatch(/unverified/);
	});
});

describe('models script: plan', () => {
	const catalog = {
		models: [
			{ id: 'det', task: 'faceDetection', files: [fake('face-detect/a.onnx', 'AAA', ['https://example.invalid/a'])] },
			{ id: 'emb', task: 'faceEmbedding', files: [fake('face-embed/b.onnx', 'BBBB')] },
			{ id: 't1', task: 'clipText', files: [fake('clip/t1.onnx', 'T1'), fake('clip-tokenizer/vocab.json', '{}')] },
			{ id: 't2', task: 'clipText', files: [fake('clip/t2.onnx', 'T2', ['https://example.invalid/t2']), fake('clip-tokenizer/vocab.json', '{}')] }
		]
	};

	it('selects files per task, each shared file once', () => {
		expect(selectFiles(catalog).map((f: FakeFile) => f.name)).toEqual(['face-detect/a.onnx', 'face-embed/b.onnx', 'clip/t1.onnx', 'clip-tokenizer/vocab.json', 'clip/t2.onnx']);
		const clip = selectFiles(catalog, ['clipText']);
		expect(clip.find((f: FakeFile & { models: string[] }) => f.name === 'clip-tokenizer/vocab.json')!.models).toEqual(['t1', 't2']);
		expect(selectFiles(catalog, ['faceDetection']).map((f: FakeFile) => f.name)).toEqual(['face-detect/a.onnx']);
		expect(() => selectFiles(catalog, ['faces'])).toThrow(/unknown task "faces"/);
	});

	it('copies what the mirror has right, skips what is already in place, downloads or reports the rest', async () => {
		await put(mirror, 'face-detect/a.onnx', 'AAA');
		await put(mirror, 'face-embed/b.onnx', 'XXXX'); // wrong bytes in the mirror
		await put(mirror, 'clip-tokenizer/vocab.json', '{}');
		await put(out, 'clip/t1.onnx', 'T1'); // already there and right
		await put(out, 'clip/t2.onnx', 'bad'); // there but wrong: fetched again
		const plan = await planFiles(selectFiles(catalog), { out, mirror, download: true });
		const byName = Object.fromEntries(plan.map((s) => [s.file.name, s]));
		expect(byName['face-detect/a.onnx'].action).toBe('copy');
		expect(byName['face-detect/a.onnx'].source).toBe(join(mirror, 'face-detect/a.onnx'));
		expect(byName['face-embed/b.onnx'].action).toBe('missing'); // no URL to download from
		expect(byName['face-embed/b.onnx'].note).toMatch(/mirror copy is wrong/);
		expect(byName['clip/t1.onnx'].action).toBe('present');
		expect(byName['clip-tokenizer/vocab.json'].action).toBe('copy');
		expect(byName['clip/t2.onnx'].action).toBe('download');

		const offline = await planFiles(selectFiles(catalog), { out, mirror: null, download: false });
		expect(offline.map((s: { action: string }) => s.action)).toEqual(['missing', 'missing', 'present', 'missing', 'missing']);
	});

	it('reads its arguments', () => {
		expect(parseArgs([]).tasks).toBeNull();
		expect(parseArgs(['--task', 'faceDetection,faceEmbedding']).tasks).toEqual(['faceDetection', 'faceEmbedding']);
		expect(parseArgs(['--task=ocrDetect', '--no-download', '--mirror', '/m']).tasks).toEqual(['ocrDetect']);
		expect(parseArgs(['--no-download']).download).toBe(false);
		expect(parseArgs(['--mirror=/m']).mirror).toBe('/m');
		expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
	});

	it('finds the mirror from SHOEBOX_MODELS_DIR, else beside the repo when it exists', () => {
		expect(defaultMirror({ SHOEBOX_MODELS_DIR: mirror }, '/nowhere')).toBe(mirror);
		expect(defaultMirror({}, join(tmp, 'repo'))).toBeNull();
		expect(defaultMirror({}, join(tmp, 'x', 'repo'))).toBeNull();
	});

	it('runs offline with a partial mirror: copies what it can, reports the rest, does not fail', async () => {
		const yunet = models.find((m) => m.id === 'yunet-s')!.files[0];
		const shared = join(process.cwd(), '..', 'shared', 'models', yunet.name);
		const content = existsSync(shared) ? await readFile(shared) : null;
		if (content) await put(mirror, yunet.name, content);
		const lines: string[] = [];
		const result = await run(['--task', 'faceDetection', '--mirror', mirror, '--out', out, '--no-download', '--quiet'], {}, (l: string) => lines.push(l));
		const missing = result.missing.map((m: { file: FakeFile }) => m.file.name);
		expect(missing).toContain('face-detect/scrfd_2.5g_kps.onnx');
		expect(lines.some((l) => l.includes('MISSING face-detect/scrfd_2.5g_kps.onnx') && l.includes('scrfd-2.5g'))).toBe(true);
		// The list the app reads names exactly what is there.
		const list = JSON.parse(await readFile(join(out, 'bundled.json'), 'utf8')) as { files: Array<{ name: string; bytes: number }> };
		expect(list.files).toEqual(content ? [{ name: yunet.name, bytes: content.length }] : []);
		if (content) {
			expect(missing).not.toContain(yunet.name);
			expect(hex(await readFile(join(out, yunet.name)))).toBe(yunet.sha256);
			// A second run is a no-op for what is there.
			const again = await run(['--task', 'faceDetection', '--mirror', mirror, '--out', out, '--no-download', '--quiet'], {}, () => {});
			expect(again.present).toBe(1);
			expect(again.copied).toBe(0);
		}
	});
});

describe('catalog', () => {
	it('has well-formed entries', () => {
		const ids = new Set<string>();
		for (const m of models) {
			expect(ids.has(m.id), m.id).toBe(false);
			ids.add(m.id);
			expect(MODEL_TASKS).toContain(m.task);
			expect(MODEL_TIERS).toContain(m.tier);
			expect(m.licence.length).toBeGreaterThan(0);
			expect(m.spec.decoder.length).toBeGreaterThan(0);
			expect(m.files.length).toBeGreaterThan(0);
			for (const f of m.files) {
				expect(f.name).toMatch(/^[a-z0-9][\w.\-/]*$/i);
				expect(f.name).not.toContain('..');
				expect(f.urls.length).toBeGreaterThan(0);
				for (const u of f.urls) expect(u).toMatch(/^https:\/\//);
				if (f.sha256) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
			}
			// An entry is verified exactly when every file has a size and a hash.
			expect(m.verified, m.id).toBe(m.files.every((f) => f.sha256 && f.bytes));
		}
	});

	it('has both face tiers: YuNet + MobileFaceNet small, SCRFD-2.5g + MobileFaceNet large at a larger input', () => {
		const det = (t: 'small' | 'large') => modelsFor('faceDetection', t).map((m) => m.id);
		expect(det('small')).toEqual(['yunet-s']);
		expect(det('large')).toEqual(['scrfd-2.5g']);
		expect(modelsFor('faceEmbedding', 'small').map((m) => m.id)).toEqual(['mobilefacenet']);
		expect(modelsFor('faceEmbedding', 'large').map((m) => m.id)).toEqual(['mobilefacenet']);
		const side = (m: CatalogEntry) => m.spec.size?.maxSide ?? Math.max(m.spec.size?.width ?? 0, m.spec.size?.height ?? 0);
		expect(side(modelsFor('faceDetection', 'large')[0])).toBeGreaterThan(side(modelsFor('faceDetection', 'small')[0]));
		expect(modelsFor('faceDetection', 'large')[0].licenceNote).toMatch(/non-commercial/);
		expect(modelsFor('faceEmbedding', 'small')[0].licenceNote).toMatch(/unknown/i);
	});

	it('matches the shared mirror where it exists', async () => {
		const root = join(process.cwd(), '..', 'shared', 'models');
		if (!existsSync(root)) return;
		for (const m of models) {
			for (const f of m.files) {
				const p = join(root, f.name);
				if (!existsSync(p)) {
					// not mirrored (the CLIP weights): unverified, or its hash pinned by a URL at a fixed commit
					const pinned = f.urls.length > 0 && f.urls.every((u) => /\/[0-9a-f]{40}\//.test(u));
					expect(!m.verified || pinned, `${f.name} is verified but neither in the mirror nor pinned to a commit`).toBe(true);
					continue;
				}
				const data = await readFile(p);
				expect(data.byteLength, f.name).toBe(f.bytes);
				expect(hex(data), f.name).toBe(f.sha256);
			}
		}
	});
});

describe('model store checks', () => {
	const file = { name: 'face-detect/x.onnx', bytes: 5, sha256: hex('hello'), urls: [] };

	it('hashes with hash-wasm like node:crypto', async () => {
		const big = new Uint8Array(9 << 20).map((_, i) => i % 251);
		expect(await sha256Hex(big)).toBe(hex(big));
	});

	it('accepts the right bytes and refuses wrong ones with a readable error', async () => {
		await expect(verifyBytes(file, new TextEncoder().encode('hello'))).resolves.toBeUndefined();
		await expect(verifyBytes(file, new TextEncoder().encode('hellO'))).rejects.toThrow(/x\.onnx: checksum does not match/);
		await expect(verifyBytes(file, new TextEncoder().encode('hi'))).rejects.toThrow(/x\.onnx: wrong size \(2 bytes, expected 5\)/);
		await expect(verifyBytes(file, new Uint8Array(1))).rejects.toBeInstanceOf(ModelError);
		// Unverified: size only, when known.
		await expect(verifyBytes({ ...file, sha256: null }, new TextEncoder().encode('hellO'))).resolves.toBeUndefined();
	});
});
