/**
 * login_after_failures.sql and the alert detector of the same name (detect-login-after-failures.ts)
 * raise the same sign-ins with the same counts: the cases of the detector's own tests, planted in
 * one lake on disk and read by DuckDB, and seeded random timelines of a few users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../functions/core/alerts/alert-event.ts';
import { detectLoginsAfterFailures } from '../../functions/core/alerts/detect-login-after-failures.ts';
import { LoginProfile } from '../../functions/core/alerts/login-profile.ts';
import type { EventCategory } from '../../functions/core/domo/event-category.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { login } from './support/lake-fixture.ts';

const H = Date.parse('2026-11-02T19:00:00Z');
const MIN = 60_000;
const FROM = H - 3 * HOUR_MS;
const TO = H + 4 * HOUR_MS;

const when = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
let serial = 0;
const at = (ms: number, category: EventCategory, user: string | null, name: string | null, ip: string) =>
  login(when(ms), category, {
    event_id: `${category}-${String(++serial).padStart(5, '0')}`,
    user_id: user,
    user_name: name,
    ip_address: ip,
  });
const signIn = (ms: number, ip: string, user: string, name: string | null = `${user}@corp.com`) =>
  at(ms, 'login', user, name, ip);
const failure = (ms: number, ip: string, user: string | null, name = `${user}@corp.com`) =>
  at(ms, 'login_failed', user, name, ip);
const failures = (n: number, fromMs: number, stepMs: number, ip: string, user: string) =>
  Array.from({ length: n }, (_, i) => failure(fromMs + i * stepMs, ip, user));

/** The detector's cases (detect-login-after-failures.test.ts), each under users of its own. */
function plantedCases(): EventRecord[] {
  const events: EventRecord[] = [
    // 30 failures then a sign-in from their address; 4 (raises) and 3 (does not).
    ...failures(30, H, 6_000, '73.200.1.1', 'nora'),
    signIn(H + 4 * MIN, '73.200.1.1', 'nora'),
    ...failures(4, H, 30_000, '73.201.1.1', 'oscar'),
    signIn(H + 3 * MIN, '73.201.1.1', 'oscar'),
    ...failures(3, H, 30_000, '73.201.1.1', 'olga'),
    signIn(H + 3 * MIN, '73.201.1.1', 'olga'),
    // From elsewhere.
    ...failures(5, H, MIN, '198.51.100.7', 'pia'),
    signIn(H + 10 * MIN, '3.64.5.5', 'pia'),
    // A slow guesser over three hours: the 23 of the hour before.
    ...failures(72, H - 3 * HOUR_MS, 150_000, '3.64.2.2', 'carol'),
    signIn(H + MIN, '3.64.2.2', 'carol'),
    // One alert an episode.
    ...failures(6, H, MIN, '3.64.5.5', 'quin'),
    signIn(H + 10 * MIN, '3.64.5.5', 'quin'),
    signIn(H + 20 * MIN, '3.64.5.5', 'quin'),
    // A failure after the closing sign-in, then another sign-in.
    ...failures(6, H, MIN, '3.64.5.5', 'rita'),
    signIn(H + 6 * MIN + 1, '3.64.5.5', 'rita'),
    failure(H + 7 * MIN, '3.64.5.5', 'rita'),
    signIn(H + 8 * MIN, '3.64.5.5', 'rita'),
    // Failures over an hour before.
    ...failures(6, H, MIN, '3.64.5.5', 'sam'),
    signIn(H + HOUR_MS + 6 * MIN, '3.64.5.5', 'sam'),
    // The user's own sign-ins from elsewhere between the attacker's failures and sign-in.
    ...failures(5, H, MIN, '3.64.1.1', 'tess'),
    signIn(H + 6 * MIN, '73.1.2.3', 'tess'),
    signIn(H + 7 * MIN, '73.1.2.3', 'tess'),
    signIn(H + 8 * MIN, '3.64.1.1', 'tess'),
    // Mistypes on the laptop, the phone's sign-in, then the laptop's.
    ...failures(4, H, MIN, '81.2.69.160', 'uma'),
    signIn(H + 6 * MIN, '172.56.1.9', 'uma'),
    signIn(H + 20 * MIN, '81.2.69.160', 'uma'),
    // A stale password retried between the phone's sign-ins: raised at +6 and +46 only.
    ...failures(4, H, MIN, '81.2.69.160', 'vic'),
    ...[0, 1, 2, 3, 4].flatMap((i) => [
      signIn(H + (6 + 10 * i) * MIN, `172.56.1.${i}`, 'vic'),
      failure(H + (10 + 10 * i) * MIN, '81.2.69.160', 'vic'),
    ]),
    // Failures on both sides of the user's own sign-in, counted together.
    ...failures(3, H, 3 * MIN, '3.64.1.1', 'wes'),
    signIn(H + 8 * MIN, '73.1.2.3', 'wes'),
    ...failures(3, H + 10 * MIN, 3 * MIN, '3.64.1.1', 'wes'),
    signIn(H + 18 * MIN, '3.64.1.1', 'wes'),
    // A lockout with no address, whatever the failures.
    at(H + MIN, 'lockout', 'xena', 'xena@corp.com', ''),
    signIn(H + 40 * MIN, '73.1.2.3', 'xena'),
    // Failures without an id count for the user signing in under the name, in any A-Z case.
    ...[0, 1, 2, 3].map((i) => failure(H + i * MIN, '3.64.5.5', null, ' YARA@corp.com')),
    signIn(H + 10 * MIN, '3.64.5.5', 'yara', 'yara@corp.com'),
    // Failures with neither id nor name count for no sign-in without a name.
    ...[0, 1, 2, 3].map((i) => failure(H + i * MIN, '3.64.6.6', null, '')),
    signIn(H + 10 * MIN, '3.64.6.6', 'zed', null),
    signIn(H + 11 * MIN, '3.64.6.6', 'zoe', ''),
    // Before the period: followed, not listed.
    ...failures(4, FROM - 30 * MIN, MIN, '3.64.7.7', 'abe'),
    signIn(FROM - 20 * MIN, '3.64.7.7', 'abe'),
    signIn(FROM + 5 * MIN, '3.64.7.7', 'abe'),
    ...failures(4, FROM - 30 * MIN, MIN, '3.64.7.7', 'bea'),
    signIn(FROM + 5 * MIN, '3.64.7.7', 'bea'),
  ];
  return events;
}

/** A seeded generator (mulberry32): the same timelines every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Users failing and signing in at random from a few addresses each, lockouts now and then: a
 * sign-in among every `signInEvery` events, a few minutes apart.
 */
function randomTimelines(seed: number, users: number, signInEvery = 3): EventRecord[] {
  const next = random(seed);
  const events: EventRecord[] = [];
  for (let u = 0; u < users; u++) {
    const user = `r${seed}-${u}`;
    const ips = ['5.5.5.5', '6.6.6.6', '7.7.7.7'].map((ip) => ip.replace(/5|6|7/, String(1 + (u % 9))));
    let ms = FROM - HOUR_MS + Math.floor(next() * 10 * MIN);
    while (ms < TO) {
      const ip = ips[Math.floor(next() * ips.length)] as string;
      const roll = next();
      const failing = 1 - 1 / signInEvery;
      if (roll < failing) events.push(failure(ms, ip, user));
      else if (roll < failing + 0.02) events.push(at(ms, 'lockout', user, `${user}@corp.com`, ip));
      else events.push(signIn(ms, ip, user));
      ms += Math.floor(next() * 8 * MIN) + 1;
    }
  }
  return events;
}

const detected = (events: readonly EventRecord[], threshold = DEFAULT_ALERT_SETTINGS.failuresBeforeLogin) =>
  detectLoginsAfterFailures({
    instance: 'default',
    fromMs: FROM,
    toMs: TO,
    events: events.filter((e) => e.event_time_ms >= FROM && e.event_time_ms < TO),
    before: events.filter((e) => e.event_time_ms >= FROM - HOUR_MS && e.event_time_ms < FROM),
    profile: new LoginProfile('default', 'UTC'),
    settings: { ...DEFAULT_ALERT_SETTINGS, failuresBeforeLogin: threshold },
  });

/** A raised sign-in as both sides give it: its event, its user, its failures and lockouts. */
const rowOf = (r: Record<string, unknown>) =>
  `${r.event_id} ${r.user_id} ${Number(r.failed_attempts)}+${Number(r.lockouts)}`;
const alertRow = (a: ReturnType<typeof detected>[number], events: ReadonlyMap<string, AlertEvent>) => {
  const failed = a.event_ids.slice(0, -1).map((id) => events.get(id)?.category);
  const lockouts = failed.filter((c) => c === 'lockout').length;
  return `${a.event_ids.at(-1)} ${a.user_id} ${failed.length - lockouts}+${lockouts}`;
};

const planted = plantedCases();
const randomized = [1, 2, 3, 4, 5].flatMap((seed) => randomTimelines(seed, 8, 12));
const dense = [6, 7, 8, 9, 10].flatMap((seed) => randomTimelines(seed, 8));
let lake: FixtureEngine;
/**
 * A lake per set besides the lake of all three (the row cap's): a comparison queries only its
 * set's events, the events its detector run is given. Queried in the lake of all three, each
 * scanned the three and kept its own users' rows.
 */
const lakes = new Map<readonly EventRecord[], FixtureEngine>();

beforeAll(async () => {
  lake = await openFixtureEngine('login-after-failures-', { events: [...planted, ...randomized, ...dense] });
  for (const events of [planted, randomized, dense]) {
    lakes.set(events, await openFixtureEngine('login-after-failures-', { events: [...events] }));
  }
});
afterAll(async () => {
  await lake?.close();
  for (const one of lakes.values()) await one.close();
});

async function both(events: readonly EventRecord[], threshold?: number) {
  const params = standardParams({
    instance: 'default',
    fromMs: FROM,
    toMs: TO,
    failuresBeforeLogin: threshold,
  });
  const users = new Set(events.map((e) => e.user_id));
  const rows = (await (lakes.get(events) as FixtureEngine).engine.run('login_after_failures', params)).rows;
  const byId = new Map(events.map((e) => [e.event_id, e as AlertEvent]));
  return {
    sql: rows.filter((r) => users.has(r.user_id as string)).map(rowOf),
    rows: rows.filter((r) => users.has(r.user_id as string)),
    detector: detected(events, threshold)
      .map((a) => alertRow(a, byId))
      .sort(),
  };
}

describe('login_after_failures.sql raises what the detector raises (DuckDB)', () => {
  it("the detector's own cases: the same sign-ins, failures and lockouts", async () => {
    const { sql, rows, detector } = await both(planted);
    expect([...sql].sort()).toEqual(detector);
    const raisedUsers = [...new Set(rows.map((r) => r.user_id))].sort();
    expect(raisedUsers).toEqual(
      [
        'carol',
        'nora',
        'oscar',
        'pia',
        'quin',
        'rita',
        'tess',
        'uma',
        'vic',
        'wes',
        'xena',
        'yara',
        'bea',
      ].sort(),
    );
    // vic: the phone at +6 and at +46 only (R-ROUND3 M2); tess: home, then the attacker.
    const times = (user: string) => rows.filter((r) => r.user_id === user).map((r) => String(r.event_time));
    expect(times('vic')).toEqual([`${when(H + 6 * MIN)}`, `${when(H + 46 * MIN)}`]);
    expect(rows.filter((r) => r.user_id === 'tess').map((r) => r.from_failing_ip)).toEqual([false, true]);
    expect(rows.find((r) => r.user_id === 'carol')).toMatchObject({ failed_attempts: 23 });
  });

  it('the same at another threshold', async () => {
    const { sql, detector } = await both(planted, 3);
    expect([...sql].sort()).toEqual(detector);
    expect(detector.some((row) => row.includes(' olga '))).toBe(true);
  });

  it('random timelines of 40 users over 8 hours, a sign-in in 12 events: the same sign-ins', async () => {
    const { sql, detector } = await both(randomized);
    expect(detector.length).toBeGreaterThan(40);
    expect([...sql].sort()).toEqual(detector);
  });

  // Chains of sign-ins from failing IPs, each within the hour of the one before: with two turns
  // the SQL raised 400 here where the detector raised 404 (392 the same).
  it('dense timelines, a sign-in in 3 events: chains the SQL settles in its turns', async () => {
    const { sql, detector } = await both(dense);
    expect(detector.length).toBeGreaterThan(300);
    expect([...sql].sort()).toEqual(detector);
  });

  // The report keeps every catalog query to 1,000 rows: each user's first sign-in comes before any
  // second one, and every row counts them all (total_rows) and its user's (user_rows).
  it('a row cap keeps each user first, with the counts of all rows', async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
    const all = (await lake.engine.run('login_after_failures', params)).rows;
    const users = new Set(all.map((r) => r.user_id));
    expect(all.length).toBeGreaterThan(users.size);
    expect(all.every((r) => Number(r.total_rows) === all.length)).toBe(true);
    const vic = all.filter((r) => r.user_id === 'vic');
    expect(vic.map((r) => Number(r.user_rows))).toEqual([2, 2]);
    const cut = (await lake.engine.run('login_after_failures', { ...params, max_rows: String(users.size) }))
      .rows;
    expect(cut).toHaveLength(users.size);
    expect(new Set(cut.map((r) => r.user_id))).toEqual(users);
    expect(cut.every((r) => Number(r.total_rows) === all.length)).toBe(true);
    const times = cut.map((r) => String(r.event_time));
    expect(times).toEqual([...times].sort());
  });
});
