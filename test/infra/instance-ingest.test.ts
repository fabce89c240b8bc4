import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORY_RULES } from '../../functions/core/domo/category-rules.ts';
import { PLACEHOLDER_SECRET } from '../../functions/core/domo/domo-secret.ts';
import { checkpointKey, statePrefix } from '../../functions/core/lake/layout.ts';
import { categoryRulesFromEnv, INGEST_ENV, readIngestEnv } from '../../functions/ingest/config.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { DigestSigningKey } from '../../infra/constructs/digest-signing-key.ts';
import { INGEST_RETRIES, InstanceIngest } from '../../infra/constructs/instance-ingest.ts';
import { instanceLakePrefixes } from '../../infra/constructs/lake-storage.ts';
import {
  cfnText,
  configWith,
  everyRoleStatement,
  logicalIdOf,
  newTestApp,
  statementsOfRole as roleStatements,
  statementsOfRoleId,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const GAMMA_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/gamma-AbCdEf';
const { template } = synthStack({
  instances: [{ name: 'acme' }, { name: 'beta', secret: 'domo/beta' }, { name: 'gamma', secret: GAMMA_ARN }],
});
const NAMES = ['acme', 'beta', 'gamma'];

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** None for a Deny that names its resources by `NotResource` (SignOnlyThisKey: all keys but the digest key). */
const resourcesOf = (s: Statement): unknown[] =>
  s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource];

/** The statements of the role whose construct path contains `rolePath`. */
const statementsOfRole = (rolePath: string): Statement[] => {
  return statementsOfRoleId(template, logicalIdOf(template, 'AWS::IAM::Role', rolePath)) as Statement[];
};

const lakeBucketId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/');
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', '/FailedInvocations/');
const functionId = (instance: string) =>
  logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${instance}/Ingest/Function/`);

describe('per-instance ingest', () => {
  it('gives each instance its own function: arm64, Node 24, ESM bundle handler, never two runs at once', () => {
    // And the lake key check's (LakeKeyKept, lake-key-kept.test.ts), in every stack.
    template.resourceCountIs('AWS::Lambda::Function', NAMES.length + 1);
    for (const name of NAMES) {
      const fn = template.toJSON().Resources[functionId(name)].Properties;
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        ReservedConcurrentExecutions: 1,
        Timeout: 600,
        MemorySize: 1024,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Environment.Variables).toMatchObject({
        [INGEST_ENV.instance]: name,
        [INGEST_ENV.bucket]: { Ref: lakeBucketId },
        [INGEST_ENV.settleMinutes]: '15',
        [INGEST_ENV.lookbackHours]: '2',
        [INGEST_ENV.backfillDays]: '90',
        [INGEST_ENV.concurrency]: '4',
        [INGEST_ENV.budgetMarginMs]: '60000',
        [INGEST_ENV.apiBase]: 'https://api.domo.com',
        [INGEST_ENV.lakeStartDate]: '2025-01-01',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(Object.keys(fn.Environment.Variables)).toEqual(
        // DOMO_CUSTOMER only when the instance names its customer.
        expect.arrayContaining(Object.values(INGEST_ENV).filter((name) => name !== INGEST_ENV.domoCustomer)),
      );
    }
  });

  it('creates a placeholder secret only for instances without one, and points each function at its own', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'Test/domo/acme',
      SecretString: JSON.stringify(PLACEHOLDER_SECRET),
    });
    const env = (name: string) =>
      template.toJSON().Resources[functionId(name)].Properties.Environment.Variables[INGEST_ENV.secretId];
    expect(env('acme')).toEqual({
      Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', '/Ingest-acme/'),
    });
    expect(env('beta')).toBe('domo/beta');
    expect(env('gamma')).toBe(GAMMA_ARN);
  });

  // A partial ARN whose name ends in "-" and 6 characters passes synth as a full one; Secrets
  // Manager reads it as the secret of that name, whose ARN has 6 more characters: granted the ARN
  // alone, the function was denied its secret at every run.
  it('grants an ARN that may be a partial one both as given and followed by its 6 characters', () => {
    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/domo-client';
    const { template: own } = synthStack({ instances: [{ name: 'delta', secret: partial }] });
    const granted = (roleStatements(own, '/Ingest-delta/Ingest/Role/') as Statement[])
      .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
      .flatMap(resourcesOf);
    expect(granted).toEqual([partial, `${partial}-??????`]);
  });

  it('lets each function read only its own secret and touch only its own lake prefixes, without delete', () => {
    for (const name of NAMES) {
      const statements = statementsOfRole(`/Ingest-${name}/Ingest/Role/`);
      const secretReads = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      // GetSecretValue only, the one call the handler makes: no DescribeSecret (CDK's grantRead).
      expect(secretReads.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
      const secretResources = secretReads.flatMap(resourcesOf).map(cfnText);
      const expectedSecret = {
        acme: [`{${logicalIdOf(template, 'AWS::SecretsManager::Secret', '/Ingest-acme/')}}`],
        beta: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/beta-??????'],
        // Given as an ARN: as given, and as a partial ARN's secret would be named (see below).
        gamma: [GAMMA_ARN, `${GAMMA_ARN}-??????`],
      }[name];
      expect(secretResources).toEqual(expectedSecret);

      const s3Statements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
      const objectStatement = s3Statements.find((s) => actionsOf(s).includes('s3:PutObject'));
      expect(actionsOf(objectStatement as Statement).sort()).toEqual([
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:PutObject',
      ]);
      const prefixes = instanceLakePrefixes(name);
      expect(prefixes).toEqual([
        `activity_log/instance=${name}/`,
        `coverage/instance=${name}/`,
        `quarantine/instance=${name}/`,
        `state/instance=${name}/`,
        `digest/instance=${name}/`,
      ]);
      // The checkpoint the handler writes lies under the granted state prefix.
      expect(prefixes).toContain(statePrefix(name));
      expect(checkpointKey(name).startsWith(statePrefix(name))).toBe(true);
      expect(
        resourcesOf(objectStatement as Statement)
          .map(cfnText)
          .sort(),
      ).toEqual(prefixes.map((p) => `{${lakeBucketId}.Arn}/${p}*`).sort());
      const listStatements = s3Statements.filter((s) => actionsOf(s).includes('s3:ListBucket'));
      for (const list of listStatements)
        expect(resourcesOf(list).map(cfnText)).toEqual([`{${lakeBucketId}.Arn}`]);
      expect(listStatements.map((s) => s.Condition)).toEqual([
        { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
        // The state folder itself, not below it: where every instance's customer binding is found.
        { StringLike: { 's3:prefix': ['state/'] } },
      ]);
      // Besides its own prefixes, only the other instances' customer bindings, read only.
      const otherReads = s3Statements.filter(
        (s) => !actionsOf(s).includes('s3:ListBucket') && s !== objectStatement,
      );
      expect(otherReads.flatMap(actionsOf)).toEqual(['s3:GetObject']);
      expect(otherReads.flatMap(resourcesOf).map(cfnText)).toEqual([
        `{${lakeBucketId}.Arn}/state/instance=*/domo-customer.json`,
      ]);
      expect(s3Statements).toHaveLength(4);
      expect(statements.flatMap(actionsOf).some((a) => /Delete|\*/.test(a))).toBe(false);
    }
  });

  it('grants no role a bare "*" resource, and every wildcard ARN is one of the scoped, acknowledged kinds', () => {
    const statements = everyRoleStatement(template) as Statement[];
    const wildcards = statements
      .flatMap(resourcesOf)
      .map(cfnText)
      .filter((r) => r.includes('*'));
    expect(wildcards).not.toContain('*');
    const scoped = [
      // each instance's own lake prefixes
      new RegExp(
        `^\\{${lakeBucketId}\\.Arn\\}/(activity_log|coverage|quarantine|state|digest)/instance=[a-z]+/\\*$`,
      ),
      // every instance's Domo customer binding, read by a first run
      new RegExp(`^\\{${lakeBucketId}\\.Arn\\}/state/instance=\\*/domo-customer\\.json$`),
      // the function's versions and aliases, for the scheduler
      /^\{Ingest[a-z]+IngestFunction[0-9A-F]{8}\.Arn\}:\*$/,
      // digest signing: the role may not name the key, whose Deny names it (digest-signing-key.test.ts)
      /^arn:aws:kms:eu-west-1:123456789012:key\/\*$/,
    ];
    for (const resource of wildcards)
      expect(
        scoped.some((re) => re.test(resource)),
        resource,
      ).toBe(true);
    // Log groups: their ARN attribute already ends in ":*" and is the only other wildcard.
    const logStatements = statements.filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
    expect(logStatements).toHaveLength(NAMES.length);
    for (const s of logStatements)
      expect(cfnText(s.Resource)).toMatch(/^\{Ingest[a-z]+IngestLogs[0-9A-F]{8}\.Arn\}$/);
  });

  it('runs each instance on its own schedule with an explicit retry policy and the failure queue as DLQ', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', NAMES.length);
    for (const name of NAMES) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(15 minutes)',
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
          RetryPolicy: {
            MaximumRetryAttempts: INGEST_RETRIES.schedulerAttempts,
            MaximumEventAgeInSeconds: INGEST_RETRIES.schedulerMaxEventAge.toSeconds(),
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          Input: JSON.stringify({ source: 'schedule', instance: name }),
        },
      });
    }
    // In UTC, as the config's cron gap checks assume (infra/schedule-gaps.ts): no daylight-saving shifts.
    for (const schedule of Object.values(template.findResources('AWS::Scheduler::Schedule'))) {
      expect(schedule.Properties.ScheduleExpressionTimezone).toBe('Etc/UTC');
    }
    expect(INGEST_RETRIES.schedulerAttempts).toBeLessThan(185);
  });

  it('sets async retries and the on-failure destination explicitly on every function', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', NAMES.length);
    for (const name of NAMES) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(name) },
        MaximumRetryAttempts: INGEST_RETRIES.asyncAttempts,
        MaximumEventAgeInSeconds: INGEST_RETRIES.asyncMaxEventAge.toSeconds(),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    }
  });

  // Review R-SECURITY L2: the account alone let any schedule of the account run as the role.
  it("lets only the stack's schedule group assume the scheduler roles, which may invoke only their function", () => {
    const groupId = logicalIdOf(template, 'AWS::Scheduler::ScheduleGroup', '/Schedules/');
    for (const name of NAMES) {
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', `/Ingest-${name}/SchedulerRole/`);
      expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } },
          },
        },
      ]);
      const invoke = statementsOfRole(`/Ingest-${name}/SchedulerRole/`).filter((s) =>
        actionsOf(s).includes('lambda:InvokeFunction'),
      );
      // The plain ARN the schedule calls, not its versions and aliases (":*"), which it has none of.
      expect(invoke.flatMap(resourcesOf).map(cfnText)).toEqual([`{${functionId(name)}.Arn}`]);
    }
  });

  it('keeps logs in a log group per function with the configured retention', () => {
    // One per function, and the lake's deletion log (LakeDeletions), kept alike.
    template.resourceCountIs('AWS::Logs::LogGroup', NAMES.length + 1);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate' });
    for (const name of NAMES)
      expect(template.toJSON().Resources[functionId(name)].Properties.LoggingConfig).toMatchObject({
        LogGroup: { Ref: expect.stringMatching(/IngestLogs/) },
      });
  });
});

/** One instance's ingest alone in a stack, beside the bucket and queue it needs. */
function ingestOnly(instance: Record<string, unknown>, overrides: Record<string, unknown> = {}): Template {
  const config = configWith({ instances: [instance], ...overrides });
  const stack = new Stack(newTestApp(), 'IngestOnly', { env: TEST_ENV });
  new InstanceIngest(stack, 'Ingest', {
    instance: config.instances[0] as (typeof config.instances)[number],
    ingest: config.ingest,
    lakeStartDate: config.lakeStartDate,
    maxDays: config.retention.maxDays,
    stackName: 'IngestOnly',
    lakeBucket: new s3.Bucket(stack, 'Lake'),
    digestSigning: new DigestSigningKey(stack, 'DigestSigning'),
    failureQueue: new sqs.Queue(stack, 'Failures'),
    scheduleGroup: new scheduler.ScheduleGroup(stack, 'Schedules'),
    logRetention: 90 as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return Template.fromStack(stack);
}

describe('per-instance ingest: secret under a customer managed KMS key', () => {
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  // Digest signing (kms:Sign on the region's keys, the key's policy denying all others) is every
  // ingest's; see digest-signing-key.test.ts.
  const kmsStatements = (t: Template) =>
    roleStatements(t, '/Ingest/Ingest/Role/').filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('kms:') && a !== 'kms:Sign'),
    );

  it.each([
    ['its full ARN', GAMMA_ARN],
    ['its name', 'domo/gamma'],
  ])(
    'lets the function decrypt with the named key, through Secrets Manager only, for a secret given by %s',
    (_how, secret) => {
      const t = ingestOnly({ name: 'gamma', secret, secretKmsKeyArn: KEY });
      expect(kmsStatements(t)).toEqual([
        {
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Resource: KEY,
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        },
      ]);
    },
  );

  it('refuses at synth a secret in another region than the stack, naming both regions and what to do', () => {
    const elsewhere = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:domo/gamma-AbCdEf';
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const instance of [
      { name: 'gamma', secret: elsewhere },
      { name: 'gamma', secret: elsewhere, secretKmsKeyArn: key },
    ]) {
      expect(() => ingestOnly(instance)).toThrow(ConfigError);
      expect(() => ingestOnly(instance)).toThrow(
        /instances: the secret of "gamma" is in us-east-1, but the stack deploys to eu-west-1: its function reads the secret from Secrets Manager in eu-west-1, which does not hold it, so every run would fail\. Deploy the stack to us-east-1 .*replicate the secret to eu-west-1/,
      );
    }
    // Another account too: both named. The ARN itself is not quoted.
    const otherAccount = 'arn:aws:secretsmanager:us-east-1:210987654321:secret:domo/gamma-AbCdEf';
    expect(() => ingestOnly({ name: 'gamma', secret: otherAccount })).toThrow(
      /is in us-east-1 of account 210987654321, and the stack to account 123456789012, but the stack deploys to eu-west-1/,
    );
    expect(() => ingestOnly({ name: 'gamma', secret: otherAccount })).not.toThrow(/domo\/gamma/);
    // Same region, another account: Secrets Manager reads it (with a resource policy), so it is taken.
    expect(() =>
      ingestOnly({
        name: 'gamma',
        secret: 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:domo/g-AbCdEf',
      }),
    ).not.toThrow();
  });

  it('grants no KMS action but digest signing when no key is named', () => {
    expect(kmsStatements(ingestOnly({ name: 'gamma', secret: GAMMA_ARN }))).toEqual([]);
    // Allowed: the Deny of every other key (SignOnlyThisKey) takes nothing away here.
    const everyAction = (everyRoleStatement(template) as Statement[])
      .filter((s) => s.Effect === 'Allow')
      .flatMap(actionsOf);
    expect(everyAction.filter((a) => a.startsWith('kms:'))).toEqual(NAMES.map(() => 'kms:Sign'));
  });
});

describe('per-instance ingest: settings from the config', () => {
  it('gives the function the configured size, timeout and settings, which the handler reads back', () => {
    const ingest = {
      schedule: 'rate(20 minutes)',
      settleMinutes: 30,
      lookbackHours: 5,
      backfillDays: 30,
      concurrency: 8,
      docTimeZone: 'America/Chicago',
      timeoutMinutes: 12,
      memoryMb: 2048,
      budgetMarginSeconds: 90,
    };
    const t = ingestOnly({ name: 'gamma', secret: 'domo/gamma' }, { ingest, lakeStartDate: '2024-06-01' });
    const fn = Object.values(t.findResources('AWS::Lambda::Function'))[0]?.Properties;
    expect(fn).toMatchObject({ Timeout: 12 * 60, MemorySize: 2048 });
    const vars = fn.Environment.Variables as Record<string, unknown>;
    const read = readIngestEnv({
      ...(vars as Record<string, string>),
      [INGEST_ENV.bucket]: 'lake-bucket',
      [INGEST_ENV.digestKeyId]: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    expect(read).toMatchObject({
      instance: 'gamma',
      secretId: 'domo/gamma',
      settleMinutes: 30,
      lookbackHours: 5,
      backfillDays: 30,
      concurrency: 8,
      docTimeZone: 'America/Chicago',
      budgetMarginMs: 90_000,
      lakeStartDate: '2024-06-01',
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(20 minutes)' });
    // No rules in cdk.json: the built-in ones.
    expect(categoryRulesFromEnv(read.categoryRules)).toEqual(DEFAULT_CATEGORY_RULES);
  });

  it('gives the function retention.maxDays, by which it refuses re-pulls of hours the lake aged out', () => {
    const readBack = (retention: Record<string, unknown>) => {
      const t = ingestOnly({ name: 'gamma' }, { retention, ingest: { backfillDays: 30 } });
      const vars = Object.values(t.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment
        .Variables;
      return readIngestEnv({
        ...vars,
        [INGEST_ENV.bucket]: 'b',
        [INGEST_ENV.secretId]: 's',
        [INGEST_ENV.digestKeyId]: 'k',
      }).maxDays;
    };
    expect(readBack({ maxDays: 400 })).toBe(400);
    expect(readBack({ maxDays: null })).toBeNull();
    expect(readBack({})).toBeNull();
  });

  // review R-MSP H1: the customer an instance is meant for, checked before its first run binds it.
  it("gives the function the instance's domoCustomer, and none when it is left out", () => {
    const readBack = (instance: Record<string, unknown>) => {
      const t = ingestOnly({ name: 'gamma', ...instance });
      const vars = Object.values(t.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment
        .Variables as Record<string, string>;
      const read = readIngestEnv({
        ...vars,
        [INGEST_ENV.bucket]: 'b',
        [INGEST_ENV.secretId]: 's',
        [INGEST_ENV.digestKeyId]: 'k',
      });
      return { set: INGEST_ENV.domoCustomer in vars, read: read.domoCustomer };
    };
    expect(readBack({ domoCustomer: 'gamma-corp' })).toEqual({ set: true, read: 'gamma-corp' });
    expect(readBack({})).toEqual({ set: false, read: undefined });
  });

  it("gives the function cdk.json's category rules, which it applies before the built-in ones", () => {
    const categoryRules = [{ category: 'login', actionType: '^AUTHENTICATED$' }];
    const t = ingestOnly({ name: 'gamma', secret: 'domo/gamma' }, { ingest: { categoryRules } });
    const fn = Object.values(t.findResources('AWS::Lambda::Function'))[0]?.Properties;
    const vars = fn.Environment.Variables as Record<string, string>;
    expect(JSON.parse(vars[INGEST_ENV.categoryRules] ?? '')).toEqual(categoryRules);
    expect(categoryRulesFromEnv(vars[INGEST_ENV.categoryRules] ?? '')).toEqual([
      ...categoryRules,
      ...DEFAULT_CATEGORY_RULES,
    ]);
  });
});
