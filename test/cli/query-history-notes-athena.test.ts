/**
 * On Athena, `query suspicious_logins` asks how many users had too little history only beside rows
 * (review R-QUERIES M4: every run paid login_history, a second read of the history, and data_health
 * over it, a quiet week too), and reads the history's coverage only when nobody had history enough.
 * Counted here by the StartQueryExecution calls of each catalog query.
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
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { captureIo } from '../support/capture-io.ts';

const now = () => Date.parse('2026-11-25T10:00:00Z');
const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--instance', 'main'];

type Row = Record<string, string>;

const athena = mockClient(AthenaClient);
afterAll(() => athena.restore());
beforeEach(() => athena.reset());

/** Which catalog query a statement is: the one whose SQL it is. */
const nameOf = (sql: string | undefined) =>
  QUERY_NAMES.find((name) => loadQuery(name).sql === sql) ?? 'other';

/** Athena answering each catalog query with its rows here (none if not given), every column a text. */
function answering(rows: Readonly<Record<string, Row[]>>) {
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => ({
    QueryExecutionId: nameOf(input.QueryString),
  }));
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId?: string }) => {
    const name = input.QueryExecutionId ?? '';
    const columns = loadQuery(name).columns;
    const cells = (values: readonly string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Type: 'varchar' })) },
        Rows: [cells(columns), ...(rows[name] ?? []).map((row) => cells(columns.map((c) => row[c] ?? '')))],
      },
    };
  });
}

/** How many times each catalog query was started. */
const started = () => {
  const counts: Record<string, number> = {};
  for (const call of athena.commandCalls(StartQueryExecutionCommand)) {
    const name = nameOf(call.args[0].input.QueryString);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};

async function suspiciousLogins() {
  const c = captureIo();
  await queryCommand(
    ['suspicious_logins', ...ON_ATHENA],
    { ...c.io, log: silentLog },
    { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
  );
  return c.stderr();
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
  it('a quiet week is the query and its period coverage, with a note saying what was not counted', async () => {
    answering({ data_health: [covered] });
    const stderr = await suspiciousLogins();
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 1 });
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
    expect(started()).toEqual({ suspicious_logins: 1, data_health: 2, login_history: 1 });
    expect(stderr).toContain('note: the lake holds none of the history before the period');
  });
});
