import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { TODAY_START as day0, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review verify5 #2: an `instance=` folder with an empty name (`quarantine/instance=/`, and
// `activity_log/instance=/` before it) matched no folder pattern, so it was neither an instance nor
// a stray folder, and plain verify passed while DuckDB's `instance=*` read its rows (with an empty
// instance). It is now a folder of a name no instance can have, in every table.

let lake: string;
dirPerTest('empty-instance-', async (made) => {
  lake = join(made, 'lake');
  expect((await todayLake(lake, { lastRun: true })).failures).toEqual([]);
});

const now = day0 + 11 * HOUR_MS;

/** An hour object in `<table>/instance=/`. */
async function plant(table: string): Promise<void> {
  const day = join(lake, table, 'instance=', 'dt=2026-12-01');
  await mkdir(day, { recursive: true });
  await writeFile(join(day, '2026-12-01T05.ndjson.gz'), 'not the ingest');
}

describe('verify: an instance folder with an empty name', () => {
  for (const table of ['quarantine', 'activity_log', 'coverage', 'state']) {
    it(`fails in ${table}/`, async () => {
      await plant(table);
      const { code, stdout } = await verifyAt(lake, now, []);
      expect(stdout).toContain(`  not an object of this lake: ${table}/instance=/\n`);
      expect(stdout).not.toContain('holds quarantined entries of an instance');
      expect(code).toBe(1);
    });
  }
});
