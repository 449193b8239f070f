// People worker: face clustering off the page. The calls are src/lib/people/recognition.ts, run one
// at a time so a re-cluster and a facialRecognition batch never read the same faces at once.
import * as Comlink from 'comlink';
import { reclusterEverything, recognizeAssets, runFacialRecognition } from '../../src/lib/people/recognition';
import { oneAtATime } from '../shared/one-at-a-time';
import type { PeopleApi } from '../shared/people-api';

const api: PeopleApi = {
	recognizeFaces: runFacialRecognition,
	recognizeAssets,
	reclusterEverything
};

Comlink.expose(oneAtATime(api));
