import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('DuckDB engine over a lake whose path has an apostrophe', () => {
  it("reads the lake's rows: the path is quoted as data in the view SQL", async () => {
    const parent = await mkdtemp(join(tmpdir(), 'duckdb-quote-'));
    dirs.push(parent);
    const lakeDir = join(parent, "o'brien", 'lake');
    await writeFixtureLake(lakeDir, { events: [event('2026-10-05 10:00:00'), event('2026-10-05 11:00:00')] });
    const engine = await openDuckDbEngine({ lakeDir });
    try {
      const { rows } = await engine.runSql(
        'SELECT count(*) AS n, max(instance) AS instance FROM activity_log',
        [],
      );
      expect(rows).toEqual([{ n: 2, instance: 'default' }]);
    } finally {
      await engine.close();
    }
  });
});
