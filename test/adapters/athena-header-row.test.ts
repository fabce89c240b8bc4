import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
  type StatementType,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';
import { engineWith } from './support/athena-engine-fake.ts';

// Athena repeats the column names as the first result row of a DML statement (a SELECT) only. A
// UTILITY statement (SHOW TABLES, SHOW PARTITIONS, DESCRIBE) or a DDL one starts with its first
// value: dropping that row lost a table from `query --athena --sql 'SHOW TABLES'`.
const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

const cells = (...values: string[]): Row => ({ Data: values.map((v) => ({ VarCharValue: v })) });

function ran(statementType: StatementType | undefined, columns: string[], rows: Row[]) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: {
      QueryExecutionId: 'q-1',
      Status: { State: 'SUCCEEDED' },
      ...(statementType ? { StatementType: statementType } : {}),
    },
  });
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'varchar' })) },
      Rows: rows,
    },
  });
}

const TABLES = ['activity_log', 'alerts', 'coverage', 'quarantine'];

describe('the header row of Athena results', () => {
  it('keeps the first row of a UTILITY statement: SHOW TABLES lists every table', async () => {
    ran(
      'UTILITY',
      ['tab_name'],
      TABLES.map((t) => cells(t)),
    );
    const result = await engineWith().runSql('SHOW TABLES', [], 'your SQL');
    expect(result.rows.map((row) => row.tab_name)).toEqual(TABLES);
  });

  it('keeps the first row of DESCRIBE and SHOW PARTITIONS', async () => {
    ran(
      'UTILITY',
      ['col_name', 'data_type', 'comment'],
      [cells('event_time', 'string', ''), cells('id', 'string', '')],
    );
    const described = await engineWith().runSql('DESCRIBE activity_log', []);
    expect(described.rows.map((row) => row.col_name)).toEqual(['event_time', 'id']);

    ran(
      'UTILITY',
      ['partition'],
      [cells('instance=acme/dt=2026-10-01'), cells('instance=acme/dt=2026-10-02')],
    );
    const partitions = await engineWith().runSql('SHOW PARTITIONS activity_log', []);
    expect(partitions.rows).toHaveLength(2);
  });

  it('keeps the first row of a DDL statement', async () => {
    ran('DDL', ['result'], [cells('done')]);
    expect((await engineWith().runSql('MSCK REPAIR TABLE activity_log', [])).rows).toEqual([
      { result: 'done' },
    ]);
  });

  it('drops the first row of a DML statement, even when it does not read as the names', async () => {
    // Athena labels a SELECT's header row with the column names; the type alone decides.
    ran('DML', ['n'], [cells('header'), cells('1'), cells('2')]);
    expect((await engineWith().runSql('SELECT n FROM t', [])).rows).toEqual([{ n: '1' }, { n: '2' }]);
  });

  it('without a statement type (a stand-in client), drops the first row only when it repeats the names', async () => {
    ran(
      undefined,
      ['tab_name'],
      TABLES.map((t) => cells(t)),
    );
    expect((await engineWith().runSql('SHOW TABLES', [])).rows).toHaveLength(4);
    ran(undefined, ['tab_name'], [cells('tab_name'), ...TABLES.map((t) => cells(t))]);
    expect((await engineWith().runSql('SELECT tab_name FROM t', [])).rows).toHaveLength(4);
  });

  it("query --athena --sql 'SHOW TABLES' prints activity_log", async () => {
    ran(
      'UTILITY',
      ['tab_name'],
      TABLES.map((t) => cells(t)),
    );
    const { io, stdout } = captureIo();
    await queryCommand(
      ['--sql', 'SHOW TABLES', '--athena', '--workgroup', 'wg', '--database', 'db', '--format', 'csv'],
      { ...io, log: silentLog },
      { athenaClient: new AthenaClient({ region: 'eu-west-1' }) },
    );
    expect(stdout().trim().split(/\r?\n/)).toEqual(['tab_name', ...TABLES]);
  });
});
