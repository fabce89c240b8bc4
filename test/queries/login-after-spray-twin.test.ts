/**
 * login_after_spray.sql and the alert detector of the same name (detect-login-after-spray.ts) raise
 * the same sign-ins, from the same kind of place, with the same failures: the cases of the
 * detector's own tests, planted in one lake on disk and read by DuckDB, and seeded random sprays
 * and sign-ins. The detector is run as the alerts run it, hour by hour, with the login profile
 * folded up to each hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../functions/core/alerts/alert-event.ts';
import { detectLoginsAfterSprays } from '../../functions/core/alerts/detect-login-after-spray.ts';
import { signInsOf } from '../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../functions/core/alerts/login-profile.ts';
import type { EventCategory } from '../../functions/core/domo/event-category.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { login } from './support/lake-fixture.ts';

const H = Date.parse('2026-11-27T02:00:00Z');
const MIN = 60_000;
const FROM = H - 2 * HOUR_MS;
const TO = H + 6 * HOUR_MS;
/** Where the history starts: a few days are enough for the planted known places. */
const HISTORY_FROM = FROM - 3 * DAY_MS;

const when = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
let serial = 0;
type Place = { ip_country?: string | null; ip_asn?: number | null; ip_org?: string | null };
const at = (ms: number, category: EventCategory, user: string | null, ip: string, place: Place = {}) =>
  login(when(ms), category, {
    event_id: `${category}-${String(++serial).padStart(6, '0')}`,
    user_id: user,
    user_name: user === null ? 'Someone@corp.com' : `${user}@corp.com`,
    ip_address: ip,
    ...place,
  });
const signIn = (ms: number, ip: string, user: string, place?: Place) => at(ms, 'login', user, ip, place);
/** `users` users (`prefix`0, 1, ...) failing once each from `ip(i)`, from `fromMs`, `stepMs` apart. */
const sprayOf = (
  prefix: string,
  users: number,
  fromMs: number,
  stepMs: number,
  ip: (i: number) => string,
  place?: Place,
) =>
  Array.from({ length: users }, (_, i) =>
    at(fromMs + i * stepMs, 'login_failed', `${prefix}${i}`, ip(i), place),
  );
/** A placed sign-in of `user` from `ip` a day before `H`: their history. */
const known = (user: string, ip: string, asn = 7018) =>
  signIn(H - DAY_MS - serial * 1000, ip, user, { ip_country: 'US', ip_asn: asn });

const amazon = { ip_country: 'JP', ip_asn: 16509, ip_org: 'Amazon' };
const aws = { ip_country: 'US', ip_asn: 14618, ip_org: 'Amazon' };
const carrier = { ip_country: 'US', ip_asn: 21928, ip_org: 'T-Mobile' };
const att = { ip_country: 'US', ip_asn: 7018, ip_org: 'AT&T' };

/** The detector's cases (detect-login-after-spray.test.ts), each from addresses of its own. */
function plantedCases(): EventRecord[] {
  const office = '80.150.1.2';
  return [
    // A sprayed user, and an account with no failure of its own, signing in from the address.
    ...sprayOf('a', 16, H - 20 * MIN, 20_000, () => '52.198.89.28', amazon),
    signIn(H + 2 * MIN, '52.198.89.28', 'a3', amazon),
    signIn(H - 3 * MIN, '52.198.89.28', 'a5', amazon),
    signIn(H + MIN, '52.198.89.28', 'b99'),
    // Under the threshold; more than an hour after; from elsewhere.
    ...sprayOf('c', 9, H - 5 * MIN, 20_000, () => '52.198.90.1'),
    signIn(H + MIN, '52.198.90.1', 'c99'),
    ...sprayOf('d', 10, H + 60 * MIN, 20_000, () => '52.198.91.1'),
    signIn(H + 60 * MIN + 3 * MIN + 61 * MIN, '52.198.91.1', 'd99'),
    signIn(H + 61 * MIN, '73.1.2.3', 'd98'),
    // An office's mistypes: only a colleague new to the address raises.
    ...sprayOf('e', 10, H + 2 * HOUR_MS - 10 * MIN, 20_000, () => office),
    ...Array.from({ length: 30 }, (_, i) => known(`f${i}`, office)),
    ...Array.from({ length: 30 }, (_, i) => signIn(H + 2 * HOUR_MS + i * MIN, office, `f${i}`)),
    signIn(H + 2 * HOUR_MS + 40 * MIN, office, 'f500'),
    // A network owner's many addresses, unless the address is the user's own.
    ...sprayOf('g', 30, H + 3 * HOUR_MS - 20 * MIN, 10_000, (i) => `52.1.${i}.7`, aws),
    signIn(H + 3 * HOUR_MS + 5 * MIN, '52.1.200.9', 'g99', aws),
    known('g98', '52.1.201.9', 14618),
    signIn(H + 3 * HOUR_MS + 6 * MIN, '52.1.201.9', 'g98', aws),
    // A carrier's CGNAT: colleagues who know the owner do not raise.
    ...sprayOf('h', 30, H + 4 * HOUR_MS - 10 * MIN, 15_000, (i) => `172.56.${i}.9`, carrier),
    ...Array.from({ length: 10 }, (_, i) => known(`i${i}`, `172.59.${i}.3`, 21928)),
    ...Array.from({ length: 10 }, (_, i) =>
      signIn(H + 4 * HOUR_MS + i * MIN, `172.58.${i}.4`, `i${i}`, carrier),
    ),
    signIn(H + 4 * HOUR_MS + 41 * MIN, '172.58.99.4', 'i500', carrier),
    // A network of the user's; the slow spray of an address in it.
    ...sprayOf('j', 30, H - 5 * MIN, 5_000, (i) => `81.150.1.${i + 10}`, att),
    known('j99', '81.150.1.2'),
    signIn(H + MIN, '81.150.1.200', 'j99', att),
    ...sprayOf('k', 20, H + HOUR_MS - 55 * MIN, 150_000, () => '82.150.1.10', att),
    ...sprayOf('l', 30, H + HOUR_MS - 10 * MIN, 10_000, (i) => `82.150.1.${i + 20}`, att),
    known('k99', '82.150.1.2'),
    signIn(H + HOUR_MS + MIN, '82.150.1.10', 'k99', att),
    // The fourth of fifteen getting in before the threshold; a failure at the sign-in's instant.
    ...sprayOf('m', 15, H + 5 * MIN, 20_000, () => '52.198.92.1').filter((f) => f.user_id !== 'm3'),
    signIn(H + 5 * MIN + 3 * 20_000, '52.198.92.1', 'm3'),
    ...sprayOf('n', 10, H + 5 * MIN, 1000, () => '52.198.93.1'),
    signIn(H + 5 * MIN + 9000, '52.198.93.1', 'n99'),
    // A window or more before the spray.
    ...sprayOf('o', 15, H + 20 * MIN, 20_000, () => '52.198.94.1'),
    signIn(H + 10 * MIN, '52.198.94.1', 'o99'),
    // Browser, phone and app: one finding; another address of the user is another.
    ...sprayOf('p', 10, H + 5 * HOUR_MS - 5 * MIN, 20_000, () => '52.198.95.1'),
    ...[1, 12, 40].map((m) => signIn(H + 5 * HOUR_MS + m * MIN, '52.198.95.1', 'p99')),
    signIn(H + 5 * HOUR_MS + 20 * MIN, '52.198.95.0', 'p99'),
    signIn(H + 5 * HOUR_MS + 2 * MIN, '52.198.95.1', 'p98'),
    // Near the end of its hour: the failures after the hour are not read.
    ...sprayOf('q', 10, H + 3 * HOUR_MS + 58 * MIN, 20_000, () => '52.198.96.1'),
    signIn(H + 3 * HOUR_MS + 57 * MIN, '52.198.96.1', 'q99'),
    // Right at the hour before's open end.
    ...sprayOf('r', 10, H + 30 * MIN - HOUR_MS, 20_000, () => '52.198.97.1'),
    signIn(H + 30 * MIN, '52.198.97.1', 'r99'),
    signIn(H + 30 * MIN + 20_000, '52.198.97.1', 'r98'),
    ...sprayOf('x', 11, H + 45 * MIN, 20_000, () => '52.198.99.1'),
    signIn(H + HOUR_MS + 45 * MIN, '52.198.99.1', 'x99'),
    // IPv6 hosts of one /64 are one address; ports and proxy hops are the address they carry.
    ...sprayOf('t', 10, H + 10 * MIN, 20_000, (i) => `2a00:1450:4001:81c::${i + 1}`),
    signIn(H + 15 * MIN, '2a00:1450:4001:81c::99', 't99'),
    ...sprayOf('u', 10, H + 10 * MIN, 20_000, (i) => `52.198.98.1:5000${i}`),
    signIn(H + 15 * MIN, '10.0.0.7, 52.198.98.1', 'u99'),
    known('u98', '52.198.98.1'),
    signIn(H + 16 * MIN, '52.198.98.1, 10.0.0.9', 'u98'),
    // A /48 the user signs in from is theirs, however written, behind a proxy too; another is not.
    ...sprayOf('v', 30, H + 10 * MIN, 5_000, (i) => `2a00:1450:4002:${i + 1}::5`, att),
    known('v99', '2a00:1450:4002:99::5'),
    signIn(H + 14 * MIN, '2a00:1450:4002:98::5', 'v99', att),
    known('v98', '2a00:1450:4003:99::5'),
    signIn(H + 14 * MIN, '2a00:1450:4002:98::5', 'v98', att),
    known('v97', '2A00:1450:4002:0099:0:0:0:5'),
    signIn(H + 14 * MIN, '2a00:1450:4002:98::5', 'v97', att),
    known('v96', '2a00:1450:4002:99::6'),
    signIn(H + 14 * MIN, 'fe80::1, 2a00:1450:4002:97::5', 'v96', att),
    // An IPv4-mapped address is its IPv4 address: its /24 is known, no /48.
    ...sprayOf('y', 30, H + 10 * MIN, 5_000, (i) => `::ffff:83.150.1.${i + 10}`, att),
    known('v95', '::ffff:83.150.1.2'),
    signIn(H + 14 * MIN, '83.150.1.200', 'v95', att),
    known('v94', '83.150.1.3'),
    signIn(H + 14 * MIN, '::ffff:83.150.1.201', 'v94', att),
    known('v93', '::ffff:83.150.1.4'),
    signIn(H + 14 * MIN, '2a00:1450:4002:96::5', 'v93', att),
    // Users make a spray, not failures: 9 users failing 21 times do not; 10 failing twice each do.
    ...sprayOf('z', 9, H + 5 * HOUR_MS + 30 * MIN, 20_000, () => '52.198.100.1'),
    ...sprayOf('z', 12, H + 5 * HOUR_MS + 30 * MIN + 10_000, 10_000, () => '52.198.100.1').map((f) => ({
      ...f,
      user_id: 'z0',
      user_name: 'z0@corp.com',
    })),
    signIn(H + 5 * HOUR_MS + 35 * MIN, '52.198.100.1', 'z99'),
    ...sprayOf('zz', 10, H + 5 * HOUR_MS + 30 * MIN, 20_000, () => '52.198.101.1'),
    ...sprayOf('zz', 10, H + 5 * HOUR_MS + 30 * MIN + 5_000, 20_000, () => '52.198.101.1'),
    signIn(H + 5 * HOUR_MS + 35 * MIN, '52.198.101.1', 'zz99'),
  ];
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
 * Failures of many users from a few addresses of two networks and owners, at random, and sign-ins
 * of some of them (some with history from one of those addresses), over the period.
 */
function randomTimelines(seed: number): EventRecord[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const ips = [`9${seed}.10.1.1`, `9${seed}.10.1.2`, `9${seed}.10.2.1`, `9${seed}.20.1.1`];
  const placeOf = (ip: string): Place =>
    ip.includes('.10.') ? { ip_country: 'US', ip_asn: 100 + seed } : { ip_country: 'DE', ip_asn: 200 + seed };
  const events: EventRecord[] = [];
  for (let u = 0; u < 12; u++) {
    if (next() < 0.3) events.push(known(`s${seed}-${u}`, pick(ips), next() < 0.5 ? 100 + seed : 200 + seed));
  }
  let ms = FROM - HOUR_MS + Math.floor(next() * 5 * MIN);
  while (ms < TO) {
    const ip = pick(ips);
    const user = `s${seed}-${Math.floor(next() * 40)}`;
    if (next() < 0.85) events.push(at(ms, 'login_failed', next() < 0.1 ? null : user, ip, placeOf(ip)));
    else events.push(signIn(ms, ip, `s${seed}-${Math.floor(next() * 12)}`, placeOf(ip)));
    ms += Math.floor(next() * 40_000) + 1;
  }
  return events;
}

/**
 * Failures spread over 120 addresses of four /24s (two of one owner), few from any one address:
 * sprays of a network, an owner and the slow window of an address, and users who know a network
 * or an owner of them from their history. With `v6`, the addresses are /64s of four IPv6 /48s.
 */
function wideTimelines(seed: number, v6 = false): EventRecord[] {
  const next = random(seed * 7919);
  const asns = [300 + seed, 300 + seed, 400 + seed, 500 + seed];
  const ipAt = (net: number, host: number) =>
    v6 ? `2a0${seed}:${net}:9:${host + 1}::5` : `6${seed}.${net}.9.${host + 1}`;
  const placeOf = (net: number): Place => ({ ip_country: 'FR', ip_asn: asns[net] as number });
  const events: EventRecord[] = [];
  for (let u = 0; u < 12; u++) {
    const net = Math.floor(next() * 4);
    // Half of them known to the geo data of their day under another owner: their network is theirs, its owner not.
    const asn = next() < 0.5 ? (asns[net] as number) : 900 + seed;
    if (next() < 0.7) events.push(known(`w${seed}-${u}`, ipAt(net, 200 + u), asn));
  }
  let ms = FROM - HOUR_MS + Math.floor(next() * 5 * MIN);
  while (ms < TO) {
    const net = Math.floor(next() * 4);
    const ip = ipAt(net, Math.floor(next() * 30));
    if (next() < 0.85)
      events.push(at(ms, 'login_failed', `w${seed}-${Math.floor(next() * 60)}`, ip, placeOf(net)));
    else events.push(signIn(ms, ip, `w${seed}-${Math.floor(next() * 12)}`, placeOf(net)));
    ms += Math.floor(next() * 60_000) + 1;
  }
  return events;
}

const settings = { ...DEFAULT_ALERT_SETTINGS, sprayUsers: 5, burstMinutes: 10 };

/** The detector over the period, an hour at a time, as the alerts evaluate it. */
function detected(events: readonly EventRecord[], sprayUsers = settings.sprayUsers): Alert[] {
  const all = [...events].sort((a, b) => a.event_time_ms - b.event_time_ms) as AlertEvent[];
  const profile = new LoginProfile('default', 'UTC');
  const alerts: Alert[] = [];
  for (let hour = HISTORY_FROM; hour < TO; hour += HOUR_MS) {
    const of = (from: number) =>
      all.filter((e) => e.event_time_ms >= from && e.event_time_ms < from + HOUR_MS);
    if (hour >= FROM) {
      alerts.push(
        ...detectLoginsAfterSprays({
          instance: 'default',
          fromMs: hour,
          toMs: hour + HOUR_MS,
          events: of(hour),
          before: of(hour - HOUR_MS),
          profile,
          settings: { ...settings, sprayUsers },
        }),
      );
    }
    profile.fold(hour, signInsOf(of(hour)));
  }
  return alerts;
}

/** A raised sign-in as both sides give it: its event, user, place that sprayed, failures, more sign-ins. */
const rowOf = (r: Record<string, unknown>) =>
  [
    r.event_id,
    r.user_id,
    r.level === 'network' || r.level === 'owner' ? r.grp : 'IP',
    Number(r.failed_attempts),
    Number(r.failures_after),
    Number(r.more_sign_ins),
  ].join(' ');
function alertRow(alert: Alert, loginsById: ReadonlyMap<string, EventRecord>): string {
  const login = loginsById.get(alert.id);
  const { evidence } = alert;
  const place = / (?:after|while) (that IP|network (\S+)|network owner (\S+)) failed/.exec(evidence);
  const failures = / \((\d+) failures\)/.exec(evidence)?.[1];
  const after = /; (\d+) after it\)/.exec(evidence)?.[1] ?? '0';
  const more = /; (\d+) more sign-ins? of the user/.exec(evidence)?.[1] ?? '0';
  return [login?.event_id, alert.user_id, place?.[2] ?? place?.[3] ?? 'IP', failures, after, more].join(' ');
}

const planted = plantedCases();
const randomized = [1, 2, 3, 4].flatMap((seed) => randomTimelines(seed));
const wide = [1, 2, 3, 4].flatMap((seed) => wideTimelines(seed));
const wide6 = [5, 6].flatMap((seed) => wideTimelines(seed, true));
/**
 * A lake per set: the query scans only that set's history. In one lake of all four each of the
 * four queries scanned the four (most of the file's CPU was DuckDB's); the sets share no user,
 * address or network owner, so each set's rows are the same either way.
 */
const lakes = new Map<readonly EventRecord[], FixtureEngine>();

beforeAll(async () => {
  for (const events of [planted, randomized, wide, wide6]) {
    lakes.set(events, await openFixtureEngine('login-after-spray-', { events: [...events] }));
  }
});
afterAll(async () => {
  for (const lake of lakes.values()) await lake.close();
});

async function both(events: readonly EventRecord[], sprayUsers = settings.sprayUsers) {
  const params = standardParams({
    instance: 'default',
    fromMs: FROM,
    toMs: TO,
    historyDays: 3,
    sprayUsers,
    burstMinutes: settings.burstMinutes,
  });
  const users = new Set(events.map((e) => e.user_id));
  // Each event's alert id hashed once (a search per alert hashed them all again); reversed, so
  // the first event of an id is the one kept, as that search found.
  const loginsById = new Map(
    [...events].reverse().map((e) => [alertId('default', 'login_after_spray', [e.event_id]), e] as const),
  );
  const lake = lakes.get(events) as FixtureEngine;
  const rows = (await lake.engine.run('login_after_spray', params)).rows.filter((r) =>
    users.has(r.user_id as string),
  );
  return {
    sql: rows.map(rowOf).sort(),
    rows,
    detector: detected(events, sprayUsers)
      .map((a) => alertRow(a, loginsById))
      .sort(),
  };
}

describe('login_after_spray.sql raises what the detector raises (DuckDB)', () => {
  it("the detector's own cases: the same sign-ins, places and failures", async () => {
    const { sql, rows, detector } = await both(planted, 10);
    expect(sql).toEqual(detector);
    expect(rows.map((r) => r.user_id).sort()).toEqual(
      [
        'a3',
        'a5',
        'b99',
        'f500',
        'g99',
        'i500',
        'k99',
        'm3',
        'n99',
        'p98',
        'p99',
        't99',
        'u99',
        'v93',
        'v98',
        'x99',
        'zz99',
      ].sort(),
    );
  });

  it('random sprays and sign-ins of 4 lakes over 8 hours: the same sign-ins', async () => {
    const { sql, detector } = await both(randomized);
    expect(detector.length).toBeGreaterThan(20);
    expect(sql).toEqual(detector);
  });

  it('failures spread over networks and owners: the same sign-ins, from networks, owners and slow sprays', async () => {
    const { sql, rows, detector } = await both(wide, 2);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[String(r.level)] = (counts[String(r.level)] ?? 0) + 1;
    expect(counts).toMatchObject({
      address: expect.any(Number),
      network: expect.any(Number),
      owner: expect.any(Number),
      'slow address': expect.any(Number),
    });
    expect(sql).toEqual(detector);
  });

  it("failures spread over IPv6 /48s: the same sign-ins, the user's own /48 exempting them", async () => {
    const { sql, rows, detector } = await both(wide6, 2);
    expect(rows.some((r) => r.level === 'network')).toBe(true);
    expect(sql).toEqual(detector);
  });
});
