import { describe, expect, it } from 'vitest';
import { clientIpKey, ipKey, parseIpv4 } from '../../../functions/core/geo/ip-address.ts';

/**
 * inet_aton reads 010.8.8.8 as octal (8.8.8.8), decimal readers as 10.8.8.8: no one address to
 * place, so the text is not read at all (as Python's ipaddress since CVE-2021-29921).
 */
describe('octets with a leading zero', () => {
  it.each(['077.8.8.8', '8.8.8.08', '8.8.8.00', '8.008.8.8', '::ffff:8.8.8.010', '2a00:1450::1.2.3.04'])(
    'refuses %j: octal to inet_aton, decimal to others',
    (text) => {
      expect(ipKey(text)).toBeUndefined();
    },
  );

  it('reads a lone 0 as a part', () => {
    expect(parseIpv4('8.0.8.0')).toBe(0x08000800);
    expect(parseIpv4('80.0.0.1')).toBe(0x50000001);
  });
});

describe('a client entry with a leading-zero octet', () => {
  it('is passed over, as any unreadable entry: the next public entry places the event', () => {
    expect(clientIpKey('010.2.69.142, 104.16.0.1')).toEqual({
      family: 4,
      value: ((104 * 256 + 16) * 256 + 0) * 256 + 1,
    });
    expect(clientIpKey('81.2.69.142, 010.2.69.142')).toEqual({
      family: 4,
      value: ((81 * 256 + 2) * 256 + 69) * 256 + 142,
    });
  });
});
