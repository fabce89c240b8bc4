import { describe, expect, it } from 'vitest';
import { type DateBounds, lakeDatesRead } from '../../../functions/core/queries/query-dates.ts';
import { parseQuery } from '../../../functions/core/queries/query-definition.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { loadQueryCatalog } from '../../../functions/queries/catalog.ts';

const week = standardParams({
  instance: 'acme',
  fromMs: Date.parse('2026-11-16T00:00:00Z'),
  toMs: Date.parse('2026-11-23T00:00:00Z'),
});
const period: DateBounds = { from: '2026-11-16', to: '2026-11-22' };

/**
 * The queries that read more than their period, with what they read; every other catalog query
 * reads its period of each table it reads, so a new one needs no entry here (one that reads no
 * bounded period at all fails test/queries/date-bounds.test.ts).
 */
const BEYOND_PERIOD: Record<string, Record<string, DateBounds>> = {
  // No end: every day from the first on.
  latest_events: { activity_log: { from: '2026-11-16', to: undefined } },
  // The hour before the period: its day.
  login_after_failures: { activity_log: { from: '2026-11-15', to: '2026-11-22' } },
  // The 30 days of history before the period.
  login_history: { activity_log: { from: '2026-10-17', to: '2026-11-22' } },
  // The history its sign-ins' known places are read from.
  login_after_spray: { activity_log: { from: '2026-10-17', to: '2026-11-22' } },
  suspicious_logins: { activity_log: { from: '2026-10-17', to: '2026-11-22' } },
  // The history each user's moves are judged against.
  bulk_data_movement: { activity_log: { from: '2026-10-17', to: '2026-11-22' } },
  // The history one user's actions are judged against.
  user_unusual_activity: { activity_log: { from: '2026-10-17', to: '2026-11-22' } },
  // The previous period, as long as the period.
  trending_cards: { activity_log: { from: '2026-11-09', to: '2026-11-22' } },
};

describe('the dates a catalog query reads', () => {
  it('are its period, and the history or previous period it reads before it', () => {
    const catalog = loadQueryCatalog();
    const read = Object.fromEntries(
      catalog.names.map((name) => [name, Object.fromEntries(lakeDatesRead(catalog.get(name), week))]),
    );
    const want = Object.fromEntries(
      Object.entries(read).map(([name, tables]) => [
        name,
        Object.fromEntries(
          Object.keys(tables).map((table) => [table, BEYOND_PERIOD[name]?.[table] ?? period]),
        ),
      ]),
    );
    expect(read).toEqual(want);
    // What they read besides activity_log.
    expect(read.daily_activity).toEqual({ activity_log: period, coverage: period });
    expect(read.data_health).toEqual({ activity_log: period, coverage: period });
    expect(read.uncounted_sign_ins).toEqual({ activity_log: period, quarantine: period });
    for (const name of Object.keys(BEYOND_PERIOD)) expect(catalog.names).toContain(name);
  });
});

describe('a table whose scans are not all bounded by AND-ed dt conditions is read whole', () => {
  const dates = (body: string) =>
    Object.fromEntries(
      lakeDatesRead(parseQuery('q', `-- q: test.\n-- params: from_dt, to_dt, n, name\n${body}`), {
        from_dt: '2026-11-16',
        to_dt: '2026-11-22',
        n: '3',
        name: 'x',
      }),
    );
  const open: DateBounds = { from: undefined, to: undefined };

  it.each([
    ['no dt condition', 'SELECT * FROM activity_log WHERE category = ?/* name */'],
    ['no WHERE clause', 'SELECT count(*) FROM activity_log'],
    [
      'an OR beside it',
      "SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */ OR category = 'x'",
    ],
    ['under NOT', 'SELECT * FROM activity_log WHERE NOT dt BETWEEN ? /* from_dt */ AND ? /* to_dt */'],
    ['NOT BETWEEN', 'SELECT * FROM activity_log WHERE dt NOT BETWEEN ? /* from_dt */ AND ? /* to_dt */'],
    ['in a CASE', 'SELECT * FROM activity_log WHERE CASE WHEN true AND dt >= ? /* from_dt */ THEN true END'],
    ['a parameter that is not a date', 'SELECT * FROM activity_log WHERE dt >= ? /* name */'],
    ['a literal date', "SELECT * FROM activity_log WHERE dt >= '2026-11-16'"],
    ['a cast of the parameter', 'SELECT * FROM activity_log WHERE dt >= ? /* from_dt */ || ?/* name */'],
    ['a join after the table', 'SELECT * FROM activity_log a JOIN t ON true WHERE dt >= ? /* from_dt */'],
    ['a comma join', 'SELECT * FROM activity_log, t WHERE dt >= ? /* from_dt */'],
    ['the table named outside FROM', 'WITH x AS (SELECT 1) SELECT activity_log.dt FROM x'],
    [
      'a second scan without a condition',
      'SELECT * FROM activity_log WHERE dt >= ? /* from_dt */ UNION ALL SELECT * FROM activity_log',
    ],
    [
      'the condition outside the scan that needs it',
      'SELECT * FROM activity_log WHERE user_id IN (SELECT user_id FROM activity_log WHERE dt >= ? /* from_dt */)',
    ],
    [
      "DuckDB's escape string, whose end this tokenizer cannot find",
      "SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */ AND x <> E'\\'' OR dt <> 'y'",
    ],
    [
      'a nested block comment, which DuckDB ends at its second */',
      "SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */ AND 1 = 1 /* a /* b */ ' */ OR dt <> 'y'",
    ],
    [
      'a line comment ended by a bare carriage return',
      "SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */ AND 1 = 1 -- note\rOR dt <> 'y'\n",
    ],
    [
      "DuckDB's dollar quoting",
      "SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */ AND x <> $$'$$ OR dt <> 'y'",
    ],
  ])('%s', (_what, body) => {
    expect(dates(body)).toEqual({ activity_log: open });
  });

  it('but one bounded side of every scan is kept, and conditions of one scan narrow each other', () => {
    expect(
      dates(
        'SELECT * FROM activity_log WHERE dt >= ? /* from_dt */ AND (a OR b) ' +
          'UNION ALL SELECT * FROM "Activity_Log" AS l WHERE dt = ? /* to_dt */ AND dt >= ? /* from_dt */',
      ),
    ).toEqual({ activity_log: { from: '2026-11-16', to: undefined } });
    expect(
      dates(
        'SELECT * FROM coverage WHERE dt <= ? /* to_dt */ -- dt >= ? /* from_dt */ OR\n AND dt > ? /* from_dt */ ORDER BY 1',
      ),
    ).toEqual({ coverage: { from: '2026-11-16', to: '2026-11-22' } });
  });

  it('leaves out the tables it does not read', () => {
    expect(dates("SELECT 'FROM quarantine' /* FROM coverage */")).toEqual({});
  });
});
