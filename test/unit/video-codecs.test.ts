// Pure codec and container facts (no corpus needed).
import { describe, expect, it } from 'vitest';
import { audioCodecName, av1Format, h264Format, hevcFormat, pixelFormat, vp9Format } from '../../worker/video/codecs';
import { childBoxes, matroskaDate, mvhdCreationTime, parseAviHeader, parseIso6709, udtaLocation } from '../../worker/video/containers';
import { meanLuma, fallbackTime } from '../../worker/video/poster';

const box = (type: string, body: number[]) => {
	const size = 8 + body.length;
	return [(size >>> 24) & 255, (size >>> 16) & 255, (size >>> 8) & 255, size & 255, ...[...type].map((c) => c.charCodeAt(0)), ...body];
};
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('codec names and formats', () => {
	it('names audio as ffprobe does', () => {
		expect(audioCodecName('pcm-s16')).toBe('pcm_s16le');
		expect(audioCodecName('pcm-s24be')).toBe('pcm_s24be');
		expect(audioCodecName('pcm-u8')).toBe('pcm_u8');
		expect(audioCodecName('ulaw')).toBe('pcm_mulaw');
		expect(audioCodecName('aac')).toBe('aac');
		expect(audioCodecName(null)).toBeNull();
	});

	it('reads H.264 profile, chroma and bit depth from the SPS in avcC', () => {
		// High 10 (110), SPS: sps_id=0 (1), chroma_format_idc=1 (010), bit_depth_luma_minus8=2 (011) → 1010 011x
		const sps = [0x67, 110, 0, 31, 0b1010_0110, 0x80];
		const avcC = new Uint8Array([1, 110, 0, 31, 0xff, 0xe1, 0, sps.length, ...sps, 1, 0, 0]);
		expect(h264Format(avcC)).toEqual({ profile: 'High 10', chroma: '420', bitDepth: 10 });
		// High 4:4:4: chroma_format_idc=3 (00100), separate_colour_plane=0, bit depth 0 (1) → 1 00100 0 1
		const sps444 = [0x67, 244, 0, 31, 0b1001_0001, 0x80];
		expect(h264Format(new Uint8Array([1, 244, 0, 31, 0xff, 0xe1, 0, 6, ...sps444]))).toEqual({ profile: 'High 4:4:4 Predictive', chroma: '444', bitDepth: 8 });
		// Main: no chroma fields in the SPS, always 8-bit 4:2:0.
		expect(h264Format(null, 'avc1.4d401e')).toEqual({ profile: 'Main', chroma: '420', bitDepth: 8 });
		expect(h264Format(null, 'avc1.42e01e').profile).toBe('Constrained Baseline');
	});

	it('reads HEVC from hvcC and VP9 / AV1 from their codec strings', () => {
		const hvcC = new Uint8Array(23);
		hvcC[0] = 1;
		hvcC[1] = 2;
		hvcC[16] = 0xfc | 1;
		hvcC[17] = 0xf8 | 2;
		expect(hevcFormat(hvcC)).toEqual({ profile: 'Main 10', chroma: '420', bitDepth: 10 });
		expect(vp9Format('vp09.00.21.08.01.02.02.02.00')).toEqual({ profile: 'Profile 0', chroma: '420', bitDepth: 8 });
		expect(vp9Format('vp09.01.21.08.03')).toEqual({ profile: 'Profile 1', chroma: '444', bitDepth: 8 });
		expect(av1Format('av01.0.04M.10.0.110')).toEqual({ profile: 'Main', chroma: '420', bitDepth: 10 });
		expect(pixelFormat('420', 10)).toBe('yuv420p10le');
		expect(pixelFormat('444', 8)).toBe('yuv444p');
	});
});

describe('container readers', () => {
	it('reads the mvhd creation time (1904 epoch) and the udta ©xyz location', () => {
		const secs = Date.UTC(2023, 6, 14, 10, 30) / 1000 + 2082844800;
		const text = ascii('+43.4675+011.8851/');
		const moov = new Uint8Array([
			...box('mvhd', [0, 0, 0, 0, ...be32(secs), ...be32(secs), ...be32(1000), ...be32(5000)]),
			...box('udta', box('\u00a9xyz', [0, text.length, 0x15, 0xc7, ...text]))
		]);
		expect(childBoxes(moov).map((b) => b.type)).toEqual(['mvhd', 'udta']);
		expect(mvhdCreationTime(moov)).toBe('2023-07-14T10:30:00.000Z');
		expect(udtaLocation(moov)).toEqual({ lat: 43.4675, lon: 11.8851 });
		const unset = new Uint8Array(box('mvhd', new Array(24).fill(0)));
		expect(mvhdCreationTime(unset)).toBeNull();
	});

	it('parses ISO 6709 with or without altitude, and rejects nonsense', () => {
		expect(parseIso6709('-33.8688+151.2093+012.000/')).toEqual({ lat: -33.8688, lon: 151.2093 });
		expect(parseIso6709('+95.0+010.0/')).toBeNull();
		expect(parseIso6709('hello')).toBeNull();
	});

	it('finds the Matroska DateUTC inside Segment → Info', () => {
		const ns = BigInt(Date.UTC(2023, 6, 14, 10, 32) - Date.UTC(2001, 0, 1)) * 1_000_000n;
		const date = new Uint8Array(8);
		new DataView(date.buffer).setBigInt64(0, ns);
		const info = [0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40, 0x44, 0x61, 0x88, ...date];
		const segment = [0x15, 0x49, 0xa9, 0x66, 0x80 | info.length, ...info];
		const file = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...segment]);
		expect(matroskaDate(file)).toBe('2023-07-14T10:32:00.000Z');
	});

	it('reads an AVI header: MJPEG at 15 fps for 3 s with 16-bit PCM', () => {
		const chunk = (id: string, body: number[]) => [...ascii(id), ...le32(body.length), ...body];
		const list = (type: string, body: number[]) => chunk('LIST', [...ascii(type), ...body]);
		const avih = chunk('avih', [...le32(66666), ...le32(0), ...le32(0), ...le32(0), ...le32(45), ...le32(0), ...le32(2), ...le32(0), ...le32(640), ...le32(480), ...new Array(16).fill(0)]);
		const strh = (type: string, handler: string, scale: number, rate: number, length: number) =>
			chunk('strh', [...ascii(type), ...ascii(handler), ...le32(0), ...le16(0), ...le16(0), ...le32(0), ...le32(scale), ...le32(rate), ...le32(0), ...le32(length), ...new Array(20).fill(0)]);
		const bih = chunk('strf', [...le32(40), ...le32(640), ...le32(480), ...le16(1), ...le16(24), ...ascii('MJPG'), ...new Array(20).fill(0)]);
		const wav = chunk('strf', [...le16(1), ...le16(1), ...le32(44100), ...le32(88200), ...le16(2), ...le16(16)]);
		const hdrl = list('hdrl', [...avih, ...list('strl', [...strh('vids', 'MJPG', 1, 15, 45), ...bih]), ...list('strl', [...strh('auds', '\0\0\0\0', 1, 44100, 132300), ...wav])]);
		const riff = new Uint8Array([...ascii('RIFF'), ...le32(4 + hdrl.length), ...ascii('AVI '), ...hdrl]);
		expect(parseAviHeader(riff)).toEqual({ width: 640, height: 480, fps: 15, durationS: 3, videoCodec: 'mjpeg', audioCodec: 'pcm_s16le' });
		expect(() => parseAviHeader(new Uint8Array(ascii('RIFF\0\0\0\0WAVE')))).toThrow(/not an AVI/);
	});
});

describe('poster frame choice', () => {
	it('measures mean luma and falls back to 10% of the clip', () => {
		expect(meanLuma(new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255]))).toBeCloseTo(127.5, 1);
		expect(fallbackTime(0.04, 5)).toBeCloseTo(0.54);
	});
});
