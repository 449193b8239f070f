// The face reference numbers for the unit tests: recomputed natively (onnxruntime-node, through
// scripts/face-reference.mjs) when the models and the media are present, else the committed
// fixture test/unit/fixtures/faces/reference.json. Either way the same assertions run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeReference, FIXTURE, MEDIA_DIR, modelsPresent, REFERENCE_IMAGES } from '../../scripts/face-reference.mjs';

export interface RefFace {
	box: number[];
	landmarks: number[];
	score: number;
	transform: number[];
	embedding8: number[];
	rawNorm: number;
	raw?: number[];
}

export interface RefCandidate {
	stride: number;
	index: number;
	cls?: number;
	obj?: number;
	bbox?: number[];
	score?: number;
	dist?: number[];
	kps: number[];
}

export interface RefImage {
	path: string;
	width: number;
	height: number;
	plan: { width: number; height: number; tensorWidth: number; tensorHeight: number; scale: number; offsetX: number; offsetY: number };
	candidates: RefCandidate[];
	faces: RefFace[];
}

export interface Reference {
	minScore: number;
	sparseScore: number;
	tiers: Record<'small' | 'large', { detector: string; embedder: string; images: RefImage[] }>;
}

export const live = modelsPresent() && REFERENCE_IMAGES.every((p: string) => existsSync(join(MEDIA_DIR, p)));
export const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Reference;

let cached: Promise<Reference> | null = null;
/** Live numbers when possible, else the fixture. */
export function reference(): Promise<Reference> {
	cached ??= live ? (computeReference() as unknown as Promise<Reference>) : Promise.resolve(fixture);
	return cached;
}

/** Dense detector outputs rebuilt from the sparse candidates (everything else scores 0). */
export function denseOutputs(decoder: string, img: RefImage, spec: { strides?: number[]; anchorsPerCell?: number; outputs: Record<string, string | string[]> }): Record<string, Float32Array> {
	const out: Record<string, Float32Array> = {};
	const strides = spec.strides ?? [8, 16, 32];
	const A = spec.anchorsPerCell ?? 1;
	const names = (k: string) => spec.outputs[k] as string[];
	strides.forEach((s, si) => {
		const n = (img.plan.tensorWidth / s) * (img.plan.tensorHeight / s) * A;
		const mine = img.candidates.filter((c) => c.stride === s);
		if (decoder === 'yunet') {
			const cls = new Float32Array(n), obj = new Float32Array(n), bbox = new Float32Array(n * 4), kps = new Float32Array(n * 10);
			for (const c of mine) {
				cls[c.index] = c.cls!;
				obj[c.index] = c.obj!;
				bbox.set(c.bbox!, c.index * 4);
				kps.set(c.kps, c.index * 10);
			}
			Object.assign(out, { [names('cls')[si]]: cls, [names('obj')[si]]: obj, [names('bbox')[si]]: bbox, [names('kps')[si]]: kps });
		} else {
			const sc = new Float32Array(n), dist = new Float32Array(n * 4), kps = new Float32Array(n * 10);
			for (const c of mine) {
				sc[c.index] = c.score!;
				dist.set(c.dist!, c.index * 4);
				kps.set(c.kps, c.index * 10);
			}
			Object.assign(out, { [names('scores')[si]]: sc, [names('boxes')[si]]: dist, [names('kps')[si]]: kps });
		}
	});
	return out;
}
