import { describe, it } from 'vitest';
import { awsRegion } from '../../functions/cli/aws-region.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

const ATHENA = ['--athena', '--workgroup', 'wg', '--database', 'db'];

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe.concurrent('--region empty or with spaces around it', () => {
  it('an empty one (a script unset $REGION) is refused as empty, saying how to fall back', async ({
    expect,
  }) => {
    for (const empty of ['', ' ']) {
      const query = await run(['query', 'most_active_users', ...ATHENA, '--region', empty]);
      expect(query).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'error: --region is empty: leave it out to use AWS_REGION or your AWS profile (see: query --help)\n',
      });
    }
    const report = await run(['report', ...ATHENA, '--region', '', '--out', '/nonexistent/out']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^error: --region is empty: leave it out/);
  });

  it('one with spaces around it names the spaces and the region meant', async ({ expect }) => {
    expect(() => awsRegion(' eu-west-1')).toThrow('the region has spaces around it: write eu-west-1');
    expect(() => awsRegion('eu-west-1\t')).toThrow('the region has spaces around it: write eu-west-1');
    const query = await run(['query', 'most_active_users', ...ATHENA, '--region', ' eu-west-1']);
    expect(query.code).toBe(2);
    expect(query.stderr).toBe(
      'error: --region " eu-west-1": the region has spaces around it: write eu-west-1 (see: query --help)\n',
    );
  });
});
