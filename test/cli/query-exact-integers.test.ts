import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toQueryValue as athenaValue } from '../../functions/adapters/athena-engine.ts';
import { toQueryValue as duckdbValue } from '../../functions/adapters/duckdb-engine.ts';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { jsonOutput } from '../../functions/cli/json-output.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { queryInteger, queryIntegerText } from '../../functions/core/queries/query-integer.ts';
import { readRows } from '../../functions/core/report/query-row.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// 2^53 + 1 and beyond: a JS number rounds them (12345678901234567 reads as ...568).
const BIG = '12345678901234567';
const HUGE = '170141183460469231731687303715884105727';

describe('whole numbers past 2^53 keep every digit', () => {
  it('is a number up to ±(2^53 - 1) and a bigint past it, on both engines alike', () => {
    expect(queryInteger(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(queryInteger(-9_007_199_254_740_991n)).toBe(Number.MIN_SAFE_INTEGER);
    expect(queryInteger(9_007_199_254_740_992n)).toBe(9_007_199_254_740_992n);
    expect(queryInteger(-9_007_199_254_740_993n)).toBe(-9_007_199_254_740_993n);
    expect(duckdbValue(42n)).toBe(42);
    expect(duckdbValue(BigInt(BIG))).toBe(BigInt(BIG));
    expect(athenaValue('42', 'bigint')).toBe(42);
    expect(athenaValue(BIG, 'bigint')).toBe(BigInt(BIG));
    expect(athenaValue(`-${BIG}`, 'integer')).toBe(-BigInt(BIG));
    expect(queryIntegerText(' 7 ')).toBe(7);
  });

  it('JSON writes a bigint as its exact number literal; a string that looks like the stand-in stays a string', () => {
    const rows = [{ d: BigInt(BIG), neg: -BigInt(HUGE), n: 1, s: 'bigint5', t: `"bigint${BIG}"` }];
    const text = jsonOutput(rows);
    expect(text).toBe(
      `[\n  {\n    "d": ${BIG},\n    "neg": -${HUGE},\n    "n": 1,\n    "s": "bigint5",\n    "t": "\\"bigint${BIG}\\""\n  }\n]\n`,
    );
    expect(jsonOutput({ n: 1 })).toBe('{\n  "n": 1\n}\n');
  });

  it('the report reads a bigint as a number and as text', () => {
    const [row] = readRows('q', [{ n: BigInt(BIG) }]);
    expect(row?.count('n')).toBe(Number(BIG));
    expect(row?.text('n')).toBe(BIG);
  });

  describe('query --sql on DuckDB', () => {
    let lake: string;
    beforeAll(async () => {
      lake = await mkdtemp(join(tmpdir(), 'query-exact-'));
      await writeFixtureLake(lake, { events: [event('2026-11-17 09:00:00')] });
    });
    afterAll(async () => {
      await rm(lake, { recursive: true, force: true });
    });
    const sql = `SELECT ${BIG}::BIGINT AS d, ${HUGE}::HUGEINT AS h, sum(event_time_ms) + ${BIG} AS s, count(*) AS n FROM activity_log`;
    const run = async (format: string) => {
      const c = captureIo();
      const result = await queryCommand(['--sql', sql, '--lake', lake, '--format', format], {
        ...c.io,
        log: silentLog,
      });
      return { out: c.stdout(), row: result?.result.rows[0] };
    };
    // event_time_ms of 2026-11-17 09:00:00 UTC, plus BIG: past 2^53, so only a bigint holds it.
    const sum = (BigInt(Date.parse('2026-11-17T09:00:00Z')) + BigInt(BIG)).toString();

    it('in json, csv and the table, small counts staying numbers', async () => {
      const json = await run('json');
      expect(json.row).toEqual({ d: BigInt(BIG), h: BigInt(HUGE), s: BigInt(sum), n: 1 });
      expect(json.out).toContain(`"d": ${BIG},\n    "h": ${HUGE},\n    "s": ${sum},\n    "n": 1\n`);
      expect((await run('csv')).out).toBe(`d,h,s,n\r\n${BIG},${HUGE},${sum},1\r\n`);
      const table = (await run('table')).out.split('\n');
      expect(table[4]?.split(/\s+/)).toEqual([BIG, HUGE, sum, '1']);
    });
  });
});
