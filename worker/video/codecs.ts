// Codec facts from the bytes a demuxer hands over: names as ffprobe prints them, profile, bit depth
// and chroma subsampling (from the H.264 SPS, the hvcC record, or the VP9/AV1 codec string).
// Pure: runs in the media worker and in Node tests alike.

export type Chroma = '400' | '420' | '422' | '444';

export interface StreamFormat {
	profile: string | null;
	bitDepth: number | null;
	chroma: Chroma | null;
}

/** mediabunny's codec ids → the names ffprobe (and the corpus manifest) use. */
const VIDEO_NAMES: Record<string, string> = { avc: 'h264', hevc: 'hevc', vp8: 'vp8', vp9: 'vp9', av1: 'av1' };

export function videoCodecName(codec: string | null | undefined): string | null {
	if (!codec) return null;
	return VIDEO_NAMES[codec] ?? codec;
}

/** `pcm-s16` → `pcm_s16le`, `pcm-s24be` → `pcm_s24be`, `ulaw` → `pcm_mulaw`; others unchanged. */
export function audioCodecName(codec: string | null | undefined): string | null {
	if (!codec) return null;
	if (codec === 'ulaw') return 'pcm_mulaw';
	if (codec === 'alaw') return 'pcm_alaw';
	const pcm = /^pcm-([suf])(\d+)(be)?$/.exec(codec);
	if (pcm) return `pcm_${pcm[1]}${pcm[2]}${pcm[2] === '8' ? '' : (pcm[3] ?? 'le')}`;
	return codec;
}

/** ffprobe-style pixel format: yuv420p, yuv420p10le, yuv444p, gray … (null when unknown). */
export function pixelFormat(chroma: Chroma | null, bitDepth: number | null): string | null {
	if (!chroma || !bitDepth) return null;
	const base = chroma === '400' ? 'gray' : `yuv${chroma}p`;
	return bitDepth === 8 ? base : `${base}${bitDepth}le`;
}

const H264_PROFILES: Record<number, string> = {
	44: 'CAVLC 4:4:4',
	66: 'Baseline',
	77: 'Main',
	88: 'Extended',
	100: 'High',
	110: 'High 10',
	122: 'High 4:2:2',
	244: 'High 4:4:4 Predictive'
};
/** Profiles whose SPS carries chroma_format_idc and bit depths. */
const H264_HIGH = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
const CHROMA_IDC: Chroma[] = ['400', '420', '422', '444'];

function bytesOf(d: AllowSharedBufferSource | undefined | null): Uint8Array | null {
	if (!d) return null;
	if (d instanceof Uint8Array) return d;
	if (ArrayBuffer.isView(d)) return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
	return new Uint8Array(d as ArrayBuffer);
}

/** Exp-Golomb reader over an RBSP (emulation-prevention bytes already removed). */
class Bits {
	private pos = 0;
	constructor(private readonly b: Uint8Array) {}
	bit(): number {
		if (this.pos >= this.b.length * 8) throw new RangeError('SPS ends early');
		const v = (this.b[this.pos >> 3] >> (7 - (this.pos & 7))) & 1;
		this.pos++;
		return v;
	}
	ue(): number {
		let zeros = 0;
		while (this.bit() === 0) if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
		let v = 0;
		for (let i = 0; i < zeros; i++) v = v * 2 + this.bit();
		return 2 ** zeros - 1 + v;
	}
}

function unescapeRbsp(nal: Uint8Array): Uint8Array {
	const out: number[] = [];
	let zeros = 0;
	for (const byte of nal) {
		// 00 00 03 is an emulation-prevention sequence: drop the 03.
		if (zeros >= 2 && byte === 3) {
			zeros = 0;
			continue;
		}
		zeros = byte === 0 ? zeros + 1 : 0;
		out.push(byte);
	}
	return Uint8Array.from(out);
}

/** Profile, bit depth and chroma of an H.264 stream from its avcC record (the decoder description). */
export function h264Format(avcC: AllowSharedBufferSource | null | undefined, codecString?: string | null): StreamFormat {
	const b = bytesOf(avcC);
	let profileIdc = codecString ? parseInt(codecString.slice(5, 7), 16) : NaN;
	let constraints = codecString ? parseInt(codecString.slice(7, 9), 16) : 0;
	let chroma: Chroma | null = null;
	let bitDepth: number | null = null;
	if (b && b.length > 8 && b[0] === 1 && (b[5] & 0x1f) > 0) {
		const len = (b[6] << 8) | b[7];
		const sps = unescapeRbsp(b.subarray(8, 8 + len));
		profileIdc = sps[1];
		constraints = sps[2];
		try {
			const r = new Bits(sps.subarray(4));
			r.ue(); // seq_parameter_set_id
			if (H264_HIGH.has(profileIdc)) {
				const idc = r.ue();
				if (idc === 3) r.bit(); // separate_colour_plane_flag
				chroma = CHROMA_IDC[idc] ?? null;
				bitDepth = r.ue() + 8;
			} else {
				chroma = '420';
				bitDepth = 8;
			}
		} catch {
			// A malformed SPS: leave what it says unknown.
		}
	} else if (Number.isFinite(profileIdc) && !H264_HIGH.has(profileIdc)) {
		chroma = '420';
		bitDepth = 8;
	}
	let profile = Number.isFinite(profileIdc) ? (H264_PROFILES[profileIdc] ?? `profile ${profileIdc}`) : null;
	if (profileIdc === 66 && constraints & 0x40) profile = 'Constrained Baseline';
	if (profileIdc === 244 && chroma && chroma !== '444') profile = 'High 4:4:4 Predictive';
	return { profile, bitDepth, chroma };
}

const HEVC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'Main 10', 3: 'Main Still Picture', 4: 'Rext' };

/** HEVC from its hvcC record: profile_idc at byte 1, chromaFormat at 16, bitDepthLuma-8 at 17. */
export function hevcFormat(hvcC: AllowSharedBufferSource | null | undefined, codecString?: string | null): StreamFormat {
	const b = bytesOf(hvcC);
	if (b && b.length >= 23 && b[0] === 1) {
		const idc = b[1] & 0x1f;
		return { profile: HEVC_PROFILES[idc] ?? `profile ${idc}`, chroma: CHROMA_IDC[b[16] & 3], bitDepth: (b[17] & 7) + 8 };
	}
	const m = codecString ? /^(?:hev1|hvc1)\.[A-C]?(\d+)\./.exec(codecString) : null;
	const idc = m ? Number(m[1]) : NaN;
	return { profile: HEVC_PROFILES[idc] ?? null, chroma: null, bitDepth: idc === 1 ? 8 : idc === 2 ? 10 : null };
}

/** `vp09.PP.LL.DD.CC…` (the CC digit: 0/1 = 4:2:0, 2 = 4:2:2, 3 = 4:4:4). */
export function vp9Format(codecString: string | null | undefined): StreamFormat {
	const p = (codecString ?? '').split('.');
	if (p[0] !== 'vp09' || p.length < 4) return { profile: null, bitDepth: null, chroma: null };
	const profile = Number(p[1]);
	const cc = p.length > 4 ? Number(p[4]) : profile === 1 || profile === 3 ? NaN : 1;
	const chroma: Chroma | null = cc <= 1 ? '420' : cc === 2 ? '422' : cc === 3 ? '444' : null;
	return { profile: `Profile ${profile}`, bitDepth: Number(p[3]), chroma };
}

/** `av01.P.LLT.DD.M.CCC` (monochrome M, subsampling x/y digits of CCC). */
export function av1Format(codecString: string | null | undefined): StreamFormat {
	const p = (codecString ?? '').split('.');
	if (p[0] !== 'av01' || p.length < 4) return { profile: null, bitDepth: null, chroma: null };
	const names = ['Main', 'High', 'Professional'];
	let chroma: Chroma | null = '420';
	if (p[4] === '1') chroma = '400';
	else if (p[5]) chroma = p[5].startsWith('11') ? '420' : p[5].startsWith('10') ? '422' : p[5].startsWith('00') ? '444' : null;
	return { profile: names[Number(p[1])] ?? null, bitDepth: Number(p[3]), chroma };
}

/** VP8 is always 8-bit 4:2:0. */
export function streamFormat(codec: string | null, codecString: string | null, description?: AllowSharedBufferSource | null): StreamFormat {
	switch (codec) {
		case 'avc':
			return h264Format(description, codecString);
		case 'hevc':
			return hevcFormat(description, codecString);
		case 'vp9':
			return vp9Format(codecString);
		case 'av1':
			return av1Format(codecString);
		case 'vp8':
			return { profile: null, bitDepth: 8, chroma: '420' };
		default:
			return { profile: null, bitDepth: null, chroma: null };
	}
}
