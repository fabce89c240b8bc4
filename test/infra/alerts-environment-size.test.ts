/**
 * The alerts function's environment fits Lambda's 4 KB, keys and values together, checked at synth
 * with its references counted at their longest (review R-MUTE M4): the expected-activity list is
 * capped as the environment carries it, and the whole environment is checked.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectedActivityJson,
  parseExpectedActivity,
} from '../../functions/core/alerts/expected-activity.ts';
import { MAX_EXPECTED_BYTES } from '../../infra/alerts-expected.ts';
import { configWith, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const ALERTS = { enabled: true, sender: 'alerts@very-long-subsidiary.example.com' };
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
  Array.from({ length: n }, (_, i) => `firstname.lastname${String(i).padStart(2, '0')}@corp.example.com`);

describe("the alerts function's environment", () => {
  it('caps the expected-activity list as the environment carries it, each value a list', () => {
    // Under the cap as written, over it once each string is a list.
    const written: Record<string, unknown>[] = [];
    while (Buffer.byteLength(JSON.stringify([...written, ruleNo(written.length)])) <= MAX_EXPECTED_BYTES)
      written.push(ruleNo(written.length));
    expect(Buffer.byteLength(JSON.stringify(written))).toBeLessThanOrEqual(MAX_EXPECTED_BYTES);
    expect(() =>
      configWith({ alerts: { ...ALERTS, recipients: ['a@example.com'], expected: written } }),
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

  it('stops the synth when 50 recipients and a list near its cap pass 4 KB together, naming the largest', () => {
    expect(() =>
      synthStack({
        alerts: { ...ALERTS, recipients: recipients(50), expected: rulesNear(MAX_EXPECTED_BYTES) },
      }),
    ).toThrow(
      /alerts function of instance "main"'s environment would be up to \d+ bytes once deployed \(largest: ALERTS_RECIPIENTS \d+, ALERTS_EXPECTED \d+.*over the 4096 .*fewer alerts\.recipients/s,
    );
  });
});
