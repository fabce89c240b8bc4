import { readFileSync } from 'node:fs';
import { CfnResource, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { MAX_INSTANCES } from '../../infra/config/config-fields.ts';
import type { InstanceConfig } from '../../infra/config.ts';
import {
  checkStackResourceCount,
  resourcesOfInstance,
  STACK_RESOURCE_LIMIT,
} from '../../infra/stack-resource-limit.ts';
import { configWith, DEPLOYABLE_CONFIG, newTestApp, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = {
  report: {
    ...(DEPLOYABLE_CONFIG.report as Record<string, unknown>),
    enabled: true,
    sender: 'report@acme-co.com',
    recipients: ['admins@acme-co.com'],
  },
};
const ALERTS = { alerts: { enabled: true, email: ['security@acme-co.com'] } };
const FEATURES: Record<string, Record<string, unknown>> = {
  'the ingest alone': {},
  'the report': REPORT,
  'the alerts': ALERTS,
  'the report and the alerts': { ...REPORT, ...ALERTS },
};

type Instance = { name: string; secret?: string };
const instancesOf = (count: number, secret?: string): Instance[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `instance-${String(i).padStart(2, '0')}`,
    ...(secret ? { secret: `${secret}/${i}` } : {}),
  }));

/** The stack of `instances` with `features`, built (not synthesized: counting needs no template). */
const stackOf = (features: Record<string, unknown>, instances: Instance[]) =>
  new ActivityLakeStack(newTestApp(), 'Test', {
    config: configWith({ ...features, instances }),
    now: TEST_NOW,
    env: TEST_ENV,
  });

/** The number of resources in the template of `features` over `instances`. */
const templateCount = (features: Record<string, unknown>, instances: Instance[]) =>
  Object.keys(Template.fromStack(stackOf(features, instances)).toJSON().Resources).length;

/**
 * The template count of the largest stack with the report and the alerts, synthesized once for the
 * three tests that compare with it (~1.5 CPU-s a synth of 20 instances).
 */
let maxWithBoth: number | undefined;
const maxWithBothCount = (): number => {
  maxWithBoth ??= templateCount({ ...REPORT, ...ALERTS }, instancesOf(MAX_INSTANCES));
  return maxWithBoth;
};

/** The resources of the stack's own template (a nested stack's are its own, one resource here). */
const resourceCount = (stack: ActivityLakeStack) =>
  stack.node.findAll().filter((node) => CfnResource.isCfnResource(node) && Stack.of(node) === stack).length;

describe('resources per stack (CloudFormation takes at most 500)', () => {
  for (const [name, features] of Object.entries(FEATURES)) {
    for (const secret of [undefined, 'domo']) {
      it(`counts what an instance adds with ${name}, its secret ${secret ? 'imported' : 'created'}`, () => {
        const one = resourceCount(stackOf(features, instancesOf(1, secret)));
        const config = configWith({ ...features, instances: instancesOf(2, secret) });
        const two = stackOf(features, instancesOf(2, secret));
        const added = resourcesOfInstance(config, config.instances[1] as InstanceConfig);
        expect(resourceCount(two) - one).toBe(added);
      });
    }
  }

  it('counts what CloudFormation counts: the resources of the template', () => {
    const stack = stackOf({ ...REPORT, ...ALERTS }, instancesOf(2));
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources)).toHaveLength(resourceCount(stack));
  });

  // Review R2CORR: docs/configuration.md's "How many fit" said "about 470" and "500 with 30
  // alerts.email addresses" long after alarms and the corrections schedule had added to it.
  // Review R-MSP2 M1: the docs gave the count before synth (479), while CDK adds the report role's
  // overflow managed policies at synth, which CloudFormation and synth's own check count too.
  it(`holds ${MAX_INSTANCES} instances with the report and the alerts, as docs/configuration.md counts`, () => {
    const count = maxWithBothCount();
    expect(count).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
    const doc = readFileSync('docs/configuration.md', 'utf8').replace(/\s+/g, ' ');
    expect(doc).toContain(
      `so ${MAX_INSTANCES} instances with both come to ${count} with one \`alerts.email\` address`,
    );
    expect(doc).toContain(`500 with ${STACK_RESOURCE_LIMIT - count + 1} addresses`);
  });

  // The lake's customer key (lakeEncryption) is imported, not created: grants and policy
  // statements in resources the stack has anyway, and one resource more, the key's watch rule.
  it(`holds ${MAX_INSTANCES} instances with the report, the alerts and a customer key for the lake`, () => {
    const kmsKeyArn = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const count = templateCount(
      { ...REPORT, ...ALERTS, lakeEncryption: { kmsKeyArn } },
      instancesOf(MAX_INSTANCES),
    );
    expect(count).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
    // No overflow policy more for the report role, whose grants grow by one: the watch rule alone.
    expect(count).toBe(maxWithBothCount() + 1);
  });

  // adoptLake takes the lake bucket, its policy and the digest key out of the template and adds
  // the put of the lake's policy: the custom resource, its function, the function's role and log group.
  it(`holds ${MAX_INSTANCES} instances with the report, the alerts and a kept lake (adoptLake)`, () => {
    const adoptLake = {
      bucketName: 'domoactivitylake-storagelake1a2b3c4d-5e6f7g8h9i0j',
      digestKeyArn: `arn:aws:kms:${TEST_ENV.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    };
    const stack = stackOf({ ...REPORT, ...ALERTS, adoptLake }, instancesOf(MAX_INSTANCES));
    const count = Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    expect(count).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
    // Four added, three gone; the report role's grants, naming the bucket rather than a reference
    // to it, may also need one overflow policy fewer (488 both, 2026-12-07).
    const createdCount = maxWithBothCount();
    expect(count).toBeGreaterThanOrEqual(createdCount);
    expect(count).toBeLessThanOrEqual(createdCount + 1);
    // What synth's own check counts is what the template holds.
    expect(count).toBe(resourceCount(stack));
  });

  // Only the largest configs reach 500 (20 instances with every feature, retention.maxDays
  // included, make 490 before synth, 493 in the template, and each alerts.email address one
  // subscription more: 8 make 500, refused with this very advice from 9 on; the saved queries are one resource, their nested stack, and
  // so are the report's permission to invoke itself and its corrections schedule), and CDK or a
  // later feature may add resources: the stacks below get extra ones.
  const EXTRA = 40;
  const emails = Array.from({ length: 14 }, (_, i) => `security-${i}@acme-co.com`);
  const features = { ...REPORT, alerts: { enabled: true, email: emails } };
  /** The stack of `instances` with `extra` more resources, and its config. */
  const crowded = (instances: number, extra = EXTRA) => {
    const stack = stackOf(features, instancesOf(instances));
    for (let i = 0; i < extra; i++) new CfnWaitConditionHandle(stack, `Extra${i}`);
    return { stack, config: configWith({ ...features, instances: instancesOf(instances) }) };
  };
  /**
   * The crowded stack of 20 instances, built once for the two tests that read it (~0.8 s a build):
   * the check refuses it without changing it, and the other test synthesizes it.
   */
  let crowdedMax: ReturnType<typeof crowded> | undefined;
  const crowdedAtMax = () => {
    crowdedMax ??= crowded(MAX_INSTANCES);
    return crowdedMax;
  };
  const problemOf = (instances: number, built = crowded(instances)): string => {
    const { stack, config } = built;
    try {
      checkStackResourceCount(stack, config);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.join('\n');
    }
    return '';
  };

  it('refuses a stack over 500 resources, saying how many instances fit and what to do', () => {
    const problem = problemOf(MAX_INSTANCES, crowdedAtMax());
    expect(problem).toMatch(
      /^instances: 20 instances with the weekly report and the security alerts on make \d+ CloudFormation resources, over the 500 one stack may hold \(the deploy would be refused\): the stack's shared part takes \d+ and each instance up to 21, so at most (\d+) instances fit in one stack with these features\. Split "instances" between stacks: a checkout each, whose cdk\.json lists its share, with its own "stackName"/,
    );
    // The count it names is the template's (the test above): not the saved queries' nested stack's.
    expect(problem).toContain(`make ${resourceCount(crowdedAtMax().stack)} CloudFormation resources`);
    // The count it names is the real one: that many fit, one more is refused.
    const fit = Number(/at most (\d+) instances fit/.exec(problem)?.[1]);
    expect(fit).toBeLessThan(MAX_INSTANCES);
    // One stack for both: counted first; the check adds a validation at synth, no resource.
    const fitting = crowded(fit);
    expect(resourceCount(fitting.stack)).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
    expect(problemOf(fit, fitting)).toBe('');
    expect(problemOf(fit + 1)).toMatch(/at most \d+ instances fit/);
  });

  // R5: CDK adds resources while it synthesizes (an overflow managed policy of a role whose grants
  // outgrow its inline policy), after the constructor counted: synth then failed with
  // CloudFormation's TooManyResourcesInStack alone. The resources added after construction stand in.
  it('says the same when resources are added after the constructor counted', () => {
    const { stack } = crowdedAtMax();
    expect(() => Template.fromStack(stack)).toThrow(
      /at most \d+ instances fit in one stack with these features/,
    );
  });
});
