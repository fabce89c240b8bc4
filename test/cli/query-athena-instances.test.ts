import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

const now = () => Date.parse('2026-11-25T10:00:00Z');
const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db'];

const run = (argv: string[]) =>
  queryCommand(
    argv,
    { ...captureIo().io, log: silentLog },
    { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
  );

describe('query --athena checks --instance against the deployed lake', () => {
  const athena = mockClient(AthenaClient);
  afterAll(() => athena.restore());
  beforeEach(() => {
    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'events', Type: 'bigint' }] },
        Rows: [{ Data: [{ VarCharValue: 'events' }] }, { Data: [{ VarCharValue: '0' }] }],
      },
    });
  });
  const deployed = (values: string) =>
    athena.on(GetTableMetadataCommand, { DatabaseName: 'db', TableName: 'activity_log' }).resolves({
      TableMetadata: { Name: 'activity_log', Parameters: { 'projection.instance.values': values } },
    });
  const instanceSent = () =>
    athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.ExecutionParameters?.[0];

  it('names the instance in a last CSV column when the stack deploys several, not when one (review R-MULTI L6)', async () => {
    const csvOf = async (argv: string[]) => {
      const c = captureIo();
      await queryCommand(
        argv,
        { ...c.io, log: silentLog },
        { now, athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
      );
      return c.stdout().split('\r\n')[0];
    };
    deployed('main,acme');
    expect(await csvOf(['period_totals', ...ON_ATHENA, '--instance', 'acme', '--format', 'csv'])).toBe(
      'events,instance',
    );
    deployed('acme');
    expect(await csvOf(['period_totals', ...ON_ATHENA, '--format', 'csv'])).toBe('events');
  });

  it('refuses a name the stack did not deploy, naming the ones it did, before any query runs', async () => {
    deployed('main,acme');
    const error = await run(['period_totals', ...ON_ATHENA, '--instance', 'amce']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'the stack behind Athena wg/db deploys no instance "amce"; it deploys: main, acme (did you mean --instance acme?). An instance removed from cdk.json is no longer in its tables, though its objects stay in the bucket',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it("takes the lake's only instance without --instance, as on a local lake", async () => {
    deployed('acme');
    await run(['period_totals', ...ON_ATHENA]);
    expect(instanceSent()).toBe("'acme'");
  });

  it('asks for --instance when the lake holds several and the query reads one', async () => {
    deployed('main,acme');
    const error = await run(['period_totals', ...ON_ATHENA]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'the lake at Athena wg/db holds instances main, acme: pass --instance <name>',
    );
  });

  it('needs no --instance for SQL, which chooses its instances itself', async () => {
    deployed('main,acme');
    await run(['--sql', 'SELECT 1', ...ON_ATHENA]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });

  it('says it was Athena that failed when the read never reached it, and runs no query', async () => {
    athena
      .on(GetTableMetadataCommand)
      .rejects(
        Object.assign(new Error('socket timed out after 15000 ms of inactivity'), { name: 'TimeoutError' }),
      );
    const error = await run(['period_totals', ...ON_ATHENA]).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Athena GetTableMetadata of db.activity_log (workgroup wg) failed: TimeoutError: socket timed out after 15000 ms of inactivity',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('keeps the name it was given when the table cannot be read (no permission to GetTableMetadata)', async () => {
    athena.on(GetTableMetadataCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await run(['period_totals', ...ON_ATHENA, '--instance', 'acme']);
    expect(instanceSent()).toBe("'acme'");
    athena.resetHistory();
    await run(['period_totals', ...ON_ATHENA]);
    expect(instanceSent()).toBe("'main'");
  });
});
