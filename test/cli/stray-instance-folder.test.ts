import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { TODAY_START as day0, TODAY, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// R-TAMPER: an `instance=Main/` folder (no instance can have that name) made status fail whole
// ("instance name "Main" is not valid") and verify refuse to run, while a local query over every
// instance read its rows and no command checked it.

let lake: string;
const STRAY = 'activity_log/instance=Main/';
beforeAll(async () => {
  lake = join(await mkdtemp(join(tmpdir(), 'stray-instance-')), 'lake');
  expect((await todayLake(lake, { lastRun: true })).failures).toEqual([]);
  const day = join(lake, 'activity_log', 'instance=Main', 'dt=2026-12-02');
  await mkdir(day, { recursive: true });
  await writeFile(join(day, '2026-12-02T03.ndjson.gz'), 'not the ingest');
});
afterAll(async () => rm(join(lake, '..'), { recursive: true, force: true }));

describe('a folder no instance can have in the lake', () => {
  it('verify checks the instance and names the folder as no object of the lake, exit 1', async () => {
    const { code, stdout } = await verifyAt(lake, day0 + 11 * HOUR_MS, TODAY);
    expect(code).toBe(1);
    expect(stdout).toContain(`  not an object of this lake: ${STRAY}\n`);
    expect(stdout).toContain('hours covered: 10 of 10');
  });

  it('status shows the instance and a note naming the folder', async () => {
    const { io, stdout } = captureIo();
    const code = await main(['status', '--lake', lake], { ...io, clock: { now: () => day0 + 11 * HOUR_MS } });
    expect(code).toBe(0);
    const text = stdout().replace(/\s+/g, ' ');
    expect(text).toContain('acme');
    expect(text).toContain(
      `${STRAY} is no instance of this lake (an instance name is lower-case letters, digits, "-" and "_"): verify fails on it and no instance's query or report reads it, but a local query over every instance reads what it holds, under the folder's own name; move it out of the lake`,
    );
  });
});

// R-TAMPER3 F2: DuckDB's hive partitioning decoded `%xx` in folder names, so the rows of
// `instance=%61cme/` read as `acme`: a query or report of `acme` counted them, while status said no
// command read the folder. The views take the folder's name as it stands now.
describe('a folder whose name is an instance name escaped', () => {
  let escaped: string;
  const ESCAPED = 'activity_log/instance=%61cme/';
  beforeAll(async () => {
    escaped = join(await mkdtemp(join(tmpdir(), 'escaped-instance-')), 'lake');
    expect((await todayLake(escaped, { lastRun: true })).failures).toEqual([]);
    const day = join('dt=2026-12-02', '2026-12-02T03.ndjson.gz');
    await mkdir(join(escaped, ESCAPED, 'dt=2026-12-02'), { recursive: true });
    await copyFile(join(escaped, 'activity_log', 'instance=acme', day), join(escaped, ESCAPED, day));
  });
  afterAll(async () => rm(join(escaped, '..'), { recursive: true, force: true }));

  it("reads as the folder's own name, not as the instance, in a local query", async () => {
    const engine = await openDuckDbEngine({ lakeDir: escaped });
    try {
      const { rows } = await engine.runSql(
        'SELECT instance, count(*) AS n FROM activity_log GROUP BY ALL ORDER BY ALL',
        [],
      );
      expect(rows).toEqual([
        { instance: '%61cme', n: 1 },
        { instance: 'acme', n: 10 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('status names it with a note that says what reads it', async () => {
    const { io, stdout } = captureIo();
    const code = await main(['status', '--lake', escaped], {
      ...io,
      clock: { now: () => day0 + 11 * HOUR_MS },
    });
    expect(code).toBe(0);
    expect(stdout().replace(/\s+/g, ' ')).toContain(
      `${ESCAPED} is no instance of this lake (an instance name is lower-case letters, digits, "-" and "_"): verify fails on it and no instance's query or report reads it, but a local query over every instance reads what it holds, under the folder's own name; move it out of the lake`,
    );
  });

  it('verify fails on it, naming it', async () => {
    const { code, stdout } = await verifyAt(escaped, day0 + 11 * HOUR_MS, TODAY);
    expect(code).toBe(1);
    expect(stdout).toContain(`  not an object of this lake: ${ESCAPED}\n`);
  });
});
