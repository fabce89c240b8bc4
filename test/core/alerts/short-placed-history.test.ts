/**
 * The place checks (new country, new network owner) judge a user only by their placed history
 * sign-ins, the unusual-hour check by all of them. A user with 10 history sign-ins, one without an
 * address or from a private one, is judged by the hour check but not by the place checks: the
 * alert detector and suspicious_logins agree on that, and login_history counts that user as short
 * of placed history (the report's note), not as judged by every check (review R-QUERIES, MEDIUM 3).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';
import { loginHistory } from '../../queries/support/expected-answers.ts';
import { login, writeFixtureLake } from '../../queries/support/lake-fixture.ts';
import { suspiciousLoginsOver } from './support/alert-fixtures.ts';

const FROM = Date.parse('2026-11-23T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const day = (offset: number, hhmm: string) =>
  `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;
const us = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'v1' };
const fr = { ip_country: 'FR', ip_asn: 3215, ip_org: 'Orange', geo_db_version: 'v1' };
const unplaced = { ip_country: null, ip_asn: null, ip_org: null };
const signIn = (id: string, when: string, ip: string | null, geo: object) =>
  login(when, 'login', { user_id: id, user_name: `User ${id}`, ...geo, ip_address: ip });
/** Ten history sign-ins at 09:00 on ten days, the last `odd` of them without a place. */
const history = (id: string, odd: number, oddIp: string | null) =>
  Array.from({ length: 10 }, (_, i) =>
    i < 10 - odd
      ? signIn(id, day(-10 + i, '09:00'), `73.9.9.${i + 1}`, us)
      : signIn(id, day(-10 + i, '09:00'), oddIp, unplaced),
  );
const events = [
  // One history sign-in without an address: 9 placed, too few for the place checks.
  ...history('u90', 1, null),
  signIn('u90', day(1, '09:30'), '90.1.2.3', fr),
  // Ten placed: judged, the sign-in from France is a new country and a new owner.
  ...history('u91', 0, null),
  signIn('u91', day(1, '09:30'), '90.1.2.4', fr),
  // One from a private office address (never placed).
  ...history('u92', 1, '10.1.2.3'),
  signIn('u92', day(1, '09:30'), '90.1.2.5', fr),
  // Three history sign-ins: too few for every check.
  ...history('u93', 0, null).slice(0, 3),
  signIn('u93', day(1, '09:30'), '90.1.2.6', fr),
];

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'short-placed-'));
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});
afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });

describe('a history with sign-ins the geo database did not place', () => {
  it('is judged by the place checks alike by the detector and the SQL: only with enough placed', async () => {
    const rows = (await engine.run('suspicious_logins', params)).rows;
    const alerts = suspiciousLoginsOver(events, FROM, TO);
    const found = (list: readonly Record<string, unknown>[]) =>
      list.map((r) => `${r.user_id} ${r.reason}`).sort();
    expect(found(rows)).toEqual(['u91 new_country', 'u91 new_network']);
    expect(found(alerts.map((a) => ({ user_id: a.user_id, reason: a.kind })))).toEqual(found(rows));
  });

  it('login_history counts those users short of placed history, apart from those short of any', async () => {
    const rows = (await engine.run('login_history', params)).rows;
    expect(rows).toEqual([{ users: 4, short_history_users: 1, short_placed_history_users: 3 }]);
    expect(rows).toEqual(
      loginHistory(
        events,
        { instance: 'default', fromMs: FROM, toMs: TO },
        {
          historyFromMs: FROM - 30 * DAY_MS,
          minHistoryLogins: 10,
        },
      ),
    );
  });
});
