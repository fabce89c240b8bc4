import { describe, expect, it } from 'vitest';
import { ipKey, parseIpv6Groups } from '../../../functions/core/geo/ip-address.ts';

describe('an IPv6 address ending in a dotted quad after a non-empty head', () => {
  it.each([
    ['2001:4860::8.8.8.8', [0x2001, 0x4860, 0, 0, 0, 0, 0x0808, 0x0808]],
    ['2a00:1450::93.184.216.34', [0x2a00, 0x1450, 0, 0, 0, 0, 0x5db8, 0xd822]],
    ['2001:db8:1:2:3:4:1.2.3.4', [0x2001, 0xdb8, 1, 2, 3, 4, 0x0102, 0x0304]],
  ])('%s is read, the quad as its last two groups', (text, groups) => {
    expect(parseIpv6Groups(text)).toEqual(groups);
  });

  it('is placed by its upper 64 bits', () => {
    expect(ipKey('2001:4860::8.8.8.8')).toEqual({ family: 6, hi: 0x20014860, lo: 0 });
  });

  it('a dotted quad before the "::" or in the middle is refused', () => {
    expect(parseIpv6Groups('1.2.3.4::1')).toBeUndefined();
    expect(parseIpv6Groups('2001:1.2.3.4::1')).toBeUndefined();
    expect(parseIpv6Groups('2001:1.2.3.4:1:2:3:4:5')).toBeUndefined();
  });
});
