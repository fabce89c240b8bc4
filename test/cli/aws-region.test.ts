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

describe.concurrent('--region', () => {
  it('takes any name shaped like an AWS region, of every partition, newer ones too', ({ expect }) => {
    const regions = [
      'eu-west-1',
      'us-east-1',
      'us-gov-west-1',
      'cn-north-1',
      'cn-northwest-1',
      'ap-southeast-5',
      'il-central-1',
      'mx-central-1',
      'ca-west-1',
      'us-iso-east-1',
      'us-isob-east-1',
      'eusc-de-east-1',
      // Not a region yet, but shaped like one: the next to open must not need a release.
      'xx-north-12',
    ];
    for (const region of regions) expect(awsRegion(region)).toBe(region);
  });

  it('refuses what is not shaped like one, saying the shape expected', ({ expect }) => {
    for (const value of ['mars-1', 'eu-west', 'euwest1', 'eu_west_1', 'europe-west-1-2']) {
      expect(() => awsRegion(value), value).toThrow(
        'not an AWS region: an AWS region is written like eu-west-1, us-east-1 or ap-southeast-2: pass the region of the stack',
      );
    }
    expect(() => awsRegion('eu-west-1a')).toThrow(
      'eu-west-1a is an availability zone, not a region: its region is eu-west-1',
    );
    expect(() => awsRegion('EU-WEST-1')).toThrow('AWS regions are written in lowercase: eu-west-1');
  });

  it('is refused by query and report --athena (exit 2) before anything is asked of AWS', async ({
    expect,
  }) => {
    const query = await run(['query', 'most_active_users', ...ATHENA, '--region', 'mars-1']);
    expect(query).toMatchObject({ code: 2, stdout: '' });
    expect(query.stderr).toBe(
      'error: --region "mars-1": not an AWS region: an AWS region is written like eu-west-1, us-east-1 or ap-southeast-2: pass the region of the stack (see: query --help)\n',
    );
    const report = await run(['report', ...ATHENA, '--region', 'mars-1', '--out', '/nonexistent/out']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^error: --region "mars-1": not an AWS region/);
  });
});
