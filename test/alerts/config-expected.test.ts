/** The alerts function reads the expected-activity list from its environment, as synth wrote it. */
import { describe, expect, it } from 'vitest';
import { ALERTS_ENV, alertsEnvironment, readAlertsEnv } from '../../functions/alerts/config.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const env = acmeAlertsEnv();

describe('the alerts function environment, expected activity', () => {
  it('reads the list written into it, and none when unset or empty', () => {
    const list = [{ name: 'vpn', ip: ['203.0.113.0/24'], reason: 'VPN exits', until: '2027-01-31' }];
    const config = readAlertsEnv({ ...env, [ALERTS_ENV.expected]: JSON.stringify(list) });
    expect(config.expected).toMatchObject([
      { rule: 1, name: 'vpn', reason: 'VPN exits', untilMs: Date.parse('2027-02-01') - 1 },
    ]);
    expect(readAlertsEnv(alertsEnvironment(config)).expected).toEqual(config.expected);
    expect(readAlertsEnv({ ...env, [ALERTS_ENV.expected]: undefined }).expected).toEqual([]);
    expect(readAlertsEnv({ ...env, [ALERTS_ENV.expected]: '' }).expected).toEqual([]);
  });

  it('refuses a list edited by hand into one the synth would refuse, naming the variable', () => {
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.expected]: '[{"kind":"new_country"}]' })).toThrow(
      /ALERTS_EXPECTED: expected-activity rule 1: has no "reason"/,
    );
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.expected]: '[{' })).toThrow(/ALERTS_EXPECTED: /);
    // A list from before failures were always sent (review R-MUTE4) is refused, not half applied.
    expect(() =>
      readAlertsEnv({ ...env, [ALERTS_ENV.expected]: '[{"kind":"lockout","user":"9","reason":"r"}]' }),
    ).toThrow(
      /ALERTS_EXPECTED: expected-activity rule 1: "kind" names lockout: failed sign-ins, lockouts, password sprays and logins after them are never quieted/,
    );
  });

  it("reads its instance's rules at their places, and refuses one naming another instance", () => {
    const instance = readAlertsEnv(env).instance;
    const rules = [null, { instance: [instance], user: '42', reason: 'Ann', until: '2027-01-31' }];
    const config = readAlertsEnv({ ...env, [ALERTS_ENV.expected]: JSON.stringify(rules) });
    expect(config.expected?.map((r) => [r.rule, r.instances])).toEqual([[2, [instance]]]);
    expect(readAlertsEnv(alertsEnvironment(config)).expected).toEqual(config.expected);
    const other = JSON.stringify([{ instance: 'other', user: '42', reason: 'r' }]);
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.expected]: other })).toThrow(
      `ALERTS_EXPECTED: expected-activity rule 1: "instance" "other" is not an instance of this alerts function, which has "${instance}": name one of them (or a list of them), or deploy the stack again`,
    );
    // Nothing for it at all: an empty variable, as when the list is empty.
    const none = {
      ...config,
      expected: [{ ...(config.expected?.[0] ?? { rule: 1, reason: 'r' }), instances: ['other'] }],
    };
    expect(alertsEnvironment(none)[ALERTS_ENV.expected]).toBe('');
  });
});
