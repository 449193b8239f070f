// A face as the detectors decode it (the suppression itself is in ../shared/nms.ts).

export interface Detection {
	/** [x1, y1, x2, y2] in the coordinates the decoder was given (input pixels, then image pixels). */
	box: [number, number, number, number];
	/** 5 points × (x, y): right eye, left eye (as seen: left then right in the image), nose, mouth corners. */
	landmarks: number[];
	score: number;
}
