import { describe, expect, it } from 'vitest';
import { clientIpKey, ipKey, parseIpv4, parseIpv6Groups } from '../../../functions/core/geo/ip-address.ts';

describe('ipKey', () => {
  it('reads public IPv4 addresses as 32-bit numbers', () => {
    expect(ipKey('8.8.8.8')).toEqual({ family: 4, value: 0x08080808 });
    expect(ipKey(' 73.12.4.5 ')).toEqual({ family: 4, value: ((73 * 256 + 12) * 256 + 4) * 256 + 5 });
    expect(ipKey('255.254.0.1')).toBeUndefined();
  });

  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.10.10',
    '100.64.0.1',
    '0.0.0.0',
    '192.0.2.7',
    '198.51.100.7',
    '203.0.113.7',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    'ff02::1',
    '2001:db8::1',
    '3fff::1',
    '::ffff:10.0.0.1',
  ])('gives nothing for the non-public address %s', (address) => {
    expect(ipKey(address)).toBeUndefined();
  });

  it.each([
    '',
    'bogus',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1..2.3',
    '01234.1.1.1',
    '2001:4860::8888::1',
    '2001:4860:4860:0:0:0:0:8888:1',
    '2001:48600::1',
    'g001::1',
    '2001:4860:4860::8888%eth0',
    ':2001::1',
  ])('gives nothing for text that is not an address: %j', (text) => {
    expect(ipKey(text)).toBeUndefined();
  });

  it('reads IPv6 by its upper 64 bits, in every spelling', () => {
    const key = { family: 6, hi: 0x2a001450, lo: 0x4001080b };
    expect(ipKey('2a00:1450:4001:80b::200e')).toEqual(key);
    expect(ipKey('2A00:1450:4001:080B:0:0:0:200E')).toEqual(key);
    expect(ipKey('2a00:1450:4001:80b:1:2:3.4.5.6')).toEqual(key);
    expect(ipKey('2a00::')).toEqual({ family: 6, hi: 0x2a000000, lo: 0 });
  });

  it('looks up IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(ipKey('::ffff:8.8.4.4')).toEqual({ family: 4, value: 0x08080404 });
    expect(ipKey('::ffff:808:404')).toEqual({ family: 4, value: 0x08080404 });
  });
});

describe('clientIpKey', () => {
  const google = { family: 4, value: 0x08080808 };

  it('reads a single address as ipKey does', () => {
    expect(clientIpKey('8.8.8.8')).toEqual(google);
    expect(clientIpKey(' 8.8.8.8 ')).toEqual(google);
    expect(clientIpKey('10.0.0.4')).toBeUndefined();
    expect(clientIpKey('')).toBeUndefined();
  });

  it.each([
    ['8.8.8.8, 10.0.0.4', 'a private proxy after the client'],
    ['8.8.8.8,80.150.1.2', 'a public proxy after the client, no space'],
    ['8.8.8.8 , 80.150.1.2, 10.0.0.4', 'two proxies, spaces around commas'],
    ['10.1.2.3, 8.8.8.8', 'the client seen from inside its network, then its egress'],
    [', 192.168.0.9,,8.8.8.8', 'empty and private entries first'],
    ['::ffff:10.0.0.1, 8.8.8.8', 'an IPv4-mapped private address first'],
    ['8.8.8.8:443, 80.150.1.2', 'the client with its port'],
    ['unknown, 8.8.8.8', 'a proxy that hid the client: passed over'],
  ])('places %j by its left-most public entry (%s)', (text) => {
    expect(clientIpKey(text)).toEqual(google);
  });

  it('reads IPv6 entries of a list', () => {
    const key = { family: 6, hi: 0x2a001450, lo: 0x4001080b };
    expect(clientIpKey('2a00:1450:4001:80b::200e, 10.0.0.4')).toEqual(key);
    expect(clientIpKey('fd12::1,2a00:1450:4001:80b::1')).toEqual(key);
    expect(clientIpKey('8.8.8.8, 2a00:1450:4001:80b::1')).toEqual(google);
  });

  it.each(['10.0.0.4, 192.168.1.1', 'junk, also junk', ',', ' , ', '2001:db8::1, 127.0.0.1'])(
    'gives nothing when no entry is a public address: %j',
    (text) => {
      expect(clientIpKey(text)).toBeUndefined();
    },
  );
});

describe('parsers', () => {
  it('parse dotted quads and IPv6 groups exactly', () => {
    expect(parseIpv4('1.2.3.4')).toBe(0x01020304);
    expect(parseIpv4('1.2.3.4', 0, 5)).toBeUndefined();
    expect(parseIpv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6Groups('::2')).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    expect(parseIpv6Groups('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(parseIpv6Groups('1:2:3:4:5:6:7:8::')).toBeUndefined();
    expect(parseIpv6Groups('1:2:3:4:5:6:7')).toBeUndefined();
  });
});
