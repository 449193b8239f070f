// A video's colour description (primaries, transfer, matrix) in the names ffprobe prints, and whether
// its picture is HDR. mediabunny reads it from the container (MP4 'colr', Matroska Colour) or the
// codec's own header (H.264/HEVC VUI, VP9/AV1) and hands it over in WebCodecs' names. Pure.

/** HDR by its transfer function: PQ (SMPTE ST 2084) or HLG (ARIB STD-B67). */
export type Hdr = 'pq' | 'hlg';

export interface SourceColour {
	hdr: Hdr | null;
	/** ffprobe's color_primaries: bt709, bt2020, smpte432 …; null when the file does not say. */
	primaries: string | null;
	/** ffprobe's color_transfer: bt709, smpte2084, arib-std-b67 …; null when the file does not say. */
	transfer: string | null;
	/** ffprobe's color_space (the YUV matrix): bt709, bt2020nc, smpte170m …; null when the file does not say. */
	matrix: string | null;
}

/** VideoColorSpaceInit with plain strings: TypeScript's DOM types lack BT.2020, PQ and HLG, which mediabunny gives. */
export interface ColourSpaceNames {
	primaries?: string | null;
	transfer?: string | null;
	matrix?: string | null;
}

const PRIMARIES: Record<string, string> = { bt709: 'bt709', bt470bg: 'bt470bg', smpte170m: 'smpte170m', bt2020: 'bt2020', smpte432: 'smpte432' };
const TRANSFER: Record<string, string> = { bt709: 'bt709', smpte170m: 'smpte170m', linear: 'linear', 'iec61966-2-1': 'iec61966-2-1', pq: 'smpte2084', hlg: 'arib-std-b67' };
const MATRIX: Record<string, string> = { rgb: 'gbr', bt709: 'bt709', bt470bg: 'bt470bg', smpte170m: 'smpte170m', 'bt2020-ncl': 'bt2020nc' };

/**
 * WebCodecs' colour space → ffprobe's names. HDR is decided by the transfer alone: BT.2020 primaries
 * with an SDR transfer are wide-gamut SDR, which needs no tone mapping.
 */
export function sourceColour(cs: ColourSpaceNames | null | undefined): SourceColour {
	const pick = (map: Record<string, string>, v: string | null | undefined) => (v ? (map[v] ?? v) : null);
	const transfer = pick(TRANSFER, cs?.transfer);
	return {
		hdr: transfer === 'smpte2084' ? 'pq' : transfer === 'arib-std-b67' ? 'hlg' : null,
		primaries: pick(PRIMARIES, cs?.primaries),
		transfer,
		matrix: pick(MATRIX, cs?.matrix)
	};
}

/** What a person reads: "HDR (PQ)", "HDR (HLG)". */
export const HDR_NAMES: Record<Hdr, string> = { pq: 'HDR (PQ)', hlg: 'HDR (HLG)' };
