import { describe, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const ON_ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db', '--region', 'eu-west-1'];

describe.concurrent('report --athena with --lake', () => {
  it('is refused (exit 2) before anything runs, as query refuses it', async ({ expect }) => {
    const { io, stdout, stderr } = captureIo();
    const code = await main(['report', ...ON_ATHENA, '--lake', './my-lake', '--out', './reports-out'], io);
    expect({ code, stdout: stdout() }).toEqual({ code: 2, stdout: '' });
    expect(stderr()).toBe(
      "error: --athena runs on the deployed lake's tables (--workgroup, --database), and --lake ./my-lake names a lake that DuckDB reads: Athena would not read it; drop --lake to report from Athena, or drop --athena (with --workgroup, --database and --region) to report from ./my-lake with DuckDB (see: report --help)\n",
    );
  });
});
