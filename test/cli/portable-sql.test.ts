import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { portabilityWarnings } from '../../functions/cli/portable-sql.ts';
import { RECENT_ALERTS_SQL } from '../../infra/constructs/alerts.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// SQL that runs on DuckDB locally answered otherwise on Athena, silently, or not at all (review
// R-ANALYST H1): query --sql warns of the known cases, and runs the SQL all the same.
const PITFALLS: [string, RegExp][] = [
  ['SELECT 1/2 AS half', /^a whole number divided by a whole number/],
  ["SELECT count(*) / 7 AS per_day FROM activity_log WHERE dt >= '2026-11-01'", /whole number divided/],
  ['SELECT count(DISTINCT user_id) / count(*) FROM activity_log', /whole number divided/],
  [
    "SELECT date_diff('day', TIMESTAMP '2026-11-01 23:00:00', TIMESTAMP '2026-11-02 01:00:00')",
    /^date_diff counts the boundaries crossed on DuckDB/,
  ],
  ["SELECT regexp_replace(object_name, '-', '_') FROM activity_log", /^regexp_replace replaces the first/],
  [
    "SELECT count(*) FROM activity_log WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)",
    /^current_date - INTERVAL '7' DAY is a timestamp on DuckDB/,
  ],
  ['SELECT user, count(*) FROM activity_log GROUP BY 1', /^user is no column of the lake/],
  ['SELECT category, count(*) FROM activity_log GROUP BY ALL', /^GROUP BY ALL and ORDER BY ALL/],
  ["SELECT * FROM activity_log WHERE object_name ILIKE '%forecast%'", /^ILIKE is DuckDB only/],
  ["FROM activity_log WHERE dt = '2026-11-27'", /^a query that begins with FROM/],
  ['SELECT event_time::date AS day FROM activity_log', /^x::type is DuckDB only/],
  // Review R-SQLBOX M2: the lake's integer columns, their sums, a timestamp against a text, datediff.
  ['SELECT sum(event_count) / count(*) FROM coverage', /whole number divided/],
  ['SELECT event_time_ms / 1000 AS s FROM activity_log', /whole number divided/],
  ['SELECT 2 * count(*) / 7 FROM activity_log', /whole number divided/],
  [
    "SELECT count(*) FROM activity_log WHERE event_time >= '2026-11-27 00:00:00'",
    /^a timestamp compared with a text/,
  ],
  [
    "SELECT count(*) FROM coverage c WHERE c.window_start BETWEEN '2026-11-27' AND '2026-11-28'",
    /^a timestamp compared/,
  ],
  [
    "SELECT datediff('day', TIMESTAMP '2026-11-01 23:00:00', TIMESTAMP '2026-11-02 01:00:00')",
    /^datediff is DuckDB's name only/,
  ],
  ["SELECT date_diff('month', DATE '2026-01-31', DATE '2026-02-01')", /^date_diff counts the boundaries/],
  // Review R-ANALYST3 M3: the weekday, and an id or a number compared with the other type.
  [
    'SELECT extract(dow FROM event_time) AS wd, count(*) FROM activity_log GROUP BY 1',
    /^extract\(dow \.\.\.\) is 0/,
  ],
  ['SELECT EXTRACT(DAYOFWEEK FROM event_time) FROM activity_log', /^extract\(dow/],
  ['SELECT dayofweek(event_time), isodow(event_time) FROM activity_log', /^extract\(dow/],
  ['SELECT count(*) FROM activity_log WHERE user_id = 1084327979', /^a text column compared with a number/],
  ['SELECT count(*) FROM activity_log a WHERE 1084327979 = a.actor_id', /^a text column compared/],
  ['SELECT count(*) FROM activity_log WHERE object_id IN (-1, 2)', /^a text column compared/],
  ["SELECT count(*) FROM activity_log WHERE ip_asn = '16509'", /^a text column compared/],
  ["SELECT count(*) FROM activity_log WHERE ip_asn NOT IN ('16509')", /^a text column compared/],
];

const PORTABLE = [
  'SELECT 1.0/2 AS half, CAST(count(*) AS double) / 7 AS per_day, sum(event_count) / 24.0 FROM coverage',
  // A product with a decimal first divides a decimal (review R-SQLBOX M2's false alarms).
  'SELECT 1.0 * count(*) / 7, 100.0 * count(*) / count(DISTINCT user_id) FROM activity_log',
  "SELECT date_diff('day', DATE '2026-11-01', CAST(dt AS date)), date_diff('DAY', current_date, DATE '2026-12-01')",
  "SELECT count(*) FROM activity_log WHERE event_time >= TIMESTAMP '2026-11-27 00:00:00' AND dt >= '2026-11-27'",
  'SELECT user_id, event_time_ms_x / 2, event_count_total / 3, avg(event_count) FROM activity_log',
  'SELECT user_id, user_name, a.user_type, "user" FROM activity_log a WHERE object_name LIKE \'%1/2%\'',
  '-- 1/2, user, GROUP BY ALL, ILIKE, ::\nSELECT /* FROM x::y */ count(*) FROM activity_log',
  "SELECT count(*) FROM activity_log WHERE dt >= CAST(CAST(current_date - INTERVAL '7' DAY AS date) AS varchar)",
  "SELECT replace(object_name, '-', '_') AS name, count(*) AS n FROM activity_log GROUP BY 1 ORDER BY 2",
  'SELECT day_of_week(event_time), (extract(dow FROM event_time) + 6) % 7 FROM activity_log',
  "SELECT (EXTRACT(DOW FROM at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')) + 6) % 7 FROM activity_log",
  "SELECT count(*) FROM activity_log WHERE user_id = '1084327979' AND ip_asn = 16509 AND event_count2 = 3",
  "SELECT count(*) FROM activity_log WHERE user_id IN ('1', '2') AND window_start_ms >= 1764000000000 AND length(user_id) = 10",
];

describe('the known pitfalls of SQL for both engines', () => {
  it('are each found, with what to write instead', () => {
    for (const [sql, advice] of PITFALLS) {
      const found = portabilityWarnings(sql);
      expect(found, sql).toHaveLength(1);
      expect(found[0], sql).toMatch(advice);
    }
  });

  it('are not found in their portable spellings, comments or strings', () => {
    for (const sql of PORTABLE) expect(portabilityWarnings(sql), sql).toEqual([]);
  });

  it('are looked for in time linear in the SQL, however many blanks it holds', () => {
    // A look-behind over blanks read back over the whole run at every position: 200 KB of
    // blanks took over a minute, on --athena too (review R-SQLBOX2 L2). Returning is the test.
    const blanks = ' '.repeat(200_000);
    expect(portabilityWarnings(`SELECT 1${blanks};`)).toEqual([]);
    expect(portabilityWarnings(`SELECT a AS${blanks}user`)).toEqual([]);
    expect(portabilityWarnings(`SELECT 1${blanks}/ 2`)).toHaveLength(1);
  });

  it("are not found in the catalog's SQL nor in the docs' recipes", () => {
    const catalog = readdirSync('functions/queries')
      .filter((name) => name.endsWith('.sql'))
      .map((name) => readFileSync(join('functions/queries', name), 'utf8'));
    const recipes = ['README.md', ...readdirSync('docs').map((name) => join('docs', name))]
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) => docRecipes(readFileSync(file, 'utf8')));
    expect(catalog.length).toBeGreaterThan(10);
    expect(recipes.length).toBeGreaterThan(15);
    for (const sql of [...catalog, ...recipes, RECENT_ALERTS_SQL]) {
      expect(portabilityWarnings(sql), sql).toEqual([]);
    }
  });
});

/**
 * The SQL of the docs: their ```sql blocks, each --sql "..." (in a block or in the text) and each
 * shell variable a block sets to a SELECT for --sql "$Q".
 */
function docRecipes(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const flags = [...markdown.matchAll(/--sql "([^"$]+)"/g)].map((m) => m[1] ?? '');
  const variables = [...markdown.matchAll(/^\s*\w+="(SELECT [^"]*)"/gm)].map((m) => m[1] ?? '');
  return [...blocks, ...flags, ...variables];
}

describe('query --sql', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portable-sql-'));
    await writeFixtureLake(join(dir, 'lake'), { events: [event('2026-10-05 10:00:00')] });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('warns of a pitfall on stderr and still runs the SQL', async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await main(
      ['query', '--lake', join(dir, 'lake'), '--sql', 'SELECT 1/2 AS half', '--format', 'csv'],
      io,
    );
    expect(code, stderr()).toBe(0);
    expect(stdout()).toBe('half\r\n0.5\r\n');
    expect(stderr()).toMatch(
      /^warning: DuckDB and Athena differ: a whole number divided by a whole number \(1\/2, count\(\*\)\/7\) divides exactly on DuckDB \(1\/2 is 0\.5\) but keeps the whole part on Athena \(0\).*\(docs\/queries\.md, Portable SQL\)\n/,
    );
  });

  it("gives Athena's day_of_week on DuckDB: 1 for a Monday, as the portable extract", async () => {
    const { io, stdout, stderr } = captureIo();
    const sql =
      'SELECT day_of_week(event_time) AS iso, (extract(dow FROM event_time) + 6) % 7 AS monday_0 FROM activity_log';
    expect(await main(['query', '--lake', join(dir, 'lake'), '--sql', sql, '--format', 'csv'], io)).toBe(0);
    expect(stdout()).toBe('iso,monday_0\r\n1,0\r\n');
    expect(stderr()).not.toMatch(/warning: DuckDB and Athena differ/);
  });

  it('says nothing of SQL that has none', async () => {
    const { io, stderr } = captureIo();
    const sql = "SELECT count(*) AS n FROM activity_log WHERE instance = 'default' AND dt = '2026-10-05'";
    expect(await main(['query', '--lake', join(dir, 'lake'), '--sql', sql, '--format', 'csv'], io)).toBe(0);
    expect(stderr()).not.toMatch(/warning/);
  });
});
