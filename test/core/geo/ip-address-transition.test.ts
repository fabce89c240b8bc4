/**
 * 6to4 and Teredo addresses carry the client's IPv4 address; their prefixes only name the relay.
 * They are placed where the IPv4 host is, not at the relay.
 */
import { describe, expect, it } from 'vitest';
import { encodeGeoDatabase, GeoDatabase } from '../../../functions/core/geo/geo-database.ts';
import { ipKey } from '../../../functions/core/geo/ip-address.ts';

// 85.214.132.117: Strato in Germany. The relay prefixes: Hurricane Electric in the US.
const STRATO = 0x55d68475;
const database = GeoDatabase.decode(
  encodeGeoDatabase({
    version: 't',
    releasedAt: '2026-11-01',
    sources: [],
    countries: ['US', 'DE'],
    networks: [
      { asn: 6939, org: 'Hurricane Electric LLC' },
      { asn: 6724, org: 'Strato AG' },
    ],
    countryV4: [{ start: 0x55d68400n, end: 0x55d684ffn, value: 2 }],
    countryV6: [
      { start: 0x2002n << 112n, end: (0x2003n << 112n) - 1n, value: 1 },
      { start: 0x20010000n << 96n, end: (0x20010001n << 96n) - 1n, value: 1 },
    ],
    asnV4: [{ start: 0x55d68400n, end: 0x55d684ffn, value: 2 }],
    asnV6: [
      { start: 0x2002n << 112n, end: (0x2003n << 112n) - 1n, value: 1 },
      { start: 0x20010000n << 96n, end: (0x20010001n << 96n) - 1n, value: 1 },
    ],
  }),
);
const strato = { country: 'DE', asn: 6724, org: 'Strato AG' };

describe('6to4 (2002::/16)', () => {
  it('is looked up as the IPv4 address in its next 32 bits', () => {
    expect(ipKey('2002:55d6:8475::1')).toEqual({ family: 4, value: STRATO });
    expect(ipKey('2002:55D6:8475:1:2:3:4:5')).toEqual({ family: 4, value: STRATO });
    expect(database.lookup('2002:55d6:8475::1')).toEqual(strato);
  });
  it('carrying a private or reserved IPv4 address, it is not public', () => {
    expect(ipKey('2002:c0a8:0101::1')).toBeUndefined();
    expect(ipKey('2002:0a00:0001::1')).toBeUndefined();
  });
});

describe('Teredo (2001:0::/32)', () => {
  it("is looked up as the client's IPv4 address, the last 32 bits inverted", () => {
    expect(ipKey('2001:0:53aa:64c:0:fbff:aa29:7b8a')).toEqual({ family: 4, value: STRATO });
    expect(database.lookup('2001:0000:53aa:064c:0000:fbff:aa29:7b8a')).toEqual(strato);
  });
  it('carrying a private client address, it is not public', () => {
    // ~192.168.1.1 = 3f57:fefe
    expect(ipKey('2001:0:53aa:64c:0:fbff:3f57:fefe')).toBeUndefined();
  });
});

describe('other IPv6 addresses', () => {
  it('keep their upper 64 bits, 2001::/16 outside Teredo included', () => {
    expect(ipKey('2001:4860::8888')).toEqual({ family: 6, hi: 0x20014860, lo: 0 });
    expect(ipKey('2001:1::1')).toEqual({ family: 6, hi: 0x20010001, lo: 0 });
    expect(ipKey('2003:e2::1')).toEqual({ family: 6, hi: 0x200300e2, lo: 0 });
  });
});
