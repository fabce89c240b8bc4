import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../functions/adapters/duckdb-engine.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { buildReportModel } from '../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../functions/core/report/iso-week.ts';
import type { WeeklyReportModel } from '../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../functions/core/report/report-run.ts';
import { wallTimeOf } from '../../functions/core/zoned-time.ts';
import {
  GAP_START,
  type KnownEvent,
  LOCKED_USER,
  NOW,
  PREV_START,
  SUSPECT,
  SUSPICIOUS_IP,
  SUSPICIOUS_LOGIN_MS,
  sharedKnownLake,
  WEEK,
  WEEK_END,
  WEEK_START,
  ZONE,
} from './known-lake.ts';

let events: KnownEvent[];
let engine: DuckDbQueryEngine;
let model: WeeklyReportModel;

beforeAll(async () => {
  const known = await sharedKnownLake();
  events = known.events;
  engine = await DuckDbQueryEngine.open({ lakeDir: known.lakeDir });
  model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(reportWeek(WEEK, ZONE), NOW) });
});

afterAll(async () => {
  await engine?.close();
});

// The figures below are computed here, from the generated events, without SQL.
const inRange = (from: number, to: number) => events.filter((e) => e.timeMs >= from && e.timeMs < to);
const week = () => inRange(WEEK_START, WEEK_END);
const previous = () => inRange(PREV_START, WEEK_START);
const category = (e: KnownEvent) =>
  ({ LOGGED_IN: 'login', FAILED_LOGIN: 'login_failed', LOCKED_OUT: 'lockout' })[e.actionType as string] ??
  'other';
const distinct = <T>(items: T[]) => new Set(items).size;
const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
const totals = (list: KnownEvent[]) => ({
  events: list.length,
  activeUsers: distinct(list.map((e) => e.userId)),
  logins: list.filter((e) => category(e) === 'login').length,
  failedLogins: list.filter((e) => category(e) === 'login_failed').length,
  lockouts: list.filter((e) => category(e) === 'lockout').length,
});
const cardViews = (list: KnownEvent[]) =>
  countBy(
    list.filter((e) => e.objectType === 'CARD' && e.actionType === 'VIEWED'),
    (e) => e.objectId,
  );

describe('the report model of a known lake', () => {
  it('has the totals of the week and the week before, with changes', () => {
    const now = totals(week());
    const before = totals(previous());
    expect(now.events).toBeGreaterThan(300);
    for (const key of ['events', 'activeUsers', 'logins', 'failedLogins', 'lockouts'] as const) {
      expect(model.totals[key].current, key).toBe(now[key]);
      expect(model.totals[key].previous, key).toBe(before[key]);
      expect(model.totals[key].delta, key).toBe(now[key] - before[key]);
    }
    expect(model.totals.events.pct).toBe(
      Math.round((1000 * (now.events - before.events)) / before.events) / 10,
    );
    expect(model.totals.lockouts).toEqual({ current: 1, previous: 0, delta: 1, pct: null });
    expect(model.totals.distinctObjects).toBe(distinct(week().map((e) => `${e.objectType}:${e.objectId}`)));
  });

  it('counts activity per local (Denver) day, all seven days, Monday first', () => {
    const byDay = countBy(week(), (e) => new Date(wallTimeOf(e.timeMs, ZONE)).toISOString().slice(0, 10));
    expect(model.daily.map((d) => d.day)).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    for (const day of model.daily) expect(day.events, day.day).toBe(byDay.get(day.day) ?? 0);
    // The weekend has no generated activity at all.
    expect(model.daily[5]?.events).toBe(0);
    expect(model.daily.reduce((sum, d) => sum + d.events, 0)).toBe(week().length);
    // Hours in the lake per local day: Friday lost two; the quiet weekend is in the lake all the same.
    expect(model.daily.map((d) => d.coveredHours)).toEqual([24, 24, 24, 24, 22, 24, 24]);
  });

  it('ranks the most active users by events, then id', () => {
    const list = week();
    const expected = [...countBy(list, (e) => e.userId)]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10);
    expect(model.topUsers.map((u) => [u.userId, u.events])).toEqual(expected);
    const top = model.topUsers[0];
    const theirs = list.filter((e) => e.userId === top?.userId);
    expect(top?.logins).toBe(theirs.filter((e) => category(e) === 'login').length);
    expect(top?.activeDays).toBe(distinct(theirs.map((e) => lakeTimestamp(e.timeMs).slice(0, 10))));
    expect(top?.lastSeen).toBe(lakeTimestamp(Math.max(...theirs.map((e) => e.timeMs))));
  });

  it('ranks cards by views with the change against the week before', () => {
    const now = cardViews(week());
    const before = cardViews(previous());
    const expected = [...now]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([id, views]) => ({ id, views, previous: before.get(id) ?? 0 }));
    expect(model.topCards.map((c) => ({ id: c.cardId, views: c.views, previous: c.previousViews }))).toEqual(
      expected,
    );
    for (const card of model.topCards) expect(card.change).toBe(card.views - card.previousViews);
  });

  it('ranks pages by views and counts their viewers', () => {
    const views = week().filter((e) => e.objectType === 'PAGE' && e.actionType === 'VIEWED');
    const counts = countBy(views, (e) => e.objectId);
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([id, n]) => ({
        id,
        views: n,
        viewers: distinct(views.filter((e) => e.objectId === id).map((e) => e.userId)),
      }));
    expect(model.topPages.map((p) => ({ id: p.pageId, views: p.views, viewers: p.viewers }))).toEqual(
      expected,
    );
  });

  it('finds the planted suspicious login: a new country and network owner at an unusual hour', () => {
    const planted = model.suspiciousLogins.filter((s) => s.eventTime === lakeTimestamp(SUSPICIOUS_LOGIN_MS));
    expect(planted.map((s) => [s.userId, s.reason]).sort()).toEqual([
      [SUSPECT.id, 'new_country'],
      [SUSPECT.id, 'new_network'],
      [SUSPECT.id, 'unusual_hour'],
    ]);
    for (const s of planted) {
      expect(s).toMatchObject({
        ipAddress: SUSPICIOUS_IP,
        country: 'DE',
        asn: 3320,
        org: 'Deutsche Telekom AG',
      });
    }
    // The suspect's own sign-in from home that afternoon is an impossible journey back from DE,
    // from the sign-in at 10:00 UTC, written in the report's zone as the row's other times.
    const others = model.suspiciousLogins.filter((s) => !planted.includes(s));
    expect(others).toMatchObject([{ userId: SUSPECT.id, reason: 'impossible_travel', country: 'US' }]);
    expect(others[0]?.evidence).toMatch(
      /^DE to US: \d+ km in \d+ min; previous login 2026-11-18 03:00 -07:00 America\/Denver from 91\.0\.0\.45$/,
    );
    expect(model.suspiciousLogins.find((s) => s.reason === 'unusual_hour')?.localHour).toBe(3);
  });

  it('lists failed logins and lockouts per user, the locked-out user first', () => {
    const failures = week().filter((e) => category(e) !== 'other' && category(e) !== 'login');
    const users = [...new Set(failures.map((e) => e.userId))];
    expect(model.failedLogins).toHaveLength(users.length);
    const locked = model.failedLogins[0];
    expect(locked?.userId).toBe(LOCKED_USER.id);
    const theirs = failures.filter((e) => e.userId === LOCKED_USER.id);
    expect(locked?.failedAttempts).toBe(theirs.filter((e) => category(e) === 'login_failed').length);
    expect(locked?.lockouts).toBe(1);
    expect(locked?.distinctIps).toBe(distinct(theirs.map((e) => e.ipAddress)));
    expect(locked?.lastLockout).toBe(
      lakeTimestamp(Math.max(...theirs.filter((e) => category(e) === 'lockout').map((e) => e.timeMs))),
    );
  });

  it('reports the gap honestly: a partial week with its coverage and missing hours', () => {
    expect(model.status).toBe('partial');
    expect(model.health).toMatchObject({
      expectedHours: 168,
      coveredHours: 166,
      missingHours: 2,
      gapCount: 1,
      firstMissingHour: lakeTimestamp(GAP_START),
      missingRuns: [{ start: lakeTimestamp(GAP_START), hours: 2 }],
      quarantined: 0,
      events: week().length,
      lastEventTime: lakeTimestamp(Math.max(...week().map((e) => e.timeMs))),
    });
    expect(model.health.coveragePct).toBe(98.8);
    // Every login of an enriched lake was looked up: none the place checks could not judge.
    expect(model.health).toMatchObject({ logins: model.totals.logins.current, unplacedLogins: 0 });
    expect(model.previousHealth.coveredHours).toBe(168);
    expect(model.notes).toEqual([
      expect.stringMatching(
        /^Only 166 of 168 hours \(98\.8%\) of 2026-W47 are in the lake, in 1 gap \(Fri 20 Nov 03:00-05:00\)/,
      ),
    ]);
  });

  it('is exactly what the archive stores: plain JSON', () => {
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(model).toMatchObject({
      schemaVersion: 1,
      instance: 'acme',
      timeZone: ZONE,
      generatedAt: new Date(NOW).toISOString(),
    });
    expect(model.week).toMatchObject({
      isoWeek: WEEK,
      startUtc: '2026-11-16T07:00:00.000Z',
      endUtc: '2026-11-23T07:00:00.000Z',
    });
  });

  it('reports an empty week as empty, not as an error', async () => {
    const empty = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W30', ZONE), NOW),
    });
    expect(empty.status).toBe('empty');
    expect(empty.totals.events).toEqual({ current: 0, previous: 0, delta: 0, pct: null });
    expect(empty.daily.every((d) => d.events === 0 && d.coveredHours === 0)).toBe(true);
    expect(empty.notes[0]).toMatch(/no data for 2026-W30/);
  });

  it('refuses a week that has not started', async () => {
    await expect(
      buildReportModel(engine, { instance: 'acme', run: runOfWeek(reportWeek('2026-W50', ZONE), NOW) }),
    ).rejects.toThrow(/2026-W50 \(America\/Denver\) has not started yet/);
  });
});
