import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'];

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe.concurrent('query --athena with --lake', () => {
  it('is refused (exit 2) before anything runs, saying which engine reads what', async ({ expect }) => {
    const r = await run(['query', 'most_active_users', ...ON_ATHENA, '--lake', './my-lake']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      "error: --athena runs on the deployed lake's tables (--workgroup, --database), and --lake ./my-lake names a lake that DuckDB reads: Athena would not read it; drop --lake to query Athena, or drop --athena (with --workgroup, --database and --region) to query ./my-lake with DuckDB (see: query --help)\n",
    );
  });

  it('is refused for --sql and --all too, an S3 lake included', async ({ expect }) => {
    const sql = await run(['query', '--sql', 'SELECT 1', ...ON_ATHENA, '--lake', 's3://bucket/lake']);
    expect(sql.code).toBe(2);
    expect(sql.stderr).toMatch(/^error: --lake s3:\/\/bucket\/lake is in S3: Athena reads/);
    const all = await run(['query', '--all', '--lake', './lake', ...ON_ATHENA]);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/--lake \.\/lake names a lake that DuckDB reads/);
  });
});
