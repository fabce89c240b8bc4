import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { detectSuspiciousLogins } from '../../functions/core/alerts/detect-suspicious-logins.ts';
import { COUNTRIES_WITHOUT_POINT, COUNTRY_POINTS } from '../../functions/core/geo/country-points.ts';
import { countryDistanceKm } from '../../functions/core/geo/great-circle.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { historyProfile } from '../core/alerts/support/alert-fixtures.ts';
import { standardSuspiciousOptions, suspiciousLogins } from './support/expected-answers.ts';
import { login, writeFixtureLake } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const day = (offset: number, hhmm: string) =>
  `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;

const comcast = {
  ip_country: 'US',
  ip_asn: 7922,
  ip_org: 'Comcast Cable Communications, LLC',
  geo_db_version: 'g',
};
const tmobile = { ip_country: 'US', ip_asn: 21928, ip_org: 'T-Mobile USA, Inc.', geo_db_version: 'g' };
const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG', geo_db_version: 'g' };
const bt = { ip_country: 'GB', ip_asn: 2856, ip_org: 'British Telecommunications PLC', geo_db_version: 'g' };
const orange = { ip_country: 'FR', ip_asn: 3215, ip_org: 'Orange S.A.', geo_db_version: 'g' };
// 38.43.72.10 is in South Sudan in the shipped database (the reviewer's case); a UM address.
const southSudan = { ip_country: 'SS', ip_asn: 327_786, ip_org: '4G Telecom', geo_db_version: 'g' };
const minorIslands = { ip_country: 'UM', ip_asn: 64_512, ip_org: 'Atoll Net', geo_db_version: 'g' };

const user = (id: string) => ({ user_id: id, user_name: `User ${id}` });

/** `count` daily history logins at 09:00 from `geo`, ending the day before the period. */
const history = (id: string, count: number, geo: object, ip = '73.1.2.3', hhmm = '09:00'): EventRecord[] =>
  Array.from({ length: count }, (_, i) =>
    login(day(-count + i, hhmm), 'login', { ...user(id), ...geo, ip_address: ip }),
  );

const events: EventRecord[] = [
  // Ada: a month at home in the US, then a login from Germany a day later: new country and owner.
  ...history('ada', 12, comcast),
  login(day(1, '09:00'), 'login', { ...user('ada'), ...comcast, ip_address: '73.1.2.3' }),
  // Padded as a messy source may send it: the network is read from the address within.
  login(day(2, '12:00'), 'login', { ...user('ada'), ...telekom, ip_address: '\t93.200.1.2 \n' }),
  // Bob: US at 10:00, Great Britain 40 minutes later: impossible travel (plus new country and owner).
  ...history('bob', 12, comcast),
  login(day(3, '10:00'), 'login', { ...user('bob'), ...comcast, ip_address: '73.9.9.9' }),
  login(day(3, '10:40'), 'login', { ...user('bob'), ...bt, ip_address: '86.130.1.1' }),
  // Cy: home and a phone carrier; a new /24 of the known carrier is nothing new.
  ...history('cy', 6, comcast),
  ...history('cy', 6, tmobile, '100.130.4.5', '13:00'),
  login(day(2, '13:00'), 'login', { ...user('cy'), ...tmobile, ip_address: '100.200.77.1' }),
  // Dee: too little history for a new country or a new network owner (a young lake, a new user).
  ...history('dee', 3, comcast),
  login(day(4, '09:00'), 'login', { ...user('dee'), ...orange, ip_address: '86.200.1.1' }),
  // Fay: US at 09:05, South Sudan at 09:20: impossible travel (SS has a reference point).
  ...history('fay', 30, comcast),
  login(day(5, '09:05'), 'login', { ...user('fay'), ...comcast, ip_address: '73.1.2.3' }),
  login(day(5, '09:20'), 'login', { ...user('fay'), ...southSudan, ip_address: '38.43.72.10' }),
  // Gus: US at 09:05, the Minor Outlying Islands at 09:20, GB at 09:40: UM has no reference point,
  // so neither journey is judged; the UM sign-in still is a new country and a new owner.
  ...history('gus', 12, comcast),
  login(day(5, '09:05'), 'login', { ...user('gus'), ...comcast, ip_address: '73.1.2.3' }),
  login(day(5, '09:20'), 'login', { ...user('gus'), ...minorIslands, ip_address: '192.0.2.55' }),
  login(day(5, '09:40'), 'login', { ...user('gus'), ...bt, ip_address: '86.130.1.1' }),
  // Eve: records written before enrichment (no country) never fire.
  ...history('eve', 12, { ip_country: null, ip_asn: null, ip_org: null, geo_db_version: null }),
  login(day(1, '09:00'), 'login', { ...user('eve'), ip_address: '81.2.69.142' }),
];

/** The alert detector over the hour starting at `hour`, its history folded from the fixture's sign-ins. */
function detectHour(hour: number) {
  const profile = historyProfile(events, hour, 'UTC');
  return detectSuspiciousLogins({
    instance: 'default',
    fromMs: hour,
    toMs: hour + HOUR_MS,
    events: events.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS),
    before: [],
    profile,
    settings: DEFAULT_ALERT_SETTINGS,
  });
}

let dir: string;
let engine: DuckDbQueryEngine;
const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-logins-'));
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

const geoRows = async (extra: Record<string, string> = {}) =>
  (await engine.run('suspicious_logins', { ...params, ...extra })).rows.filter(
    (r) => r.reason !== 'unusual_hour',
  );

describe('suspicious_logins: the geo detections', () => {
  it('finds the planted new country, new network owner and impossible travel, and nothing else', async () => {
    const rows = await geoRows();
    expect(rows.map((r) => [r.user_id, r.reason, r.country])).toEqual([
      ['ada', 'new_country', 'DE'],
      ['ada', 'new_network', 'DE'],
      ['bob', 'impossible_travel', 'GB'],
      ['bob', 'new_country', 'GB'],
      ['bob', 'new_network', 'GB'],
      ['fay', 'impossible_travel', 'SS'],
      ['fay', 'new_country', 'SS'],
      ['fay', 'new_network', 'SS'],
      ['gus', 'new_country', 'UM'],
      ['gus', 'new_network', 'UM'],
      ['gus', 'new_country', 'GB'],
      ['gus', 'new_network', 'GB'],
    ]);
  });

  it('explains each finding in one line with its evidence, the /24 kept as evidence', async () => {
    const rows = await geoRows();
    const byReason = (user: string, reason: string) =>
      rows.find((r) => r.user_id === user && r.reason === reason);
    // Ada's history starts 12 days before the period, at 09:00: 11 days and 15 hours of it.
    expect(byReason('ada', 'new_country')?.evidence).toBe(
      'first login from DE in 11 days of history; previous: US (12 logins)',
    );
    expect(byReason('ada', 'new_network')).toMatchObject({
      asn: 3320,
      org: 'Deutsche Telekom AG',
      network: '93.200.1.0/24',
      evidence:
        'first login from network owner AS3320 (Deutsche Telekom AG) in 11 days of history; 1 owner known; network 93.200.1.0/24',
    });
    // Fay's reaches into the window's first day: the whole window.
    expect(byReason('fay', 'new_country')?.evidence).toBe(
      'first login from SS in 30 days; previous: US (30 logins)',
    );
    expect(byReason('bob', 'impossible_travel')?.evidence).toMatch(
      /^US to GB: \d+ km in 40 min; previous login 2026-10-29 10:00 UTC from 73\.9\.9\.9$/,
    );
    expect(byReason('fay', 'impossible_travel')?.evidence).toMatch(
      /^US to SS: \d+ km in 15 min; previous login 2026-10-31 09:05 UTC from 73\.1\.2\.3$/,
    );
  });

  it("writes a journey's previous sign-in on the clock of time_zone, as the row's other local times", async () => {
    const journeys = async (timeZone: string) =>
      (await geoRows({ time_zone: timeZone }))
        .filter((r) => r.reason === 'impossible_travel')
        .map((r) => [r.user_id, String(r.evidence).replace(/^.*; previous login /, '')]);
    expect(await journeys('Asia/Kolkata')).toEqual([
      ['bob', '2026-10-29 15:30 +05:30 Asia/Kolkata from 73.9.9.9'],
      ['fay', '2026-10-31 14:35 +05:30 Asia/Kolkata from 73.1.2.3'],
    ]);
    // Eleven hours behind: the day before.
    expect(await journeys('Pacific/Pago_Pago')).toEqual([
      ['bob', '2026-10-28 23:00 -11:00 Pacific/Pago_Pago from 73.9.9.9'],
      ['fay', '2026-10-30 22:05 -11:00 Pacific/Pago_Pago from 73.1.2.3'],
    ]);
    // Fourteen hours ahead: the next day, the offset positive.
    expect(await journeys('Pacific/Kiritimati')).toEqual([
      ['bob', '2026-10-30 00:00 +14:00 Pacific/Kiritimati from 73.9.9.9'],
      ['fay', '2026-10-31 23:05 +14:00 Pacific/Kiritimati from 73.1.2.3'],
    ]);
  });

  it('a country without a reference point (UM) cannot be judged for speed, and only that row is missing', async () => {
    expect(COUNTRIES_WITHOUT_POINT).toEqual(['UM']);
    const gus = (await geoRows()).filter((r) => r.user_id === 'gus');
    expect(gus.map((r) => r.reason)).not.toContain('impossible_travel');
    expect(gus.map((r) => [r.reason, r.country])).toEqual([
      ['new_country', 'UM'],
      ['new_network', 'UM'],
      ['new_country', 'GB'],
      ['new_network', 'GB'],
    ]);
  });

  it('the alert detector, hour by hour, finds what the query finds for each hour (missing points included)', async () => {
    const hours = [...new Set(events.map((e) => e.event_time_ms - (e.event_time_ms % HOUR_MS)))].filter(
      (hour) => hour >= FROM && hour < TO,
    );
    const keys = (rows: readonly Record<string, unknown>[]) =>
      rows.map((r) => `${r.event_time} ${r.user_id} ${r.reason} ${r.evidence}`).sort();
    let found = 0;
    for (const hour of hours) {
      const sql = (
        await engine.run(
          'suspicious_logins',
          standardParams({ instance: 'default', fromMs: hour, toMs: hour + HOUR_MS }),
        )
      ).rows;
      const alerts = detectHour(hour);
      expect(keys(alerts.map((a) => ({ ...a, reason: a.kind }))), new Date(hour).toISOString()).toEqual(
        keys(sql),
      );
      found += sql.length;
    }
    expect(found).toBeGreaterThan(0);
  });

  it('a new /24 of a known network owner (a phone carrier) is nothing new', async () => {
    const rows = await geoRows();
    expect(rows.filter((r) => r.user_id === 'cy')).toEqual([]);
  });

  it('gives the same answer as an independent TypeScript reading of the definitions', async () => {
    const { rows } = await engine.run('suspicious_logins', params);
    const ts = suspiciousLogins(
      events,
      { instance: 'default', fromMs: FROM, toMs: TO },
      standardSuspiciousOptions(FROM),
    );
    expect(rows).toEqual(ts);
  });

  it('respects the speed setting', async () => {
    // Bob's 6,800 km in 40 minutes is within 20,000 km/h; Fay's 12,500 km in 15 minutes is not.
    const rows = await geoRows({ max_speed_kmh: '20000' });
    expect(rows.filter((r) => r.reason === 'impossible_travel').map((r) => r.user_id)).toEqual(['fay']);
  });
});

describe('logins_by_country', () => {
  it('counts period sign-ins per country, unknown countries as null', async () => {
    const { rows } = await engine.run('logins_by_country', params);
    expect(rows).toEqual([
      { country: 'US', logins: 5, users: 5, geo_db_versions: 'g' },
      { country: 'GB', logins: 2, users: 2, geo_db_versions: 'g' },
      { country: 'DE', logins: 1, users: 1, geo_db_versions: 'g' },
      { country: 'FR', logins: 1, users: 1, geo_db_versions: 'g' },
      { country: 'SS', logins: 1, users: 1, geo_db_versions: 'g' },
      { country: 'UM', logins: 1, users: 1, geo_db_versions: 'g' },
      { country: null, logins: 1, users: 1, geo_db_versions: null },
    ]);
  });
});

describe('country reference points', () => {
  it('are the same in the SQL and in TypeScript, and place countries sensibly', () => {
    const sql = readFileSync(
      join(import.meta.dirname, '../../functions/queries/suspicious_logins.sql'),
      'utf8',
    );
    const inSql = [...sql.matchAll(/\('([A-Z]{2})', (-?[\d.]+), (-?[\d.]+)\)/g)].map((m) => [
      m[1],
      Number(m[2]),
      Number(m[3]),
    ]);
    expect(inSql).toEqual(Object.entries(COUNTRY_POINTS).map(([code, [lat, lon]]) => [code, lat, lon]));
    const km = countryDistanceKm('US', 'GB') as number;
    expect(km).toBeGreaterThan(6000);
    expect(km).toBeLessThan(8000);
  });
});
