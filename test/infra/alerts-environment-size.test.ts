/**
 * The alerts function's environment fits Lambda's 4 KB, keys and values together, checked at synth
 * with its references counted at their longest (review R-MUTE M4): the expected-activity list is
 * capped as the environment carries it, and the whole environment is checked.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV } from '../../functions/alerts/config.ts';
import {
  expectedActivityJson,
  parseExpectedActivity,
} from '../../functions/core/alerts/expected-activity.ts';
import { MAX_EXPECTED_BYTES } from '../../infra/alerts-expected.ts';
import { AlertsRecipientsLayer } from '../../infra/constructs/alerts-recipients-layer.ts';
import { configWith, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const ALERTS = {
  enabled: true,
  sender: 'alerts@very-long-subsidiary.acme-co.com',
  // The sign-in judging at its longest figures, as the settings variable carries them.
  historyDays: 90,
  minHistoryLogins: 10_000,
  maxSpeedKmh: 20_000,
};
const ruleNo = (i: number) => ({
  kind: 'new_network',
  user: `${1000 + i}`,
  ip: `10.0.${i}.0/24`,
  reason: 'r',
  until: '2027-01-31',
});

/** Rules written with single strings, as many as fit `limit` bytes of the environment's form. */
function rulesNear(limit: number): Record<string, unknown>[] {
  const rules: Record<string, unknown>[] = [];
  while (
    Buffer.byteLength(expectedActivityJson(parseExpectedActivity([...rules, ruleNo(rules.length)]))) <= limit
  )
    rules.push(ruleNo(rules.length));
  return rules;
}

const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => `firstname.lastname${String(i).padStart(2, '0')}@corp.acme-co.com`);

describe("the alerts function's environment", () => {
  it('caps the expected-activity list as the environment carries it, each value a list', () => {
    // Under the cap as written, over it once each string is a list.
    const written: Record<string, unknown>[] = [];
    while (Buffer.byteLength(JSON.stringify([...written, ruleNo(written.length)])) <= MAX_EXPECTED_BYTES)
      written.push(ruleNo(written.length));
    expect(Buffer.byteLength(JSON.stringify(written))).toBeLessThanOrEqual(MAX_EXPECTED_BYTES);
    expect(() =>
      configWith({ alerts: { ...ALERTS, recipients: ['a@acme-co.com'], expected: written } }),
    ).toThrow(
      new RegExp(
        `alerts\\.expected: is \\d+ bytes as the alerts function's environment carries it.* at most ${MAX_EXPECTED_BYTES}`,
      ),
    );
  });

  it('passes the synth with a list near its cap and a few recipients', () => {
    expect(() =>
      synthStack({
        alerts: { ...ALERTS, recipients: recipients(2), expected: rulesNear(MAX_EXPECTED_BYTES) },
      }),
    ).not.toThrow();
  });

  it('passes the synth with 50 recipients and a list near its cap: the recipients are in a layer', () => {
    // Together they passed 4 KB while each function's environment listed the recipients.
    const { template } = synthStack({
      alerts: { ...ALERTS, recipients: recipients(50), expected: rulesNear(MAX_EXPECTED_BYTES) },
    });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: 'main' } } },
      }),
    );
    const vars = fn?.Properties.Environment.Variables as Record<string, unknown>;
    expect(vars[ALERTS_ENV.recipients]).toBe('');
    expect(vars[ALERTS_ENV.recipientsFile]).toBe(AlertsRecipientsLayer.file);
  });
});
