import { describe, expect, it } from 'vitest';
import { addressKey, networkOf } from '../../../functions/core/alerts/ip-network.ts';
import { networkOf as referenceNetworkOf } from '../../queries/support/expected-answers.ts';
import { randomAddresses } from '../../queries/support/random-addresses.ts';

describe('networkOf (the network suspicious_logins.sql derives)', () => {
  it.each([
    ['192.168.10.77', '192.168.10.0/24'],
    [' 010.1.2.3 ', '010.1.2.0/24'],
    ['::ffff:8.8.4.4', '8.8.4.0/24'],
    ['2001:0db8:00a0:1234::1', '2001:db8:a0::/48'],
    ['2001:db8::', '2001:db8:0::/48'],
    ['::1', null],
    ['::', null],
    ['127.0.0.53', null],
    ['0.0.0.0', null],
    ['::ffff:7f00:1', null],
    ['999.2.69.160', null],
    ['::ffff:999.1.1.1', null],
    ['::ffff:81.2.69.160.7', null],
    ['::ffff:1.2.3', null],
    ['2001:db8:1::abcde', null],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8:0::/48'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3::/48'],
    ['1:2:3:4:5:6:7', null],
    ['1::2::3', null],
    ['12345::', null],
    ['not an ip', null],
    ['', null],
    [null, null],
  ])('%s -> %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });

  it('agrees with the reference parser the query is tested against, on random addresses', () => {
    for (const address of randomAddresses('ip-networks', 3000)) {
      expect(networkOf(address), address).toBe(referenceNetworkOf(address));
    }
  });
});

describe('addressKey (the address suspicious_logins.sql compares)', () => {
  it('strips the ASCII whitespace around it and lower-cases A-Z only, as the query does', () => {
    expect(addressKey(' \t2600:1700:ABCD::1\r\n')).toBe('2600:1700:abcd::1');
    expect(addressKey('UNKNOWN, 73.0.0.26')).toBe('unknown, 73.0.0.26');
    // Other letters are left as written: engines and JavaScript lower-case them differently.
    expect(addressKey('73.0.0.25, İ')).toBe('73.0.0.25, İ');
    expect(addressKey('ÄÖ')).toBe('ÄÖ');
    expect(addressKey(null)).toBeNull();
  });
});
