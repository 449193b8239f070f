// What the browser can show as-is. HEIC/HEIF originals cannot be shown by Chromium: the viewer
// stays on the preview for them.

const SHOWABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

export function canShowOriginal(mime: string): boolean {
	return SHOWABLE.has(mime);
}

export function canPlayVideo(mime: string): boolean {
	if (typeof document === 'undefined') return false;
	return document.createElement('video').canPlayType(mime) !== '';
}

/**
 * Whether the viewer plays a video's original: the probe's answer (stored on the row by
 * metadataExtraction, see src/lib/video/playable.ts); before the probe, what <video> says of the mime.
 */
export function videoPlayable(a: { mime: string; playable?: boolean | null }): boolean {
	return a.playable ?? canPlayVideo(a.mime);
}
