/**
 * `alerts.expected` in cdk.json: checked at synth with the function's own parser, carried to each
 * instance's alerts function, and warned of when a rule has no until or has expired.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV, expectedVariable, readAlertsEnv } from '../../functions/alerts/config.ts';
import {
  expectedActivityJson,
  parseExpectedActivity,
} from '../../functions/core/alerts/expected-activity.ts';
import {
  EXPECTED_EXPIRED,
  EXPECTED_FAR_UNTIL,
  EXPECTED_NO_UNTIL,
  MAX_EXPECTED_BYTES,
} from '../../infra/alerts-expected.ts';
import { configWith, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const ALERTS = { enabled: true, allowNoSubscriber: true };
const EXPECTED = [
  { name: 'office VPN', ip: '203.0.113.0/24', reason: 'VPN exits' },
  { kind: 'new_country', user: '42', country: 'JP', reason: 'Ann in Tokyo', until: '2026-12-20' },
  { kind: 'unusual_hour', user: '42', reason: 'night shift', until: '2026-01-31' },
  { kind: 'new_network', ip: '52.95.0.0/24', reason: 'backup', until: '2029-12-31' },
];

describe('alerts.expected', () => {
  it("reaches the instance's alerts function as the function reads it, and is warned of where it needs a look", () => {
    const { stack, template } = synthStack({ alerts: { ...ALERTS, expected: EXPECTED } });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: 'main' } } },
      }),
    );
    const vars = fn?.Properties.Environment.Variables as Record<string, string>;
    const config = readAlertsEnv({ ...vars, [ALERTS_ENV.bucket]: 'b', [ALERTS_ENV.topicArn]: 'arn:t' });
    expect(config.expected?.map((r) => [r.rule, r.name, r.reason, r.until])).toEqual([
      [1, 'office VPN', 'VPN exits', undefined],
      [2, undefined, 'Ann in Tokyo', '2026-12-20'],
      [3, undefined, 'night shift', '2026-01-31'],
      [4, undefined, 'backup', '2029-12-31'],
    ]);
    const warnings = (pattern: string) =>
      Annotations.fromStack(stack)
        .findWarning('*', Match.stringLikeRegexp(pattern))
        .map((w) => String(w.entry.data));
    expect(warnings(EXPECTED_NO_UNTIL)).toEqual([
      expect.stringContaining(
        'alerts.expected rule 1 ("office VPN") has no "until": it quiets its alerts for good',
      ),
    ]);
    // The tests' "now" is 2026-11-25.
    // More than a year away is as good as for good (review R-MUTE L4).
    expect(warnings(EXPECTED_FAR_UNTIL)).toEqual([
      expect.stringContaining('alerts.expected rule 4 runs until 2029-12-31, more than a year away'),
    ]);
    expect(warnings(EXPECTED_EXPIRED)).toEqual([
      expect.stringContaining('alerts.expected rule 3 expired at 2026-01-31: it quiets nothing'),
    ]);
  });

  it('is none when left out: the function gets an empty variable', () => {
    const { template } = synthStack({ alerts: ALERTS });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: 'main' } } },
      }),
    );
    expect(fn?.Properties.Environment.Variables[ALERTS_ENV.expected]).toBe('');
  });

  it('stops synth on a bad rule, naming the key, the rule and the fix', () => {
    const bad = (rule: Record<string, unknown>) => () =>
      configWith({ alerts: { ...ALERTS, expected: [rule] } });
    expect(bad({ kind: 'new_country' })).toThrow(
      /alerts\.expected: expected-activity rule 1: has no "reason"/,
    );
    expect(bad({ kind: 'new_countries', reason: 'r' })).toThrow(
      /"new_countries" is not an alert kind \(did you mean "new_country"\?\)/,
    );
    expect(bad({ kind: 'password_spray', ip: '52.95.0.0/16', reason: 'r' })).toThrow(
      /alerts\.expected: expected-activity rule 1: "kind" names password_spray: failed sign-ins, lockouts, password sprays and logins after them are never quieted/,
    );
    expect(bad({ ip: '10.0.0.1/8', reason: 'r' })).toThrow(/write the network as 10\.0\.0\.0\/8/);
    expect(bad({ user: '7', reason: 'r', until: '31/12/2026' })).toThrow(/is not an ISO date/);
    const long = Array.from({ length: 30 }, (_, i) => ({ user: `${1000 + i}`, reason: 'x'.repeat(60) }));
    expect(() => configWith({ alerts: { ...ALERTS, expected: long } })).toThrow(
      new RegExp(
        `alerts\\.expected: is \\d+ bytes as the alerts function.s environment carries it.* at most ${MAX_EXPECTED_BYTES}`,
      ),
    );
  });

  describe('in a stack of several instances', () => {
    const INSTANCES = [{ name: 'main' }, { name: 'sales' }];
    const ANN = '1839254411';

    it("caps what each instance's function carries, not the whole list, naming the largest", () => {
      // 20 instances with a rule each: 2.6 KB together, about 130 bytes in each function.
      const names = Array.from({ length: 20 }, (_, i) => `instance-${String(i).padStart(2, '0')}`);
      const reason = 'the night shift of the finance team, working from home';
      const one = names.map((instance, i) => ({ instance, user: `${1000 + i}`, reason }));
      const many = { instances: names.map((name) => ({ name })) };
      const whole = parseExpectedActivity(one);
      expect(Buffer.byteLength(expectedActivityJson(whole))).toBeGreaterThan(MAX_EXPECTED_BYTES);
      expect(() => configWith({ ...many, alerts: { ...ALERTS, expected: one } })).not.toThrow();
      // Past the cap in one function: that one is named, with what it carries.
      const crowded = [
        ...one,
        ...names.slice(0, 15).map((_, i) => ({ instance: 'instance-07', user: `${2000 + i}`, reason })),
      ];
      const bytes = Buffer.byteLength(expectedVariable(parseExpectedActivity(crowded), 'instance-07'));
      expect(bytes).toBeGreaterThan(MAX_EXPECTED_BYTES);
      expect(() => configWith({ ...many, alerts: { ...ALERTS, expected: crowded } })).toThrow(
        `alerts.expected: is ${bytes} bytes as the alerts function's environment carries it for instance "instance-07" (its rules only, each value as a list; the most any of the 20 instances' functions carries); that environment (4 KB for all its variables) takes at most ${MAX_EXPECTED_BYTES} of it`,
      );
    });

    it("carries to each instance's function only the rules for it, at their places", () => {
      const expected = [
        { instance: 'sales', user: '7', reason: 'sales night shift', until: '2026-12-31' },
        { name: 'office', ip: '203.0.113.0/24', reason: 'VPN exits', until: '2026-12-31' },
        { instance: ['main', 'sales'], user: ANN, country: 'JP', reason: 'Ann', until: '2026-12-31' },
      ];
      const { template } = synthStack({ instances: INSTANCES, alerts: { ...ALERTS, expected } });
      const read = (instance: string) => {
        const [fn] = Object.values(
          template.findResources('AWS::Lambda::Function', {
            Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: instance } } },
          }),
        );
        const vars = fn?.Properties.Environment.Variables as Record<string, string>;
        const config = readAlertsEnv({ ...vars, [ALERTS_ENV.bucket]: 'b', [ALERTS_ENV.topicArn]: 'arn:t' });
        return config.expected?.map((r) => [r.rule, r.reason, r.instances]);
      };
      expect(read('main')).toEqual([
        [2, 'VPN exits', undefined],
        [3, 'Ann', ['main']],
      ]);
      expect(read('sales')).toEqual([
        [1, 'sales night shift', ['sales']],
        [2, 'VPN exits', undefined],
        [3, 'Ann', ['sales']],
      ]);
    });

    it('stops synth on a user without an instance, or an instance not configured, naming the instances', () => {
      const withRule = (rule: Record<string, unknown>) => () =>
        configWith({ instances: INSTANCES, alerts: { ...ALERTS, expected: [{ reason: 'r', ...rule }] } });
      expect(withRule({ user: ANN, country: 'JP' })).toThrow(
        /alerts\.expected: expected-activity rule 1: names a "user" but no "instance", and there are 2 instances of the stack \("main" and "sales"\).*e\.g\. "instance": "main"/,
      );
      expect(withRule({ instance: 'sals', user: ANN })).toThrow(
        /alerts\.expected: expected-activity rule 1: "instance" "sals" is not an instance of the stack \(did you mean "sales"\?\), which has "main" and "sales": name one of them \(or a list of them\), or remove it from the rule \(the rule itself, if it is for no other instance\), or add the instance to "instances"/,
      );
      expect(withRule({ ip: '203.0.113.0/24' })).not.toThrow();
      expect(withRule({ instance: 'sales', user: ANN })).not.toThrow();
      // One instance: a user's id is that instance's, nothing to choose.
      expect(() =>
        configWith({ alerts: { ...ALERTS, expected: [{ user: ANN, reason: 'r' }] } }),
      ).not.toThrow();
      expect(() =>
        configWith({ alerts: { ...ALERTS, expected: [{ instance: 'acme', user: ANN, reason: 'r' }] } }),
      ).toThrow(/"instance" "acme" is not an instance of the stack, which has "main"/);
    });
  });
});
