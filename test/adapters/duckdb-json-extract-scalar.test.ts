import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("json_extract_scalar over raw on DuckDB, as Trino's (review R-DRIFT M3)", () => {
  it('reads a scalar, gives null for an object, an array, a missing path and a lone surrogate', async () => {
    dir = await mkdtemp(join(tmpdir(), 'duckdb-json-'));
    const raws = [
      '{"newField":"x","n":12,"meta":{"a":1},"tags":[1]}',
      '{"userName":"Bo \\ud83d","newField":"y"}',
    ];
    await writeFixtureLake(dir, {
      events: raws.map((raw, i) => event(`2026-10-05 10:00:0${i}.000`, { raw })),
    });
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      const result = await engine.runSql(
        `SELECT json_extract_scalar(raw, '$.newField') AS field, json_extract_scalar(raw, '$.n') AS n,
                json_extract_scalar(raw, '$.meta') AS meta, json_extract_scalar(raw, '$.tags') AS tags,
                json_extract_scalar(raw, '$.none') AS none
         FROM activity_log ORDER BY event_time`,
        [],
      );
      expect(result.rows).toEqual([
        { field: 'x', n: '12', meta: null, tags: null, none: null },
        { field: null, n: null, meta: null, tags: null, none: null },
      ]);
    } finally {
      await engine.close();
    }
  });
});
