/**
 * Where the clocks go back, one local time names two instants an hour apart: America/New_York reads
 * 01:30 at 05:30 UTC (-04:00) and again at 06:30 UTC (-05:00) on 2026-11-01. The unusual-hour and
 * impossible-travel evidence gives each local time its offset, and the alert detector and
 * suspicious_logins (DuckDB, Node's zone rules) still write it word for word alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { login, writeFixtureLake } from '../../queries/support/lake-fixture.ts';
import { historyProfile } from './support/alert-fixtures.ts';

const ZONE = 'America/New_York';
const FROM = Date.parse('2026-11-01T05:00:00Z');
const TO = FROM + 2 * HOUR_MS;
const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

const ada = { user_id: 'ada', user_name: 'Ada' };
const comcast = {
  ip_country: 'US',
  ip_asn: 7922,
  ip_org: 'Comcast',
  geo_db_version: 'g',
  ip_address: '73.1.2.3',
};
const telekom = {
  ip_country: 'DE',
  ip_asn: 3320,
  ip_org: 'Telekom',
  geo_db_version: 'g',
  ip_address: '93.200.1.2',
};

const events: EventRecord[] = [
  // Twelve days of sign-ins at 10:00 in New York (14:00 UTC, summer time).
  ...Array.from({ length: 12 }, (_, i) =>
    login(at(FROM - (12 - i) * DAY_MS + 9 * HOUR_MS), 'login', { ...ada, ...comcast }),
  ),
  // 01:30 -04:00 from home, then 01:30 -05:00, an hour later, from Germany.
  login(at(FROM + 30 * 60_000), 'login', { ...ada, ...comcast }),
  login(at(FROM + 90 * 60_000), 'login', { ...ada, ...telekom }),
];

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clock-change-'));
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const detected = () =>
  detectSuspiciousLogins({
    instance: 'default',
    fromMs: FROM,
    toMs: TO,
    events: events.filter((e) => e.event_time_ms >= FROM && e.event_time_ms < TO),
    before: [],
    profile: historyProfile(events, FROM, ZONE),
    settings: { ...DEFAULT_ALERT_SETTINGS, timeZone: ZONE },
  }).map((a) => [a.event_time, a.kind, a.evidence]);

describe('suspicious-login evidence where the clocks go back (America/New_York, 2026-11-01)', () => {
  it('tells the two 01:30 apart by their offsets, in the alert and in the report query alike', async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO, timeZone: ZONE });
    const rows = (await engine.run('suspicious_logins', params)).rows;
    const fromSql = rows.map((r) => [r.event_time, r.reason, r.evidence]);
    const unusual = (hhmm: string) =>
      `login at ${hhmm} ${ZONE}; 0 of 12 logins in 11 days of history were in the hours 23:00 to 03:59`;
    expect(fromSql).toEqual(
      expect.arrayContaining([
        ['2026-11-01 05:30:00.000', 'unusual_hour', unusual('01:30 -04:00')],
        ['2026-11-01 06:30:00.000', 'unusual_hour', unusual('01:30 -05:00')],
        [
          '2026-11-01 06:30:00.000',
          'impossible_travel',
          expect.stringMatching(
            /^US to DE: \d+ km in 60 min; previous login 2026-11-01 01:30 -04:00 America\/New_York from 73\.1\.2\.3$/,
          ),
        ],
      ]),
    );
    const order = (list: unknown[][]) => [...list].sort((a, b) => String(a).localeCompare(String(b)));
    expect(order(detected())).toEqual(order(fromSql));
  });

  it('gives no offset in UTC, which names its own', async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO, timeZone: 'UTC' });
    const rows = (await engine.run('suspicious_logins', params)).rows;
    const evidence = rows.map((r) => String(r.evidence));
    expect(evidence).toContain(
      'login at 05:30 UTC; 0 of 12 logins in 11 days of history were in the hours 03:00 to 07:59',
    );
    expect(evidence.filter((e) => /[+-]\d\d:\d\d/.test(e))).toEqual([]);
  });
});
