import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { QueryCatalog } from '../../functions/core/queries/query-catalog.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { event, login, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

// A bounded catalog query lists the files of its days only: on a lake of years, DuckDB's glob over
// every hour file of every day at each query was most of a report's time, hive pruning or not.
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const week = standardParams({
  instance: 'default',
  fromMs: Date.parse('2026-10-05T00:00:00Z'),
  toMs: Date.parse('2026-10-12T00:00:00Z'),
});

/** Writes text that is not gzip where the ingest would write the hour's events of `dt`. */
async function damage(dir: string, dt: string, instance = 'default'): Promise<void> {
  const day = join(dir, 'activity_log', `instance=${instance}`, `dt=${dt}`);
  await mkdir(day, { recursive: true });
  await writeFile(join(day, `${dt}T03.ndjson.gz`), 'not gzip');
}

async function lakeOfOneWeek(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'duckdb-dates-'));
  dirs.push(dir);
  await writeFixtureLake(dir, {
    events: [
      event('2026-10-05 10:00:00'),
      login('2026-10-06 09:00:00', 'login'),
      // History of the suspicious logins (30 days before the period) and trending cards' previous week.
      login('2026-09-20 09:00:00', 'login'),
      event('2026-09-30 10:00:00'),
    ],
  });
  return dir;
}

describe('DuckDB engine: a catalog query reads the days its dt conditions allow', () => {
  it('is not stopped by a damaged file of a day before them, which ad hoc SQL still reads', async () => {
    const dir = await lakeOfOneWeek();
    await damage(dir, '2025-01-01');
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 2, logins: 1 });
      expect((await engine.run('login_history', week)).rows).toEqual([
        { users: 1, short_history_users: 1, short_placed_history_users: 1 },
      ]);
      expect((await engine.run('trending_cards', week)).rows).toMatchObject([
        { views: 1, previous_views: 1 },
      ]);
      expect((await engine.run('latest_events', week)).rows).toHaveLength(2);
      expect((await engine.run('data_health', week)).rows[0]).toMatchObject({ events: 2 });
      await expect(engine.runSql('SELECT count(*) FROM activity_log', [])).rejects.toThrow(
        /Input is not a GZIP stream: .*dt=2025-01-01.*that object of the lake is damaged/,
      );
    } finally {
      await engine.close();
    }
  });

  it('reads the whole of them: the history and previous period, and every day after an open start', async () => {
    const dir = await lakeOfOneWeek();
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      // Listed at each query: files written since the engine opened are read too.
      await damage(dir, '2026-09-06');
      await expect(engine.run('suspicious_logins', week)).rejects.toThrow(/GZIP/);
      await expect(engine.run('login_history', week)).rejects.toThrow(/GZIP/);
      expect((await engine.run('trending_cards', week)).rows).toHaveLength(1);
      await damage(dir, '2026-09-28');
      await expect(engine.run('trending_cards', week)).rejects.toThrow(/GZIP/);
      expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 2 });
      await damage(dir, '2027-06-01', 'other');
      await expect(engine.run('latest_events', week)).rejects.toThrow(/GZIP/);
      expect((await engine.run('period_totals', week)).rows[0]).toMatchObject({ events: 2 });
    } finally {
      await engine.close();
    }
  });

  it('gives a day holding no file of the table an empty view of the same columns', async () => {
    const dir = await lakeOfOneWeek();
    await damage(dir, '2025-01-01');
    const engine = await openDuckDbEngine({ lakeDir: dir });
    try {
      const empty = { ...week, from_dt: '2026-01-05', to_dt: '2026-01-11' };
      expect((await engine.run('period_totals', empty)).rows[0]).toMatchObject({ events: 0 });
      expect((await engine.run('daily_activity', empty)).rows).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe('DuckDB engine: the files a catalog query is given', () => {
  /** A query that reads the lake's days from from_dt to to_dt, and shows the view it was given. */
  const queries = new QueryCatalog(
    {
      files: [
        '-- files: the events of some days, and the view of activity_log the query ran on.',
        '-- params: from_dt, to_dt',
        'WITH scanned AS (',
        '  SELECT count(*) AS events FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */',
        ')',
        "SELECT events, (SELECT sql FROM duckdb_views() WHERE view_name = 'activity_log' AND temporary) AS view",
        'FROM scanned',
      ].join('\n'),
    },
    'test texts',
  );
  const filesOf = (view: unknown): string[] =>
    [...String(view).matchAll(/'([^']+\.ndjson\.gz)'/g)].map((m) =>
      (m[1] as string).split('/').slice(-2).join('/'),
    );

  it('are the hour files of its days only, listed again at each query; ad hoc SQL reads the whole lake', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duckdb-dates-'));
    dirs.push(dir);
    // Twenty days around the ones asked for, two hours a day: the view must name those two days'
    // files out of forty. (Half a year, 400 files, cost ~2 s of writing and reading to show the same.)
    const hours = Array.from({ length: 20 }, (_, day) =>
      [3, 15].map((hour) =>
        event(
          new Date(Date.parse('2026-09-20T00:30:00Z') + day * 86_400_000 + hour * 3_600_000)
            .toISOString()
            .replace('T', ' ')
            .slice(0, 19),
        ),
      ),
    ).flat();
    await writeFixtureLake(dir, { events: hours });
    const engine = await openDuckDbEngine({ lakeDir: dir, queries });
    try {
      const days = { from_dt: '2026-10-04', to_dt: '2026-10-05' };
      const first = (await engine.run('files', days)).rows[0];
      expect(first?.events).toBe(4);
      expect(filesOf(first?.view)).toEqual([
        'dt=2026-10-04/2026-10-04T03.ndjson.gz',
        'dt=2026-10-04/2026-10-04T15.ndjson.gz',
        'dt=2026-10-05/2026-10-05T03.ndjson.gz',
        'dt=2026-10-05/2026-10-05T15.ndjson.gz',
      ]);
      await writeFixtureLake(dir, { events: [event('2026-10-05 20:00:00')] });
      expect(filesOf((await engine.run('files', days)).rows[0]?.view)).toHaveLength(5);
      const adHoc = await engine.runSql(
        "SELECT count(*) AS events, (SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = 'activity_log') AS temporary FROM activity_log",
        [],
      );
      expect(adHoc.rows).toEqual([{ events: 41, temporary: 0 }]);
    } finally {
      await engine.close();
    }
  });
});

describe('DuckDB engine: a catalog query that reads one table by its days and another whole', () => {
  it('runs on a fresh engine, the table read whole through the whole-lake views', async () => {
    const queries = new QueryCatalog(
      {
        mixed: [
          '-- mixed: events of some days beside every coverage manifest and quarantined entry.',
          '-- params: from_dt, to_dt',
          'SELECT',
          '  (SELECT count(*) FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */) AS events,',
          '  (SELECT count(*) FROM coverage) AS manifests,',
          '  (SELECT count(*) FROM quarantine) AS quarantined',
        ].join('\n'),
      },
      'test texts',
    );
    const dir = await lakeOfOneWeek();
    // Manifests of days before and inside the ones asked for: all are counted.
    await writeFixtureLake(dir, {
      coverage: [manifest('2025-01-01 03:00'), manifest('2026-10-05 10:00')],
    });
    const engine = await openDuckDbEngine({ lakeDir: dir, queries });
    try {
      const { rows } = await engine.run('mixed', { from_dt: '2026-10-05', to_dt: '2026-10-11' });
      expect(rows).toEqual([{ events: 2, manifests: 2, quarantined: 0 }]);
    } finally {
      await engine.close();
    }
  });
});
