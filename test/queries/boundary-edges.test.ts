import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import {
  dailyActivity,
  dataHealth,
  failedLoginsAndLockouts,
  loginHistory,
  mostActiveUsers,
  periodTotals,
  standardSuspiciousOptions,
  suspiciousLogins,
  trendingCards,
} from './support/expected-answers.ts';
import { event, login, manifest, writeFixtureLake } from './support/lake-fixture.ts';

/*
 * The edges an operator's numbers turn on, each planted once in a small lake: events exactly on
 * a period's bounds (periods are half-open, [from, to)), ties in the rankings, users and countries
 * left unknown, the clock wrapping at midnight. Found by mutating the catalog's SQL: each case
 * fails a mutation the known-answer lake let through.
 */

const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const at = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const day = (offset: number, hhmm: string) =>
  at(FROM + offset * DAY_MS + Date.parse(`1970-01-01T${hhmm}:00Z`));
const user = (id: string) => ({ user_id: id, user_name: `User ${id}` });
const us = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'g' };
// Another address than the fixture's default: a sign-in from an address of the history is no new place.
const de = {
  ip_country: 'DE',
  ip_asn: 3320,
  ip_org: 'Deutsche Telekom AG',
  geo_db_version: 'g',
  ip_address: '93.200.1.2',
};
const gb = { ip_country: 'GB', ip_asn: 2856, ip_org: 'BT', geo_db_version: 'g' };

const MID_TO = TO - 12 * HOUR_MS;
const HISTORY_FROM = FROM - 30 * DAY_MS;

// Two sign-ins at one instant are in event id order, whatever order the lake holds them in: the
// later id (US) comes from DE in no time. Stored the other way round.
const sameInstant = [
  login(day(2, '08:00'), 'login', { ...user('twin'), ...de }),
  login(day(2, '08:00'), 'login', { ...user('twin'), ...us }),
].reverse();

const events: EventRecord[] = [
  ...sameInstant,
  login(day(-3, '08:00'), 'login', { ...user('twin'), ...us }),
  login(day(-2, '08:00'), 'login', { ...user('twin'), ...us }),
  // On the bounds: the first instant of the period is in it, the end of a period ending mid-day is not.
  event(at(FROM), { ...user('edge'), object_type: 'PAGE', object_id: '100' }),
  event(at(MID_TO), { ...user('edge') }),
  // Ranked ties: same event count, ordered by user id; one user touches a card and a page both "100".
  event(day(1, '10:00'), { ...user('tie-b') }),
  event(day(1, '10:00'), { ...user('tie-a') }),
  // An event without a user is nobody's.
  event(day(1, '11:00'), { user_id: null, user_name: 'Nobody' }),
  event(day(1, '11:00'), { user_id: null, user_name: 'Nobody' }),
  event(day(1, '11:00'), { user_id: null, user_name: 'Nobody' }),
  // A failed sign-in with a country is not a sign-in for logins_by_country.
  login(day(2, '09:00'), 'login_failed', { ...user('fail-many'), ...de }),
  login(day(2, '09:01'), 'login_failed', { ...user('fail-many') }),
  login(day(2, '09:02'), 'login_failed', { ...user('fail-many') }),
  // A lockout outranks more failures.
  login(day(2, '10:00'), 'login_failed', { ...user('locked') }),
  login(day(2, '10:01'), 'lockout', { ...user('locked') }),
  // Failures without a user id, under two names: two rows.
  login(day(2, '11:00'), 'login_failed', { user_id: null, user_name: 'ghost-1' }),
  login(day(2, '11:00'), 'login_failed', { user_id: null, user_name: 'ghost-2' }),
  // A card viewed at the period's first instant is this period's; one viewed only before is not listed.
  event(at(FROM), { object_id: '700', object_name: 'Edge card' }),
  event(day(-1, '12:00'), { object_id: '701', object_name: 'Old card' }),
  // Sign-in history on its bounds: one at history_from_ts counts, one at from_ts does not.
  login(at(HISTORY_FROM), 'login', { ...user('hist-start'), ...us }),
  login(day(1, '09:00'), 'login', { ...user('hist-start'), ...us }),
  login(day(-2, '09:00'), 'login', { ...user('hist-end'), ...us }),
  login(at(FROM), 'login', { ...user('hist-end'), ...us }),
  // The clock wraps: 23:00 is within 2 hours of 00:30.
  login(day(-3, '23:00'), 'login', { ...user('owl'), ...us }),
  login(day(-2, '23:00'), 'login', { ...user('owl'), ...us }),
  login(day(-1, '23:00'), 'login', { ...user('owl'), ...us }),
  login(day(1, '00:30'), 'login', { ...user('owl'), ...us }),
  // Sign-ins without a user id are nobody's: no history, no travel (US then DE in 30 minutes).
  login(day(-3, '09:00'), 'login', { user_id: null, user_name: 'anon', ...us }),
  login(day(-2, '09:00'), 'login', { user_id: null, user_name: 'anon', ...us }),
  login(day(1, '08:30'), 'login', { user_id: null, user_name: 'anon', ...us }),
  login(day(1, '09:00'), 'login', { user_id: null, user_name: 'anon', ...de }),
  // History from the first hour of the window's second day: 29 days of it, not the whole window.
  login(day(-29, '00:10'), 'login', { ...user('late-start'), ...us }),
  login(day(-2, '09:00'), 'login', { ...user('late-start'), ...us }),
  login(day(1, '09:00'), 'login', { ...user('late-start'), ...de }),
  // Two history countries tied: the first by code is named.
  login(day(-3, '09:00'), 'login', { ...user('tied'), ...us }),
  login(day(-2, '09:00'), 'login', { ...user('tied'), ...gb }),
  login(day(1, '09:00'), 'login', { ...user('tied'), ...de }),
  // A placed sign-in without a network owner is no new network.
  login(day(-3, '09:00'), 'login', { ...user('no-asn'), ...us }),
  login(day(-2, '09:00'), 'login', { ...user('no-asn'), ...us }),
  login(day(1, '09:00'), 'login', { ...user('no-asn'), ...us, ip_asn: null, ip_org: null }),
  // History never placed (not enriched) still tells the usual hour: 03:00 is unusual. It starts on
  // the window's second day, so it is not "the previous" 30 days.
  login(day(-29, '00:10'), 'login', { ...user('unplaced') }),
  login(day(-2, '09:00'), 'login', { ...user('unplaced') }),
  login(day(1, '03:00'), 'login', { ...user('unplaced') }),
];

// The last hour of the week lost an event; the hour ends exactly at to_ts, so it is whole.
const lastHour = at(TO - HOUR_MS).slice(0, 16);
const coverage = [manifest(lastHour, { event_count: 2 })];
const allEvents = [...events, event(at(TO - HOUR_MS + 60_000), { ...user('late') })];

const period = { instance: 'default', fromMs: FROM, toMs: TO };
const suspiciousOptions = { ...standardSuspiciousOptions(FROM), minHistoryLogins: 2 };
const params = { ...standardParams({ ...period, minHistoryLogins: 2 }) };

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'boundary-edges-'));
  await writeFixtureLake(dir, { events: allEvents, coverage });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

const run = async (name: string, values: Record<string, string> = params) =>
  (await engine.run(name, values)).rows;

describe('period bounds are half-open: [from, to)', () => {
  it('period_totals counts an event at from and not one at to', async () => {
    const mid = { ...period, toMs: MID_TO };
    expect(await run('period_totals', standardParams(mid))).toEqual(periodTotals(allEvents, mid));
    expect(await run('period_totals')).toEqual(periodTotals(allEvents, period));
  });

  it('trending_cards counts a view at from in the period, and lists no card viewed only before', async () => {
    const rows = await run('trending_cards');
    expect(rows).toEqual(trendingCards(allEvents, period, 10));
    expect(rows.find((r) => r.card_id === '700')).toMatchObject({ views: 1, previous_views: 0 });
    expect(rows.some((r) => r.card_id === '701')).toBe(false);
  });

  it('login_history counts a sign-in at history_from_ts as history, one at from_ts not', async () => {
    const rows = await run('login_history');
    expect(rows).toEqual(loginHistory(allEvents, period, suspiciousOptions));
    const mine = events.filter((e) => e.user_id?.startsWith('hist-'));
    expect(await run('login_history', { ...params, min_history_logins: '1' })).toEqual(
      loginHistory(allEvents, period, { ...suspiciousOptions, minHistoryLogins: 1 }),
    );
    expect(loginHistory(mine, period, { ...suspiciousOptions, minHistoryLogins: 1 })).toEqual([
      { users: 2, short_history_users: 0, short_placed_history_users: 0 },
    ]);
  });

  it('an hour ending exactly at to_ts that lost events is short (daily_activity, data_health)', async () => {
    const daily = await run('daily_activity');
    expect(daily).toEqual(dailyActivity(allEvents, coverage, period, 'UTC'));
    expect(daily.at(-1)).toMatchObject({ day: '2026-11-01', short_hours: 1, short_events: 1 });
    expect(await run('data_health')).toEqual(dataHealth(allEvents, coverage, period));
  });
});

describe('period bounds are half-open: every period query leaves an event at to_ts to the next', () => {
  // One of each kind every query counts, all at the end of a period ending mid-day (so the dt
  // bounds keep its day): a page view by a new user, a card view, a failed sign-in, a sign-in from
  // a new country by a user with history, a first sign-in of a user without any.
  const atEnd = [
    event(at(MID_TO), { ...user('end-viewer'), object_type: 'PAGE', object_id: '900' }),
    event(at(MID_TO), { ...user('end-viewer'), object_id: '900', object_name: 'End card' }),
    login(at(MID_TO), 'login_failed', { ...user('end-failer') }),
    login(at(MID_TO), 'login', { ...user('twin'), ...gb, ip_address: '81.2.69.1' }),
    login(at(MID_TO), 'login', { ...user('end-newcomer'), ...de }),
    event(at(MID_TO), {
      ...user('end-viewer'),
      action_type: 'SHARED',
      object_type: 'PAGE',
      object_id: '900',
    }),
  ];
  const periodQueries = QUERY_NAMES.filter((name) => loadQuery(name).params.includes('to_ts'));
  // user_activity is of one user: the one whose events lie at the end; address_activity of the
  // address of one of them.
  const mid = {
    ...standardParams({ ...period, toMs: MID_TO, minHistoryLogins: 2 }),
    user_id: 'end-viewer',
    address: '81.2.69.1',
  };
  let endDir: string;
  let endEngine: DuckDbQueryEngine;
  beforeAll(async () => {
    endDir = await mkdtemp(join(tmpdir(), 'boundary-edges-end-'));
    await writeFixtureLake(endDir, { events: [...allEvents, ...atEnd], coverage });
    endEngine = await openDuckDbEngine({ lakeDir: endDir });
  });
  afterAll(async () => {
    await endEngine?.close?.();
    await rm(endDir, { recursive: true, force: true });
  });

  it('the catalog has period queries to check', () => {
    expect(periodQueries).toEqual(
      expect.arrayContaining(['data_health', 'popular_pages', 'most_active_users']),
    );
  });

  it.each(periodQueries)('%s answers as if the events at to_ts were not there', async (name) => {
    const without = await run(name, mid);
    expect((await endEngine.run(name, mid)).rows).toEqual(without);
  });
});

describe('rankings, categories and users', () => {
  it('most_active_users breaks ties by user id, leaves out events without a user, tells object types apart', async () => {
    const rows = await run('most_active_users');
    expect(rows).toEqual(mostActiveUsers(allEvents, period, 10));
    expect(rows.some((r) => r.user_id === null)).toBe(false);
    expect(rows.find((r) => r.user_id === 'edge')).toMatchObject({ distinct_objects: 2 });
  });

  it('failed_logins_and_lockouts puts lockouts first and keeps unnamed users apart by name', async () => {
    const rows = await run('failed_logins_and_lockouts');
    expect(rows).toEqual(failedLoginsAndLockouts(allEvents, period));
    expect(rows.map((r) => r.user_id ?? r.user_name)).toEqual(['locked', 'fail-many', 'ghost-1', 'ghost-2']);
  });

  it('logins_by_country counts sign-ins only, not failed ones', async () => {
    const rows = await run('logins_by_country');
    const signIns = allEvents.filter(
      (e) => e.category === 'login' && e.event_time_ms >= FROM && e.event_time_ms < TO,
    );
    expect(rows.reduce((sum, r) => sum + Number(r.logins), 0)).toBe(signIns.length);
    expect(rows.find((r) => r.country === 'DE')?.logins).toBe(
      signIns.filter((e) => e.ip_country === 'DE').length,
    );
  });
});

describe('suspicious_logins edges', () => {
  it('finds what the reference finds', async () => {
    expect(await run('suspicious_logins')).toEqual(suspiciousLogins(allEvents, period, suspiciousOptions));
  });

  it('reads hours on a clock (23:00 is near 00:30) and judges unplaced history for unusual_hour', async () => {
    const rows = await run('suspicious_logins');
    const unusual = rows.filter((r) => r.reason === 'unusual_hour').map((r) => r.user_id);
    expect(unusual).toEqual(['unplaced']);
  });

  it('ignores sign-ins without a user id or a network owner, names the first tied country', async () => {
    const rows = await run('suspicious_logins');
    expect(rows.some((r) => r.user_id === null)).toBe(false);
    expect(rows.some((r) => r.user_id === 'no-asn')).toBe(false);
    const tied = rows.find((r) => r.user_id === 'tied' && r.reason === 'new_country');
    expect(tied?.evidence).toContain('previous: GB (1 login)');
  });

  it('says 29 days of history, not the previous 30, for history starting in the window second day', async () => {
    const rows = await run('suspicious_logins');
    const late = rows.find((r) => r.user_id === 'late-start' && r.reason === 'new_country');
    expect(late?.evidence).toContain('in 29 days of history');
    const twin = rows.find((r) => r.user_id === 'twin' && r.reason === 'impossible_travel');
    expect(twin?.evidence).toMatch(/^DE to US: /);
    const unusual = rows.find((r) => r.user_id === 'unplaced' && r.reason === 'unusual_hour');
    expect(unusual?.evidence).toContain('0 of 2 logins in 29 days of history');
  });
});

describe('latest_events: the 200 newest on or after a day', () => {
  // 201 events from 2026-10-27 on: two tied at the oldest instant, on from_dt itself; one the day before.
  const tied = [
    event('2026-10-27 05:00', { user_name: 'first', user_id: '7' }),
    event('2026-10-27 05:00', { user_name: 'second' }),
  ];
  const newer = Array.from({ length: 199 }, (_, i) =>
    event(at(Date.parse('2026-10-28T00:00:00Z') + i * 60_000)),
  );
  const lake = [event('2026-10-26 23:59'), ...tied, ...newer];
  let latestDir: string;
  let latestEngine: DuckDbQueryEngine;
  beforeAll(async () => {
    latestDir = await mkdtemp(join(tmpdir(), 'latest-events-'));
    await writeFixtureLake(latestDir, { events: lake });
    latestEngine = await openDuckDbEngine({ lakeDir: latestDir });
  });
  afterAll(async () => {
    await latestEngine?.close?.();
    await rm(latestDir, { recursive: true, force: true });
  });

  it('keeps from_dt itself, stops at 200, newest first, ties by event id', async () => {
    const { rows } = await latestEngine.run('latest_events', { from_dt: '2026-10-27' });
    expect(rows).toHaveLength(200);
    expect(rows[0]?.event_time).toEqual(newer.at(-1)?.event_time);
    // The oldest kept is the first of the tied pair by event id; its twin is the 201st.
    expect(rows.at(-1)).toMatchObject({ event_time: tied[0]?.event_time, user_name: 'first' });
    // Each user with their id: two who took one display name are two (the alerts table's reason).
    expect(rows.at(-1)?.user_id).toBe('7');
  });
});
