import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

// What the main DuckDB test leaves out: folders the views must not read, value types the catalog's
// queries do not produce (but `query --sql` can), and a damaged coverage file.
const dirs: string[] = [];
const engines: DuckDbQueryEngine[] = [];
async function newLake(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'duckdb-edges-'));
  dirs.push(dir);
  return dir;
}
async function open(dir: string): Promise<DuckDbQueryEngine> {
  const engine = await openDuckDbEngine({ lakeDir: dir });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('DuckDB engine views over folders holding no table file', () => {
  it('are empty, not an error, when the partition folders hold only other files', async () => {
    const dir = await newLake();
    // What a crashed write leaves (the store's temp file), and a folder outside the layout.
    const day = join(dir, 'activity_log', 'instance=default', 'dt=2026-10-05');
    await mkdir(day, { recursive: true });
    await writeFile(join(day, '.0123456789abcdef.tmp'), 'partial');
    const stray = join(dir, 'coverage', 'backup', 'dt=2026-10-05');
    await mkdir(stray, { recursive: true });
    await writeFile(join(stray, '2026-10-05T10.json'), '{}\n');
    const engine = await open(dir);
    for (const table of ['activity_log', 'coverage']) {
      expect((await engine.runSql(`SELECT count(*) AS n FROM ${table}`, [])).rows).toEqual([{ n: 0 }]);
    }
  });
});

describe('DuckDB engine views over hidden files', () => {
  // The store never lists names starting with "." (its temp and lock files), so neither `verify`
  // nor the digest chain sees them: a query reading one would count events no check vouches for.
  it('read no table file whose name starts with a dot, as verify does not list it', async () => {
    const dir = await newLake();
    await writeFixtureLake(dir, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
    const day = join(dir, 'activity_log', 'instance=default', 'dt=2026-10-05');
    const [stored] = (await readdir(day)).filter((name) => name.endsWith('.ndjson.gz'));
    const forged = join(dir, 'forged');
    await writeFixtureLake(forged, { events: [event('2026-10-05 10:06:00', { user_name: 'Mallory' })] });
    const forgedDay = join(forged, 'activity_log', 'instance=default', 'dt=2026-10-05');
    await writeFile(join(day, `.${stored}`), await readFile(join(forgedDay, `${stored}`)));
    const engine = await open(dir);
    const rows = (await engine.runSql('SELECT user_name FROM activity_log ORDER BY user_name', [])).rows;
    expect(rows).toEqual([{ user_name: 'Ada' }]);
  });

  it('are empty, not an error, when a partition holds only a hidden table file', async () => {
    const dir = await newLake();
    const source = join(dir, 'source');
    await writeFixtureLake(source, { events: [event('2026-10-05 10:06:00', { user_name: 'Mallory' })] });
    const sourceDay = join(source, 'activity_log', 'instance=default', 'dt=2026-10-05');
    const [stored] = await readdir(sourceDay);
    const lake = join(dir, 'lake');
    const day = join(lake, 'activity_log', 'instance=default', 'dt=2026-10-05');
    await mkdir(day, { recursive: true });
    await writeFile(join(day, `.${stored}`), await readFile(join(sourceDay, `${stored}`)));
    const engine = await open(lake);
    expect((await engine.runSql('SELECT count(*) AS n FROM activity_log', [])).rows).toEqual([{ n: 0 }]);
  });
});

describe('DuckDB engine views over symbolic links', () => {
  // The lake's store lists no link below a top folder (verify fails on one): a view following a
  // linked day folder or file, as DuckDB's glob does, counted events no check vouched for.
  const week = standardParams({
    instance: 'default',
    fromMs: Date.parse('2026-10-05T00:00:00Z'),
    toMs: Date.parse('2026-10-12T00:00:00Z'),
  });
  async function lakeWithLinks(): Promise<string> {
    const dir = await newLake();
    await writeFixtureLake(dir, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
    const forged = join(dir, 'forged');
    await writeFixtureLake(forged, {
      events: [
        event('2026-10-06 10:06:00', { user_name: 'Mallory' }),
        event('2026-10-05 11:06:00', { user_name: 'Mallory' }),
      ],
    });
    const instance = join(dir, 'activity_log', 'instance=default');
    const forgedInstance = join(forged, 'activity_log', 'instance=default');
    await symlink(join(forgedInstance, 'dt=2026-10-06'), join(instance, 'dt=2026-10-06'));
    const [hour] = await readdir(join(forgedInstance, 'dt=2026-10-05'));
    await symlink(
      join(forgedInstance, 'dt=2026-10-05', `${hour}`),
      join(instance, 'dt=2026-10-05', 'zz.ndjson.gz'),
    );
    return dir;
  }

  it('read neither a linked day folder nor a linked file, whole lake or days', async () => {
    const engine = await open(await lakeWithLinks());
    const rows = (await engine.runSql('SELECT user_name FROM activity_log', [])).rows;
    expect(rows).toEqual([{ user_name: 'Ada' }]);
    expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 1 });
  });

  it.runIf(process.platform !== 'win32')(
    'read no FIFO named as a table file, nor wait on it',
    { timeout: 20_000 },
    async () => {
      // DuckDB's glob lists regular files and folders only, so a FIFO named as an hour file, which
      // an open would wait on for ever, is not read: kept so an engine upgrade cannot change that.
      const dir = await newLake();
      await writeFixtureLake(dir, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
      execFileSync('mkfifo', [
        join(dir, 'activity_log', 'instance=default', 'dt=2026-10-05', 'zz.ndjson.gz'),
      ]);
      const engine = await open(dir);
      const rows = (await engine.runSql('SELECT user_name FROM activity_log', [])).rows;
      expect(rows).toEqual([{ user_name: 'Ada' }]);
      expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 1 });
    },
  );

  it('read a table folder that is a link, and a lake whose root is one: those move the lake', async () => {
    const dir = await newLake();
    const lake = join(dir, 'lake');
    await writeFixtureLake(join(dir, 'real'), { events: [event('2026-10-05 10:05:00')] });
    await mkdir(lake);
    await rename(join(dir, 'real', 'activity_log'), join(dir, 'moved'));
    await symlink(join(dir, 'moved'), join(lake, 'activity_log'));
    await symlink(lake, join(dir, 'root-link'));
    for (const root of [lake, join(dir, 'root-link')]) {
      const engine = await open(root);
      expect((await engine.runSql('SELECT count(*) AS n FROM activity_log', [])).rows).toEqual([{ n: 1 }]);
      expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 1 });
    }
  });
});

describe('DuckDB engine values', () => {
  it('reads second and millisecond timestamps, floats, and other types by their own name', async () => {
    const engine = await open(await newLake());
    const result = await engine.runSql(
      `SELECT CAST(TIMESTAMP '2026-10-05 10:00:07.250' AS TIMESTAMP_S) AS s,
              CAST(TIMESTAMP '2026-10-05 10:00:07.250' AS TIMESTAMP_MS) AS ms,
              CAST(1.5 AS float) AS f, [1, 2] AS list`,
      [],
    );
    expect(result.rows).toEqual([
      { s: '2026-10-05 10:00:07.000', ms: '2026-10-05 10:00:07.250', f: 1.5, list: '[1, 2]' },
    ]);
    expect(result.columns).toEqual([
      { name: 's', type: 'timestamp' },
      { name: 'ms', type: 'timestamp' },
      { name: 'f', type: 'double' },
      { name: 'list', type: 'integer[]' },
    ]);
  });
});

describe('DuckDB engine lifecycle', () => {
  it('loads no extension on its own', async () => {
    const engine = await open(await newLake());
    const { rows } = await engine.runSql(
      "SELECT current_setting('autoload_known_extensions') AS autoload",
      [],
    );
    expect(rows).toEqual([{ autoload: false }]);
  });

  it('names a coverage file that is not JSON as damaged, without its trailing full stop', async () => {
    const dir = await newLake();
    await writeFixtureLake(dir, {
      coverage: [manifest('2026-10-05 10:00')],
      events: [event('2026-10-05 10:00:00')],
    });
    const [file] = (await readdir(join(dir, 'coverage'), { recursive: true })).filter((f) =>
      f.endsWith('.json'),
    );
    await writeFile(join(dir, 'coverage', file as string), 'not json\n');
    const engine = await open(dir);
    await expect(engine.runSql('SELECT count(*) AS n FROM coverage', [])).rejects.toThrow(
      /^Invalid Input Error: Malformed JSON in file ".*\.json".*[^.]: that object of the lake is damaged or was not written by this tool; verify --integrity/,
    );
  });
});

describe('DuckDB engine lambdas', () => {
  it("takes Trino's `x -> …` spelling explicitly, which DuckDB stops taking by default from 2.0", async () => {
    const engine = await open(await newLake());
    const setting = "SELECT current_setting('lambda_syntax') AS syntax";
    expect((await engine.runSql(setting, [])).rows).toEqual([{ syntax: 'ENABLE_SINGLE_ARROW' }]);
    const sql = "SELECT array_to_string(filter(split('a,,b', ','), part -> part <> ''), '|') AS parts";
    expect((await engine.runSql(sql, [])).rows).toEqual([{ parts: 'a|b' }]);
  });
});
