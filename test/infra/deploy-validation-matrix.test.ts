/**
 * CDK's built-in CloudFormation validation (@aws/cloudformation-validate: the resource schemas and
 * rules such as E9014, offline, in WebAssembly), which `npm run synth` and `cdk deploy` stop on
 * (the shipped cdk.json sets `@aws-cdk/core:validateAgainstDefaultRules`), over each config a user
 * may ship that changes the template's shape. The stack tests skip it (synth-helpers.ts,
 * newTestApp): a config only they built once failed README's first deploy at `npm run synth`
 * (E9014, an `$or` of one branch).
 *
 * Cost: the validation engine starts once per worker (~4-5 CPU-s, loading the rules of the stack's
 * resource types; the stack with every option goes first so no later one starts it again), then
 * adds ~0.2-1 CPU-s to each synth. Each case builds its app once, as `npm run synth` does (the
 * cdk-nag checks and the warnings too): six cases, ~15 CPU-s for the file (20 cases, one option
 * each, were ~18-24).
 *
 * Synth validates the stack's own template only, not its nested stacks' (the saved queries'),
 * which CloudFormation would refuse at deploy instead: each case runs the same rules over those too.
 */
import path from 'node:path';
import { App, CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import type { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { CONTEXT_KEY } from '../../infra/config/config-error.ts';
import { MAX_INSTANCES, STACK_NAME_MAX } from '../../infra/config/config-fields.ts';
import { DEPLOYABLE_CONFIG, SHIPPED_CONTEXT, TEST_ENV, TEST_NOW } from './synth-helpers.ts';

// The account and region `cdk synth` hands the app from the caller's credentials (read in
// infra/activity-lake-app.ts): the stack is bound to them, as a user's is, and the region checks
// (SES, keys) apply.
beforeAll(() => {
  vi.stubEnv('CDK_DEFAULT_ACCOUNT', TEST_ENV.account);
  vi.stubEnv('CDK_DEFAULT_REGION', TEST_ENV.region);
});
afterAll(() => {
  vi.unstubAllEnvs();
  CloudAssembly.cleanupTemporaryDirectories();
});

const ACCOUNT = TEST_ENV.account;
const KEY = `arn:aws:kms:${TEST_ENV.region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OLD_KEY = `arn:aws:kms:${TEST_ENV.region}:${ACCOUNT}:key/abcd1234-12ab-34cd-56ef-1234567890ab`;
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const REPORT = {
  enabled: true,
  timeZone: 'Europe/Zurich',
  sender: 'reports@acme-co.com',
  recipients: ['sec@acme-co.com'],
};
const ALERTS_TO_TOPIC = { enabled: true, allowNoSubscriber: true };
const ADOPT = {
  adoptLake: { bucketName: 'domoactivitylake-storagelake1a2b3c4d-5e6f7g8h9i0j', digestKeyArn: KEY },
};

/** Every option on at once, first: the engine then loads every resource type's rules in one go. */
const EVERYTHING = {
  instances: [
    { name: 'acme' },
    { name: 'beta', secret: 'domo/beta' },
    {
      name: 'gamma',
      secret: `arn:aws:secretsmanager:${TEST_ENV.region}:${ACCOUNT}:secret:domo/gamma-AbCdEf`,
      secretKmsKeyArn: KEY,
    },
  ],
  retiredInstances: ['globex'],
  report: { ...REPORT, sesIdentity: 'acme-co.com', createSesIdentity: true },
  alerts: {
    enabled: true,
    exportBurst: 50,
    email: ['soc@acme-co.com'],
    sender: 'alerts@acme-co.com',
    recipients: ['sec@acme-co.com'],
    subscribeAllowedPrincipals: [ROLE('Pager')],
  },
  retention: {
    maxDays: 730,
    readAllowedPrincipals: [ROLE('LakeAnalyst')],
    writeAllowedPrincipals: [ROLE('LakeOperator')],
    deleteAllowedPrincipals: [ROLE('LakeEraser')],
  },
  lakeEncryption: { kmsKeyArn: KEY, retiredKmsKeyArns: [OLD_KEY] },
};

/**
 * The largest stack the config takes (largest-stack-limits.test.ts): every instance, each name and
 * the stack's at their longest, 50 recipients of the report and of the mailed alerts, with the
 * options that add resources. Built last: its synth is the slowest.
 */
const LARGEST = {
  ...EVERYTHING,
  stackName: `L${'l'.repeat(STACK_NAME_MAX - 1)}`,
  athena: { keepDefaultNames: true },
  instances: Array.from({ length: MAX_INSTANCES }, (_, i) => ({
    name: `i${String(i).padStart(2, '0')}-${'x'.repeat(59)}`,
  })),
  retiredInstances: [],
  // With the three principal lists too, the lake's bucket policy outgrows S3's 20 KB: synth refuses it.
  retention: { maxDays: 730 },
  report: { ...EVERYTHING.report, recipients: Array.from({ length: 50 }, (_, i) => `r${i}@acme-co.com`) },
  alerts: { ...EVERYTHING.alerts, recipients: Array.from({ length: 50 }, (_, i) => `a${i}@acme-co.com`) },
};

/**
 * The configs, by what they change of the template; the shipped cdk.json is the base of each. One
 * stack carries several options whose shapes do not meet, so each option a user may ship is in one
 * case at least, not one case each (each synth here is ~1 CPU-s). Alerts and `retention.maxDays`
 * each add branches to the guard watch's `$or` (lake-guard-watch.ts): each is on alone in a case of
 * its own, as neither is in the first deploy's, for an `$or` of one branch is what synth refused
 * (E9014).
 */
const CASES: [string, Record<string, unknown>][] = [
  // Alerts mailed through SES and retention.maxDays together, a created domain identity, several
  // and retired instances, a customer key beside retired ones.
  ['every option at once', EVERYTHING],
  ['the first deploy README describes: the shipped cdk.json with an alarm address', {}],
  [
    "alerts to the topic only, retention.maxDays unset: the report from an address identity without its corrections run, an instance's own report recipients and zone, only retired lake keys, an adopted lake, no Athena scan alarm, the alarm topic without a subscriber",
    {
      alerts: ALERTS_TO_TOPIC,
      report: { ...REPORT, correctionSchedule: null },
      instances: [{ name: 'acme', report: { recipients: ['it@acme-co.com'], timeZone: 'Asia/Tokyo' } }],
      lakeEncryption: { retiredKmsKeyArns: [OLD_KEY] },
      ...ADOPT,
      athena: { dailyScanAlarmGb: null },
      alarms: { email: null, allowNoSubscriber: true },
    },
  ],
  [
    'retention.maxDays set, alerts off: retention.removalPolicy destroy, a customer-managed lake key',
    {
      retention: { maxDays: 730, removalPolicy: 'destroy' },
      terminationProtection: false,
      lakeEncryption: { kmsKeyArn: KEY },
    },
  ],
  ['an adopted lake under a customer key', { ...ADOPT, lakeEncryption: { kmsKeyArn: KEY } }],
  ['the largest stack', LARGEST],
];

/** The rules synth runs, for the nested templates synth leaves out (its own engine: started once). */
const nestedValidation = new CloudFormationValidatePlugin();

/** What the validation refuses in the saved queries' nested templates of `stack`, as synth would report it. */
function nestedRefusals(app: App, stack: ActivityLakeStack, directory: string): string[] {
  const stackTemplates = stack.catalog.savedQueries.map((nested) => ({
    stackConstructPath: nested.node.path,
    templatePath: path.join(directory, nested.templateFile),
    accountId: TEST_ENV.account,
    region: TEST_ENV.region,
  }));
  const report = nestedValidation.validate({
    templatePaths: stackTemplates.map(({ templatePath }) => templatePath),
    stackTemplates,
    appConstruct: app,
    accountId: TEST_ENV.account,
    region: TEST_ENV.region,
  });
  return report.violations
    .filter((violation) => violation.severity === 'error')
    .map(({ ruleName, description, violatingResources }) => {
      const ids = violatingResources.map((resource) => resource.resourceLogicalId ?? resource.constructPath);
      return `${ruleName} ${ids.join(', ')}: ${description}`;
    });
}

describe("CDK's CloudFormation validation, which `npm run synth` and `cdk deploy` stop on", () => {
  it.each(CASES)('passes %s', (_, overrides) => {
    const app = new App({
      context: {
        ...SHIPPED_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        'aws:cdk:disable-stack-trace': true,
        'aws:cdk:disable-creation-stack-traces': true,
      },
      builtinCloudFormationValidation: true,
    });
    app.node.setContext(CONTEXT_KEY, { ...DEPLOYABLE_CONFIG, ...overrides });
    // What `npm run synth` builds: the cdk-nag checks and the warnings too.
    const stack = defineActivityLakeApp(app, TEST_NOW);
    // Throws with the validation's report (rule, resource, fix) on the first refusal.
    const { directory } = app.synth();
    expect(nestedRefusals(app, stack, directory)).toEqual([]);
  });
});
