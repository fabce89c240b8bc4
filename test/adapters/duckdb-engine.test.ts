import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type DuckDbQueryEngine,
  duckDbThreads,
  openDuckDbEngine,
} from '../../functions/adapters/duckdb-engine.ts';
import { COVERAGE_COLUMNS } from '../../functions/core/lake/coverage-manifest.ts';
import { EVENT_COLUMNS } from '../../functions/core/lake/event-record.ts';
import { QUARANTINE_COLUMNS } from '../../functions/core/lake/quarantine-record.ts';
import { QueryCatalog } from '../../functions/core/queries/query-catalog.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { networkOf } from '../queries/support/expected-answers.ts';
import { event, login, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';

const dirs: string[] = [];
const engines: DuckDbQueryEngine[] = [];
async function lakeWith(fixture: Parameters<typeof writeFixtureLake>[1]): Promise<DuckDbQueryEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
  dirs.push(dir);
  await writeFixtureLake(dir, fixture);
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

const week = standardParams({
  instance: 'default',
  fromMs: Date.parse('2026-10-05T00:00:00Z'),
  toMs: Date.parse('2026-10-12T00:00:00Z'),
});
const runQuery = (engine: DuckDbQueryEngine, name: string, values: Record<string, string> = week) =>
  engine.run(name, values);

describe('DuckDB engine views', () => {
  it('an empty lake gives typed empty views and empty (or zero) answers, not errors', async () => {
    const engine = await lakeWith({});
    for (const name of QUERY_NAMES) {
      const { rows } = await runQuery(engine, name, {
        ...week,
        from_dt: '2026-10-05',
        user_id: '1',
        address: '1.2.3.4',
      });
      if (name === 'login_history')
        expect(rows).toEqual([{ users: 0, short_history_users: 0, short_placed_history_users: 0 }]);
      else if (name === 'period_totals' || name === 'data_health') expect(rows).toHaveLength(1);
      else expect(rows).toEqual([]);
    }
    const columns = (await engine.runSql('SELECT * FROM activity_log', [])).columns;
    expect(columns.map((c) => c.name)).toEqual([...EVENT_COLUMNS.map((c) => c.name), 'instance', 'dt']);
    expect(columns.find((c) => c.name === 'event_time')?.type).toBe('timestamp');
    expect(columns.find((c) => c.name === 'dt')?.type).toBe('varchar');
  });

  it('maps every table from the schema modules, partition columns last and dt as a string', async () => {
    const engine = await lakeWith({
      events: [event('2026-10-05 10:00:00.000')],
      coverage: [manifest('2026-10-05 10:00', { event_count: 1 })],
      quarantine: [
        {
          quarantine_id: 'q1',
          reason: 'time is not a time',
          raw: '"x"',
          window_start_ms: Date.parse('2026-10-05T10:00:00Z'),
          window_end_ms: Date.parse('2026-10-05T11:00:00Z'),
          ingested_at: '2026-10-05T11:20:00.000Z',
          run_id: 'r',
        },
      ],
    });
    for (const [table, schema] of [
      ['activity_log', EVENT_COLUMNS],
      ['coverage', COVERAGE_COLUMNS],
      ['quarantine', QUARANTINE_COLUMNS],
    ] as const) {
      const result = await engine.runSql(`SELECT * FROM ${table}`, []);
      expect(result.columns.map((c) => c.name)).toEqual([...schema.map((c) => c.name), 'instance', 'dt']);
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0]).toMatchObject({ instance: 'default', dt: '2026-10-05' });
    }
    const quarantined = await engine.runSql('SELECT reason, window_start_ms FROM quarantine', []);
    expect(quarantined.rows).toEqual([
      { reason: 'time is not a time', window_start_ms: Date.parse('2026-10-05T10:00:00Z') },
    ]);
  });

  it('returns the engine-neutral JS types, with timestamps as UTC YYYY-MM-DD HH:MM:SS.mmm', async () => {
    const engine = await lakeWith({
      events: [event('2026-10-05 10:00:00.000'), event('2026-10-05 23:59:59.250')],
    });
    const result = await engine.runSql(
      `SELECT max(event_time) AS latest, min(event_time) AS earliest, CAST(max(event_time) AS date) AS day,
              count(*) AS n, sum(CAST(1 AS integer)) AS huge, 100 * CAST(1 AS double) / 3 AS ratio,
              CAST(2.5 AS decimal(4, 2)) AS dec, count(*) > 1 AS many, max(dt) AS dt,
              with_timezone(max(event_time), 'UTC') AS zoned
       FROM activity_log`,
      [],
    );
    expect(result.rows).toEqual([
      {
        latest: '2026-10-05 23:59:59.250',
        earliest: '2026-10-05 10:00:00.000',
        day: '2026-10-05',
        n: 2,
        huge: 2,
        ratio: 100 / 3,
        dec: 2.5,
        many: true,
        dt: '2026-10-05',
        zoned: '2026-10-05 23:59:59.250',
      },
    ]);
    expect(Object.fromEntries(result.columns.map((c) => [c.name, c.type]))).toEqual({
      latest: 'timestamp',
      earliest: 'timestamp',
      day: 'date',
      n: 'bigint',
      huge: 'bigint',
      ratio: 'double',
      dec: 'double',
      many: 'boolean',
      dt: 'varchar',
      zoned: 'timestamp',
    });
  });

  it('binds parameters as values: a quote in one is data, never SQL', async () => {
    const engine = await lakeWith({
      events: [event('2026-10-05 10:00:00', { user_name: "O'Brien" }), event('2026-10-05 11:00:00')],
    });
    const count = (value: string) =>
      engine.runSql('SELECT count(*) AS n FROM activity_log WHERE user_name = ?', [value]);
    expect((await count("O'Brien")).rows).toEqual([{ n: 1 }]);
    expect((await count("x' OR '1'='1")).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a query run without one of its named parameters, naming it', async () => {
    const engine = await lakeWith({});
    await expect(engine.run('period_totals', { instance: 'default' })).rejects.toThrow(
      /query period_totals needs parameter "from_dt" \(it takes: instance, from_dt, to_dt, from_ts, to_ts\)/,
    );
  });

  it('refuses SQL whose placeholders do not match the values, one per ?', async () => {
    const engine = await lakeWith({});
    await expect(engine.runSql('SELECT ? AS a, ? AS b', ['x'])).rejects.toThrow(
      /takes 2 parameters, got 1: one value per \? placeholder/,
    );
  });

  it('runs a catalog of its own, given as texts', async () => {
    const queries = new QueryCatalog(
      { echo: '-- echo: the instance back.\n-- params: instance\nSELECT ? /* instance */ AS instance' },
      'test texts',
    );
    const dir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
    dirs.push(dir);
    const engine = await openDuckDbEngine({ lakeDir: dir, queries });
    try {
      expect((await engine.run('echo', { instance: 'acme', unused: 'x' })).rows).toEqual([
        { instance: 'acme' },
      ]);
      await expect(engine.run('period_totals', week)).rejects.toThrow(
        /no query "period_totals"; the catalog has: echo/,
      );
    } finally {
      await engine.close();
    }
  });

  it('reads each instance and day from the path, so instance and dt filters select partitions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
    dirs.push(dir);
    await writeFixtureLake(dir, { events: [event('2026-10-05 10:00:00'), event('2026-10-06 10:00:00')] });
    await writeFixtureLake(dir, { instance: 'other', events: [event('2026-10-05 12:00:00')] });
    const engine = await openDuckDbEngine({ lakeDir: dir });
    engines.push(engine);
    const { rows } = await runQuery(engine, 'period_totals');
    expect(rows[0]?.events).toBe(2);
    const other = await runQuery(engine, 'period_totals', { ...week, instance: 'other' });
    expect(other.rows[0]?.events).toBe(1);
    const oneDay = await runQuery(engine, 'period_totals', { ...week, to_dt: '2026-10-05' });
    expect(oneDay.rows[0]?.events).toBe(1);
  });

  /** A lake of two hours whose first object has been overwritten with text. */
  async function damagedLake(): Promise<DuckDbQueryEngine> {
    const engine = await lakeWith({ events: [event('2026-10-05 10:00:00'), event('2026-10-06 10:00:00')] });
    const dir = dirs.at(-1) as string;
    const [file] = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ndjson.gz'));
    await writeFile(join(dir, file as string), 'not gzip');
    return engine;
  }

  it('names a lake file it cannot read as damaged, and where to look further', async () => {
    const engine = await damagedLake();
    await expect(runQuery(engine, 'period_totals')).rejects.toThrow(
      /Input is not a GZIP stream: .*\.ndjson\.gz: that object of the lake is damaged or was not written by this tool; verify --integrity/,
    );
  });

  it('closes only after the queries still running, and refuses new ones once closing', async () => {
    const engine = await damagedLake();
    // As the report runs them: several at once, and the caller stops at the first failure. Closing
    // under the others crashed the process now and then (DuckDB's native code).
    const queries = ['period_totals', 'daily_activity', 'most_active_users', 'data_health'].map((name) =>
      runQuery(engine, name),
    );
    const settled = Promise.allSettled(queries);
    await expect(Promise.all(queries)).rejects.toThrow(/GZIP/);
    await engine.close();
    for (const outcome of await settled) {
      if (outcome.status === 'rejected') expect(String(outcome.reason)).toMatch(/GZIP/);
    }
    await expect(engine.runSql('SELECT 1', [], 'query x')).rejects.toThrow(
      'query x was not run: the DuckDB engine is closed',
    );
  });

  it('reads local lakes only: an s3:// lake is sent to Athena', async () => {
    await expect(openDuckDbEngine({ lakeDir: 's3://bucket/lake' })).rejects.toThrow(/--athena/);
  });

  it('never installs or downloads extensions', async () => {
    const engine = await lakeWith({});
    const { rows } = await engine.runSql(
      "SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('TimeZone') AS zone",
      [],
    );
    expect(rows).toEqual([{ install: false, zone: 'UTC' }]);
  });

  it('runs on the threads it is given, else on what DUCKDB_THREADS says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
    dirs.push(dir);
    const threadsOf = async (engine: DuckDbQueryEngine) => {
      engines.push(engine);
      return (await engine.runSql("SELECT current_setting('threads') AS threads", [])).rows[0]?.threads;
    };
    expect(await threadsOf(await openDuckDbEngine({ lakeDir: dir, threads: 3 }))).toBe(3);
    // The suite's environment sets DUCKDB_THREADS=1 (vitest.config.ts).
    expect(await threadsOf(await openDuckDbEngine({ lakeDir: dir }))).toBe(1);
  });

  it('reads DUCKDB_THREADS as a whole number of threads, and says how to fix a bad one', () => {
    expect(duckDbThreads({})).toBeUndefined();
    expect(duckDbThreads({ DUCKDB_THREADS: ' ' })).toBeUndefined();
    expect(duckDbThreads({ DUCKDB_THREADS: '4' })).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'all', '10000']) {
      expect(() => duckDbThreads({ DUCKDB_THREADS: bad })).toThrow(
        `DUCKDB_THREADS=${bad} is not a thread count: set a whole number from 1 to 9999, or unset it to use every core`,
      );
    }
  });
});

describe('catalog queries on edge cases of the data', () => {
  it('leave out events without a user id, and group failures without one by the name they carry', async () => {
    const engine = await lakeWith({
      events: [
        event('2026-10-05 09:00:00', { user_id: null, user_name: 'ghost' }),
        event('2026-10-05 09:01:00'),
        login('2026-10-05 09:02:00', 'login_failed', {
          user_id: null,
          user_name: 'mallory',
          ip_address: '198.51.100.1',
        }),
        login('2026-10-05 09:03:00', 'login_failed', {
          user_id: null,
          user_name: 'mallory',
          ip_address: '198.51.100.2',
        }),
        login('2026-10-05 09:04:00', 'login_failed', { user_id: null, user_name: 'trudy', ip_address: null }),
        login('2026-10-05 09:05:00', 'lockout', { user_id: '1', user_name: null }),
      ],
    });
    const users = await runQuery(engine, 'most_active_users');
    expect(users.rows.map((r) => [r.user_id, r.user_name, r.events])).toEqual([['1', 'Ada', 2]]);
    const failed = await runQuery(engine, 'failed_logins_and_lockouts');
    // Every row carries the count of all rows and the figures of the failures without a user id.
    const figures = {
      total_rows: 3,
      no_user_names: 2,
      no_user_failures: 3,
      no_user_ips: 2,
      no_user_first_failure: '2026-10-05 09:02:00.000',
      no_user_last_failure: '2026-10-05 09:04:00.000',
    };
    expect(failed.rows).toEqual(
      [
        {
          user_id: '1',
          user_name: null,
          failed_attempts: 0,
          lockouts: 1,
          distinct_ips: 1,
          ips: '203.0.113.7',
          first_failure: null,
          last_failure: null,
          last_lockout: '2026-10-05 09:05:00.000',
        },
        {
          user_id: null,
          user_name: 'mallory',
          failed_attempts: 2,
          lockouts: 0,
          distinct_ips: 2,
          ips: '198.51.100.1\u001f198.51.100.2',
          first_failure: '2026-10-05 09:02:00.000',
          last_failure: '2026-10-05 09:03:00.000',
          last_lockout: null,
        },
        {
          user_id: null,
          user_name: 'trudy',
          failed_attempts: 1,
          lockouts: 0,
          distinct_ips: 0,
          ips: null,
          first_failure: '2026-10-05 09:04:00.000',
          last_failure: '2026-10-05 09:04:00.000',
          last_lockout: null,
        },
      ].map((row) => ({ ...row, ...figures })),
    );
  });

  it('name users, cards and pages by their latest name, whatever the row order', async () => {
    const engine = await lakeWith({
      events: [
        event('2026-10-05 12:00:00', { user_name: 'Ada Lovelace', object_name: 'Revenue (new)' }),
        event('2026-10-05 09:00:00', { user_name: 'Ada', object_name: 'Revenue' }),
        event('2026-10-05 13:00:00', { user_name: null, object_name: null }),
      ],
    });
    expect((await runQuery(engine, 'most_active_users')).rows[0]?.user_name).toBe('Ada Lovelace');
    expect((await runQuery(engine, 'trending_cards')).rows[0]).toMatchObject({
      card_name: 'Revenue (new)',
      views: 3,
      previous_views: 0,
      change: 3,
      change_pct: null,
      rank: 1,
    });
  });

  it('derive IPv4 /24 and IPv6 /48 networks (evidence) the way the TypeScript rule does, for every address form', async () => {
    // Each pair: a history sign-in, then a sign-in in the week written differently, from a new owner.
    const same: [string, string][] = [
      ['203.0.113.7', '203.0.113.250'],
      ['::ffff:198.51.100.9', '198.51.100.77'],
      ['2001:db8:a1b2:1:2:3:4:5', '2001:0DB8:A1B2::9'],
      ['2001:db8:0:ffff::1', '2001:db8::7'],
      ['2001:db8::', '2001:0db8:0000:0000:0000:0000:0000:0001'],
      ['fe80::1:2', 'fe80:0:0:0:0:0:1:3'],
      ['2001:db8:7:1::1.2.3.4', '2001:db8:7::5'],
    ];
    const fresh = ['192.0.2.1', '2001:db8:a1b3::1', '2001:db8:1:0:0:0:0:1'];
    const unusable = ['not-an-ip', '1:2:3', '2001:db8::1::2', '12345::1', ''];
    const home = { ip_country: 'US', ip_asn: 64500, ip_org: 'Home', geo_db_version: 'g' };
    const away = { ip_country: 'US', ip_asn: 64501, ip_org: 'Away', geo_db_version: 'g' };
    const history: ReturnType<typeof login>[] = [];
    const period: ReturnType<typeof login>[] = [];
    const pairs: [string, string][] = [
      ...same,
      ...fresh.map((ip): [string, string] => ['203.0.113.1', ip]),
      ...unusable.map((ip): [string, string] => ['203.0.113.1', ip]),
    ];
    pairs.forEach(([before, after], i) => {
      const user = `u${String(i).padStart(2, '0')}`;
      history.push(login('2026-10-01 09:00:00', 'login', { user_id: user, ip_address: before, ...home }));
      period.push(login('2026-10-06 09:00:00', 'login', { user_id: user, ip_address: after, ...away }));
    });
    const engine = await lakeWith({ events: [...history, ...period] });
    // One history sign-in each: enough for a new owner at min_history_logins 1, and no unusual hour.
    const { rows } = await runQuery(engine, 'suspicious_logins', { ...week, min_history_logins: '1' });
    expect(rows.map((r) => [r.ip_address, r.network])).toEqual(pairs.map(([, ip]) => [ip, networkOf(ip)]));
    for (const [before, after] of same) expect(networkOf(after)).toBe(networkOf(before));
    for (const ip of unusable) expect(networkOf(ip)).toBeNull();
    expect(rows.filter((r) => r.network === null).map((r) => r.ip_address)).toEqual(unusable);
    expect(rows[0]?.evidence).toBe(
      'first login from network owner AS64501 (Away) in 3 days of history; 1 owner known; network 203.0.113.0/24',
    );
  });

  it('report a new network owner once per user, at its first sign-in of the period', async () => {
    const comcast = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'g' };
    const tmobile = { ip_country: 'US', ip_asn: 21928, ip_org: 'T-Mobile', geo_db_version: 'g' };
    const att = { ip_country: 'US', ip_asn: 7018, ip_org: 'AT&T', geo_db_version: 'g' };
    const engine = await lakeWith({
      events: [
        login('2026-10-01 09:00:00', 'login', { ip_address: '203.0.113.1', ...comcast }),
        login('2026-10-02 09:00:00', 'login', { ip_address: '2001:db8:1::1', ...tmobile }),
        login('2026-10-06 09:00:00', 'login', { ip_address: '192.0.2.10', ...att }),
        login('2026-10-07 09:00:00', 'login', { ip_address: '192.0.3.11', ...att }),
        login('2026-10-07 09:30:00', 'login', { ip_address: '2001:db8:2::1', ...tmobile }),
        login('2026-10-07 10:00:00', 'login', { ip_address: null }),
      ],
    });
    // Two history sign-ins: a new owner counts from min_history_logins 2 on, as a new country does.
    expect((await runQuery(engine, 'suspicious_logins')).rows).toEqual([]);
    const { rows } = await runQuery(engine, 'suspicious_logins', { ...week, min_history_logins: '2' });
    expect(rows).toEqual([
      {
        event_time: '2026-10-06 09:00:00.000',
        user_id: '1',
        user_name: 'Ada',
        reason: 'new_network',
        ip_address: '192.0.2.10',
        country: 'US',
        asn: 7018,
        org: 'AT&T',
        network: '192.0.2.0/24',
        local_hour: 9,
        evidence:
          'first login from network owner AS7018 (AT&T) in 3 days of history; 2 owners known; network 192.0.2.0/24',
        user_reason_rows: 1,
        total_rows: 1,
        total_logins: 1,
      },
    ]);
  });

  it('flag a time of day with at most 5% of the history sign-ins within 2 hours, only with enough history', async () => {
    // 20 history sign-ins at 09:15 UTC (11:15 in Paris, summer time), one at 14:00; then 03:07, 14:30,
    // 09:40 and 11:50 in the week. 11:50 (13:50 Paris) is a new hour but within 2 hours of the usual one.
    const history = Array.from({ length: 20 }, (_, i) =>
      login(`2026-09-${String(10 + i).padStart(2, '0')} 09:15:00`, 'login'),
    );
    const engine = await lakeWith({
      events: [
        ...history,
        login('2026-09-30 14:00:00', 'login'),
        login('2026-10-06 03:07:00', 'login'),
        login('2026-10-07 14:30:00', 'login'),
        login('2026-10-08 09:40:00', 'login'),
        login('2026-10-09 11:50:00', 'login'),
      ],
    });
    const values = { ...week, time_zone: 'Europe/Paris' };
    const { rows } = await runQuery(engine, 'suspicious_logins', values);
    // The first history sign-in is 24 days and 15 hours before the week: not "the previous 30 days".
    expect(rows.map((r) => [r.event_time, r.reason, r.local_hour, r.evidence])).toEqual([
      [
        '2026-10-06 03:07:00.000',
        'unusual_hour',
        5,
        'login at 05:07 +02:00 Europe/Paris; 0 of 21 logins in 24 days of history were in the hours 03:00 to 07:59',
      ],
      [
        '2026-10-07 14:30:00.000',
        'unusual_hour',
        16,
        'login at 16:30 +02:00 Europe/Paris; 1 of 21 logins in 24 days of history was in the hours 14:00 to 18:59',
      ],
    ]);
    const strict = await runQuery(engine, 'suspicious_logins', { ...values, min_history_logins: '22' });
    expect(strict.rows).toEqual([]);
  });

  it('say how much history an unusual hour was judged against: the window only once the history fills it', async () => {
    // 10 history sign-ins at 09:15 UTC; the first one on `first`, the 9 others on Sep 22-30; then 03:07 in the week.
    const signIns = (first: string) => [
      login(`${first} 09:15:00`, 'login'),
      ...Array.from({ length: 9 }, (_, i) =>
        login(`2026-09-${String(22 + i).padStart(2, '0')} 09:15:00`, 'login'),
      ),
      login('2026-10-06 03:07:00', 'login'),
    ];
    const evidence = async (first: string, values: Record<string, string> = week) => {
      const engine = await lakeWith({ events: signIns(first) });
      const { rows } = await runQuery(engine, 'suspicious_logins', values);
      return rows.filter((r) => r.reason === 'unusual_hour').map((r) => r.evidence);
    };
    const said = (history: string) =>
      `login at 03:07 UTC; 0 of 10 logins in ${history} were in the hours 01:00 to 05:59`;
    // Within the window's first day (Sep 5): the whole window.
    expect(await evidence('2026-09-05')).toEqual([said('the previous 30 days')]);
    // Its second day: the history there was, as the place findings say it.
    expect(await evidence('2026-09-06')).toEqual([said('28 days of history')]);
    // A window reaching further back than the lake does not lengthen the history.
    const wide = { ...week, history_from_dt: '2026-08-12', history_from_ts: '2026-08-12 00:00:00.000' };
    expect(await evidence('2026-09-06', wide)).toEqual([said('28 days of history')]);
  });

  it("count an unusual hour's history from the first sign-in of any kind, a place finding's from the first placed one", async () => {
    const placed = {
      ip_address: '73.0.0.7',
      ip_country: 'US',
      ip_asn: 7922,
      ip_org: 'Comcast',
      geo_db_version: 'g',
    };
    const engine = await lakeWith({
      events: [
        // Not placed (stored before the geo database was there), 20 days before the week.
        login('2026-09-15 09:15:00', 'login', { ip_address: '73.0.0.7' }),
        ...Array.from({ length: 10 }, (_, i) =>
          login(`2026-09-${String(20 + i).padStart(2, '0')} 09:15:00`, 'login', placed),
        ),
        login('2026-10-06 03:07:00', 'login', {
          ip_address: '91.0.0.1',
          ip_country: 'DE',
          ip_asn: 3320,
          ip_org: 'Telekom',
          geo_db_version: 'g',
        }),
      ],
    });
    const { rows } = await runQuery(engine, 'suspicious_logins');
    expect(rows.map((r) => [r.reason, r.evidence])).toEqual([
      ['new_country', 'first login from DE in 14 days of history; previous: US (10 logins)'],
      [
        'new_network',
        'first login from network owner AS3320 (Telekom) in 14 days of history; 1 owner known; network 91.0.0.0/24',
      ],
      [
        'unusual_hour',
        'login at 03:07 UTC; 0 of 11 logins in 19 days of history were in the hours 01:00 to 05:59',
      ],
    ]);
  });
});
