import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbEngine } from '../../../../functions/adapters/duckdb-engine.ts';
import { type event, writeFixtureLake } from '../../../queries/support/lake-fixture.ts';

/** The rows `sql` (a query to dig further) gives on DuckDB over a lake on disk holding `events`. */
export async function digRowsOnDuckDb(sql: string, events: ReturnType<typeof event>[]) {
  const dir = await mkdtemp(join(tmpdir(), 'dig-further-'));
  try {
    await writeFixtureLake(dir, { events });
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      return (await engine.runSql(sql, [])).rows;
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
