import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { login, writeFixtureLake } from './support/lake-fixture.ts';

// Two sign-ins of one user in the same millisecond from two countries: which one is the journey
// (and so the impossible_travel finding) is decided by event_id alone, the order every run and
// both engines agree on. Each user's pair is stored in one of the four combinations of "which
// country has the smaller event_id" and "which one comes first in the file", so an engine left
// to order the ties its own way (in file order, reversed, or any order blind to event_id) puts
// at least one pair the other way round and reports the other sign-in.

const FROM = Date.parse('2026-10-26T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const day = (offset: number, hhmm: string) =>
  `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;

const bt = { ip_country: 'GB', ip_asn: 2856, ip_org: 'British Telecommunications PLC', geo_db_version: 'g' };
const kddi = { ip_country: 'JP', ip_asn: 2516, ip_org: 'KDDI Corporation', geo_db_version: 'g' };
const GB_IP = '86.130.1.1';
const JP_IP = '106.128.1.1';

const USERS = 8;
const userOf = (i: number) => ({ user_id: `u${i}`, user_name: `User ${i}` });
/** User i's pair: JP created (smaller event_id) first for odd i; the pair stored reversed for i % 4 >= 2. */
const jpFirstId = (i: number) => i % 2 === 1;
const storedReversed = (i: number) => i % 4 >= 2;

function userEvents(i: number): EventRecord[] {
  const user = userOf(i);
  // Twelve days at home in Great Britain, the last 48 hours before the pair: no journey yet.
  const history = Array.from({ length: 12 }, (_, d) =>
    login(day(d - 12, '09:00'), 'login', { ...user, ...bt, ip_address: GB_IP }),
  );
  const at = day(1, '09:00');
  const gb = () => login(at, 'login', { ...user, ...bt, ip_address: GB_IP });
  const jp = () => login(at, 'login', { ...user, ...kddi, ip_address: JP_IP });
  // login() numbers event ids in call order.
  const pair = jpFirstId(i) ? [jp(), gb()] : [gb(), jp()];
  return [...history, ...(storedReversed(i) ? pair.reverse() : pair)];
}

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'login-ties-'));
  const events = Array.from({ length: USERS }, (_, i) => userEvents(i)).flat();
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

describe('suspicious_logins: sign-ins in the same millisecond', () => {
  it('takes the one with the larger event_id as the journey, whatever order the lake stores them in', async () => {
    const { rows } = await engine.run(
      'suspicious_logins',
      standardParams({ instance: 'default', fromMs: FROM, toMs: TO }),
    );
    const travel = rows
      .filter((r) => r.reason === 'impossible_travel')
      .map((r) => [r.user_id, r.country, String(r.evidence).replace(/: \d+ km in /, ' in ')]);

    // The pair's later sign-in travelled from the earlier one in 0 minutes; the earlier one's
    // journey from the history (48 hours from Great Britain) is possible, or none at all.
    const expected = Array.from({ length: USERS }, (_, i) =>
      jpFirstId(i)
        ? [`u${i}`, 'GB', `JP to GB in 0 min; previous login 2026-10-27 09:00 UTC from ${JP_IP}`]
        : [`u${i}`, 'JP', `GB to JP in 0 min; previous login 2026-10-27 09:00 UTC from ${GB_IP}`],
    );
    expect(travel).toEqual(expected);
  });
});

/** Output columns that count rows, the same on rows alike in every other column. */
const COUNT_COLUMNS = new Set(['user_reason_rows', 'total_rows', 'total_logins']);

describe('the catalog orders events totally in every window', () => {
  // DuckDB sorts a partition once for all window functions whose orders share a prefix, by the
  // longest: a lag() ordered by event_time_ms alone beside one ordered by (event_time_ms, event_id)
  // silently gets the tie-break, so no lake can show DuckDB missing it on one of them. Trino (Athena)
  // gives each its own sort, where such ties fall either way: only the text can be checked.
  it('breaks ties of event time by event_id', () => {
    const overs = QUERY_NAMES.flatMap((name) =>
      [...loadQuery(name).sql.matchAll(/OVER \(([^)]*)\)/g)].map((m) => ({ name, over: m[1] ?? '' })),
    );
    // A RANGE frame takes every peer of a row whichever way ties fall: there is no order to break.
    const byEventTime = overs.filter(
      ({ over }) => /ORDER BY (\w+\.)?event_time/.test(over) && !/ RANGE BETWEEN /.test(over),
    );
    // suspicious_logins' six at least: first sign-in per new country and owner, the journey's four lags.
    expect(byEventTime.length).toBeGreaterThanOrEqual(6);
    for (const { name, over } of byEventTime) {
      // Or by every output column the counts do not follow from: rows alike in all are alike
      // (suspicious_logins' cut, among its findings, where no event_id is left).
      const { columns } = loadQuery(name);
      const words = new Set(over.split(/[\s,]+/));
      const everyColumn = columns.filter((c) => !COUNT_COLUMNS.has(c)).every((c) => words.has(c));
      if (!everyColumn) {
        // Columns after event_id order the rows of one event (activity_after_deactivation's user
        // and actor acting as another): still a total order.
        expect(over, `${name}: OVER (${over})`).toMatch(
          /ORDER BY (\w+\.)?event_time_ms, \1?event_id(, \w+( DESC)?)*$/,
        );
      }
    }
  });
});
