import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DENIED_FUNCTIONS } from '../../functions/adapters/duckdb-denied-functions.ts';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

// A SELECT of enable_logging(storage='file', ...) passed as one read-only query and wrote its log
// into the lake; query('...') ran SQL no check had read (review R-SQLBOX2 M1).
let dir: string;
let lake: string;
let engine: DuckDbQueryEngine;
/** Where each function called would write, were it run: a folder of the lake. */
let day: string;

/** Every file under `root`, as paths relative to it. */
const filesUnder = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duckdb-denied-'));
  lake = join(dir, 'lake');
  await writeFixtureLake(lake, {
    events: [event('2026-10-05 10:00:00')],
    coverage: [manifest('2026-10-05 10:00')],
  });
  day = join(lake, 'activity_log', 'instance=default', 'dt=2026-10-05');
  engine = await openDuckDbEngine({ lakeDir: lake });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

/** A call of each denied function that would run as written, writing in the lake where it can. */
const CALLS: Record<string, (at: string) => string> = {
  enable_logging: (at) =>
    `SELECT * FROM enable_logging(storage='file', storage_path='${at}/log.csv', storage_normalize=false)`,
  disable_logging: () => 'SELECT * FROM disable_logging()',
  truncate_duckdb_logs: () => 'SELECT * FROM truncate_duckdb_logs()',
  write_log: () => "SELECT write_log('x')",
  enable_profiling: (at) => `SELECT * FROM enable_profiling(save_location='${at}/profile.json')`,
  disable_profiling: () => 'SELECT * FROM disable_profiling()',
  enable_peg_parser: () => 'SELECT * FROM enable_peg_parser()',
  disable_peg_parser: () => 'SELECT * FROM disable_peg_parser()',
  checkpoint: () => 'SELECT * FROM checkpoint()',
  force_checkpoint: () => 'SELECT * FROM force_checkpoint()',
  setseed: () => 'SELECT setseed(0.5)',
  query: () => "SELECT * FROM query('SELECT 1')",
  query_table: () => "SELECT * FROM query_table('activity_log')",
  json_execute_serialized_sql: () =>
    "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
  arrow_scan: () => 'SELECT * FROM arrow_scan(0, 0, 0)',
  arrow_scan_dumb: () => 'SELECT * FROM arrow_scan_dumb(0, 0, 0)',
};

it('has a call for each function refused', () => {
  expect(Object.keys(CALLS).sort()).toEqual([...DENIED_FUNCTIONS.keys()].sort());
});

it.each(Object.entries(CALLS))('refuses SQL that calls %s, before it runs', async (name, call) => {
  const before = filesUnder(lake);
  await expect(engine.runReadOnlySql(call(day), 'your SQL')).rejects.toThrow(
    new RegExp(
      `^your SQL calls ${name}, which (changes DuckDB's state|runs SQL|reads memory).*: only a single read-only query runs`,
    ),
  );
  expect(filesUnder(lake)).toEqual(before);
});

it.each([
  // R-SQLBOX2's own: a UNION ALL beside another denied call.
  `SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false) UNION ALL SELECT 'x' FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`,
  // Hidden in a string given to query: query itself is refused.
  `FROM query('SELECT * FROM enable_logging(storage=''file'', storage_path=''DAY/zz.csv'', storage_normalize=false)')`,
  // Any case, schema or catalog prefix, quoted, in a subquery, a CTE, a lateral join, a lambda.
  `SELECT * FROM ENABLE_LOGGING(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `SELECT * FROM system.main."Enable_Logging"(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `SELECT (SELECT count(*) FROM main.enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false))`,
  `WITH l AS (SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)) SELECT * FROM l`,
  `SELECT * FROM activity_log, LATERAL (SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false))`,
  'SELECT list_transform([1], x -> setseed(0.1))',
  `SELECT 1 WHERE EXISTS (SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false))`,
  // DuckDB's DESCRIBE and SUMMARIZE of such a query bind it; EXPLAIN too, EXPLAIN ANALYZE runs it.
  `DESCRIBE SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `SUMMARIZE SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `EXPLAIN SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `EXPLAIN ANALYZE SELECT * FROM enable_logging(storage='file', storage_path='DAY/zz.csv', storage_normalize=false)`,
  `EXPLAIN ANALYZE FROM query('SELECT 1')`,
])('refuses %s, and no file appears', async (sql) => {
  const before = filesUnder(lake);
  await expect(engine.runReadOnlySql(sql.replaceAll('DAY', day), 'your SQL')).rejects.toThrow(
    /^your SQL calls \w+, which /i,
  );
  expect(filesUnder(lake)).toEqual(before);
});

it('still runs the functions that only read, and a column named as a denied function', async () => {
  const result = await engine.runReadOnlySql(
    "SELECT count(*) AS n, (SELECT count(*) FROM pragma_version()) AS v, (SELECT count(*) FROM range(2)) AS r FROM (SELECT 1 AS query, 'x' AS checkpoint) WHERE query = 1",
    'your SQL',
  );
  expect(result.rows).toEqual([{ n: 1, v: 1, r: 2 }]);
});
