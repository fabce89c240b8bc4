import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { buildReportModel } from '../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../functions/core/report/iso-week.ts';
import { runOfWeek } from '../../functions/core/report/report-run.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import {
  event,
  type FixtureLake,
  login,
  manifest,
  writeFixtureLake,
} from '../queries/support/lake-fixture.ts';

// R-TAMPER3 F1: the views read `instance` and `dt` with DuckDB's hive partitioning, which takes
// `key=value` from every folder of the absolute path, the outermost winning. A lake stored under
// `…/dt=2026-12-05/lake` read every row as of that day (catalog queries and the report found
// nothing), one under `…/instance=evil/lake` read every row as `evil`, and under
// `…/instance=default/lake` a second instance folder's rows came back as `default`, while `verify`
// passed. The columns come from the lake's own folders now, wherever the lake sits.

const WEEK_START = Date.parse('2026-11-16T00:00:00Z'); // 2026-W47, Monday
const at = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Two weeks of hours, 2026-W46 and W47: views every 5 hours, a sign-in a day, manifests. */
function twoWeeks(): FixtureLake {
  const events: EventRecord[] = [];
  const coverage = [];
  for (let ms = WEEK_START - 7 * DAY_MS; ms < WEEK_START + 7 * DAY_MS; ms += HOUR_MS) {
    const hour = at(ms);
    const held: EventRecord[] = [];
    if (ms % (5 * HOUR_MS) === 0)
      held.push(event(hour, { user_id: String(ms % 3), user_name: `u${ms % 3}` }));
    if (ms % DAY_MS === 9 * HOUR_MS) {
      held.push(
        login(at(ms + 60_000), 'login', { user_id: '7', user_name: 'ann', ip_address: '198.51.100.7' }),
      );
    }
    events.push(...held);
    coverage.push(manifest(hour.slice(0, 16), { event_count: held.length }));
  }
  return { events, coverage };
}

const dirs: string[] = [];
const engines = new Map<string, DuckDbQueryEngine>();
let parent: string;

/** The engine of the fixture lake at `<parent>/<under>/lake`. */
const engineOf = (under: string): DuckDbQueryEngine => {
  const engine = engines.get(under);
  if (!engine) throw new Error(`no lake under ${under}`);
  return engine;
};

const UNDER = ['plain', 'dt=2026-12-05', 'instance=evil/dt=2020-01-01', 'instance=default'];

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'duckdb-hive-parent-'));
  dirs.push(parent);
  const lake = twoWeeks();
  for (const under of UNDER) {
    const lakeDir = join(parent, under, 'lake');
    await writeFixtureLake(lakeDir, lake);
    engines.set(under, await openDuckDbEngine({ lakeDir }));
  }
});
afterAll(async () => {
  for (const engine of engines.values()) await engine.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a lake stored under a folder named like a partition', () => {
  const adHoc = async (under: string, sql: string) => (await engineOf(under).runSql(sql, [])).rows;

  it('reads the same instance and days as the same lake elsewhere', async () => {
    const byDay = 'SELECT instance, dt, count(*) AS n FROM activity_log GROUP BY ALL ORDER BY ALL';
    const plain = await adHoc('plain', byDay);
    expect(plain).toHaveLength(14);
    expect(plain[0]).toEqual({ instance: 'default', dt: '2026-11-09', n: expect.any(Number) });
    const coverage = 'SELECT instance, dt, count(*) AS n FROM coverage GROUP BY ALL ORDER BY ALL';
    for (const under of UNDER.slice(1)) {
      expect(await adHoc(under, byDay), under).toEqual(plain);
      expect(await adHoc(under, coverage), under).toEqual(await adHoc('plain', coverage));
    }
  });

  it('answers an ad hoc query of one day, filtered on instance and dt, as elsewhere', async () => {
    const sql = "SELECT count(*) AS n FROM activity_log WHERE instance = 'default' AND dt = '2026-11-17'";
    const [plain] = await adHoc('plain', sql);
    expect(plain).toEqual({ n: 5 });
    for (const under of UNDER.slice(1)) expect(await adHoc(under, sql), under).toEqual([plain]);
  });

  it('answers a catalog query as elsewhere', async () => {
    const values = standardParams({ instance: 'default', fromMs: WEEK_START, toMs: WEEK_START + 7 * DAY_MS });
    const plain = (await engineOf('plain').run('most_active_users', values)).rows;
    expect(plain.length).toBeGreaterThan(0);
    for (const under of UNDER.slice(1)) {
      expect((await engineOf(under).run('most_active_users', values)).rows, under).toEqual(plain);
    }
  });

  it("gives the week's report the same figures as elsewhere", async () => {
    const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));
    const model = (under: string) => buildReportModel(engineOf(under), { instance: 'default', run });
    const plain = await model('plain');
    expect(plain.totals.events).toMatchObject({ current: 40, previous: 41 });
    // The report reads the lake through the views whose instance and dt the tests above check
    // under every folder: one folder naming both, each with a wrong value, shows it reads them too
    // (a report of this lake is ~1.2 CPU-s; all three took a third of the file's CPU more).
    const under = 'instance=evil/dt=2020-01-01';
    const other = await model(under);
    expect({ ...other, generatedAt: plain.generatedAt }, under).toEqual(plain);
  });
});

describe('a lake under a folder named after the instance a recipient checks', () => {
  it("does not read another instance folder's rows as that instance", async () => {
    const lakeDir = join(parent, 'instance=default', 'lake');
    await writeFixtureLake(lakeDir, {
      instance: 'zz',
      events: [event('2026-11-17 15:00:00', { user_name: 'FORGED ROW' })],
    });
    const engine = await openDuckDbEngine({ lakeDir });
    try {
      const forged = "SELECT instance, dt FROM activity_log WHERE user_name = 'FORGED ROW'";
      expect((await engine.runSql(forged, [])).rows).toEqual([{ instance: 'zz', dt: '2026-11-17' }]);
      const own = "SELECT count(*) AS n FROM activity_log WHERE instance = 'default'";
      expect((await engine.runSql(own, [])).rows).toEqual((await engineOf('plain').runSql(own, [])).rows);
    } finally {
      await engine.close();
    }
  });
});
