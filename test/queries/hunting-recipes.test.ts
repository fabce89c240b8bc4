import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { portabilityWarnings } from '../../functions/cli/portable-sql.ts';
import { unboundedScanLine } from '../../functions/cli/unbounded-scan.ts';
import { event, login, manifest, writeFixtureLake } from './support/lake-fixture.ts';

/**
 * docs/queries.md "Hunting in Athena": the SQL a security engineer copies into the Athena console
 * is taken from the page as written, checked to bound every read of a table and to hold nothing
 * the two engines answer apart, and run on a lake whose rows say what each query claims to find
 * (review HUNT H1, H2).
 */
const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
const section = docs.slice(docs.indexOf('\n## Hunting in Athena\n'), docs.indexOf('\n## The tables\n'));
const blocks = [...section.matchAll(/```sql\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
/** From a name to the ids, the five numbered queries, the Athena-only list of raw's fields, and the counting one. */
const [
  byName = '',
  newCountry = '',
  localDay = '',
  exports = '',
  byCountry = '',
  covered = '',
  fields = '',
  counting = '',
] = blocks;

const ALAN = '1985821424';
const DARA = '1375530043';
const ADMIN = '1111111111';
const OTHER = '2222222222';

let dir: string;
let engine: DuckDbQueryEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hunting-'));
  const alan = { user_id: ALAN, user_name: 'Alan Jensen' };
  const us = { ip_country: 'US', ip_org: 'Comcast', ip_address: '73.181.3.60' };
  const br = { ip_country: 'BR', ip_org: 'Amazon.com, Inc.', ip_address: '18.231.24.189' };
  const events = [
    // Query 1: history, then the day's sign-ins.
    login('2026-11-10 15:00:00', 'login', { ...alan, ...us }),
    // From a name to the ids: another user of the same name (review HUNTER 5).
    event('2026-11-12 09:00:00', { user_id: OTHER, user_name: 'Alan Jensen' }),
    login('2026-11-15 15:00:00', 'login', { user_id: DARA, user_name: 'Dara Petrov', ...us }),
    login('2026-11-01 15:00:00', 'login', { user_id: DARA, user_name: 'Dara Petrov', ...br }),
    login('2026-12-02 07:01:00', 'login', { user_id: DARA, user_name: 'Dara Petrov', ...us }),
    login('2026-12-02 18:19:00', 'login', {
      ...alan,
      ...br,
      raw: '{"actionType":"LOGGED_IN","authenticationMethod":"SSO"}',
    }),
    login('2026-12-02 20:00:00', 'login', { user_id: OTHER, user_name: 'Unplaced', ip_address: '10.0.0.1' }),
    // Query 2: Tuesday 2026-12-02 in New York is 05:00 UTC that day to 05:00 UTC the next.
    event('2026-12-02 04:59:59.999', { ...alan, action_type: 'SHARED', object_name: 'Monday night' }),
    event('2026-12-02 19:00:00', { ...alan, action_type: 'VIEWED', object_name: 'Viewed' }),
    // Stored with no action type (Domo renamed the field): no view, so listed (review HUNTER 4).
    event('2026-12-02 19:00:30', { ...alan, action_type: null, object_name: 'No action type' }),
    event('2026-12-02 19:01:00', {
      ...alan,
      actor_id: ADMIN,
      actor_name: 'Admin',
      action_type: 'UPDATED',
      object_name: 'Done as Alan',
    }),
    event('2026-12-03 04:30:00', {
      user_id: OTHER,
      user_name: 'Other',
      actor_id: ALAN,
      actor_name: 'Alan Jensen',
      action_type: 'SHARED',
      object_name: 'Alan as another, 23:30 in New York',
    }),
    event('2026-12-03 05:00:00', { ...alan, action_type: 'SHARED', object_name: 'Wednesday' }),
    // Query 3: identical twins of Alan's export, and an admin's export made as Alan.
    event('2026-12-04 10:00:00', { ...alan, event_id: 'aa', action_type: 'exported', object_id: '7' }),
    event('2026-12-04 10:00:00', { ...alan, event_id: 'aa-1', action_type: 'exported', object_id: '7' }),
    event('2026-12-04 11:00:00', { ...alan, actor_id: ADMIN, action_type: 'EXPORTED', object_id: '8' }),
    // Counting: a twin, and one event stored again under another id (another shape).
    event('2026-11-25 10:00:00', { event_id: 'bb' }),
    event('2026-11-25 10:00:00', { event_id: 'bb-1' }),
    event('2026-11-25 11:00:00.250', { event_id: 'cc', raw: '{"time":1}' }),
    event('2026-11-25 11:00:00.250', { event_id: 'dd', raw: '{"time":"1"}' }),
  ];
  const coverage = ['2026-12-01 00:00', '2026-12-01 01:00', '2026-12-02 00:00'].map((hour) =>
    manifest(hour, { event_count: 3, quarantined_count: 1 }),
  );
  await writeFixtureLake(dir, { instance: 'main', events, coverage });
  engine = await openDuckDbEngine({ lakeDir: dir });
});
afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

const run = async (sql: string) => (await engine.runSql(sql, [])).rows;

describe("docs/queries.md's hunting queries", () => {
  it('are eight, each bounding instance and dt on every read of a table, portable as written', () => {
    expect(blocks).toHaveLength(8);
    for (const sql of blocks) {
      const reads = [...sql.matchAll(/\bFROM (activity_log|coverage|quarantine)\b/g)].length;
      expect(reads, sql).toBeGreaterThan(0);
      expect([...sql.matchAll(/\binstance = 'main'/g)].length, sql).toBe(reads);
      expect([...sql.matchAll(/\bdt (?:=|BETWEEN) '\d{4}-\d\d-\d\d'/g)].length, sql).toBe(reads);
      expect(unboundedScanLine(sql), sql).toBe('');
      expect(portabilityWarnings(sql), sql).toEqual([]);
    }
  });

  it('finds the ids a name was seen under, each apart', async () => {
    const rows = await run(byName);
    expect(rows.map((r) => [r.user_id, r.user_name, Number(r.events)])).toEqual([
      [ALAN, 'Alan Jensen', 1],
      [OTHER, 'Alan Jensen', 1],
    ]);
  });

  it("1 lists a day's sign-ins from a country new to the user, and the unplaced ones", async () => {
    const rows = await run(newCountry);
    expect(rows.map((r) => [r.user_id, r.ip_country])).toEqual([
      [ALAN, 'BR'],
      [OTHER, null],
    ]);
  });

  it("2 lists one user's local day, done by them or as them, views left out", async () => {
    const rows = await run(localDay);
    expect(rows.map((r) => [r.action_type, r.local_time])).toEqual([
      ['LOGIN', '2026-12-02 13:19:00'],
      [null, '2026-12-02 14:00:30'],
      ['UPDATED', '2026-12-02 14:01:00'],
      ['SHARED', '2026-12-02 23:30:00'],
    ]);
  });

  it('3 counts exports by who did them, twins as rows and as one entry', async () => {
    const rows = await run(exports);
    expect(rows.map((r) => [r.doer_id, r.action, Number(r.stored_rows), Number(r.entries)])).toEqual([
      // Alan's shares: his own, and the one made as another user (he is its actor).
      [ALAN, 'SHARED', 3, 3],
      [ALAN, 'EXPORTED', 2, 1],
      [ADMIN, 'EXPORTED', 1, 1],
    ]);
  });

  it('4 reads the sign-in method from raw', async () => {
    const rows = await run(byCountry);
    expect(rows.map((r) => [r.user_id, r.method, Number(r.sign_ins)])).toEqual([[ALAN, 'SSO', 1]]);
  });

  it('5 counts the hours the lake holds of each day', async () => {
    const rows = await run(covered);
    expect(rows.map((r) => [r.dt, Number(r.hours_covered), Number(r.quarantined)])).toEqual([
      ['2026-12-01', 2, 2],
      ['2026-12-02', 1, 1],
    ]);
  });

  it("lists raw's fields with Athena's functions, which DuckDB lacks", () => {
    expect(fields).toContain('map_keys(try(CAST(json_parse(raw) AS map(varchar, json))))');
  });

  it('gives the rows, the entries and the least the events can be', async () => {
    const [row] = await run(counting);
    expect([row?.stored_rows, row?.entries, row?.events_at_least].map(Number)).toEqual([4, 3, 2]);
  });
});
