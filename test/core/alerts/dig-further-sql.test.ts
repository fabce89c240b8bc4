/**
 * The query to dig further is SQL for two engines: it must parse as Athena's (Trino) and run on
 * DuckDB over a lake on disk, and show what the alerted users touched (the object columns).
 */

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../../functions/cli/command-line.ts';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { digQuery, SPRAY_TEXTS_LEFT_OUT } from '../../../functions/core/alerts/dig-further.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { event } from '../../queries/support/lake-fixture.ts';
import { trino } from '../../support/trino-grammar.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';
import { digRowsOnDuckDb } from './support/dig-on-duckdb.ts';

const lockout = (time: string, user: Pick<Alert, 'user_id' | 'user_name'>): Alert => {
  const ms = Date.parse(`${time.replace(' ', 'T')}Z`);
  return {
    id: alertId('default', 'lockout', [time]),
    instance: 'default',
    kind: 'lockout',
    ...user,
    event_time: lakeTimestamp(ms),
    event_time_ms: ms,
    evidence: 'locked out',
    ip_address: '203.0.113.7',
    event_ids: [time],
  };
};

describe('the query to dig further as SQL', () => {
  it('parses as Trino and lists, on DuckDB, what the alerted user touched', async () => {
    const query = digQuery('default', [lockout('2026-10-05 10:30:00', { user_id: '42', user_name: 'Ann' })]);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', {
        user_id: '42',
        object_type: 'DATASET',
        object_name: 'Payroll',
        object_id: 'a1b2',
      }),
      event('2026-10-05 10:21:00', { user_id: '7', object_name: 'Not hers' }),
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        user_id: '42',
        object_type: 'DATASET',
        object_name: 'Payroll',
        object_id: 'a1b2',
      }),
    ]);
  });

  it("shows where each event came from, which tells an attacker's events from the user's own", async () => {
    const query = digQuery('default', [lockout('2026-10-05 10:30:00', { user_id: '42', user_name: 'Ann' })]);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', {
        user_id: '42',
        ip_country: 'BR',
        ip_org: 'Amazon.com, Inc.',
        browser_details: 'Firefox 91',
      }),
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        ip_country: 'BR',
        ip_org: 'Amazon.com, Inc.',
        browser_details: 'Firefox 91',
      }),
    ]);
  });

  it('finds the failures of an alert that carry neither user id nor user name', async () => {
    const query = digQuery('default', [
      lockout('2026-10-05 10:30:00', { user_id: null, user_name: null }),
      lockout('2026-10-05 10:40:00', { user_id: null, user_name: 'Bob' }),
    ]);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', { user_id: null, user_name: null, event_text: 'nameless' }),
      event('2026-10-05 10:21:00', { user_id: null, user_name: 'Bob', event_text: 'bob' }),
      event('2026-10-05 10:22:00', { user_id: '7', user_name: null, event_text: 'other user' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['nameless', 'bob']);
  });

  it('matches a made-up user name that reads as a link, spelling its link characters', async () => {
    const name = 'sso-help.com/reset?u=admin https://evil.example www.evil.example';
    const query = digQuery('default', [lockout('2026-10-05 10:30:00', { user_id: null, user_name: name })]);
    // Nothing a mail client would link: the dot and colons are chr(46) and chr(58).
    expect(query).not.toMatch(/sso-help\.com|:\/\/|www\./);
    expect(query).toContain("'sso-help' || chr(46) || 'com/reset?u=admin https' || chr(58)");
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', { user_id: null, user_name: name, event_text: 'made up' }),
      event('2026-10-05 10:21:00', { user_id: null, user_name: 'sso-help.com', event_text: 'other' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['made up']);
  });

  it("lists the events of every text a spray's failures wrote its address in", async () => {
    const texts = ['5.6.7.8:50002', "x'.1, 5.6.7.8", '5.6.7.8:50001'];
    const ms = Date.parse('2026-10-05T10:30:00Z');
    const spray: Alert = {
      id: alertId('default', 'password_spray', ['s']),
      instance: 'default',
      kind: 'password_spray',
      user_id: null,
      user_name: null,
      event_time: lakeTimestamp(ms),
      event_time_ms: ms,
      evidence: 'failed logins of 10 users',
      ip_address: '5.6.7.8:50002',
      event_ids: ['s'],
      ip_addresses: texts,
    };
    const query = digQuery('default', [spray]);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      ...texts.map((ip_address, i) =>
        event(`2026-10-05 10:2${i}:00`, { user_id: `${i}`, ip_address, event_text: `spray ${i}` }),
      ),
      event('2026-10-05 10:25:00', { user_id: '1', ip_address: '5.6.7.80:50003', event_text: 'not its' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['spray 0', 'spray 1', 'spray 2']);
    // The note on a spray that wrote more texts than it kept is a comment to both.
    const capped = digQuery('default', [{ ...spray, ip_addresses_partial: true }]);
    expect(capped.split('\n')[0]).toBe(SPRAY_TEXTS_LEFT_OUT);
    expect(trino.validate(capped)).toEqual([]);
    expect(await digRowsOnDuckDb(capped, [])).toEqual([]);
  });

  it.each([
    [
      'a port',
      (i: number) => `5.6.7.8:${50_000 + i}`,
      '5.6.7.8:61000',
      ['15.6.7.80', '5.6.7.89:1', 'x5.6.7.8.9'],
    ],
    [
      'an IPv6 address in its /64',
      (i: number) => `[2a00:1450:4001:81c::${i + 1}]:${1_000 + i}`,
      '[2A00:1450:4001:081C:0:0:0:999]:2000',
      ['2a00:1450:4001:81d::1', '12a00:1450:4001:81c::1', '2a00:1450::81c:1'],
    ],
    [
      'an IPv6 port',
      (i: number) => `[2a00:1::1]:${1_000 + i}`,
      '2a00:1:0:0:ffff::1',
      ['2a00:1:0:1::1', '2a00:2::1'],
    ],
  ])(
    "finds a spray's events after its window by its address, with %s changing (review R-SPRAYKEY2)",
    async (_, ip, success, others) => {
      // 80 failures of 40 users, a new port each: the alert keeps the raising window's 10 texts.
      const at = (i: number) => Date.parse('2026-10-05T10:00:00Z') + i * 7_000;
      const failures = Array.from({ length: 80 }, (_, i) => failedLogin(i % 40, at(i), ip(i), `f${i}`));
      const [alert] = detectAlerts(hourInput(Date.parse('2026-10-05T10:00:00Z'), failures));
      expect(alert?.ip_addresses).toHaveLength(10);
      const query = digQuery('default', alert ? [alert] : []);
      expect(trino.validate(query)).toEqual([]);
      const time = (ms: number) => lakeTimestamp(ms).slice(0, 19);
      const rows = await digRowsOnDuckDb(query, [
        ...failures.map((f, i) =>
          event(time(f.event_time_ms), {
            user_id: `${i % 40}`,
            ip_address: ip(i),
            event_text: `failure ${i}`,
          }),
        ),
        event(time(at(90)), { user_id: '3', ip_address: success, event_text: 'signed in' }),
        ...others.map((ip_address) => event(time(at(91)), { ip_address, event_text: `other ${ip_address}` })),
      ]);
      const texts = rows.map((r) => r.event_text);
      expect(texts).toHaveLength(81);
      expect(texts.slice(-2)).toEqual(['failure 79', 'signed in']);
    },
  );

  it('still matches, broken over lines, when it lists many users and ids too long for a line', async () => {
    // 30 users (four lines of ids) and one id of 900 characters, a quote, a line break and
    // characters the mail escapes: cut into pieces joined with `||`, it must equal the stored id.
    const hostile = `${`O'Brien "&" <x> 😀 `.repeat(45)}\r\n${'a'.repeat(20)}`;
    const users = [...Array.from({ length: 30 }, (_, i) => `${1_000_000_000 + i}`), hostile];
    const query = digQuery(
      'default',
      users.map((user_id, i) =>
        lockout(`2026-10-05 10:${String(i).padStart(2, '0')}:00`, { user_id, user_name: null }),
      ),
    );
    expect(query).toContain("' ||\n    '");
    expect(Math.max(...query.split('\n').map((line) => line.length))).toBeLessThan(400);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:20:00', { user_id: hostile, event_text: 'hostile' }),
      event('2026-10-05 10:21:00', { user_id: '1000000029', event_text: 'last of the list' }),
      event('2026-10-05 10:22:00', { user_id: hostile.slice(0, -1), event_text: 'not quite' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['hostile', 'last of the list']);
    // Pasted into a shell as the local run's command line quotes it, it reads back the same.
    expect(execFileSync('sh', ['-c', `printf '%s' ${shellWord(query)}`], { encoding: 'utf8' })).toBe(query);
  });
});
