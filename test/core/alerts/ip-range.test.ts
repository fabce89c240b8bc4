/** Addresses and networks of the expected-activity list, and the addresses an alert's text names. */
import { describe, expect, it } from 'vitest';
import {
  addressesToMatch,
  assertNotTooBroad,
  inRange,
  parseAddress,
  parseIpRange,
  placedByEveryPublicEntry,
} from '../../../functions/core/alerts/ip-range.ts';

const address = (text: string) => {
  const value = parseAddress(text);
  if (value === undefined) throw new Error(`${text} is no address`);
  return value;
};
const within = (text: string, range: string) => inRange(address(text), parseIpRange(range));

describe('an expected-activity network', () => {
  it('holds the addresses of its IPv4 prefix, edges included, and none outside', () => {
    expect(within('203.0.113.0', '203.0.113.0/24')).toBe(true);
    expect(within('203.0.113.255', '203.0.113.0/24')).toBe(true);
    expect(within('203.0.114.0', '203.0.113.0/24')).toBe(false);
    expect(within('203.0.112.255', '203.0.113.0/24')).toBe(false);
    expect(within('198.51.100.7', '198.51.100.7')).toBe(true);
    expect(within('198.51.100.8', '198.51.100.7/32')).toBe(false);
    expect(within('1.255.3.4', '1.0.0.0/8')).toBe(true);
  });

  it('holds IPv6 addresses however written, and keeps the families apart', () => {
    expect(within('2001:DB8:1:0:0:0:0:7', '2001:db8:1::/48')).toBe(true);
    expect(within('2001:db8:1:ffff:ffff:ffff:ffff:ffff', '2001:db8:1::/48')).toBe(true);
    expect(within('2001:db8:2::', '2001:db8:1::/48')).toBe(false);
    expect(within('2001:0db8:0001::0007', '2001:db8:1::7')).toBe(true);
    expect(within('2001:db8:1::7', '32.0.0.0/8')).toBe(false);
    expect(within('32.1.13.184', '2001:db8::/32')).toBe(false);
    // An IPv4-mapped address is the IPv4 address it carries, as the geo lookup reads it.
    expect(within('::ffff:203.0.113.9', '203.0.113.0/24')).toBe(true);
    expect(within('203.0.113.9', '::ffff:203.0.113.0/120')).toBe(true);
  });

  it('refuses a network wider than an IPv4 /8 or an IPv6 /32, mapped forms too (review R-MUTE M6, R-MUTE2 D)', () => {
    for (const wide of [
      '0.0.0.0/0',
      '0.0.0.0/1',
      '8.0.0.0/7',
      '::ffff:0:0/96',
      '::ffff:0.0.0.0/96',
      '::ffff:10.0.0.0/103',
    ]) {
      expect(() => parseIpRange(wide), wide).toThrow(
        /is wider than an IPv4 \/8: it would quiet alerts from a large part/,
      );
    }
    // 6to4 (2002::/16) carries every IPv4 address in its bits 16-47.
    for (const wide of ['::/0', '2000::/3', '2a00::/15', '2a00::/16', '2002::/16', '2a00::/31']) {
      expect(() => parseIpRange(wide), wide).toThrow(/is wider than an IPv6 \/32/);
    }
    expect(() => parseIpRange('2001::/32')).toThrow(
      /"2001::\/32" is within Teredo \(2001::\/32\), whose addresses carry any IPv4 address/,
    );
    // Any Teredo network holding more clients than an IPv4 /8 (review R-MUTE3 L2).
    for (const teredo of [
      '2001:0::/33',
      '2001:0:4136:e378::/64',
      '2001:0:4136:e378:8000:63bf::/96',
      '2001::/103',
    ]) {
      expect(() => parseIpRange(teredo), teredo).toThrow(
        /is within Teredo \(2001::\/32\).*wider than a \/104/,
      );
    }
    // NAT64 (64:ff9b::/96) carries every IPv4 address in its last 32 bits too (review R-MUTE5 L4).
    for (const nat64 of ['64:ff9b::/96', '64:ff9b::/64', '64:ff9b::3400:0/103']) {
      expect(() => parseIpRange(nat64), nat64).toThrow(
        /is within NAT64 \(64:ff9b::\/96\).*wider than a \/104/,
      );
    }
    expect(parseIpRange('64:ff9b::3400:0/104').prefix).toBe(104);
    expect(parseIpRange('2001:0:4136:e378:8000:63bf:fd00::/104').prefix).toBe(104);
    expect(parseIpRange('2001:0:4136:e378:8000:63bf:3fff:fdd2').prefix).toBe(128);
    expect(parseIpRange('2001:db8::/32').prefix).toBe(32);
    expect(parseIpRange('2001:1::/33').prefix).toBe(33);
    expect(parseIpRange('10.0.0.0/8').prefix).toBe(8);
    expect(parseIpRange('::ffff:10.0.0.0/104').prefix).toBe(8);
    expect(parseIpRange('2a00::/32').prefix).toBe(32);
  });

  it('refuses networks that hold more together than one widest network (review R-MUTE2 D)', () => {
    const ranges = (texts: string[]) => texts.map(parseIpRange);
    expect(() => assertNotTooBroad(ranges(['10.0.0.0/8', '11.0.0.0/8']))).toThrow(
      /"ip" holds more IPv4 addresses together than one \/8/,
    );
    expect(() => assertNotTooBroad(ranges(['2a00::/32', '2a01::/32']))).toThrow(
      /more IPv6 addresses together than one \/32/,
    );
    expect(() => assertNotTooBroad(ranges(['10.0.0.0/9', '11.0.0.0/9', '2a00::/32']))).not.toThrow();
  });

  it('refuses what is no address or network, saying how to write one', () => {
    expect(() => parseIpRange('vpn.example.com')).toThrow(
      /is not an IPv4 or IPv6 address or network: write one such as 203\.0\.113\.7/,
    );
    expect(() => parseIpRange('300.1.1.1')).toThrow(/is not an IPv4 or IPv6 address/);
    expect(() => parseIpRange('1.2.3.0/24/8')).toThrow(/is not an IPv4 or IPv6 address/);
    expect(() => parseIpRange('1.2.3.0/33')).toThrow(
      '"1.2.3.0/33": /33 is past the 32 bits of an IPv4 address: give a prefix from 0 to 32',
    );
    expect(() => parseIpRange('2001:db8::/129')).toThrow(/past the 128 bits of an IPv6 address/);
    expect(() => parseIpRange('1.2.3.0/x')).toThrow(
      /the prefix after \/ must be a whole number from 0 to 32/,
    );
  });

  it('refuses bits set past the prefix, naming the network meant', () => {
    expect(() => parseIpRange('10.1.2.3/8')).toThrow(
      '"10.1.2.3/8" has bits set past its /8: write the network as 10.0.0.0/8, or the one address without a prefix',
    );
    expect(() => parseIpRange('2001:db8:1::7/48')).toThrow(
      /has bits set past its \/48: write the network as its first address/,
    );
  });
});

describe('the addresses an alert text names', () => {
  it('reads ports, brackets and forwarded-for lists', () => {
    expect(addressesToMatch('203.0.113.9:51234')).toEqual([address('203.0.113.9')]);
    expect(addressesToMatch('[2001:db8:1::7]:443')).toEqual([address('2001:db8:1::7')]);
    expect(addressesToMatch('10.1.1.1, 6.6.6.6 ')).toEqual([address('6.6.6.6')]);
    expect(addressesToMatch('unknown')).toEqual([]);
    expect(addressesToMatch(null)).toEqual([]);
  });

  it('reads no address where the geo lookup reads none: junk after brackets, a port past 65535 (review R-MUTE5 L5)', () => {
    for (const text of [
      '[::ffff:52.95.0.9]junk',
      '52.95.0.9:99999',
      '[2001:db8:1::7]:70000',
      '52.95.0.9, 52.95.0.9:99999',
    ]) {
      expect(addressesToMatch(text), text).toEqual([]);
    }
    expect(addressesToMatch('52.95.0.9:65535')).toEqual([address('52.95.0.9')]);
  });

  it('takes every public address of a list (a forged first entry does not hide the rest), else every address', () => {
    expect(addressesToMatch('8.8.8.8, 10.0.0.7')).toEqual([address('8.8.8.8')]);
    expect(addressesToMatch('8.8.8.8, 9.9.9.9')).toEqual([address('8.8.8.8'), address('9.9.9.9')]);
    expect(addressesToMatch('10.0.0.7, 192.168.1.2')).toEqual([address('10.0.0.7'), address('192.168.1.2')]);
  });
});

/** Review R-MUTE L1: an entry that cannot be read cannot be shown to be expected. */
describe('an address text with an entry that reads as no address', () => {
  const UNREADABLE = [
    'unknown',
    '06.6.6.6',
    '6.6.6.6%eth0',
    '6.6.6.6.',
    '6.6.6',
    '"6.6.6.6"',
    '0x06.6.6.6',
    '\uff16.6.6.6',
    '2a00::1%eth0',
    '10.1.1.1 6.6.6.6',
  ];

  it('names no address to match, so no ip rule matches it', () => {
    for (const entry of UNREADABLE) {
      expect(addressesToMatch(`10.1.1.1, ${entry}`), entry).toEqual([]);
      expect(addressesToMatch(`${entry}, 52.95.110.1`), entry).toEqual([]);
    }
  });

  it('is not trusted for its place either', () => {
    for (const entry of UNREADABLE)
      expect(placedByEveryPublicEntry(`133.242.0.1, ${entry}`), entry).toBe(false);
    expect(placedByEveryPublicEntry('10.1.1.1, 133.242.0.1')).toBe(true);
  });
});

/** A public IPv6 address (2000::/3) beside unique-local and link-local hops: only it must match. */
describe('an IPv6 list with private hops', () => {
  it('takes the public address, not the ULA or link-local ones', () => {
    expect(addressesToMatch('2a00:1450:4001::5, fd12:3456::1, fe80::1')).toEqual([
      address('2a00:1450:4001::5'),
    ]);
    expect(addressesToMatch('fd12:3456::1, fe80::1')).toEqual([address('fd12:3456::1'), address('fe80::1')]);
    expect(placedByEveryPublicEntry('fd12:3456::1, 2a00:1450:4001::5')).toBe(true);
    expect(placedByEveryPublicEntry('2a00:1450:4001::5, 2600:1f18::9')).toBe(false);
  });
});
