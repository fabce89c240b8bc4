import { describe, expect, it } from 'vitest';
import {
  encodeGeoDatabase,
  GeoDatabase,
  GeoDatabaseFormatError,
  type GeoDatabaseInput,
} from '../../../functions/core/geo/geo-database.ts';

const v4 = (text: string): bigint => BigInt(text.split('.').reduce((n, part) => n * 256 + Number(part), 0));
const v6 = (hex: string): bigint => BigInt(`0x${hex.padEnd(32, '0')}`);

/** A tiny database with the shapes the real data has: gaps, neighbours, IPv6, a sub-/64 range. */
const input: GeoDatabaseInput = {
  version: 'test@1',
  releasedAt: '2026-06-01',
  sources: [{ name: 'test', version: '1', license: 'CC BY 4.0', attribution: 'test data' }],
  countries: ['US', 'DE', 'GB'],
  networks: [
    { asn: 15169, org: 'Google LLC' },
    { asn: 3320, org: 'Deutsche Telekom AG' },
    { asn: 4200000001, org: 'Ünïcode "Quoted", Ltd' },
  ],
  countryV4: [
    { start: v4('8.8.8.0'), end: v4('8.8.8.255'), value: 1 },
    { start: v4('8.8.9.0'), end: v4('8.8.9.255'), value: 1 },
    { start: v4('80.128.0.0'), end: v4('80.191.255.255'), value: 2 },
    { start: v4('255.255.255.0'), end: v4('255.255.255.255'), value: 3 },
  ],
  countryV6: [
    { start: v6('2a00145040'), end: v6('2a00145040ff') + (1n << 80n) - 1n, value: 2 },
    { start: v6('2a01'), end: v6('2a01') + (1n << 63n), value: 3 },
  ],
  asnV4: [
    { start: v4('8.8.8.0'), end: v4('8.8.8.255'), value: 1 },
    { start: v4('80.128.0.0'), end: v4('80.191.255.255'), value: 3 },
  ],
  asnV6: [{ start: v6('2a00145040'), end: v6('2a00145040ff') + (1n << 80n) - 1n, value: 2 }],
};

describe('geo database', () => {
  const db = GeoDatabase.decode(encodeGeoDatabase(input));

  it('answers country, network and owner inside ranges', () => {
    expect(db.lookup('8.8.8.8')).toEqual({ country: 'US', asn: 15169, org: 'Google LLC' });
    expect(db.lookup('80.150.1.2')).toEqual({
      country: 'DE',
      asn: 4200000001,
      org: 'Ünïcode "Quoted", Ltd',
    });
    expect(db.lookup('8.8.9.1')).toEqual({ country: 'US', asn: null, org: null });
    expect(db.version).toBe('test@1');
  });

  it('answers unknown (null) in gaps, before the first and after the last range', () => {
    expect(db.lookup('8.8.10.1')).toEqual({ country: null, asn: null, org: null });
    expect(db.lookup('1.0.0.1')).toEqual({ country: null, asn: null, org: null });
    expect(db.lookup('80.192.0.0')).toEqual({ country: null, asn: null, org: null });
  });

  it('gives undefined for non-public addresses instead of asking the tables', () => {
    expect(db.lookup('10.0.0.1')).toBeUndefined();
    expect(db.lookup('not an ip')).toBeUndefined();
  });

  it('places a forwarded-for list by its left-most public address', () => {
    const google = { country: 'US', asn: 15169, org: 'Google LLC' };
    expect(db.lookup('8.8.8.8, 10.0.0.4')).toEqual(google);
    expect(db.lookup('8.8.8.8,80.150.1.2')).toEqual(google);
    expect(db.lookup('10.1.2.3, 172.16.0.1, 8.8.8.8')).toEqual(google);
    expect(db.lookup('fd12::1, 2a00:1450:4001:80b::200e')).toMatchObject({ country: 'DE', asn: 3320 });
    // An unreadable entry is passed over: placed by the next public one, here a proxy's.
    expect(db.lookup('junk, 2a00:1450:4001:80b::200e')).toMatchObject({ country: 'DE', asn: 3320 });
    expect(db.lookup('10.0.0.4, 192.168.0.1')).toBeUndefined();
  });

  it('looks up IPv6 by /64 and IPv4-mapped IPv6 as IPv4', () => {
    expect(db.lookup('2a00:1450:4001:80b::200e')).toEqual({
      country: 'DE',
      asn: 3320,
      org: 'Deutsche Telekom AG',
    });
    expect(db.lookup('2a00:1460::1')).toEqual({ country: null, asn: null, org: null });
    // A range smaller than a /64 claims its whole /64.
    expect(db.lookup('2a01::ffff')).toMatchObject({ country: 'GB' });
    expect(db.lookup('::ffff:8.8.8.8')).toMatchObject({ country: 'US' });
  });

  it('is deterministic and reports its size', () => {
    expect(encodeGeoDatabase(input)).toEqual(encodeGeoDatabase(input));
    expect(db.stats.networks).toBe(3);
    expect(db.stats.ranges.countryV4).toBeGreaterThan(0);
    expect(db.info.releasedAt).toBe('2026-06-01');
  });

  it('decodes from an unaligned buffer', () => {
    const bytes = encodeGeoDatabase(input);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(GeoDatabase.decode(shifted.subarray(1)).lookup('8.8.8.8')).toMatchObject({ asn: 15169 });
  });

  it('refuses a file that is not a geo database or is truncated, saying how to fix it', () => {
    expect(() => GeoDatabase.decode(new TextEncoder().encode('hello world, not a db'))).toThrow(
      GeoDatabaseFormatError,
    );
    const bytes = encodeGeoDatabase(input);
    expect(() => GeoDatabase.decode(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated.*rebuild/);
  });

  it('answers from the file itself, reading only the pages a lookup needs', () => {
    const bytes = encodeGeoDatabase(input);
    let bytesRead = 0;
    const file = {
      size: bytes.length,
      read: (offset: number, length: number) => {
        const chunk = bytes.slice(offset, offset + length);
        bytesRead += chunk.length;
        return chunk;
      },
    };
    const opened = GeoDatabase.open(file);
    expect(opened.version).toBe('test@1');
    expect(opened.stats).toEqual(db.stats);
    const addresses = [
      '8.8.8.8',
      '80.150.1.2',
      '8.8.9.1',
      '8.8.10.1',
      '1.0.0.1',
      '2a00:1450:4001::1',
      '2a01::1',
    ];
    for (const address of addresses) expect(opened.lookup(address), address).toEqual(db.lookup(address));
    const afterLookups = bytesRead;
    // Asked again: the pages and the owner names are kept, nothing is read twice.
    for (const address of addresses) opened.lookup(address);
    expect(bytesRead).toBe(afterLookups);
  });

  it('refuses a file that is not a geo database or is truncated, when opened too', () => {
    const fileOf = (bytes: Uint8Array) => ({
      size: bytes.length,
      read: (offset: number, length: number) => bytes.slice(offset, offset + length),
    });
    expect(() => GeoDatabase.open(fileOf(new TextEncoder().encode('hello world, not a db')))).toThrow(
      /expected signature/,
    );
    const bytes = encodeGeoDatabase(input);
    expect(() => GeoDatabase.open(fileOf(bytes.subarray(0, bytes.length - 3)))).toThrow(/truncated.*rebuild/);
  });
});
