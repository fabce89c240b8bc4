import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { regionNameProblem } from '../../infra/region-name.ts';
import { configWith, newTestApp, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// first-deploy review F3: AWS_REGION=eu-wset-1 got "SES is not offered in eu-wset-1" and the advice
// to add it to sesRegionsAdded, not the typo.
describe('the stack region’s name', () => {
  it('refuses a typo, naming the region it most likely meant', () => {
    expect(regionNameProblem('eu-wset-1')).toBe(
      '"eu-wset-1", the stack\'s region (AWS_REGION, or the profile\'s region), is not an AWS region: did you mean eu-west-1? Run cdk with AWS_REGION=eu-west-1, or correct the region of the AWS profile (aws configure get region).',
    );
    expect(regionNameProblem('us-esat-1')).toContain('did you mean us-east-1?');
    expect(regionNameProblem('euwest1')).toContain('did you mean eu-west-1?');
  });

  it('refuses a name no region could have, with no guess when none is near', () => {
    expect(regionNameProblem('frankfurt')).toContain(
      'is not an AWS region: run cdk with AWS_REGION set to the region to deploy to',
    );
  });

  it('takes every known region, and a name of a region’s shape it does not know (a new region)', () => {
    for (const region of ['eu-west-1', 'eusc-de-east-1', 'us-gov-west-1', 'cn-northwest-1', 'eu-west-9']) {
      expect(regionNameProblem(region), region).toBeUndefined();
    }
  });

  it('stops the stack before the SES region check would advise on the typo', () => {
    const build = () =>
      new ActivityLakeStack(newTestApp(), 'Typo', {
        config: configWith({
          report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] },
        }),
        now: TEST_NOW,
        env: { account: '123456789012', region: 'eu-wset-1' },
      });
    expect(build).toThrow(ConfigError);
    try {
      build();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('did you mean eu-west-1?');
      expect(problems[0]).not.toContain('SES');
    }
  });
});
