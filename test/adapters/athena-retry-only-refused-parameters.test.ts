import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine, AthenaQueryError } from '../../functions/adapters/athena-engine.ts';

// The rerun with the values written in as literals is for one refusal only: a user error of a
// query that had execution parameters. Any other rerun scans (and bills) the same data twice.
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

const engine = new AthenaQueryEngine({
  client: new AthenaClient({ region: 'eu-west-1' }),
  workGroup: 'domo-activity',
  database: 'domo_activity_lake',
  sleep: async () => undefined,
});

function endsAs(state: QueryExecutionState) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: {
      Status: { State: state, AthenaError: { ErrorCategory: 2, ErrorMessage: 'COLUMN_NOT_FOUND: nope' } },
    },
  });
}

describe('Athena reruns a refused query only when it had parameters to write in', () => {
  it('does not rerun a query without parameters that failed as a user error', async () => {
    endsAs('FAILED');
    await expect(engine.runSql('SELECT nope FROM activity_log', [])).rejects.toBeInstanceOf(AthenaQueryError);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it('does not rerun a cancelled query', async () => {
    endsAs('CANCELLED');
    await expect(engine.runSql('SELECT 1 WHERE ? = 1', ['1'])).rejects.toThrow(/CANCELLED/);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });
});
