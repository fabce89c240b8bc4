/**
 * A geo data update moves blocks between countries and owners; the history keeps what the older
 * database said, new sign-ins get what the newer one says. The same address is then no new place
 * and no journey: the query, the alert detector and the independent reading agree on that.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { detectSuspiciousLogins } from '../../functions/core/alerts/detect-suspicious-logins.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { historyProfile } from '../core/alerts/support/alert-fixtures.ts';
import { standardSuspiciousOptions, suspiciousLogins } from './support/expected-answers.ts';
import { login, writeFixtureLake } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const day = (offset: number, hhmm: string) =>
  `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;

// What the older and the newer database say of one block (DB-IP moved it from Comcast to Rogers).
const before = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'v1' };
const after = { ip_country: 'CA', ip_asn: 812, ip_org: 'Rogers', geo_db_version: 'v2' };
const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG', geo_db_version: 'v2' };
const orange = { ip_country: 'FR', ip_asn: 3215, ip_org: 'Orange S.A.', geo_db_version: 'v2' };
const rostelecom = { ip_country: 'RU', ip_asn: 12389, ip_org: 'Rostelecom', geo_db_version: 'v2' };
/** Stored while the ingest could not load its geo database: no geo columns. */
const outage = { ip_country: null, ip_asn: null, ip_org: null, geo_db_version: null };

const user = (id: string) => ({ user_id: id, user_name: `User ${id}` });
const signIn = (id: string, when: string, ip: string | null, geo: object) =>
  login(when, 'login', { ...user(id), ...geo, ip_address: ip });
/** 20 daily sign-ins at 09:00 from `ip`, placed by the older database, ending the day before the period. */
const history = (id: string, ip: string): EventRecord[] =>
  Array.from({ length: 20 }, (_, i) => signIn(id, day(-20 + i, '09:00'), ip, before));

const events: EventRecord[] = [
  // Hal never moved: home at 09:00 still placed by the older database, 40 minutes later by the newer.
  ...history('hal', '73.0.0.7'),
  signIn('hal', day(1, '09:00'), '73.0.0.7', before),
  signIn('hal', day(1, '09:40'), '73.0.0.7', after),
  // Ivy did not stay home: the same journey from another address is new and impossible.
  ...history('ivy', '73.0.0.8'),
  signIn('ivy', day(1, '09:00'), '73.0.0.8', before),
  signIn('ivy', day(1, '09:40'), '99.0.0.1', after),
  // Jay's home is placed in Canada now, which makes Canada and Rogers known to him: another Rogers
  // address in Canada after it is neither a new country nor a new owner.
  ...history('jay', '73.0.0.9'),
  signIn('jay', day(2, '09:10'), '73.0.0.9', after),
  signIn('jay', day(2, '09:20'), '24.0.0.9', after),
  // Kim's address as the source wrote it once upper-case, once padded: one address.
  ...history('kim', '2600:1700:ABCD::1'),
  signIn('kim', day(3, '09:10'), ' 2600:1700:abcd::1\t', after),
  // Lee's new address is placed twice 20 minutes apart, across an update: a new country and owner
  // twice (the address is not in the history), but no journey.
  ...history('lee', '73.0.0.10'),
  signIn('lee', day(4, '09:00'), '5.6.7.8', telekom),
  signIn('lee', day(4, '09:20'), '5.6.7.8', orange),
  // An attacker signed in to Mo's account once during a geo outage (never placed, never judged),
  // then again from that address, placed in Russia: that address vouches for nothing, so it is a
  // new country and owner, as for Ned, whom the attacker reached without the outage.
  ...history('mo', '73.0.0.20'),
  signIn('mo', day(-3, '09:00'), '45.0.0.1', outage),
  signIn('mo', day(2, '09:00'), '45.0.0.1', rostelecom),
  ...history('ned', '73.0.0.21'),
  signIn('ned', day(2, '09:00'), '45.0.0.1', rostelecom),
  // Quin has sign-ins without an address, in the history and the period: nothing to compare.
  ...history('quin', '73.0.0.24'),
  signIn('quin', day(-2, '09:00'), null, outage),
  signIn('quin', day(2, '09:00'), null, outage),
  // Rae's forwarded-for list holds junk after the client: the client entry 73.0.0.25 is the
  // address (only A-Z are lower-cased anyway: engines and JavaScript lower-case 'İ' their own ways).
  ...history('rae', '73.0.0.25, İ'),
  signIn('rae', day(3, '09:00'), '73.0.0.25, i\u0307', after),
  // Tia's, written with 'Ä' then 'ä': the same client entry, the same address.
  ...history('tia', '73.0.0.27, Ä'),
  signIn('tia', day(3, '11:00'), '73.0.0.27, ä', after),
  // Ola's address spelled IPv4-mapped in the history, plain now: one address (the key is the IPv4 one).
  ...history('ola', '::ffff:73.0.0.22'),
  signIn('ola', day(4, '10:00'), '73.0.0.22', after),
  // Pat's forwarded-for list: another spacing, the same client entry (Canada is known by then).
  ...history('pat', '73.0.0.23, 10.0.0.4'),
  signIn('pat', day(5, '09:00'), '73.0.0.23, 10.0.0.4', after),
  signIn('pat', day(5, '10:00'), '73.0.0.23,10.0.0.4', { ...after, ip_asn: 577, ip_org: 'Bell' }),
  // Sam signs in behind a proxy whose internal hop changes between sign-ins: one client address.
  ...history('sam', '80.150.1.2, 10.0.0.4'),
  signIn('sam', day(3, '10:00'), '80.150.1.2, 10.0.0.5', after),
  // Uma's address now comes with its port, and in brackets for IPv6: the same addresses.
  ...history('uma', '81.2.69.142'),
  signIn('uma', day(3, '10:00'), '81.2.69.142:50123', after),
  ...history('val', '2a02:8100::1'),
  signIn('val', day(3, '10:30'), '[2A02:8100::1]:443', after),
];

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geo-update-'));
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

const run = async (fromMs: number, toMs: number) =>
  (await engine.run('suspicious_logins', standardParams({ instance: 'default', fromMs, toMs }))).rows;

describe('suspicious_logins across a geo data update', () => {
  it('finds no new place and no journey for an address of a placed sign-in of the user', async () => {
    const rows = await run(FROM, TO);
    expect(rows.map((r) => [r.user_id, r.reason, r.country, r.ip_address])).toEqual([
      ['ivy', 'impossible_travel', 'CA', '99.0.0.1'],
      ['ivy', 'new_country', 'CA', '99.0.0.1'],
      ['ivy', 'new_network', 'CA', '99.0.0.1'],
      ['mo', 'new_country', 'RU', '45.0.0.1'],
      ['mo', 'new_network', 'RU', '45.0.0.1'],
      ['ned', 'new_country', 'RU', '45.0.0.1'],
      ['ned', 'new_network', 'RU', '45.0.0.1'],
      ['lee', 'new_country', 'DE', '5.6.7.8'],
      ['lee', 'new_network', 'DE', '5.6.7.8'],
      ['lee', 'new_country', 'FR', '5.6.7.8'],
      ['lee', 'new_network', 'FR', '5.6.7.8'],
    ]);
    expect(rows.find((r) => r.user_id === 'ivy' && r.reason === 'impossible_travel')?.evidence).toMatch(
      /^US to CA: 2262 km in 40 min; previous login .* from 73\.0\.0\.8$/,
    );
  });

  it('gives the same answer as an independent TypeScript reading of the definitions', async () => {
    const ts = suspiciousLogins(
      events,
      { instance: 'default', fromMs: FROM, toMs: TO },
      standardSuspiciousOptions(FROM),
    );
    expect(await run(FROM, TO)).toEqual(ts);
  });

  it('the alert detector, hour by hour, finds what the query finds for each hour', async () => {
    const hours = [...new Set(events.map((e) => e.event_time_ms - (e.event_time_ms % HOUR_MS)))].filter(
      (hour) => hour >= FROM && hour < TO,
    );
    const keys = (rows: readonly Record<string, unknown>[]) =>
      rows.map((r) => `${r.event_time} ${r.user_id} ${r.reason} ${r.evidence}`).sort();
    let found = 0;
    for (const hour of hours) {
      const sql = await run(hour, hour + HOUR_MS);
      const alerts = detectSuspiciousLogins({
        instance: 'default',
        fromMs: hour,
        toMs: hour + HOUR_MS,
        events: events.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS),
        before: [],
        profile: historyProfile(events, hour, 'UTC'),
        settings: DEFAULT_ALERT_SETTINGS,
      });
      expect(keys(alerts.map((a) => ({ ...a, reason: a.kind }))), new Date(hour).toISOString()).toEqual(
        keys(sql),
      );
      found += sql.length;
    }
    expect(found).toBe(11);
  });
});
