/**
 * An id of "", white space or 0 names no one (docs/decisions.md): the queries that count users
 * (most_active_users, period_totals, daily_activity, logins_by_country, popular_pages) count none
 * for it, and most_active_users gives it no row, so credential stuffing under id 0 is not a busy
 * user shown under the last name an attacker typed (review R-ANALYST M1). Its events still count
 * as events, sign-ins and views. Also: most_active_users counts active days in the period's zone
 * (review R-ANALYST L3).
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import {
  dailyActivity,
  loginsByCountry,
  mostActiveUsers,
  periodTotals,
  popularPages,
} from './support/expected-answers.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, login, manifest } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-23T05:00:00Z');
const TO = Date.parse('2026-11-30T05:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };
const coverage = [manifest('2026-11-24 14:00'), manifest('2026-11-25 01:00')];

// Ids naming no user: empty, ASCII white space, 0 alone or within it.
const noOne = ['', ' ', '\t', '0', ' 0 ', '\n0\r'];
const page = { object_type: 'PAGE', object_id: '7', object_name: 'Sales' };

const events: EventRecord[] = [
  // Two real users: 7 views and a sign-in from the US.
  ...Array.from({ length: 3 }, (_, i) =>
    event(`2026-11-24 14:0${i}`, { user_id: '11', user_name: 'Ann', ...page }),
  ),
  ...Array.from({ length: 4 }, (_, i) =>
    event(`2026-11-24 14:1${i}`, { user_id: '12', user_name: 'Bo', ...page }),
  ),
  login('2026-11-24 14:20', 'login', { user_id: '11', user_name: 'Ann', ip_country: 'US' }),
  // No one: many views, sign-ins from the US, failures with typed names (the attacker's guesses).
  ...noOne.flatMap((id, i) => [
    ...Array.from({ length: 5 }, (_, j) =>
      event(`2026-11-24 14:3${i}:0${j}`, { user_id: id, user_name: '', ...page }),
    ),
    login(`2026-11-24 14:4${i}`, 'login', { user_id: id, user_name: '', ip_country: 'US' }),
    login(`2026-11-24 14:5${i}`, 'login_failed', { user_id: id, user_name: `guess${i}` }),
  ]),
  // Ann again at 20:30 New York time, 01:30 UTC the next day: one evening, one New York day.
  event('2026-11-25 01:30', { user_id: '11', user_name: 'Ann' }),
];

const lake = useFixtureEngine('no-user-counts-', { events, coverage });

const run = async (name: string, timeZone = 'UTC') =>
  (await lake.engine.run(name, standardParams({ ...period, timeZone, limit: 20 }))).rows;

describe('ids naming no user are no user in the counts', () => {
  it('most_active_users gives them no row, however many events they hold', async () => {
    const rows = await run('most_active_users');
    expect(rows.map((r) => r.user_id)).toEqual(['11', '12']);
    expect(rows).toEqual(mostActiveUsers(events, period, 20));
  });

  it('period_totals counts their events and sign-ins but not them as users', async () => {
    const rows = await run('period_totals');
    expect(rows[0]).toMatchObject({ events: events.length, active_users: 2, logins: 1 + noOne.length });
    expect(rows).toEqual(periodTotals(events, period));
  });

  it('daily_activity counts no user for them on their day', async () => {
    const rows = await run('daily_activity');
    expect(rows.find((r) => r.day === '2026-11-24')).toMatchObject({ active_users: 2 });
    expect(rows).toEqual(dailyActivity(events, coverage, period, 'UTC'));
  });

  it('logins_by_country counts their sign-ins, not them as users', async () => {
    const rows = await run('logins_by_country');
    expect(rows.find((r) => r.country === 'US')).toMatchObject({ logins: 1 + noOne.length, users: 1 });
    expect(rows).toEqual(loginsByCountry(events, period));
  });

  it('popular_pages counts their views, not them as viewers', async () => {
    const rows = await run('popular_pages');
    expect(rows[0]).toMatchObject({ page_id: '7', views: 7 + 5 * noOne.length, viewers: 2 });
    expect(rows).toEqual(popularPages(events, period, 20));
  });
});

describe('most_active_users counts active days in the period zone', () => {
  it('an evening in New York is one day there, two in UTC', async () => {
    const ann = async (zone: string) =>
      (await run('most_active_users', zone)).find((r) => r.user_id === '11');
    expect(await ann('America/New_York')).toMatchObject({ active_days: 1 });
    expect(await ann('UTC')).toMatchObject({ active_days: 2 });
    expect(await run('most_active_users', 'America/New_York')).toEqual(
      mostActiveUsers(events, period, 20, 'America/New_York'),
    );
  });
});
