// A model file run with onnxruntime-node as the pipelines' RunModel (one float input, one thread):
// the tests feed the same TypeScript pipelines the ML worker runs with onnxruntime-web.
import type { RunModel } from '../../worker/ml/faces/pipeline';

export async function ortRunner(file: string): Promise<RunModel> {
	const ort = (await import('onnxruntime-node')).default;
	const s = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
	return async (input, dims) => {
		const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [...dims]) });
		return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
	};
}
