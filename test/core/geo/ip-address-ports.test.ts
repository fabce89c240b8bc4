import { describe, expect, it } from 'vitest';
import { clientIpKey, ipKey } from '../../../functions/core/geo/ip-address.ts';

/**
 * An address written with its port is read as the address; an entry that cannot be read is passed
 * over, so the next public entry (here a proxy's) places the event (81.2.69.142 is in GB,
 * 104.16.0.1 is Cloudflare's, in CA by the data).
 */
const client = { family: 4, value: ((81 * 256 + 2) * 256 + 69) * 256 + 142 };
const proxy = { family: 4, value: ((104 * 256 + 16) * 256 + 0) * 256 + 1 };
const v6Client = { family: 6, hi: 0x2a020c7c, lo: 0x00010000 };

describe('an address with its port', () => {
  it.each([
    ['81.2.69.142:50123', client],
    ['81.2.69.142:0', client],
    ['81.2.69.142:65535', client],
    ['[2a02:c7c:1::1]:443', v6Client],
    ['[2a02:c7c:1::1]', v6Client],
    ['[::ffff:81.2.69.142]:80', client],
  ])('reads %j as its address, alone and first in a list', (text, key) => {
    expect(ipKey(text)).toEqual(key);
    expect(clientIpKey(text)).toEqual(key);
    expect(clientIpKey(`${text}, 104.16.0.1`)).toEqual(key);
  });

  it.each([
    '81.2.69.142:65536',
    '81.2.69.142:',
    '81.2.69.142:123456',
    '81.2.69.142:8a',
    '81.2.69.142:80:80',
    '[2a02:c7c:1::1]:',
    '[2a02:c7c:1::1]:65536',
    '[2a02:c7c:1::1]x',
    '[2a02:c7c:1::1',
    '[81.2.69.142]',
  ])('refuses the malformed %j', (text) => {
    expect(ipKey(text)).toBeUndefined();
  });

  it('passes over a private client entry with a port, as without one', () => {
    expect(clientIpKey('10.0.0.4:8080, 81.2.69.142')).toEqual(client);
    expect(clientIpKey('[fd12::1]:443, 81.2.69.142')).toEqual(client);
  });
});

describe('a client entry that cannot be read', () => {
  it.each([
    'unknown, 104.16.0.1',
    'unknown,104.16.0.1',
    '10.0.0.4, unknown, 104.16.0.1',
    '81.2.69.142:99999, 104.16.0.1',
    '2a02:c7c:1::1%eth0, 104.16.0.1',
    'junk, 104.16.0.1',
    'x, 104.16.0.1',
  ])('passes over the unreadable entry of %j: placed at the next public one', (text) => {
    expect(clientIpKey(text)).toEqual(proxy);
  });

  it('still passes over empty entries', () => {
    expect(clientIpKey(' , 81.2.69.142, 104.16.0.1')).toEqual(client);
  });
});

/**
 * An IPv6 address with a port and no brackets is another valid IPv6 address: the port is read as
 * its last group (RFC 5952 section 6: only brackets tell a port). Guessing would misread real
 * addresses, so it is read as spelt and documented. Only the upper 64 bits place an IPv6
 * address, so mostly nothing moves; a Teredo address, placed by the IPv4 address inverted in its
 * last 32 bits, lands elsewhere.
 */
describe('an IPv6 address with an unbracketed port', () => {
  it('is read as the address it spells: a Teredo client lands at another IPv4 address', () => {
    // 8.9.2.2, inverted in the last 32 bits.
    expect(ipKey('[2001:0:4136:e378::f7f6:fdfd]:443')).toEqual({ family: 4, value: 0x08090202 });
    // ":443" read as the last group: 2001:0:4136:e378:0:f7f6:fdfd:443, so ~0xfdfd0443, 2.2.251.188.
    expect(ipKey('2001:0:4136:e378::f7f6:fdfd:443')).toEqual({ family: 4, value: 0x0202fbbc });
  });

  it('keeps the /64 of an address whose upper 64 bits the port does not reach', () => {
    expect(ipKey('2a02:c7c:1::1:443')).toEqual(v6Client);
  });
});
