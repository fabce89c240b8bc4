/**
 * On Athena, `query suspicious_logins` asks how many users had too little history only beside rows
 * (review R-QUERIES M4: every run paid login_history, a second read of the history, and data_health
 * over it, a quiet week too), and reads the history's coverage only when nobody had history enough
 * or, without rows, from the coverage manifests alone (review R-Q3 M1: a lake's first empty weeks
 * must still say nobody was judged). A side query that fails leaves the rows shown and says why
 * (R-Q3 M2). Counted here by the StartQueryExecution calls of each query.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { HOURS_HELD_SQL } from '../../functions/core/lake/hours-held.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { captureIo } from '../support/capture-io.ts';

const now = () => Date.parse('2026-11-25T10:00:00Z');
const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--instance', 'main'];

type Row = Record<string, string>;

const athena = mockClient(AthenaClient);
afterAll(() => athena.restore());
beforeEach(() => athena.reset());

/** Which query a statement is: the one whose SQL it is, hours_held for the manifests' count. */
const nameOf = (sql: string | undefined) =>
  sql === HOURS_HELD_SQL
    ? 'hours_held'
    : (QUERY_NAMES.find((name) => loadQuery(name).sql === sql) ?? 'other');

const columnsOf = (name: string) => (name === 'hours_held' ? ['covered_hours'] : loadQuery(name).columns);

/** Athena answering each catalog query with its rows here (none if not given), every column a text. */
function answering(rows: Readonly<Record<string, Row[]>>) {
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => ({
    QueryExecutionId: nameOf(input.QueryString),
  }));
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId?: string }) => {
    const name = input.QueryExecutionId ?? '';
    const columns = columnsOf(name);
    const cells = (values: readonly string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Type: 'varchar' })) },
        Rows: [cells(columns), ...(rows[name] ?? []).map((row) => cells(columns.map((c) => row[c] ?? '')))],
      },
    };
  });
}

/** Athena failing one query (as a throttled or cancelled one), the others answered as above. */
function failing(name: string) {
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId?: string }) => ({
    QueryExecution: {
      Status:
        input.QueryExecutionId === name
          ? { State: 'FAILED', StateChangeReason: 'Query exhausted resources at this scale factor' }
          : { State: 'SUCCEEDED' },
    },
  }));
}

/** How many times each query was started. */
const started = () => {
  const counts: Record<string, number> = {};
  for (const call of athena.commandCalls(StartQueryExecutionCommand)) {
    const name = nameOf(call.args[0].input.QueryString);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};

async function suspiciousLogins() {
  return (await suspiciousLoginsOut()).stderr;
}

async function suspiciousLoginsOut() {
  const c = captureIo();
  await queryCommand(
    ['suspicious_logins', ...ON_ATHENA],
    { ...c.io, log: silentLog },
    { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
  );
  return { stdout: c.stdout(), stderr: c.stderr() };
}

const covered = { expected_hours: '168', covered_hours: '168' };
const finding: Row = {
  event_time: '2026-11-20 09:00:00.000',
  user_id: '1',
  user_name: 'Ada',
  reason: 'new_country',
  evidence: 'first login from DE in 30 days; previous: US (41 logins)',
  user_reason_rows: '1',
  total_rows: '1',
  total_logins: '1',
};

describe('query suspicious_logins on Athena asks about the history only when the rows need it', () => {
  it('a quiet week is the query, its period coverage and the manifests of its history, with a note saying what was not counted', async () => {
    answering({ data_health: [covered], hours_held: [{ covered_hours: '720' }] });
    const stderr = await suspiciousLogins();
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 1, hours_held: 1 });
    expect(stderr).toContain(
      'note: users with fewer than 10 logins in the 30 days before are judged by none of the new-country, new-network and unusual-hour checks; with no row, Athena is not asked how many (a query more): query login_history with the same options counts them',
    );
  });

  it('beside rows it counts the users short of history, and reads no coverage of a history some had', async () => {
    answering({
      suspicious_logins: [finding],
      data_health: [covered],
      login_history: [{ users: '40', short_history_users: '27', short_placed_history_users: '27' }],
    });
    const stderr = await suspiciousLogins();
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 1, login_history: 1 });
    expect(stderr).toContain(
      'note: 27 of 40 users who signed in had too little history (fewer than 10 logins in the 30 days before) to be judged by the new-country, new-network and unusual-hour checks.',
    );
  });

  it('reads the history coverage when no user had history enough, and says when the lake holds none', async () => {
    answering({
      suspicious_logins: [{ ...finding, reason: 'impossible_travel' }],
      data_health: [{ expected_hours: '720', covered_hours: '0' }],
      login_history: [{ users: '2', short_history_users: '2', short_placed_history_users: '2' }],
    });
    const stderr = await suspiciousLogins();
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 1, login_history: 1, hours_held: 1 });
    expect(stderr).toContain('note: the lake holds none of the history before the period');
  });

  it('a quiet week in a lake holding none of the history says nobody was judged', async () => {
    answering({ data_health: [covered], hours_held: [{ covered_hours: '0' }] });
    const stderr = await suspiciousLogins();
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 1, hours_held: 1 });
    const asked = athena
      .commandCalls(StartQueryExecutionCommand)
      .find((call) => nameOf(call.args[0].input.QueryString) === 'hours_held');
    // Quoted, as Athena takes a text value.
    expect(asked?.args[0].input.ExecutionParameters).toEqual([
      "'main'",
      "'2026-10-19'",
      "'2026-11-18'",
      "'2026-10-19 00:00:00.000'",
      "'2026-11-18 00:00:00.000'",
    ]);
    expect(stderr).toBe(
      'note: the lake holds none of the history before the period (2026-10-19 00:00:00.000 to 2026-11-18 00:00:00.000 UTC): the new-country, new-network and unusual-hour checks judged nobody. That history ends at --from for every sign-in of the period, not at each sign-in: alerts --since/--until judges each against the days just before it\n',
    );
  });
});

/** `query <name>` on Athena: what it wrote on stdout and stderr. */
async function queryOut(args: string[]) {
  const c = captureIo();
  await queryCommand(
    [...args, ...ON_ATHENA],
    { ...c.io, log: silentLog },
    { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
  );
  return { stdout: c.stdout(), stderr: c.stderr() };
}

describe('query on Athena shows its rows when a side query fails', () => {
  it('data_health failing: the rows, and why the coverage is not known', async () => {
    answering({
      suspicious_logins: [finding],
      login_history: [{ users: '1', short_history_users: '0', short_placed_history_users: '0' }],
    });
    failing('data_health');
    const { stdout, stderr } = await queryOut(['suspicious_logins']);
    expect(stdout).toContain('first login from DE in 30 days');
    expect(stderr).toContain(
      "note: could not tell how many of the period's hours the lake covers: Athena query data_health FAILED",
    );
  });

  it('data_health failing beside a comparison: its change left out, as not known to compare', async () => {
    answering({
      trending_cards: [
        {
          card_id: 'c1',
          card_name: 'Revenue',
          views: '9',
          previous_views: '3',
          change: '6',
          change_pct: '200',
          rank: '1',
        },
      ],
    });
    failing('data_health');
    const { stdout, stderr } = await queryOut(['trending_cards']);
    expect(stdout).toContain('Revenue');
    expect(stdout).not.toContain('change');
    expect(stderr).toContain(
      'note: no change shown (change, change_pct left out): whether both periods are wholly in the lake is not known',
    );
    const json = await queryOut(['trending_cards', '--format', 'json']);
    expect(json.stdout).toContain('"change_pct"');
    expect(json.stderr).toContain('note: change, change_pct may not compare like with like');
  });

  it('login_history failing beside rows: the rows, and why nobody was counted', async () => {
    answering({ suspicious_logins: [finding], data_health: [covered] });
    failing('login_history');
    const { stdout, stderr } = await suspiciousLoginsOut();
    expect(stdout).toContain('first login from DE in 30 days');
    expect(stderr).toContain(
      'note: could not count users short of history: Athena query login_history FAILED',
    );
    expect(stderr).toContain('Query exhausted resources at this scale factor');
    expect(stderr).toContain(
      'note: users with fewer than 10 logins in the 30 days before are judged by none of the new-country, new-network and unusual-hour checks: query login_history with the same options counts them',
    );
  });

  it('the history manifests failing in a quiet week: the general note, and why the lake was not asked', async () => {
    answering({ data_health: [covered] });
    failing('hours_held');
    const { stderr } = await suspiciousLoginsOut();
    expect(stderr).toContain(
      'note: could not tell whether the lake holds the history before the period: Athena',
    );
    expect(stderr).toContain('with no row, Athena is not asked how many (a query more)');
  });
});
