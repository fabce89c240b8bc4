import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { localClockConversion, utcInstant } from '../../functions/cli/utc-instants.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// Review R-INVEST L2: `2026-11-19 08:00:00.000` in JSON is read as local time by JavaScript's Date
// or pandas; JSON says the zone. A spreadsheet has no zone: CSV keeps the form it reads as a date
// (review R-REPORTID M4).
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-utc-'));
  await writeFixtureLake(lake, {
    events: [event('2026-11-19 08:00:00.250', { user_id: '7', user_name: 'Ada' })],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (argv: string[]) => (await runBoth(argv)).stdout;
const runBoth = async (argv: string[]) => {
  const c = captureIo();
  await queryCommand(argv, { ...c.io, log: silentLog }, { now });
  return { stdout: c.stdout(), stderr: c.stderr() };
};

describe('query: UTC times in the machine formats carry their zone', () => {
  it('json: a timestamp column is ISO 8601 with Z, which Date reads as the right instant', async () => {
    const rows = JSON.parse(
      await run(['user_activity', '--lake', lake, '--param', 'user_id=7', '--format', 'json']),
    ) as { event_time: string; local_time: string }[];
    expect(rows[0]?.event_time).toBe('2026-11-19T08:00:00.250Z');
    expect(new Date(rows[0]?.event_time ?? '').getTime()).toBe(Date.parse('2026-11-19T08:00:00.250Z'));
    // A text with its offset already is left as the query wrote it.
    expect(rows[0]?.local_time).toBe('2026-11-19 08:00:00 +00:00');
  });

  it('json: the same form for --sql', async () => {
    const sql = ['--sql', 'SELECT event_time, ingested_at FROM activity_log', '--lake', lake];
    expect(JSON.parse(await run([...sql, '--format', 'json']))).toEqual([
      { event_time: '2026-11-19T08:00:00.250Z', ingested_at: '2026-10-01T12:00:00.000Z' },
    ]);
  });

  it('json: a timestamp inside a list of --sql is written as the engine gives it, as documented', async () => {
    const sql = ['--sql', 'SELECT list(event_time) AS times FROM activity_log', '--lake', lake];
    // UTC without a zone: docs/queries.md says so (review R-REPORTID).
    expect(JSON.parse(await run([...sql, '--format', 'json']))).toEqual([
      { times: '[2026-11-19 08:00:00.25]' },
    ]);
  });

  it('csv: the form a spreadsheet reads as a date, UTC, for a catalog query and for --sql', async () => {
    const csv = await run(['most_active_users', '--lake', lake, '--format', 'csv']);
    expect(csv.split('\r\n')[1]).toBe('7,Ada,1,1,1,0,2026-11-19 08:00:00.250');
    const sql = await run([
      '--sql',
      'SELECT event_time, ingested_at FROM activity_log',
      '--lake',
      lake,
      '--format',
      'csv',
    ]);
    // ingested_at is a text the lake writes with its Z: written as it is.
    expect(sql).toBe('event_time,ingested_at\r\n2026-11-19 08:00:00.250,2026-10-01T12:00:00.000Z\r\n');
  });

  it('table: keeps the wall time a person reads', async () => {
    const table = await run(['most_active_users', '--lake', lake]);
    expect(table).toContain('2026-11-19 08:00:00.250');
    expect(table).not.toContain('08:00:00.250Z');
  });

  it('a cell that is no timestamp text is written as it came', () => {
    expect(utcInstant(null)).toBeNull();
    expect(utcInstant('not a time')).toBe('not a time');
    expect(utcInstant('2026-11-19 08:00:00')).toBe('2026-11-19T08:00:00Z');
  });

  // Review F-QUERYCLI 1: DuckDB's at_timezone gives the Paris clock as a plain timestamp; a Z on it
  // named an instant an hour off.
  it('json: a local clock from --sql is never written with Z, and a warning says why', async () => {
    const paris = "at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')";
    const { stdout, stderr } = await runBoth([
      '--sql',
      `SELECT event_time, ${paris} AS paris FROM activity_log`,
      '--lake',
      lake,
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout)).toEqual([
      { event_time: '2026-11-19 08:00:00.250', paris: '2026-11-19 09:00:00.250' },
    ]);
    expect(stderr.replace(/\s+/g, ' ')).toContain(
      'warning: DuckDB and Athena differ: at_timezone may put a local clock in a timestamp column (event_time, paris)',
    );
    // Cast to text, the docs' recipe: the UTC column keeps its Z, and nothing is warned.
    const cast = await runBoth([
      '--sql',
      `SELECT event_time, CAST(${paris} AS varchar) AS paris, hour(${paris}) AS h FROM activity_log`,
      '--lake',
      lake,
      '--format',
      'json',
    ]);
    expect(JSON.parse(cast.stdout)).toEqual([
      { event_time: '2026-11-19T08:00:00.250Z', paris: '2026-11-19 09:00:00.25', h: 9 },
    ]);
    expect(cast.stderr).not.toContain('warning');
  });

  it('tells a local clock that may come out as a timestamp from one that cannot', () => {
    const at = "at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')";
    expect(localClockConversion(`SELECT ${at} FROM t`)).toBe('at_timezone');
    expect(localClockConversion(`SELECT CAST(${at} AS timestamp) FROM t`)).toBe('at_timezone');
    expect(localClockConversion(`WITH l AS (SELECT ${at} AS c FROM t) SELECT c FROM l`)).toBe('at_timezone');
    expect(localClockConversion("SELECT event_time AT TIME ZONE 'Europe/Paris' FROM t")).toBe('AT TIME ZONE');
    expect(localClockConversion("SELECT timezone('Europe/Paris', x) FROM t")).toBe('timezone');
    expect(
      localClockConversion(`SELECT CAST(${at} AS date), minute(${at}), CAST( ${at} AS VARCHAR) FROM t`),
    ).toBe(undefined);
    expect(localClockConversion("SELECT event_time, 'at_timezone(x)' FROM t -- at time zone")).toBe(
      undefined,
    );
    // Text on Athena; DuckDB refuses the function itself.
    expect(localClockConversion(`SELECT format_datetime(${at}, 'HH:mm') FROM t`)).toBe(undefined);
    // The instant's seconds on Athena, the local clock's on DuckDB.
    expect(localClockConversion(`SELECT to_unixtime(${at}) FROM t`)).toBe('at_timezone');
    // Taken apart after a run of blanks longer than is looked back over: told as not, no Z.
    expect(localClockConversion(`SELECT hour(${' '.repeat(300)}${at}) FROM t`)).toBe('at_timezone');
  });

  // Review F-SECOND3 4: each of these wrote the Tokyo clock with a Z, and no warning.
  it('is not fooled by a quoted name, nor by a local clock taken apart and made a timestamp again', () => {
    const at = "at_timezone(with_timezone(event_time, 'UTC'), 'Asia/Tokyo')";
    expect(localClockConversion(`SELECT "at_timezone"(event_time,'Asia/Tokyo') FROM t`)).toBe('at_timezone');
    expect(localClockConversion(`SELECT \`timezone\`('Asia/Tokyo', x) FROM t`)).toBe('timezone');
    expect(localClockConversion(`SELECT 'a"b', "at_timezone"(event_time,'Asia/Tokyo') FROM t`)).toBe(
      'at_timezone',
    );
    const parts = ['year', 'month', 'day', 'hour'].map((part) => `${part}(${at})`).join(', ');
    expect(localClockConversion(`SELECT make_timestamp(${parts}, 0, 0) FROM t`)).toBe('at_timezone');
    expect(localClockConversion(`SELECT CAST(CAST(${at} AS varchar) AS timestamp) FROM t`)).toBe(
      'at_timezone',
    );
    expect(localClockConversion(`SELECT CAST(${at} AS date) + INTERVAL 1 HOUR FROM t`)).toBe('at_timezone');
    // An alias cast again in a later column (DuckDB reads a column's alias there), or a WITH.
    expect(
      localClockConversion(`SELECT CAST(${at} AS varchar) AS tokyo, CAST(tokyo AS timestamp) FROM t`),
    ).toBe('at_timezone');
    expect(
      localClockConversion(
        `WITH l AS (SELECT CAST(${at} AS varchar) AS c FROM t) SELECT CAST(c AS timestamp) FROM l`,
      ),
    ).toBe('at_timezone');
    expect(localClockConversion(`SELECT CAST(${at} AS date) FROM t UNION ALL SELECT event_time FROM t`)).toBe(
      'at_timezone',
    );
    // The docs' recipe: a column of its own, named once.
    expect(
      localClockConversion(`SELECT event_time, CAST(${at} AS varchar) AS tokyo, hour(${at}) AS h FROM t`),
    ).toBe(undefined);
  });

  it('json: the Tokyo clock of a quoted at_timezone, or cast back from text, keeps no Z', async () => {
    for (const tokyo of [
      `"at_timezone"(with_timezone(event_time, 'UTC'), 'Asia/Tokyo')`,
      "CAST(CAST(at_timezone(with_timezone(event_time, 'UTC'), 'Asia/Tokyo') AS varchar) AS timestamp)",
    ]) {
      const { stdout, stderr } = await runBoth([
        '--sql',
        `SELECT ${tokyo} AS tokyo FROM activity_log`,
        '--lake',
        lake,
        '--format',
        'json',
      ]);
      expect(JSON.parse(stdout)).toEqual([{ tokyo: expect.stringMatching(/^2026-11-19 17:00:00\.25/) }]);
      expect(stderr).toContain('at_timezone may put a local clock in a timestamp column (tokyo)');
    }
  });
});
