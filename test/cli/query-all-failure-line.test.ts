import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { captureIo } from '../support/capture-io.ts';

describe('query --all', () => {
  it("keeps a failed query's line to the first line of its error", async () => {
    const athena = mockClient(AthenaClient);
    const failing = loadQuery('suspicious_logins').sql;
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => ({
      QueryExecutionId: input.QueryString === failing ? 'q-bad' : 'q-ok',
    }));
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-ok' }).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' } },
    });
    const message = 'FUNCTION_NOT_FOUND: line 3:7: Function not registered\nLINE 3: SELECT x(\n       ^';
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
      {
        now: () => Date.parse('2026-11-24T15:00:00Z'),
        athenaClient: new AthenaClient({ region: 'eu-west-1' }),
      },
    );
    await expect(outcome).rejects.toThrow(/^1 of \d+ queries failed: suspicious_logins$/);
    const lines = c.stdout().split('\n');
    const failLine = lines.findIndex((line) => line.startsWith('  FAIL  suspicious_logins: '));
    expect(lines[failLine]).toMatch(/Function not registered$/);
    expect(lines[failLine + 1]).toMatch(/^ {2}(ok|FAIL) {2,4}\w+: /);
    expect(c.stdout()).not.toContain('LINE 3');
    athena.restore();
  });
});
