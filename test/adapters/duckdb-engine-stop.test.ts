import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { QueryCatalog } from '../../functions/core/queries/query-catalog.ts';

/**
 * A run's abort signal stops DuckDB's statement (a Ctrl-C of `query` or `report`): it used to run to
 * its end, minutes for a big lake. The statements below would run for hours unless interrupted.
 */
const ENDLESS_JOIN = 'range(1000000000) a, range(1000000000) b WHERE a.range + b.range = -1';

// On a connection of its own, as a catalog query that takes a time zone runs.
const SLOW = `-- slow: an endless join.
-- params: from_ts, time_zone
-- columns: n
SELECT count(*) AS n FROM ${ENDLESS_JOIN}
  AND CAST(? /* from_ts */ AS varchar) <> CAST(? /* time_zone */ AS varchar)`;

let dir: string;
const engines: DuckDbQueryEngine[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duckdb-stop-'));
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An engine of its own: SQL a user wrote locks the configuration a catalog query's zone sets. */
async function open(): Promise<DuckDbQueryEngine> {
  const engine = await openDuckDbEngine({ lakeDir: dir, queries: new QueryCatalog({ slow: SLOW }, 'test') });
  engines.push(engine);
  return engine;
}

/** A signal aborted with `reason` once the statement has had time to start. */
function abortedSoon(reason: string): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), 200);
  return controller.signal;
}

describe('DuckDB engine stopped by a signal', () => {
  it('stops SQL a user wrote, rejecting with the reason, and runs the next statement', async () => {
    const engine = await open();
    await expect(
      engine.runReadOnlySql(`SELECT count(*) AS n FROM ${ENDLESS_JOIN}`, 'your SQL', {
        signal: abortedSoon('SIGINT'),
      }),
    ).rejects.toBe('SIGINT');
    // The interrupt does not outlive the statement it stopped.
    expect((await engine.runSql('SELECT 1 AS n', [])).rows).toEqual([{ n: 1 }]);
  });

  it('stops a catalog query running on a connection of its own', async () => {
    const engine = await open();
    const params = { from_ts: '2026-11-01 00:00:00.000', time_zone: 'Europe/Paris' };
    await expect(engine.run('slow', params, { signal: abortedSoon('SIGTERM') })).rejects.toBe('SIGTERM');
  });

  it('starts nothing once the signal is aborted', async () => {
    const engine = await open();
    const controller = new AbortController();
    controller.abort('SIGHUP');
    await expect(engine.runSql('SELECT 1 AS n', [], 'query', { signal: controller.signal })).rejects.toBe(
      'SIGHUP',
    );
  });
});
