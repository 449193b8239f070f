// What every ML queue's job needs: the ML pool's call, the run options the settings choose, and the
// asset's preview (the models read the preview, never the original).
import type { Remote } from 'comlink';
import { MediaError } from '../../../worker/shared/errors';
import type { MlApi, MlRunOptions } from '../../../worker/shared/ml-api';
import type { Asset } from '../db/types';
import type { Settings } from '../settings/defaults';

export type MlRun = <T>(fn: (api: Remote<MlApi>) => Promise<T>) => Promise<T>;

export const mlRunOptions = (s: Settings): MlRunOptions => ({ provider: s.mlProvider, threads: s.mlThreads, idleUnloadS: s.mlIdleUnloadS });

/** The preview's OPFS path; `why` ends the message of the permanent error when there is none yet. */
export function previewOf(asset: Asset, why: string): string[] {
	const p = asset.derivatives.preview;
	if (!p) throw new MediaError(`This item has no preview yet: ${why}.`, true);
	return p.split('/');
}
