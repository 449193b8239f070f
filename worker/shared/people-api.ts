// The people worker's typed API (worker/people/people.worker.ts), as the page sees it through comlink.
// Each call reads the face and people rows itself, clusters them (src/lib/people/cluster.ts) and
// writes the decisions (src/lib/people/people.ts `applyDecisions`), so the page never holds every
// face's embedding nor runs the clustering. The page reaches it through src/lib/people/client.ts.
import type { RecognitionResult, RecognitionSettings } from '../../src/lib/people/recognition';

export interface PeopleApi {
	/** Clusters these faces (newly detected ones) into people. */
	recognizeFaces(faceIds: string[], settings: RecognitionSettings): Promise<RecognitionResult>;
	/** The same for every face of these assets: the facialRecognition job. */
	recognizeAssets(assetIds: string[], settings: RecognitionSettings): Promise<RecognitionResult>;
	/** "Re-cluster everything", keeping what the user named, hid, merged or assigned. */
	reclusterEverything(settings: RecognitionSettings): Promise<RecognitionResult>;
}
