/**
 * Review R-NUMBERS2 L4: each lockout read the address key of every failure of the hour before it
 * anew, so a user's lockouts read the same failures over and over (1,000 lockouts over 6,000
 * failures with 1 KB address texts: 0.6 s before the keys, 95 s with them). One detection run now
 * reads each failure's address once; counted here, not timed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Detect from '../../../functions/core/alerts/detect-failed-logins.ts';
import type * as IpNetwork from '../../../functions/core/alerts/ip-network.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-25T10:00:00Z');
const IP_NETWORK = '../../../functions/core/alerts/ip-network.ts';
const reads = { count: 0 };
let detectLockouts: typeof Detect.detectLockouts;

// Test files share modules (isolate: false): the detector is imported fresh with the address
// reading counted, and the modules are reset again after, so no other file sees the count.
beforeAll(async () => {
  vi.resetModules();
  vi.doMock(IP_NETWORK, async (importOriginal) => {
    const actual = await importOriginal<typeof IpNetwork>();
    return {
      ...actual,
      failureAddress: (address: string | null) => {
        reads.count++;
        return actual.failureAddress(address);
      },
    };
  });
  ({ detectLockouts } = await import('../../../functions/core/alerts/detect-failed-logins.ts'));
});
afterAll(() => {
  vi.doUnmock(IP_NETWORK);
  vi.resetModules();
});

const input = (failures: number, lockouts: number) => ({
  instance: 'acme',
  fromMs: H,
  toMs: H + HOUR_MS,
  events: [
    ...Array.from({ length: failures }, (_, i) =>
      record({
        event_time_ms: H + i * 1_000,
        category: 'login_failed',
        ip_address: `10.0.0.1, 5.6.7.${i % 7}`,
      }),
    ),
    ...Array.from({ length: lockouts }, (_, i) =>
      record({ event_time_ms: H + failures * 1_000 + i, category: 'lockout', ip_address: '5.6.7.8' }),
    ),
  ],
  before: [],
  profile: new LoginProfile('acme', 'UTC'),
  settings: settings(),
});

describe("a detection run reads each failure's address once", () => {
  it('however many lockouts look back over the same failures', () => {
    reads.count = 0;
    const alerts = detectLockouts(input(200, 50));
    expect(alerts).toHaveLength(50);
    expect(alerts[0]?.evidence).toMatch(
      /^locked out after 200 failed logins in the hour before, from 7 IPs 5\.6\.7\.0, /,
    );
    // 10,000 (50 x 200) read anew.
    expect(reads.count).toBe(200);
  });
});
