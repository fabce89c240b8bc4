import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  heldBytesMessage,
  queryRowCeiling,
  queryRowLimits,
  rowCeilingMessage,
} from '../../functions/cli/query-row-ceiling.ts';
import { MAX_LISTED_ROWS } from '../../functions/core/queries/query-params.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { runNodeChild } from '../support/node-child.ts';

/**
 * `query` holds a query's rows in memory, then writes them as one text. max_rows takes up to
 * 10,000,000, and a query of that many rows read them all and died of V8's out-of-memory error:
 * fatal, uncaught, no word of what to do (review IR, stop 81). The engine now reads no more rows
 * than the heap holds, and the command says so and how to ask for fewer.
 */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-row-ceiling-'));
  await writeFixtureLake(lake, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
});
afterAll(() => rm(lake, { recursive: true, force: true }));

describe("query reads no more rows than node's heap holds", () => {
  it('follows the heap, never below 1,000 rows nor above what max_rows asks', () => {
    expect(queryRowCeiling('csv', 4_144_000_000)).toBe(1_011_000);
    expect(queryRowCeiling('csv', 8_288_000_000)).toBe(2_047_000);
    expect(queryRowCeiling('csv', 64_000_000_000)).toBe(MAX_LISTED_ROWS);
    expect(queryRowCeiling('json', 50_000_000)).toBe(1_000);
    // JSON's and a table's rows take more at their peak (JSON's copy and longer text; a table's
    // padded cells and fitted lines): at CSV's ceiling both died of V8's out-of-memory error.
    expect(queryRowCeiling('json', 4_144_000_000)).toBe(505_500);
    expect(queryRowCeiling('table', 4_144_000_000)).toBe(337_000);
    expect(queryRowCeiling(undefined, 4_144_000_000)).toBe(505_500);
  });

  it('names the ceiling, the heap, and the ways to fewer rows or more heap', () => {
    expect(rowCeilingMessage('query user_activity', 1_011_000, 'csv', 4_144_000_000)).toBe(
      "query user_activity has more than 1,011,000 rows, the most query holds in node's 4,144 MB heap (about 4,000 bytes a row of csv): nothing past them was read, and nothing was written. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part; for --sql a LIMIT or a narrower WHERE; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=8188 for twice as many",
    );
  });

  it('tells a table or JSON of more rows than they hold that CSV holds more', () => {
    expect(rowCeilingMessage('your SQL', 337_000, 'table', 4_144_000_000)).toMatch(
      /^your SQL has more than 337,000 rows, .*heap \(about 12,000 bytes a row of table\): .*; or --format csv, which holds more; or give node more heap, e\.g\. NODE_OPTIONS=--max-old-space-size=8188 for twice as many$/,
    );
    expect(rowCeilingMessage('your SQL', 505_500, 'json', 4_144_000_000)).toMatch(
      /\(about 8,000 bytes a row of json\): .*; or --format csv, which holds more; .*=8188 for/,
    );
  });

  it('stops a query of more rows than a small heap holds with that message, not a V8 crash', async () => {
    // 3,000,000 rows of 300 characters (~1 GB held as rows) in a heap of 200 MB: read whole, the
    // process died "JavaScript heap out of memory" (exit 134, or killed by SIGABRT).
    const { exit, out, err } = await queryInSmallHeap(
      "SELECT range AS n, repeat('x', 300) AS t FROM range(3000000)",
      'csv',
    );
    expect(err).not.toMatch(/heap out of memory/i);
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toMatch(
      /^error: your SQL has more than [\d,]+ rows, the most query holds in node's [\d,]+ MB heap .*nothing past them was read, and nothing was written\. Ask for fewer: /m,
    );
    // The old space, 200 MiB, on either Node: not the heap limit (Node 20: 260 MB; Node 24: 411).
    expect(err).toContain("your SQL has more than 27,428 rows, the most query holds in node's 210 MB heap");
    expect(out).toBe('');
  }, 240_000);

  it('bounds the bytes of values too: a narrow row counts as its share of the row ceiling', () => {
    // 4,044 MB after the command's own, at 4 bytes of heap a byte of values.
    expect(queryRowLimits('csv', 4_144_000_000)).toEqual({
      maxRows: 1_011_000,
      maxBytes: 1_011_000_000,
      leastRowBytes: 1_000,
    });
    expect(queryRowLimits('table', 4_144_000_000)).toEqual({
      maxRows: 337_000,
      maxBytes: 1_011_000_000,
      leastRowBytes: 3_000,
    });
    // The row ceiling's floor of 1,000 rows holds in bytes too.
    expect(queryRowLimits('json', 50_000_000)).toEqual({
      maxRows: 1_000,
      maxBytes: 2_000_000,
      leastRowBytes: 2_000,
    });
  });

  it('names the bytes, the heap, and the ways to fewer or narrower rows or more heap', () => {
    expect(heldBytesMessage('your SQL', 1_011_000_000, 9_871, 4_144_000_000)).toBe(
      "your SQL has rows wider than query holds in node's 4,144 MB heap: its first 9,871 rows hold more than 1,011 MB of values (about 4 bytes of heap each, held and written): nothing past them was read, and nothing was written. Ask for fewer or narrower rows: for --sql select only the columns you need (raw, an event's whole entry, is the widest) or fewer rows (a LIMIT, a narrower WHERE); for a catalog query a lower --param max_rows, or a shorter period (--from, --to) run once per part; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=8188 for twice as many",
    );
  });

  it('stops rows of 100,000 characters below the row ceiling with that message, not a V8 crash', async () => {
    // 1,200 rows of 100,000 characters (120 MB of text) in a heap of 200 MB, far below its row
    // ceiling (some 27,000 of CSV): read whole, the process died "JavaScript heap out of memory",
    // in every format, as did 900 rows.
    const { exit, out, err } = await queryInSmallHeap(
      "SELECT range AS n, repeat('x', 100000) AS raw FROM range(1200)",
      'csv',
    );
    expect(err).not.toMatch(/heap out of memory/i);
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toMatch(
      /^error: your SQL has rows wider than query holds in node's [\d,]+ MB heap: its first [\d,]+ rows hold more than [\d,]+ MB of values .*nothing past them was read, and nothing was written\. Ask for fewer or narrower rows: /m,
    );
    expect(err).toContain("rows wider than query holds in node's 210 MB heap");
    expect(err).toContain('rows hold more than 27 MB of values');
    expect(out).toBe('');
  }, 240_000);

  it("stops a table at its own ceiling: at JSON's and CSV's one, V8 ran out of heap", async () => {
    // As many rows as a CSV may hold in this heap, each of 23 columns of ~330 characters (as
    // user_activity's): CSV and JSON wrote them; the table died "JavaScript heap out of memory".
    // CSV's ceiling, 4,000 bytes a row after 100 MB, which every format had.
    const rows = Math.floor((SMALL_HEAP_HOLDS - 100_000_000) / 4_000);
    const { exit, out, err } = await queryInSmallHeap(userActivityLikeRows(rows), 'table');
    expect(err).not.toMatch(/heap out of memory/i);
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toMatch(/^error: your SQL has more than [\d,]+ rows, .* a row of table\): /m);
    expect(out).toBe('');
  }, 240_000);
});

/** 23 columns of about 330 characters in all, `n` rows, as user_activity's. */
const userActivityLikeRows = (n: number): string =>
  `SELECT TIMESTAMP '2026-10-05 10:05:00' + to_seconds(range) AS event_time, CAST(1000000+range AS VARCHAR) AS user_id, 'Maria Admin ' || range AS user_name, CAST(2000000+range AS VARCHAR) AS actor_id, 'Someone Else' AS actor_name, 'VIEWED' AS action_type, 'Maria Admin viewed card Revenue by region ' || range AS event_text, 'CARD' AS object_type, CAST(3000000+range AS VARCHAR) AS object_id, 'Revenue by region and quarter' AS object_name, 'some additional comment text here' AS additional_comment, '203.0.113.' || (range % 250) AS ip_address, 'DE' AS country, 'AS3320' AS asn, 'Deutsche Telekom AG' AS org, 'SSO' AS authentication_method, 'content' AS category, 'evt-' || md5(CAST(range AS VARCHAR)) AS event_id, range AS n1, 'main' AS instance, DATE '2026-10-05' AS dt, 'Mozilla/5.0 (X11; Linux x86_64)' AS user_agent, range * 2 AS total_rows FROM range(${n})`;

const SMALL_HEAP = '--max-old-space-size=200';

/**
 * The heap the bounds count on with {@link SMALL_HEAP}: its old space, 200 MiB, on Node 20 as on
 * Node 24 (whose heap_size_limit, 411 MB, adds a young reserve sized from the machine).
 */
const SMALL_HEAP_HOLDS = 200 * 2 ** 20;

const queryInSmallHeap = (sql: string, format: string) =>
  run([
    SMALL_HEAP,
    resolve('bin/domo-activity-lake.js'),
    'query',
    '--sql',
    sql,
    '--format',
    format,
    '--lake',
    lake,
  ]);

const run = (args: string[]) => runNodeChild(args);
