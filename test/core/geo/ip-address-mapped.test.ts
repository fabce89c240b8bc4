import { describe, expect, it } from 'vitest';
import { ipKey } from '../../../functions/core/geo/ip-address.ts';

describe('ipKey and IPv4-mapped addresses', () => {
  it('reads only ::ffff:0:0/96 as IPv4: ffff as the 6th group after a non-zero 5th is not mapped', () => {
    // 0:0:0:0:1:ffff:808:808 is not ::ffff:8.8.8.8, and not a public IPv6 address either.
    expect(ipKey('::1:ffff:808:808')).toBeUndefined();
    expect(ipKey('0:0:0:0:1:ffff:8.8.8.8')).toBeUndefined();
    expect(ipKey('::ffff:808:808')).toEqual({ family: 4, value: 0x08080808 });
  });

  it('keeps a global IPv6 address whose 6th group is ffff as IPv6', () => {
    expect(ipKey('2a00:1450:4001:81c:0:ffff:102:304')).toEqual({
      family: 6,
      hi: 0x2a001450,
      lo: 0x4001081c,
    });
  });
});
