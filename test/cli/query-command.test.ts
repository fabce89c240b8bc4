import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { main } from '../../functions/cli/main.ts';
import { toCsv } from '../../functions/cli/query-csv.ts';
import { partialDays, wholeLocalDays } from '../../functions/cli/query-day-notes.ts';
import { sqlFailure } from '../../functions/cli/query-sql-failure.ts';
import { toTable } from '../../functions/cli/query-table.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { event, login, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-cli-'));
  await writeFixtureLake(lake, {
    events: [
      event('2026-11-17 09:00:00', { user_id: '1', user_name: 'Ada' }),
      event('2026-11-17 09:05:00', { user_id: '1', user_name: 'Ada' }),
      event('2026-11-18 10:00:00', { user_id: '2', user_name: 'Smith, "Jo"\nJr' }),
      login('2026-11-19 08:00:00', 'login_failed', { user_id: '2', user_name: 'Smith, "Jo"\nJr' }),
      event('2026-11-09 10:00:00', { user_id: '3', user_name: 'Old' }),
    ],
  });
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

// 2026-11-24 15:00 UTC: the default period is the 7 full UTC days before, 2026-11-17 to 2026-11-24.
const now = () => Date.parse('2026-11-24T15:00:00Z');
const run = async (argv: string[], deps = {}) => {
  const c = captureIo();
  const result = await queryCommand(argv, { ...c.io, log: silentLog }, { now, ...deps });
  return { ...c, result };
};

describe('query command on a local lake (DuckDB)', () => {
  it('--list names every query with what it answers', async () => {
    const { stdout, result } = await run(['--list']);
    expect(result).toBeUndefined();
    for (const name of QUERY_NAMES) expect(stdout()).toContain(`${name} `);
    expect(stdout()).toContain(loadQuery('suspicious_logins').description);
  });

  it('user_activity: says why 0 rows may be a name or a wrong id, not a quiet user', async () => {
    const named = await run(['user_activity', '--lake', lake, '--param', 'user_id=Ada']);
    expect(named.stderr()).toContain(
      'note: no event of the period names user_id "Ada" as its user, its actor or the user it was done to (a USER object of that id); user_id is the number Domo gives a user, not a name',
    );
    // An erased person's check: the name searched is said to be absent too.
    const erased = await run([
      'user_activity',
      '--lake',
      lake,
      '--param',
      'user_id=99',
      '--param',
      'named=Nobody Here',
    ]);
    expect(erased.stderr()).toContain(
      '(a USER object of that id), and no entry holds named "Nobody Here"; user_id is the number',
    );
    const found = await run(['user_activity', '--lake', lake, '--param', 'user_id=1']);
    expect(found.stderr()).not.toContain('no event of the period');
  });

  it('user_activity: one user, by --param user_id, with local times in --time-zone', async () => {
    const { stdout } = await run([
      'user_activity',
      '--lake',
      lake,
      '--param',
      'user_id=1',
      '--time-zone',
      'Europe/Paris',
      '--format',
      'json',
    ]);
    const rows = JSON.parse(stdout()) as { event_time: string; local_time: string; total_rows: number }[];
    expect(rows.map((r) => [r.event_time, r.local_time, r.total_rows])).toEqual([
      ['2026-11-17T09:00:00.000Z', '2026-11-17 10:00:00 +01:00', 2],
      ['2026-11-17T09:05:00.000Z', '2026-11-17 10:05:00 +01:00', 2],
    ]);
    const refused = (argv: string[]) =>
      run(['user_activity', '--lake', lake, ...argv]).then(
        () => 'no error',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    // Said as the flag that gives it, not as an empty --param the user never typed.
    expect(await refused([])).toBe(
      'UsageError: query user_activity needs --param user_id=<value> (it takes: instance, from_dt, to_dt, from_ts, to_ts, user_id, named, time_zone, max_rows, keep_rows)',
    );
    expect(await refused(['--param', 'user_id=0'])).toMatch(/^UsageError: .*user_id "0" names no user/);
  });

  it('address_activity: an IPv6 or IPv4-mapped --param address runs in the spelling the query matches', async () => {
    const v6 = await run(['address_activity', '--lake', lake, '--param', 'address=2A00:1450::081C']);
    expect(v6.result?.params.address).toBe('2a00:1450:0:0:0:0:0:81c');
    // A network owner alone: no address to match (review F-RESPOND2 3).
    const owner = await run(['address_activity', '--lake', lake, '--param', 'asn=AS013335']);
    expect(owner.result?.params).toMatchObject({ address: '', asn: '13335' });
    const mapped = await run(['address_activity', '--lake', lake, '--param', 'address=::ffff:203.0.113.7']);
    expect(mapped.result?.params.address).toBe('203.0.113.7');
    expect(mapped.result?.result.rows).toHaveLength(4);
  });

  it('address_activity: an address pasted from a log, in brackets or with a port, is that address', async () => {
    // Refused until 2026-12-07 ("is not an address"), where user_addresses shows [a.b.c.d] as a.b.c.d.
    for (const pasted of ['[203.0.113.7]', '[203.0.113.7]:443', '203.0.113.7:51234']) {
      const { result } = await run(['address_activity', '--lake', lake, '--param', `address=${pasted}`]);
      expect(result?.params.address, pasted).toBe('203.0.113.7');
      expect(result?.result.rows, pasted).toHaveLength(4);
    }
    const v6 = await run(['address_activity', '--lake', lake, '--param', 'address=[2A00:1450::081C]:443']);
    expect(v6.result?.params.address).toBe('2a00:1450:0:0:0:0:0:81c');
  });

  it('address_activity: one address, by --param address, required and checked before it runs', async () => {
    const { result } = await run(['address_activity', '--lake', lake, '--param', 'address=203.0.113.7']);
    expect(result?.result.rows.map((r) => [r.user_id, r.ip_address, r.total_rows])).toEqual([
      ['1', '203.0.113.7', 4],
      ['1', '203.0.113.7', 4],
      ['2', '203.0.113.7', 4],
      ['2', '203.0.113.7', 4],
    ]);
    const refused = (argv: string[]) =>
      run(['address_activity', '--lake', lake, ...argv]).then(
        () => 'no error',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    expect(await refused([])).toBe(
      'UsageError: query address_activity needs --param address=<ip> or --param asn=<number> (it takes: instance, from_dt, to_dt, from_ts, to_ts, address, asn, time_zone, max_rows, keep_rows)',
    );
    expect(await refused(['--param', 'address=203.0.113.%'])).toMatch(
      /^UsageError: --param "address=203\.0\.113\.%": address "203\.0\.113\.%" is not an address: give one IPv4 or IPv6 address/,
    );
  });

  it('defaults to the last 7 full UTC days, instance default, and prints an aligned table', async () => {
    const { stdout, result } = await run(['most_active_users', '--lake', lake]);
    expect(result?.params).toMatchObject({
      instance: 'default',
      from_ts: '2026-11-17 00:00:00.000',
      to_ts: '2026-11-24 00:00:00.000',
      limit: '10',
    });
    // A tie on events is broken by user id.
    expect(result?.result.rows.map((r) => r.user_id)).toEqual(['1', '2']);
    const lines = stdout().split('\n');
    expect(lines[0]).toBe(
      `most_active_users (default) 2026-11-17 00:00:00.000 to 2026-11-24 00:00:00.000 UTC on DuckDB ${lake}`,
    );
    expect(lines[2]).toBe(
      'user_id  user_name       events  distinct_objects  active_days  logins  last_seen',
    );
    expect(lines[3]).toBe(
      '-------  --------------  ------  ----------------  -----------  ------  -----------------------',
    );
    // Names are flattened onto one line; numbers are right-aligned under their header.
    expect(lines[4]).toBe(
      '1        Ada                  2                 1            1       0  2026-11-17 09:05:00.000',
    );
    expect(lines[5]).toBe(
      '2        Smith, "Jo" Jr       2                 2            2       0  2026-11-19 08:00:00.000',
    );
    expect(stdout()).toMatch(/\n2 rows in \d+ ms\n$/);
  });

  it('--from/--to (dates or zoned times), --instance and --limit', async () => {
    const { result } = await run([
      'most_active_users',
      '--lake',
      lake,
      '--from',
      '2026-11-09',
      '--to',
      '2026-11-17T10:00:00+01:00',
      '--limit',
      '1',
    ]);
    expect(result?.params).toMatchObject({
      from_dt: '2026-11-09',
      to_dt: '2026-11-17',
      from_ts: '2026-11-09 00:00:00.000',
      to_ts: '2026-11-17 09:00:00.000',
      limit: '1',
    });
    expect(result?.result.rows.map((r) => r.user_id)).toEqual(['3']);
  });

  it('--format json writes what a terminal would act on or hide as escapes, the same JSON to a parser', async () => {
    const text = 'a\u202eb\u009bc\u2028d\u001be';
    const { stdout } = await run(['--sql', `SELECT '${text}' AS name`, '--lake', lake, '--format', 'json']);
    expect(stdout()).toContain('"a\\u202eb\\u009bc\\u2028d\\u001be"');
    expect(JSON.parse(stdout())).toEqual([{ name: text }]);
  });

  it('--format json prints the rows as the engine returned them, a list column as an array, times with Z', async () => {
    const { stdout, result } = await run(['failed_logins_and_lockouts', '--lake', lake, '--format', 'json']);
    const zoned = (time: unknown) => (typeof time === 'string' ? `${time.replace(' ', 'T')}Z` : time);
    expect(JSON.parse(stdout())).toEqual(
      result?.result.rows.map((row) => ({
        ...row,
        ips: [row.ips],
        first_failure: zoned(row.first_failure),
        last_failure: zoned(row.last_failure),
      })),
    );
    expect(JSON.parse(stdout())).toEqual([
      {
        user_id: '2',
        user_name: 'Smith, "Jo"\nJr',
        failed_attempts: 1,
        lockouts: 0,
        distinct_ips: 1,
        ips: ['203.0.113.7'],
        first_failure: '2026-11-19T08:00:00.000Z',
        last_failure: '2026-11-19T08:00:00.000Z',
        last_lockout: null,
        total_rows: 1,
        no_user_names: 0,
        no_user_failures: 0,
        no_user_ips: 0,
        no_user_first_failure: null,
        no_user_last_failure: null,
      },
    ]);
  });

  it('--format csv follows RFC 4180: CRLF, quoted commas, quotes and line breaks, empty NULLs', async () => {
    const { stdout } = await run(['failed_logins_and_lockouts', '--lake', lake, '--format', 'csv']);
    expect(stdout()).toBe(
      'user_id,user_name,failed_attempts,lockouts,distinct_ips,ips,first_failure,last_failure,last_lockout,' +
        'total_rows,no_user_names,no_user_failures,no_user_ips,no_user_first_failure,no_user_last_failure\r\n' +
        '2,"Smith, ""Jo""\nJr",1,0,1,203.0.113.7,2026-11-19 08:00:00.000,2026-11-19 08:00:00.000,,1,0,0,0,,\r\n',
    );
  });

  it('--time-zone (in any letter case) and --param set the other parameters', async () => {
    const { result } = await run([
      'suspicious_logins',
      '--lake',
      lake,
      '--time-zone',
      'asia/tokyo',
      '--param',
      'min_history_logins=3',
      '--param',
      'history_from_ts=2026-11-01 00:00:00.000',
    ]);
    expect(result?.params).toMatchObject({
      time_zone: 'Asia/Tokyo',
      min_history_logins: '3',
      history_from_ts: '2026-11-01 00:00:00.000',
      // The timestamp's day: the default's 2026-10-18 would read days it does not ask for.
      history_from_dt: '2026-11-01',
    });
    const daily = await run([
      'daily_activity',
      '--lake',
      lake,
      '--time-zone',
      'Asia/Tokyo',
      '--format',
      'json',
    ]);
    expect(JSON.parse(daily.stdout()).map((r: { day: string }) => r.day)).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
    ]);
  });

  it('daily_activity notes the partial local days at both ends of the period, in the table only', async () => {
    // 2026-11-17 00:00 to 2026-11-19 12:00 UTC is 09:00 on the 17th to 21:00 on the 19th in Tokyo.
    const period = ['--from', '2026-11-17', '--to', '2026-11-19T12:00:00Z'];
    const tokyo = await run(['daily_activity', '--lake', lake, ...period, '--time-zone', 'Asia/Tokyo']);
    expect(tokyo.stdout()).toMatch(
      new RegExp(
        [
          // The last columns, covered_hours, short_hours, short_events, are 0: this lake has no
          // coverage manifests.
          '\\n2026-11-19 +1 +1 +0 +1 +0 +0 +0 +0',
          'note: 2026-11-17 is a partial day in Asia/Tokyo: the period covers 15 of its 24 hours',
          'note: 2026-11-19 is a partial day in Asia/Tokyo: the period covers 21 of its 24 hours',
          'note: for whole days in Asia/Tokyo, give --from 2026-11-17T00:00\\+09:00 --to 2026-11-20T00:00\\+09:00',
          '',
          '3 rows in \\d+ ms\\n$',
        ].join('\n'),
      ),
    );
    // A partial day without events has no row, so no note: 2026-11-24 09:00 ends the default period.
    const week = await run(['daily_activity', '--lake', lake, '--time-zone', 'Asia/Tokyo']);
    expect(week.stdout()).toContain('note: 2026-11-17 is a partial day');
    expect(week.stdout()).not.toContain('note: 2026-11-24');
    // JSON and CSV stay bare rows.
    for (const format of ['json', 'csv']) {
      const bare = await run([
        'daily_activity',
        '--lake',
        lake,
        ...period,
        '--time-zone',
        'Asia/Tokyo',
        '--format',
        format,
      ]);
      expect(bare.stdout()).not.toContain('partial');
    }
    // The advised period, run as printed: whole Tokyo days, no note.
    const whole = ['--from', '2026-11-17T00:00+09:00', '--to', '2026-11-20T00:00+09:00'];
    const tokyoWhole = await run(['daily_activity', '--lake', lake, ...whole, '--time-zone', 'Asia/Tokyo']);
    expect(tokyoWhole.stdout()).not.toContain('note:');
    expect(tokyoWhole.stdout()).toContain('2026-11-17');
    // Whole UTC days in UTC: no note.
    const utc = await run(['daily_activity', '--lake', lake]);
    expect(utc.stdout()).not.toContain('note:');
    expect(utc.stdout()).toMatch(/\n2026-11-19 +1 +1 +0 +1 +0 +0 +0 +0\n\n3 rows in \d+ ms\n$/);
  });

  it('most_active_users notes that active_days counts the partial local days of the period', async () => {
    // One UTC day is 09:00 on the 19th to 09:00 on the 20th in Tokyo: two local dates.
    const tokyo = await run([
      'most_active_users',
      '--lake',
      lake,
      ...['--from', '2026-11-19', '--to', '2026-11-20', '--time-zone', 'Asia/Tokyo'],
    ]);
    expect(tokyo.stdout().replace(/\s+/g, ' ')).toContain(
      'note: active_days counts dates in Asia/Tokyo, and the period covers only part of 2026-11-19 (15 of its 24 hours) and 2026-11-20 (9 of its 24 hours): an event in those hours counts the whole day ' +
        'note: for whole days in Asia/Tokyo, give --from 2026-11-19T00:00+09:00 --to 2026-11-21T00:00+09:00',
    );
    // The advised period, and whole UTC days in UTC: no note.
    const whole = [
      '--from',
      '2026-11-19T00:00+09:00',
      '--to',
      '2026-11-21T00:00+09:00',
      '--time-zone',
      'Asia/Tokyo',
    ];
    expect((await run(['most_active_users', '--lake', lake, ...whole])).stdout()).not.toContain('note:');
    expect((await run(['most_active_users', '--lake', lake])).stdout()).not.toContain('note:');
  });

  it('daily_activity inside the one local day in progress says no whole day has ended', async () => {
    // Noon on the 19th: the only whole day around the period ends at midnight, still to come.
    const noon = () => Date.parse('2026-11-19T12:00:00Z');
    const today = ['--from', '2026-11-19T06:00:00Z', '--to', '2026-11-19T12:00:00Z'];
    const { stdout } = await run(['daily_activity', '--lake', lake, ...today], { now: noon });
    expect(stdout()).toContain(
      'note: 2026-11-19 is a partial day in UTC: the period covers 6 of its 24 hours',
    );
    expect(stdout()).toContain(
      'note: no whole day in UTC has ended in the period: this day ends at 2026-11-20T00:00+00:00',
    );
    expect(stdout()).not.toContain('for whole days');
  });

  it('wholeLocalDays: the local midnights around a period, across a change of offset', () => {
    const at = (iso: string) => Date.parse(iso);
    // Denver leaves daylight time on 2026-11-01: that day starts at -06:00 and the next at -07:00.
    expect(wholeLocalDays(at('2026-11-01T12:00:00Z'), at('2026-11-02T07:00:00Z'), 'America/Denver')).toEqual({
      fromMs: at('2026-11-01T06:00:00Z'),
      toMs: at('2026-11-02T07:00:00Z'),
    });
    expect(wholeLocalDays(at('2026-11-17T00:00:00Z'), at('2026-11-18T00:00:00Z'), 'UTC')).toEqual({
      fromMs: at('2026-11-17T00:00:00Z'),
      toMs: at('2026-11-18T00:00:00Z'),
    });
    // A period ending now: the midnight after it is still to come, so the days up to the last one.
    const now = at('2026-11-19T13:00:00Z');
    expect(
      wholeLocalDays(at('2026-11-17T00:00:00Z'), at('2026-11-19T13:00:00Z'), 'Asia/Kolkata', now),
    ).toEqual({
      fromMs: at('2026-11-16T18:30:00Z'),
      toMs: at('2026-11-18T18:30:00Z'),
    });
  });

  it('partialDays: the end days a period covers only in part, with their own length', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(partialDays(at('2026-11-17T00:00:00Z'), at('2026-11-24T00:00:00Z'), 'UTC')).toEqual([]);
    expect(partialDays(at('2026-11-16T23:00:00Z'), at('2026-11-23T23:00:00Z'), 'Europe/Paris')).toEqual([]);
    expect(partialDays(at('2026-11-17T06:00:00Z'), at('2026-11-24T00:00:00Z'), 'UTC')).toEqual([
      { day: '2026-11-17', hours: 18, dayHours: 24 },
    ]);
    // Kolkata is 5:30 ahead; one day holding the whole period.
    expect(partialDays(at('2026-11-17T00:00:00Z'), at('2026-11-17T06:00:00Z'), 'Asia/Kolkata')).toEqual([
      { day: '2026-11-17', hours: 6, dayHours: 24 },
    ]);
    expect(partialDays(at('2026-11-17T00:00:00Z'), at('2026-11-18T00:00:00Z'), 'Asia/Kolkata')).toEqual([
      { day: '2026-11-17', hours: 18.5, dayHours: 24 },
      { day: '2026-11-18', hours: 5.5, dayHours: 24 },
    ]);
    // Denver falls back on 2026-11-01: that day has 25 hours.
    expect(partialDays(at('2026-11-01T00:00:00Z'), at('2026-11-02T07:00:00Z'), 'America/Denver')).toEqual([
      { day: '2026-10-31', hours: 6, dayHours: 24 },
    ]);
    expect(partialDays(at('2026-11-01T12:00:00Z'), at('2026-11-02T07:00:00Z'), 'America/Denver')).toEqual([
      { day: '2026-11-01', hours: 19, dayHours: 25 },
    ]);
  });

  it('refuses bad input with usage errors that say what to do', async () => {
    const bad = async (argv: string[]) =>
      run(argv).then(
        () => 'no error',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    expect(await bad([])).toMatch(
      /^UsageError: name a query: activity_after_deactivation, address_activity, admin_changes, .* \(or --list\)$/,
    );
    expect(await bad(['top_users'])).toMatch(
      /^UsageError: no query "top_users"; the catalog has: activity_after_deactivation, address_activity, admin_changes/,
    );
    expect(await bad(['most_active_user'])).toMatch(
      /^UsageError: no query "most_active_user" \(did you mean most_active_users\?\); the catalog has: activity_after_deactivation, address_activity, admin_changes, /,
    );
    expect(await bad(['period_totals', 'daily_activity'])).toMatch(/one query at a time/);
    expect(await bad(['--all', '--format', 'csv'])).toMatch(
      /--all prints a line per query \(table\) or --format json/,
    );
    expect(await bad(['period_totals', '--format', 'xml'])).toMatch(
      /--format "xml": must be one of table, json, csv/,
    );
    expect(await bad(['period_totals', '--param', 'limit=3'])).toMatch(
      /query period_totals has no parameter "limit"; it takes: instance, from_dt, to_dt, from_ts, to_ts/,
    );
    expect(await bad(['period_totals', '--param', 'instance'])).toMatch(/must be name=value/);
    expect(await bad(['suspicious_logins', '--limit', '5'])).toMatch(
      /^UsageError: --limit: suspicious_logins is not a ranked query and takes no row limit; leave --limit out \(the ranked queries: .*most_active_users/,
    );
    expect(await bad(['popular_pages', '--time-zone', 'CET'])).toMatch(
      /^UsageError: popular_pages takes no --time-zone: it would change nothing; leave it out \(it takes: instance, /,
    );
    expect(await bad(['latest_events', '--to', '2026-11-20', '--time-zone', 'CET'])).toMatch(
      /^UsageError: latest_events takes no --to or --time-zone: they would change nothing; leave them out \(it takes: from_dt\)$/,
    );
    expect(await bad(['latest_events', '--to', '2026-11-20'])).toMatch(
      /^UsageError: latest_events takes no --to:/,
    );
    expect(await bad(['period_totals', '--from', '2026-11-24'])).toMatch(
      /^UsageError: --from must be before --to \(not given: today 00:00 UTC, 2026-11-24\)$/,
    );
    expect(await bad(['period_totals', '--workgroup', 'wg', '--region', 'eu-west-1'])).toMatch(
      /^UsageError: --workgroup, --region apply to Athena only: add --athena to query the deployed lake, or leave them out/,
    );
    expect(await bad(['suspicious_logins', '--param', 'max_speed_kmh=0'])).toMatch(
      /^UsageError: --param "max_speed_kmh=0": max_speed_kmh "0" must be a whole number from 100 to 20000 \(fastest plausible journey/,
    );
    expect(await bad(['period_totals', '--from', '2026-11-20', '--to', '2026-11-19'])).toMatch(
      /--from must be before --to/,
    );
    expect(await bad(['period_totals', '--from', '2026-11-20T10:00:00'])).toMatch(/is not a valid UTC time/);
    expect(await bad(['daily_activity', '--time-zone', 'Mars/Olympus'])).toMatch(
      /^UsageError: --time-zone "Mars\/Olympus": time zone "Mars\/Olympus" is not a known IANA zone name/,
    );
    expect(await bad(['period_totals', '--instance', 'Not Valid'])).toMatch(
      /^UsageError: --instance "Not Valid": instance name/,
    );
    expect(await bad(['period_totals', '--lake', 's3://bucket/lake'])).toMatch(
      /is in S3: DuckDB reads a local lake only; for the deployed lake replace --lake with --athena --workgroup <wg> --database <db> \(the stack's AthenaWorkGroup and AthenaDatabase outputs\)/,
    );
    expect(await bad(['period_totals', '--athena', '--workgroup', 'wg'])).toMatch(
      /--athena needs --workgroup <name> and --database <name>/,
    );
  });
});

describe('query command on Athena', () => {
  const athena = mockClient(AthenaClient);
  beforeEach(() => athena.reset());
  afterAll(() => athena.restore());

  it('--athena runs the same query in the given workgroup and database', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 3 * 1_048_576 } },
    });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'events', Type: 'bigint' },
            { Name: 'active_users', Type: 'bigint' },
          ],
        },
        Rows: [
          { Data: [{ VarCharValue: 'events' }, { VarCharValue: 'active_users' }] },
          { Data: [{ VarCharValue: '5' }, { VarCharValue: '2' }] },
        ],
      },
    });
    const { stdout, result } = await run(
      ['period_totals', '--athena', '--workgroup', 'wg', '--database', 'db', '--instance', 'acme'],
      { athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
    );
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: loadQuery('period_totals').sql,
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'db' },
      ExecutionParameters: [
        "'acme'",
        "'2026-11-17'",
        "'2026-11-23'",
        "'2026-11-17 00:00:00.000'",
        "'2026-11-24 00:00:00.000'",
      ],
    });
    expect(result?.result.rows).toEqual([{ events: 5, active_users: 2 }]);
    expect(stdout()).toContain('on Athena wg/db');
    expect(stdout()).toMatch(/1 row in \d+ ms, 3\.0 MB scanned/);
  });

  it('says a small scan in KB, not as 0.0 MB', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 40 * 1024 } },
    });
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const { stdout } = await run(['period_totals', '--athena', '--workgroup', 'wg', '--database', 'db'], {
      athenaClient: new AthenaClient({ region: 'eu-west-1' }),
    });
    expect(stdout()).toMatch(/0 rows in \d+ ms, 40 KB scanned\n/);
  });
});

describe('query --all (smoke test of the whole catalog)', () => {
  const athena = mockClient(AthenaClient);
  beforeEach(() => athena.reset());
  afterAll(() => athena.restore());

  it('runs every query once on the local lake and says each is ok', async () => {
    const { stdout } = await run(['--all', '--lake', lake]);
    for (const name of QUERY_NAMES)
      expect(stdout()).toMatch(new RegExp(`\\n {2}ok {4}${name}: \\d+ rows? in \\d+ ms`));
    // One row is "1 row"; user_activity runs for an id no user has.
    expect(stdout()).toMatch(/\n {2}ok {4}period_totals: 1 row in \d+ ms/);
    expect(stdout()).toMatch(/\n {2}ok {4}user_activity: 0 rows in \d+ ms/);
  });

  /**
   * `query --all` on Athena where suspicious_logins fails with `message` and the rest return no
   * rows, having scanned `scannedBytes` when given.
   */
  function allOnAthenaFailing(message: string, scannedBytes?: number) {
    const failing = loadQuery('suspicious_logins').sql;
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => ({
      QueryExecutionId: input.QueryString === failing ? 'q-bad' : 'q-ok',
    }));
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-ok' }).resolves({
      QueryExecution: {
        Status: { State: 'SUCCEEDED' },
        ...(scannedBytes === undefined ? {} : { Statistics: { DataScannedInBytes: scannedBytes } }),
      },
    });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-bad' }).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', AthenaError: { ErrorCategory: 1, ErrorMessage: message } },
      },
    });
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const c = captureIo();
    const outcome = queryCommand(
      ['--all', '--athena', '--workgroup', 'wg', '--database', 'db'],
      { ...c.io, log: silentLog },
      { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
    );
    return { outcome, stdout: c.stdout };
  }

  it('on Athena, names the queries that fail and fails the command', async () => {
    const { outcome, stdout } = allOnAthenaFailing('FUNCTION_NOT_FOUND');
    await expect(outcome).rejects.toThrow(/^1 of \d+ queries failed: suspicious_logins$/);
    expect(stdout()).toMatch(/ {2}FAIL {2}suspicious_logins: .*FUNCTION_NOT_FOUND/);
    expect(stdout()).toMatch(/ {2}ok {4}trending_cards: 0 rows/);
  });

  it("says each query's scan as the rest of the CLI does: 40 KB, not 0.0 MB", async () => {
    const { outcome, stdout } = allOnAthenaFailing('FUNCTION_NOT_FOUND', 40 * 1024);
    await expect(outcome).rejects.toThrow(/^1 of \d+ queries failed: suspicious_logins$/);
    expect(stdout()).toMatch(/ {2}ok {4}trending_cards: 0 rows in \d+ ms, 40 KB scanned\n/);
  });

  it("keeps a failed query's line to the first line of its error", async () => {
    const message = 'FUNCTION_NOT_FOUND: line 3:7: Function not registered\nLINE 3: SELECT x(\n       ^';
    const { outcome, stdout } = allOnAthenaFailing(message);
    await expect(outcome).rejects.toThrow(/^1 of \d+ queries failed: suspicious_logins$/);
    const lines = stdout().split('\n');
    const failLine = lines.findIndex((line) => line.startsWith('  FAIL  suspicious_logins: '));
    expect(lines[failLine]).toMatch(/Function not registered$/);
    expect(lines[failLine + 1]).toMatch(/^ {2}(ok|FAIL) {2,4}\w+: /);
    expect(stdout()).not.toContain('LINE 3');
  });

  it("prints a failed query's error with its control characters as spaces", async () => {
    const { outcome, stdout } = allOnAthenaFailing(
      "INVALID_CAST_ARGUMENT: Cannot cast 'Ttl\u001b]0;PWNED\u0007\u202eX'",
    );
    await expect(outcome).rejects.toThrow(/^1 of \d+ queries failed: suspicious_logins$/);
    expect(stdout()).toMatch(/ {2}FAIL {2}suspicious_logins: .*'Ttl \]0;PWNED {2}X'\n/);
    for (const char of ['\u0007', '\u001b', '\u202e']) expect(stdout()).not.toContain(char);
  });
});

describe('query --sql (your own SQL)', () => {
  let twoInstances: string;
  beforeAll(async () => {
    twoInstances = await mkdtemp(join(tmpdir(), 'query-sql-'));
    await writeFixtureLake(twoInstances, { instance: 'acme', events: [event('2026-11-17 09:00:00')] });
    await writeFixtureLake(twoInstances, {
      instance: 'beta',
      events: [event('2026-11-18 10:00:00'), login('2026-11-18 11:00:00', 'login_failed')],
    });
  });
  afterAll(async () => {
    await rm(twoInstances, { recursive: true, force: true });
  });
  const sql = 'SELECT instance, count(*) AS events FROM activity_log GROUP BY instance ORDER BY instance';

  it("runs it as written over every instance's tables, as a table, JSON or CSV", async () => {
    const { stdout, result } = await run(['--sql', sql, '--lake', twoInstances]);
    expect(result?.result.rows).toEqual([
      { instance: 'acme', events: 1 },
      { instance: 'beta', events: 2 },
    ]);
    const lines = stdout().split('\n');
    expect(lines[0]).toBe(`SQL on DuckDB ${twoInstances}`);
    expect(lines.slice(2, 6)).toEqual([
      'instance  events',
      '--------  ------',
      'acme           1',
      'beta           2',
    ]);
    expect(stdout()).toMatch(/\n2 rows in \d+ ms\n$/);
    expect(
      JSON.parse((await run(['--sql', sql, '--lake', twoInstances, '--format', 'json'])).stdout()),
    ).toEqual(result?.result.rows);
    expect((await run(['--sql', sql, '--lake', twoInstances, '--format', 'csv'])).stdout()).toBe(
      'instance,events\r\nacme,1\r\nbeta,2\r\n',
    );
  });

  it('refuses what would not change the SQL, and empty SQL, before opening the lake (exit 2)', async () => {
    const bad = async (argv: string[]) => {
      const c = captureIo();
      const code = await main(['query', ...argv, '--lake', '/no/such/lake'], c.io);
      return { code, stderr: c.stderr() };
    };
    expect(await bad(['--sql', '  '])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--sql is empty: give the SQL/),
    });
    expect(await bad(['period_totals', '--sql', sql])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /--sql runs your SQL instead of a catalog query: leave out period_totals/,
      ),
    });
    expect(await bad(['--sql', sql, '--from', '2026-11-01', '--instance', 'acme'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /--sql runs the SQL as written, so --from, --instance would change nothing: put the instance and the period in its WHERE/,
      ),
    });
  });

  it("says on one line what the engine refused, naming the lake's tables when a table is wrong (exit 1)", async () => {
    const failed = async (query: string) => {
      const c = captureIo();
      expect(await main(['query', '--sql', query, '--lake', twoInstances], c.io)).toBe(1);
      return c.stderr();
    };
    expect(await failed('SELECT * FROM activity')).toMatch(
      /^error: Catalog Error: Table with name activity does not exist! Did you mean "activity_log"\? \(the lake's tables: activity_log, coverage, quarantine; on Athena also alerts once they are on\)\n$/,
    );
    expect(await failed("SELECT nope FROM activity_log WHERE dt >= '2000-01-01'")).toMatch(
      /^error: Binder Error: Referenced column "nope" not found in FROM clause! Candidate bindings: "[a-z_]+"/,
    );
  });

  it('prints the value the engine quotes in its error with its control characters as spaces', async () => {
    // As a Domo name failing a CAST would be quoted: an escape sequence that clears the screen,
    // a C1 CSI and a bidi override.
    const c = captureIo();
    const query = "SELECT CAST('Clr' || chr(27) || '[2J' || chr(155) || 'H' || chr(8238) || 'X' AS INTEGER)";
    expect(await main(['query', '--sql', query, '--lake', twoInstances], c.io)).toBe(1);
    expect(c.stderr()).toMatch(/^error: Conversion Error: .*'Clr \[2J H X'/);
    for (const char of ['\u001b', '\u009b', '\u202e']) expect(c.stderr()).not.toContain(char);
  });

  it('sqlFailure drops the caret lines and the guesses at system tables', () => {
    expect(sqlFailure('Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n        ^')).toBe(
      'Parser Error: syntax error at or near "SELEC"',
    );
    expect(sqlFailure('Catalog Error: Table with name x does not exist!\nDid you mean "pg_enum"?')).toMatch(
      /^Catalog Error: Table with name x does not exist! \(the lake's tables: /,
    );
  });

  describe('on Athena', () => {
    const athena = mockClient(AthenaClient);
    beforeEach(() => athena.reset());
    afterAll(() => athena.restore());

    it('sends the SQL as written, without parameters, to the workgroup and database', async () => {
      athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
      athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
      athena.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
          Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '7' }] }],
        },
      });
      const { stdout } = await run(
        ['--sql', 'SELECT count(*) AS n FROM alerts', '--athena', '--workgroup', 'wg', '--database', 'db'],
        { athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
      );
      expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toEqual({
        QueryString: 'SELECT count(*) AS n FROM alerts',
        WorkGroup: 'wg',
        QueryExecutionContext: { Database: 'db' },
      });
      expect(stdout()).toMatch(/^SQL on Athena wg\/db\n\nn\n-\n7\n/);
    });
  });
});

describe('query command through main', () => {
  it('exit 0 with output; exit 2 with a one-line usage error listing the queries', async () => {
    const ok = captureIo();
    expect(await main(['query', 'period_totals', '--lake', lake, '--format', 'csv'], ok.io)).toBe(0);
    expect(ok.stdout()).toMatch(/^events,active_users,logins,failed_logins,lockouts,distinct_objects\r\n/);
    const bad = captureIo();
    expect(await main(['query', 'nope'], bad.io)).toBe(2);
    expect(bad.stderr()).toMatch(
      /^error: no query "nope"; the catalog has: .*trending_cards, uncounted_sign_ins, user_activity, user_addresses, user_unusual_activity \(see: query --help\)\n$/,
    );
    const help = captureIo();
    expect(await main(['query', '--help'], help.io)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: domo-activity-lake query <name>/);
    const list = captureIo();
    expect(await main(['--help'], list.io)).toBe(0);
    expect(list.stdout()).toMatch(/\n {2}query {6}run a query of the catalog/);
  });
});

describe('output formats', () => {
  const result = {
    columns: [
      { name: 'name', type: 'varchar' },
      { name: 'n', type: 'bigint' },
      { name: 'pct', type: 'double' },
    ],
    rows: [
      { name: 'a very long name that goes on and on', n: 5, pct: 12.5 },
      { name: null, n: 12345, pct: null },
    ],
  };

  it('table shows every cell whole where it fits (a pipe has no width), right-aligns numbers and spells out NULL', () => {
    expect(toTable(result).split('\n')).toEqual([
      'name                                      n    pct',
      '------------------------------------  -----  -----',
      'a very long name that goes on and on      5  12.50',
      'NULL                                  12345   NULL',
    ]);
    expect(toTable({ columns: result.columns.slice(0, 1), rows: [{ name: '' }] }).split('\n')[2]).toBe('');
  });

  it('table never cuts a cell on a narrow terminal: a row becomes a block of lines within its width', () => {
    const lines = toTable(result, 30).split('\n');
    expect(lines).toEqual([
      'name  a very long name that',
      '      goes on and on',
      'n     5',
      'pct   12.50',
      '',
      'name  NULL',
      'n     12345',
      'pct   NULL',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('table rounds doubles to two decimals, alike down a column so the points line up; csv and json keep every digit', () => {
    const doubles = {
      columns: [
        { name: 'change_pct', type: 'double' },
        { name: 'whole', type: 'double' },
        { name: 'tiny', type: 'double' },
      ],
      rows: [
        { change_pct: -27.67402376910017, whole: 3, tiny: 0.001234 },
        { change_pct: 64.25, whole: 1200, tiny: 0.5 },
        { change_pct: 104.8, whole: null, tiny: 0 },
      ],
    };
    expect(toTable(doubles).split('\n')).toEqual([
      'change_pct  whole    tiny',
      '----------  -----  ------',
      '    -27.67      3  0.0012',
      '     64.25   1200    0.50',
      '    104.80   NULL    0.00',
    ]);
    expect(toCsv(doubles).split('\r\n')[1]).toBe('-27.67402376910017,3,0.001234');
  });

  it('csv leaves NULL empty and quotes only what needs it', () => {
    expect(toCsv(result)).toBe('name,n,pct\r\na very long name that goes on and on,5,12.5\r\n,12345,\r\n');
  });

  const hostile = {
    columns: [
      { name: 'name', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ],
    rows: [
      { name: '=HYPERLINK("http://x","y")', n: -5 },
      { name: 'Bob\u001b[31m red\u202egnp.exe', n: 1 },
    ],
  };

  it('csv keeps text cells from running as spreadsheet formulas, numbers untouched', () => {
    expect(toCsv(hostile).split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",-5`);
  });

  it('table drops terminal escape sequences and bidi overrides from Domo strings', () => {
    const table = toTable(hostile, 40);
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u202e');
    expect(table).toContain('Bob[31m redgnp.exe');
  });
});
