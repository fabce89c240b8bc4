import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A lake at `<temp>/<name>/lake` with two events and one coverage manifest. */
async function lakeNamed(name: string): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'duckdb-path-'));
  dirs.push(parent);
  const lakeDir = join(parent, name, 'lake');
  await writeFixtureLake(lakeDir, {
    events: [event('2026-10-05 10:00:00'), event('2026-10-05 11:00:00')],
    coverage: [manifest('2026-10-05 10:00', { event_count: 1 })],
  });
  return lakeDir;
}

describe('DuckDB engine over a lake whose path has characters SQL or globs treat specially', () => {
  // The path goes into the view SQL as a quoted string (' doubled) and as a file pattern, where
  // DuckDB reads *, ? and [ as wildcards: `lake[1]` found no file, `la?ke` misread its gzip files.
  it.each(["o'brien", 'lake[1]', 'la?ke', 'x*y', "it's [a]?*"])('reads the rows under %s', async (name) => {
    const engine = await openDuckDbEngine({ lakeDir: await lakeNamed(name) });
    try {
      const events = await engine.runSql(
        'SELECT count(*) AS n, max(instance) AS instance FROM activity_log',
        [],
      );
      expect(events.rows).toEqual([{ n: 2, instance: 'default' }]);
      const coverage = await engine.runSql('SELECT count(*) AS n, max(dt) AS dt FROM coverage', []);
      expect(coverage.rows).toEqual([{ n: 1, dt: '2026-10-05' }]);
    } finally {
      await engine.close();
    }
  });

  it.each([
    ['lake[1]', 'lake1'],
    ['x*y', 'x-and-y'],
    ['la?ke', 'laxke'],
  ])('reads only %s, not the sibling %s its name matches as a pattern', async (name, sibling) => {
    const lakeDir = await lakeNamed(name);
    await writeFixtureLake(join(lakeDir, '..', '..', sibling, 'lake'), {
      events: [event('2026-10-06 10:00:00')],
    });
    const engine = await openDuckDbEngine({ lakeDir });
    try {
      const { rows } = await engine.runSql('SELECT count(*) AS n FROM activity_log', []);
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await engine.close();
    }
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a path with a backslash, saying how to go on',
    async () => {
      const lakeDir = await lakeNamed('a\\b');
      await expect(openDuckDbEngine({ lakeDir })).rejects.toThrow(
        /DuckDB cannot read a lake under .*a\\b.*backslash.*move the lake to a path without one/,
      );
    },
  );
});
