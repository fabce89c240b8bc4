/**
 * Every expected-activity example docs/alerts.md gives is read by the parser and does what the text
 * around it says (review R-MUTE L3: an example matched nothing, its addresses special-purpose).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  ALERT_ADDRESS_CHARS,
  ALERT_ADDRESS_TEXT_CHARS,
  ALERT_ADDRESSES,
} from '../../../functions/core/alerts/alert-addresses.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { QUIETED_ARCHIVED_PER_RULE_DAY } from '../../../functions/core/alerts/quieted-archive-bound.ts';
import { alertOf } from './support/alert-fixtures.ts';

const DOC = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');
const NOW = Date.parse('2026-12-05T12:00:00Z');

/** The `expected` lists of the doc's JSON blocks, each as parsed. */
const documentedLists = (): unknown[] =>
  [...DOC.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((block) => block[1] ?? '')
    .filter((text) => text.includes('"expected"'))
    .map((text) => {
      const json = JSON.parse(`{${text.trim()}}`) as Record<string, unknown>;
      const alerts = json.alerts as Record<string, unknown> | undefined;
      return alerts?.expected ?? json.expected;
    });

const quieted = (rules: unknown, alert: Alert): boolean =>
  quietAlerts([alert], parseExpectedActivity(rules), NOW).quietedBy.has(alert.id);
const at = (ip: string, fields: Partial<Alert> = {}, country?: string): Alert =>
  alertOf({
    kind: 'new_network',
    user_id: '1290485601',
    ...fields,
    ip_address: ip,
    addresses: [{ ip, ...(country ? { country } : {}) }],
  });

describe("docs/alerts.md's expected-activity examples", () => {
  it('are all read by the parser', () => {
    const lists = documentedLists();
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const list of lists) expect(() => parseExpectedActivity(list)).not.toThrow();
  });

  it('quiet what they are written for', () => {
    const [, rules] = documentedLists();
    const list = rules as Record<string, unknown>[];
    const [vpn, backup, ann] = list.map((rule) => [rule]);
    expect(quieted(vpn, at('81.2.69.7'))).toBe(true);
    expect(quieted(vpn, at('2a02:8010:6000:1::9'))).toBe(true);
    // Failures are always sent: the VPN's lockout too (review R-MUTE4).
    expect(quieted(vpn, at('81.2.69.7', { kind: 'lockout' }))).toBe(false);
    const signIn = { kind: 'new_country' as const, user_id: '1290485601' };
    expect(quieted(backup, at('52.95.110.1', signIn))).toBe(true);
    expect(quieted(backup, at('6.6.6.6', signIn))).toBe(false);
    const tokyo = { kind: 'new_country' as const, user_id: '1839254411' };
    expect(quieted(ann, at('133.242.0.1', tokyo, 'JP'))).toBe(true);
    expect(quieted(ann, at('133.242.0.1', { ...tokyo, kind: 'lockout' }, 'JP'))).toBe(false);
    // The sync account's privileged changes, and no one else's; no sign-in rule quiets them.
    const [, , sync] = documentedLists();
    const change = { kind: 'privileged_change' as const, user_id: '1290485601', instance: 'main' };
    expect(quieted(sync, at('52.95.110.1', change))).toBe(true);
    expect(quieted(sync, at('52.95.110.1', { ...change, user_id: '1839254411' }))).toBe(false);
    expect(quieted(backup, at('52.95.110.1', change))).toBe(false);
  });

  it("match and refuse the forwarded-for lists the ip key's text names", () => {
    const text = DOC.replace(/\s+/g, ' ');
    const example =
      /so `([^`]+)` \(the VPN, then a private hop\) matches `([^`]+)` and a forged `([^`]+)` does not/.exec(
        text,
      );
    expect(example).not.toBeNull();
    const [, matching, network, forged] = example as unknown as [string, string, string, string];
    expect(quieted([{ ip: network, reason: 'r' }], at(matching))).toBe(true);
    expect(quieted([{ ip: network, reason: 'r' }], at(forged))).toBe(false);
  });
});

it('says failures are always sent, and states the archive bound (reviews R-MUTE4, R-MUTE5)', () => {
  const text = DOC.replace(/\s+/g, ' ');
  expect(text).toContain('The list quiets **sign-in alerts only**');
  expect(text).toContain('`password_spray`) are **always sent**, whatever the list says');
  expect(text).toContain(
    `At most ${QUIETED_ARCHIVED_PER_RULE_DAY} quieted alerts of one rule are archived a day (UTC)`,
  );
});

it('states the bounds of the addresses an alert keeps for the list (review R-MUTE2 G)', () => {
  const text = DOC.replace(/\s+/g, ' ');
  expect(text).toContain(
    `up to ${ALERT_ADDRESSES} distinct addresses, each an address text with the country`,
  );
  expect(text).toContain('counts twice');
  const thousands = ALERT_ADDRESS_CHARS.toLocaleString('en-US');
  expect(text).toContain(`at most ${ALERT_ADDRESS_TEXT_CHARS} characters a text and ${thousands} together`);
});

it('says what the quieted alerts past the bound leave, and that deleting the checkpoint brings them back (review R-MUTE6)', () => {
  const text = DOC.replace(/\s+/g, ' ');
  expect(text).toContain("**An alert past the day's bound leaves no archive record**");
  expect(text).toContain('Its events stay in the lake');
  expect(text).toContain('**deleting it brings them back**');
  expect(text).toContain('or **sent**, if their rule was removed or expired in the meantime');
});

it('refuses the Teredo and NAT64 network it names without a user, and says to pair cloud networks with one (review R-MUTE6)', () => {
  const text = DOC.replace(/\s+/g, ' ');
  const example = /`([^`]+)` is all of `52\.0\.0\.0\/8`/.exec(text);
  expect(example).not.toBeNull();
  const [, network] = example as unknown as [string, string];
  expect(() => parseExpectedActivity([{ ip: network, reason: 'r' }])).toThrow(/wider than a \/120/);
  expect(() => parseExpectedActivity([{ ip: network, user: '7', reason: 'r' }])).not.toThrow();
  expect(text).toContain("is shared with the provider's other tenants");
  expect(text).toContain('pair such a network with the `user` it is expected of');
});
