/** Addresses and networks of the expected-activity list, and the addresses an alert's text names. */
import { describe, expect, it } from 'vitest';
import {
  addressesToMatch,
  inRange,
  parseAddress,
  parseIpRange,
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
    expect(within('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });

  it('holds IPv6 addresses however written, and keeps the families apart', () => {
    expect(within('2001:DB8:1:0:0:0:0:7', '2001:db8:1::/48')).toBe(true);
    expect(within('2001:db8:1:ffff:ffff:ffff:ffff:ffff', '2001:db8:1::/48')).toBe(true);
    expect(within('2001:db8:2::', '2001:db8:1::/48')).toBe(false);
    expect(within('2001:0db8:0001::0007', '2001:db8:1::7')).toBe(true);
    expect(within('2001:db8:1::7', '0.0.0.0/0')).toBe(false);
    expect(within('1.2.3.4', '::/0')).toBe(false);
    // An IPv4-mapped address is the IPv4 address it carries, as the geo lookup reads it.
    expect(within('::ffff:203.0.113.9', '203.0.113.0/24')).toBe(true);
    expect(within('203.0.113.9', '::ffff:203.0.113.0/120')).toBe(true);
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
  it('reads ports, brackets and forwarded-for lists, and passes over what is no address', () => {
    expect(addressesToMatch('203.0.113.9:51234')).toEqual([address('203.0.113.9')]);
    expect(addressesToMatch('[2001:db8:1::7]:443')).toEqual([address('2001:db8:1::7')]);
    expect(addressesToMatch('unknown, 8.8.8.8')).toEqual([address('8.8.8.8')]);
    expect(addressesToMatch('unknown')).toEqual([]);
    expect(addressesToMatch(null)).toEqual([]);
  });

  it('takes every public address of a list (a forged first entry does not hide the rest), else every address', () => {
    expect(addressesToMatch('8.8.8.8, 10.0.0.7')).toEqual([address('8.8.8.8')]);
    expect(addressesToMatch('8.8.8.8, 9.9.9.9')).toEqual([address('8.8.8.8'), address('9.9.9.9')]);
    expect(addressesToMatch('10.0.0.7, 192.168.1.2')).toEqual([address('10.0.0.7'), address('192.168.1.2')]);
  });
});
