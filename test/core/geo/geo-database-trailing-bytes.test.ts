/**
 * The header says where every table and the owner names are, the names last: a file with bytes
 * after them is not the file that was built (appended to, or two files run together), so it is
 * refused like a truncated one, and the error says which of the two it is.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeGeoDatabase,
  GeoDatabase,
  type GeoDatabaseInput,
} from '../../../functions/core/geo/geo-database.ts';

const input: GeoDatabaseInput = {
  version: 'test@1',
  releasedAt: '2026-06-01',
  sources: [{ name: 'test', version: '1', license: 'CC BY 4.0', attribution: 'test data' }],
  countries: ['US'],
  networks: [{ asn: 15169, org: 'Google LLC' }],
  countryV4: [{ start: 0x08080800n, end: 0x080808ffn, value: 1 }],
  countryV6: [],
  asnV4: [{ start: 0x08080800n, end: 0x080808ffn, value: 1 }],
  asnV6: [],
};

const bytes = encodeGeoDatabase(input);
const withTail = new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]);
const fileOf = (b: Uint8Array) => ({
  size: b.length,
  read: (offset: number, length: number) => b.slice(offset, offset + length),
});

describe('a geo database file with bytes after its tables', () => {
  it('is refused, saying so (not "truncated"), when decoded or opened', () => {
    const message = `the geo database file is not usable: it has 8 bytes after its tables (the header accounts for ${bytes.length}); rebuild it`;
    expect(() => GeoDatabase.decode(withTail)).toThrow(message);
    expect(() => GeoDatabase.open(fileOf(withTail))).toThrow(message);
  });

  it('a truncated file says how short it is', () => {
    const short = bytes.subarray(0, bytes.length - 3);
    expect(() => GeoDatabase.decode(short)).toThrow(
      `it is truncated (${short.length} bytes, the header accounts for ${bytes.length})`,
    );
  });

  it('the file as built is accepted', () => {
    expect(GeoDatabase.decode(bytes).lookup('8.8.8.8')).toMatchObject({ country: 'US', asn: 15169 });
  });
});
