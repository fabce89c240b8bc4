import { encodeGeoDatabase, GeoDatabase, type GeoRange } from '../../functions/core/geo/geo-database.ts';

/** The IPv4 address `text` (dotted) as a number. */
export const v4 = (text: string): bigint =>
  BigInt(text.split('.').reduce((n, part) => n * 256 + Number(part), 0));

/** The first address of the /64 `2a02:0:0:<n>::`. */
export const net64 = (n: number): bigint => (0x2a02n << 112n) + (BigInt(n) << 64n);

/** A database of country ranges only; values 1, 2, 3 are US, DE, GB. */
export const databaseOf = (countryV4: GeoRange[], countryV6: GeoRange[]) =>
  GeoDatabase.decode(
    encodeGeoDatabase({
      version: 'test@1',
      releasedAt: '2026-06-01',
      sources: [{ name: 'test', version: '1', license: 'CC BY 4.0', attribution: 'test data' }],
      countries: ['US', 'DE', 'GB'],
      networks: [],
      countryV4,
      countryV6,
      asnV4: [],
      asnV6: [],
    }),
  );
