/**
 * A message's subject (review R-ALERT5 3): with several kinds it ran to over 200 characters, SNS
 * cut it at 99 (the repeat mark, 18 more, cut more), and its counts were the listed rows' shares
 * ("7 failed-login bursts" for 1,000). It now gives the real totals, the rarer kinds first, the
 * rest folded into `+N more of K kinds`, within 99 characters with the mark.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertKind } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { testAlertMessage } from '../../../functions/core/alerts/test-alert-message.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

const options = { instance: INSTANCE, timeZone: 'Europe/Paris', nowMs: NOW, mailOlderThanHours: 24 };
const of = (kind: AlertKind, tag: string, atMs: number): Alert => ({
  ...alertAt(tag, atMs),
  id: `${kind}-${tag}`.padEnd(32, '0').slice(0, 32),
  kind,
});
const many = (kind: AlertKind, n: number, j: number): Alert[] =>
  Array.from({ length: n }, (_, i) => of(kind, `${j}-${i}`, NOW - 60_000 - i * 997 - j * 13));
const KINDS: AlertKind[] = [
  'failed_login_burst',
  'password_spray',
  'lockout',
  'impossible_travel',
  'new_country',
  'new_network',
  'unusual_hour',
];

const subjects = (alerts: Alert[]) => {
  const plain = renderAlertMessage(alerts, options).subject;
  const repeat = renderAlertMessage(alerts, {
    ...options,
    possibleRepeat: { alertIds: [alerts[0]?.id ?? ''], counted: 0, attempts: 1 },
  }).subject;
  expect(repeat).toBe(`[Possible repeat] ${plain}`);
  expect(repeat.length).toBeLessThanOrEqual(99);
  return plain;
};

describe('the subject of an alert message', () => {
  it('of one kind gives its total, listed or not', () => {
    expect(subjects(many('failed_login_burst', 1000, 0))).toBe(
      'Security alerts (acme): 1000 failed-login bursts',
    );
  });

  it('of two kinds gives both totals, the rarer and wider kind first', () => {
    expect(subjects([...many('failed_login_burst', 5000, 0), ...many('password_spray', 250, 1)])).toBe(
      'Security alerts (acme): 250 password sprays, 5000 failed-login bursts',
    );
  });

  it('of seven kinds names those that fit, and counts the rest', () => {
    const alerts = KINDS.flatMap((kind, j) => many(kind, j === 0 ? 1000 : 30 + j, j));
    expect(subjects(alerts)).toBe(
      'Security alerts (acme): 31 password sprays, 32 lockouts, +1138 more of 5 kinds',
    );
    expect(subjects(KINDS.map((kind, j) => of(kind, `x${j}`, NOW - (j + 1) * 60_000)))).toBe(
      'Security alerts (acme): 1 password spray, 1 lockout, +5 more of 5 kinds',
    );
  });
  it('keeps the counts within 99 characters beside a long instance name (review R-ALERT6 F1)', () => {
    const alerts = [
      ...many('password_spray', 250, 0),
      ...many('failed_login_burst', 5001, 1),
      ...many('lockout', 1, 2),
    ];
    const subjectFor = (instance: string) => {
      const plain = renderAlertMessage(alerts, { ...options, instance }).subject;
      const repeat = renderAlertMessage(alerts, {
        ...options,
        instance,
        possibleRepeat: { alertIds: [alerts[0]?.id ?? ''], counted: 0, attempts: 1 },
      }).subject;
      return { plain, repeat };
    };
    // 10 characters: one kind and the rest fit whole with the mark.
    const ten = subjectFor('a'.repeat(10));
    expect(ten.repeat.length).toBeLessThanOrEqual(99);
    expect(ten.plain).toMatch(/: 250 password sprays, \+5002 more of 2 kinds$/);
    // 30: not even one kind with the rest: the whole as a count.
    const thirty = subjectFor('b'.repeat(30));
    expect(thirty.repeat.length).toBeLessThanOrEqual(99);
    expect(thirty.plain).toBe(`Security alerts (${'b'.repeat(30)}): 5252 alerts of 3 kinds`);
    // 63, the longest name allowed: the counts first, the name last, where SNS cuts.
    const longest = subjectFor('c'.repeat(63));
    expect(longest.plain).toBe(`Security alerts: 5252 alerts of 3 kinds (${'c'.repeat(63)})`);
    expect(longest.repeat.slice(0, 99)).toContain('5252 alerts of 3 kinds');
  });

  it('keeps the count of a message of earlier alerts only, and the words of a test, beside a long name (review R-MINE5 F3)', () => {
    const name = 'c'.repeat(63);
    const older = many('lockout', 5000, 0).map((a) => ({ ...a, event_time_ms: NOW - 48 * 60 * 60_000 }));
    const earlier = renderAlertMessage(older, { ...options, instance: name }).subject;
    expect(earlier).toMatch(/^Security alerts: 5000 earlier alerts .*\(c{63}\)$/);
    const test = testAlertMessage(name, NOW, 'UTC').subject;
    expect(test).toBe(`TEST - Security alerts: not a real alert (${name})`);
    expect(testAlertMessage('main', NOW, 'UTC').subject).toBe(
      'TEST - Security alerts (main): not a real alert',
    );
  });

  it('says how many alerts an outage held are late, within the same fit (review R2ALERT)', () => {
    const held = (alerts: Alert[]) =>
      alerts.map((a) => ({ ...a, event_time_ms: a.event_time_ms - 48 * 60 * 60_000, since_alerting: true }));
    expect(subjects(held(many('lockout', 3, 0)))).toBe('Security alerts (acme), all late: 3 lockouts');
    const attack = [...many('failed_login_burst', 40, 0), ...held(many('lockout', 2, 1))];
    expect(subjects(attack)).toBe('Security alerts (acme), 2 late: 2 lockouts, 40 failed-login bursts');
    // The history a first run catches up is not late: it is counted as before.
    const history = many('lockout', 3, 2).map((a) => ({
      ...a,
      event_time_ms: a.event_time_ms - 48 * 60 * 60_000,
    }));
    expect(subjects([...many('lockout', 1, 3), ...history])).toBe('Security alerts (acme): 4 lockouts');
    const kinds = held(KINDS.flatMap((kind, j) => many(kind, j === 0 ? 1000 : 30 + j, j)));
    expect(subjects(kinds)).toBe(
      'Security alerts (acme), all late: 31 password sprays, +1170 more of 6 kinds',
    );
    const name = 'c'.repeat(63);
    const long = renderAlertMessage(kinds, { ...options, instance: name }).subject;
    expect(long).toBe(`Security alerts, all late: 1201 alerts of 7 kinds (${name})`);
  });
});
