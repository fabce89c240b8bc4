import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import {
  checkSesRegion,
  SES_REGION_UNCHECKED,
  SES_REGIONS,
  sesRegionProblem,
} from '../../infra/ses-regions.ts';
import { configWith, newTestApp, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = {
  enabled: true,
  sender: 'reports@acme-co.com',
  recipients: ['sec@acme-co.com'],
};

/** The problems `fn` throws as a ConfigError, or [] when it throws nothing. */
function problemsOf(fn: () => void): readonly string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

/** An empty stack in `region` (undefined: env-agnostic), the smallest the check reads. */
const stackIn = (region?: string) =>
  new Stack(newTestApp(), 'Mail', region ? { env: { account: '123456789012', region } } : {});

// review-stack F9: in a region without SES the first deploy failed on the SES resources, rolled
// back the whole stack, and named neither SES nor the config key.
describe('the SES region check', () => {
  it('refuses the report in a region without SES, naming the region, the key and the ways out', () => {
    const [problem, ...rest] = problemsOf(() =>
      checkSesRegion(stackIn('eu-south-2'), { report: true, alerts: false }),
    );
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^report\.enabled: the weekly report is mailed through Amazon SES, which is not offered in eu-south-2, the stack's region/,
    );
    // A region of the same area, and the switch that turns the mail off.
    expect(problem).toContain(
      'e.g. eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-west-1, eu-west-2, eu-west-3)',
    );
    expect(problem).toContain('"report.enabled": false');
    expect(problem).toContain('infra/ses-regions.ts');
  });

  it("refuses the alerts' mail alike, saying the topic still delivers them", () => {
    const [problem] = problemsOf(() => checkSesRegion(stackIn('ap-east-1'), { report: true, alerts: true }));
    expect(problem).toMatch(
      /^report\.enabled, alerts\.recipients: the weekly report and the alerts to their recipients are mailed through Amazon SES, which is not offered in ap-east-1/,
    );
    expect(problem).toContain(
      '"alerts.recipients": [] (the alerts then reach the alerts topic only, and its subscribers such as alerts.email)',
    );
  });

  it('suggests every SES region of the partition when none shares the area of the stack', () => {
    const problem = sesRegionProblem('mx-central-1', { report: true, alerts: false });
    const commercial = [...SES_REGIONS].filter((region) => !/^(us-gov|eusc)-/.test(region));
    expect(problem).toContain(`e.g. ${commercial.join(', ')})`);
    // An account lives in one partition: GovCloud or the European sovereign cloud is no way out.
    expect(problem).not.toMatch(/us-gov-|eusc-/);
  });

  it('suggests no region of another partition, and says when its own has none', () => {
    const problem = sesRegionProblem('cn-north-1', { report: true, alerts: false });
    expect(problem).toContain("No region of cn-north-1's partition (aws-cn) offers SES: turn the mail off");
    expect(problem).not.toContain('e.g.');
  });

  it.each(['eu-west-1', 'us-east-1', 'us-gov-west-1', 'ap-southeast-5'])(
    'takes %s, which has SES',
    (region) => {
      const stack = stackIn(region);
      expect(problemsOf(() => checkSesRegion(stack, { report: true, alerts: true }))).toEqual([]);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    },
  );

  it('takes any region while nothing is mailed', () => {
    expect(problemsOf(() => checkSesRegion(stackIn('eu-south-2'), { report: false, alerts: false }))).toEqual(
      [],
    );
  });

  it('lets an env-agnostic stack synthesize, with a warning that the region went unchecked', () => {
    const stack = stackIn();
    expect(problemsOf(() => checkSesRegion(stack, { report: true, alerts: false }))).toEqual([]);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(SES_REGION_UNCHECKED));
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp("report\\.enabled: the stack's region is not known at synth"),
    );
  });

  it('is what the stack runs: the report in a region without SES is refused at synth', () => {
    const build = (report: Record<string, unknown>) => () =>
      new ActivityLakeStack(newTestApp(), 'Test', {
        config: configWith({ report }),
        now: TEST_NOW,
        env: { account: '123456789012', region: 'eu-south-2' },
      });
    expect(problemsOf(build(REPORT))[0]).toMatch(/^report\.enabled: .* not offered in eu-south-2/);
    // The same stack without mail deploys there.
    expect(problemsOf(build({ ...REPORT, enabled: false }))).toEqual([]);
  });

  it('is what the stack runs for mailed alerts too, and not for alerts to the topic only', () => {
    const build = (alerts: Record<string, unknown>) => () =>
      new ActivityLakeStack(newTestApp(), 'Test', {
        config: configWith({ alerts }),
        now: TEST_NOW,
        env: { account: '123456789012', region: 'eu-south-2' },
      });
    const mailed = { enabled: true, sender: 'alerts@acme-co.com', recipients: ['sec@acme-co.com'] };
    expect(problemsOf(build(mailed))[0]).toMatch(/^alerts\.recipients: .* not offered in eu-south-2/);
    expect(problemsOf(build({ enabled: true, email: ['sec@acme-co.com'] }))).toEqual([]);
  });

  it('takes a region the config adds, once SES has come there after this release', () => {
    const build = (extra: Record<string, unknown>) => () =>
      new ActivityLakeStack(newTestApp(), 'Test', {
        config: configWith({ report: REPORT, ...extra }),
        now: TEST_NOW,
        env: { account: '123456789012', region: 'eu-south-2' },
      });
    const [refusal] = problemsOf(build({}));
    expect(refusal).toContain('add it to sesRegionsAdded in cdk.json: "sesRegionsAdded": ["eu-south-2"]');
    expect(problemsOf(build({ sesRegionsAdded: ['eu-south-2'] }))).toEqual([]);
    // Another region added does not let this one through.
    expect(problemsOf(build({ sesRegionsAdded: ['ap-east-2'] }))[0]).toMatch(/not offered in eu-south-2/);
  });
});
