import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'];

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

// Following one message's advice must not lead to another that contradicts it: DuckDB cannot
// read S3, so neither message may send an S3 lake back to DuckDB.
describe.concurrent('an S3 --lake, with and without --athena', () => {
  it('query without --athena says to put --athena in place of --lake', async ({ expect }) => {
    const r = await run(['query', 'period_totals', '--lake', 's3://bucket/lake']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: --lake s3://bucket/lake is in S3: DuckDB reads a local lake only; for the deployed lake replace --lake with --athena --workgroup <wg> --database <db> (the stack's AthenaWorkGroup and AthenaDatabase outputs) (see: query --help)\n",
    );
  });

  it('query with --athena beside it says to drop --lake, never to use DuckDB', async ({ expect }) => {
    const r = await run(['query', 'period_totals', '--lake', 's3://bucket/lake', ...ON_ATHENA]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      "error: --lake s3://bucket/lake is in S3: Athena reads the stack's tables (over that bucket) through --workgroup and --database, not the lake itself; drop --lake to query Athena (see: query --help)\n",
    );
    expect(r.stderr).not.toMatch(/DuckDB/);
  });

  it('report with --athena beside it says the same', async ({ expect }) => {
    const r = await run(['report', ...ON_ATHENA, '--lake', 's3://bucket/lake', '--out', './reports-out']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      "error: --lake s3://bucket/lake is in S3: Athena reads the stack's tables (over that bucket) through --workgroup and --database, not the lake itself; drop --lake to report from Athena (see: report --help)\n",
    );
  });
});
