import { readFileSync } from 'node:fs';
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { digestAuditorPolicy } from '../../infra/constructs/digest-auditor-policy.ts';
import { LakeCatalog } from '../../infra/constructs/lake-catalog.ts';
import {
  LAKE_ENCRYPTION_CHANGES,
  LAKE_GUARD_MESSAGE_OPENING,
  LAKE_GUARD_RUNBOOK,
  LAKE_KEY_CHANGES,
} from '../../infra/constructs/lake-guard-watch.ts';
import { LAKE_KEY_ACTIONS, LakeStorage, ONLY_LAKE_KEY_PUTS } from '../../infra/constructs/lake-storage.ts';
import {
  actionsOf,
  configWith,
  DEPLOYABLE_CONFIG,
  EVERY_FEATURE,
  everyRoleStatement,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  resourcesOf,
  sharedSynth,
  statementsOfRole,
  TEST_ENV,
  TEST_NOW,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const KEY = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/mrk-0123456789abcdef0123456789abcdef`;
const S3_OF_REGION = `s3.${TEST_ENV.region}.amazonaws.com`;

/** The storage construct alone, in a stack of its own, with a writer and an Athena caller guarded. */
function storageOnly(kmsKeyArn?: string, retiredKmsKeyArns?: string[]) {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith().retention,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
    retiredKmsKeyArns,
  });
  const role = (id: string) =>
    new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const writer = role('Writer');
  const caller = role('Caller');
  const both = role('Both');
  const neither = role('Neither');
  neither.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] }));
  storage.guardLakeWriter(writer);
  storage.guardAthenaCaller(caller);
  storage.guardLakeWriter(both);
  storage.guardAthenaCaller(both);
  const template = Template.fromStack(stack);
  const idOf = (bucket: s3.IBucket) => stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  const encryptionOf = (bucket: s3.IBucket) =>
    template.toJSON().Resources[idOf(bucket)].Properties.BucketEncryption;
  const policyOf = (bucket: s3.IBucket): PolicyStatementJson[] =>
    Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (policy) => policy.Properties.Bucket.Ref === idOf(bucket),
    )?.Properties.PolicyDocument.Statement ?? [];
  const roleStatements = (r: iam.Role): PolicyStatementJson[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.Roles as { Ref: string }[]).some(
          (ref) => ref.Ref === stack.getLogicalId(r.node.defaultChild as iam.CfnRole),
        ),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
  return {
    storage,
    template,
    encryptionOf,
    policyOf,
    roleStatements,
    roles: { writer, caller, both, neither },
  };
}

const SSE_S3 = {
  ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
};
const SSE_KMS = {
  ServerSideEncryptionConfiguration: [
    {
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
    },
  ],
};

/** The statements of `statements` that name the lake key. */
const keyStatements = (statements: PolicyStatementJson[]) =>
  statements.filter((statement) => JSON.stringify(resourcesOf(statement)).includes(KEY));

describe('lakeEncryption.kmsKeyArn in the config', () => {
  it('takes a key ARN, and is left out by default', () => {
    expect(configWith().lakeEncryption).toBeUndefined();
    expect(configWith({ lakeEncryption: { kmsKeyArn: KEY } }).lakeEncryption).toEqual({
      kmsKeyArn: KEY,
      retiredKmsKeyArns: [],
    });
  });

  it.each([
    ['an alias', `arn:aws:kms:${TEST_ENV.region}:123456789012:alias/lake`],
    ['a key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('refuses %s: the bucket policy and the grants name the key by its ARN', (_, value) => {
    expect(() => configWith({ lakeEncryption: { kmsKeyArn: value } })).toThrow(
      /activityLake\.lakeEncryption\.kmsKeyArn: must be a KMS key ARN .*describe-key/,
    );
  });

  it('refuses a key of another region than the stack, naming both', () => {
    const config = configWith({ lakeEncryption: { kmsKeyArn: KEY.replace(TEST_ENV.region, 'us-east-1') } });
    const build = () => new ActivityLakeStack(newTestApp(), 'Test', { config, now: TEST_NOW, env: TEST_ENV });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /lakeEncryption\.kmsKeyArn: the key is in us-east-1, but the stack deploys to eu-west-1/,
    );
  });
});

describe('the buckets under a customer key', () => {
  it('encrypts the lake and the Athena results with SSE-KMS and bucket keys, the access log with SSE-S3', () => {
    const { storage, encryptionOf } = storageOnly(KEY);
    expect(encryptionOf(storage.lakeBucket)).toEqual(SSE_KMS);
    expect(encryptionOf(storage.resultsBucket)).toEqual(SSE_KMS);
    expect(encryptionOf(storage.accessLogsBucket)).toEqual(SSE_S3);
  });

  it('keeps all three SSE-S3 without a key', () => {
    const { storage, encryptionOf } = storageOnly();
    for (const bucket of [storage.lakeBucket, storage.resultsBucket, storage.accessLogsBucket]) {
      expect(encryptionOf(bucket)).toEqual(SSE_S3);
    }
  });
});

/**
 * Whether the lake's Denies refuse a put with `headers` (the SSE request headers, as the condition
 * keys read them), by IAM's rules: `StringNotEquals` holds for a missing key, `Null: false` only for
 * a present one, and the conditions of one statement all at once.
 */
function refused(statements: PolicyStatementJson[], headers: Record<string, string>): boolean {
  const holds = (operator: string, values: Record<string, unknown>) =>
    Object.entries(values).every(([key, wanted]) => {
      const given = headers[key];
      if (operator === 'Null') return (given === undefined) === (wanted === 'true');
      if (operator === 'StringNotEquals') return given !== wanted;
      throw new Error(`operator ${operator} not modelled`);
    });
  return statements.some((statement) =>
    Object.entries(statement.Condition ?? {}).every(([operator, values]) => holds(operator, values)),
  );
}

describe("the lake bucket's policy under a customer key", () => {
  const SSE = 's3:x-amz-server-side-encryption';
  const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';

  it('refuses every put that asks for another encryption or key, and lets the default apply', () => {
    const { storage, policyOf } = storageOnly(KEY);
    const denies = policyOf(storage.lakeBucket).filter((s) => s.Sid === ONLY_LAKE_KEY_PUTS);
    expect(denies).toHaveLength(1);
    for (const deny of denies) {
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject' });
    }
    // What every writer of the project sends: nothing; the bucket's default (the key) applies.
    expect(refused(denies, {})).toBe(false);
    expect(refused(denies, { [SSE]: 'aws:kms', [KEY_ID]: KEY })).toBe(false);
    expect(refused(denies, { [SSE]: 'AES256' })).toBe(true);
    // Two layers, both under the lake's key.
    expect(refused(denies, { [SSE]: 'aws:kms:dsse', [KEY_ID]: KEY })).toBe(false);
    expect(refused(denies, { [SSE]: 'aws:kms:dsse', [KEY_ID]: OTHER_KEY })).toBe(true);
    // aws:kms with no key named is the AWS managed key aws/s3, not the bucket's.
    expect(refused(denies, { [SSE]: 'aws:kms' })).toBe(true);
    expect(refused(denies, { [SSE]: 'aws:kms', [KEY_ID]: OTHER_KEY })).toBe(true);
  });

  it('adds no Deny without a key, nor to the Athena results (their key is enforced by the workgroup)', () => {
    const sids = (statements: PolicyStatementJson[]) => statements.map((s) => s.Sid);
    const without = storageOnly();
    expect(sids(without.policyOf(without.storage.lakeBucket))).not.toContain(ONLY_LAKE_KEY_PUTS);
    const keyed = storageOnly(KEY);
    expect(sids(keyed.policyOf(keyed.storage.resultsBucket))).not.toContain(ONLY_LAKE_KEY_PUTS);
  });
});

describe("the stack's readers and writers under a customer key", () => {
  const KEY_USE = {
    Effect: 'Allow',
    Action: LAKE_KEY_ACTIONS,
    Resource: KEY,
    Condition: { StringEquals: { 'kms:ViaService': S3_OF_REGION } },
  };

  it('lets each guarded writer and Athena caller use the key through S3 only, once each', () => {
    const { roleStatements, roles } = storageOnly(KEY);
    expect(LAKE_KEY_ACTIONS).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    for (const role of [roles.writer, roles.caller, roles.both]) {
      expect(keyStatements(roleStatements(role))).toEqual([KEY_USE]);
    }
    expect(keyStatements(roleStatements(roles.neither))).toEqual([]);
  });

  it('grants no key without one', () => {
    const { roleStatements, roles } = storageOnly();
    for (const role of Object.values(roles)) {
      expect(roleStatements(role).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([]);
    }
  });

  it('grants it to the ingest, alerts and report roles of the stack, and to no other role', () => {
    const { template } = sharedSynth({ ...EVERY_FEATURE, lakeEncryption: { kmsKeyArn: KEY } });
    for (const role of [
      '/Ingest-acme/Ingest/Role/',
      '/Alerts/Alerts-acme/Role/',
      '/WeeklyReport/Report/Role/',
    ]) {
      expect(keyStatements(statementsOfRole(template, role)), role).toEqual([KEY_USE]);
    }
    expect(keyStatements(everyRoleStatement(template))).toHaveLength(3);
  });

  it('encrypts the workgroup results under the key, enforced', () => {
    const stack = new Stack(newTestApp(), 'CatalogOnly', { env: TEST_ENV });
    const catalog = (id: string, resultsKmsKeyArn?: string) =>
      new LakeCatalog(stack, id, {
        databaseName: id.toLowerCase(),
        workGroupName: id,
        lakeRootUri: 's3://lake/',
        resultsUri: 's3://results/athena/',
        instances: ['acme'],
        startDate: '2025-01-01',
        bytesScannedCutoffMb: 10240,
        namedQueries: [],
        ...(resultsKmsKeyArn === undefined ? {} : { resultsKmsKeyArn }),
      });
    const keyed = catalog('Keyed', KEY).workGroup;
    const plain = catalog('Plain').workGroup;
    const configuration = (workGroup: typeof keyed) =>
      stack.resolve(workGroup.workGroupConfiguration) as {
        enforceWorkGroupConfiguration: boolean;
        resultConfiguration: { encryptionConfiguration: unknown };
      };
    expect(configuration(keyed).enforceWorkGroupConfiguration).toBe(true);
    expect(configuration(keyed).resultConfiguration.encryptionConfiguration).toEqual({
      encryptionOption: 'SSE_KMS',
      kmsKey: KEY,
    });
    expect(configuration(plain).resultConfiguration.encryptionConfiguration).toEqual({
      encryptionOption: 'SSE_S3',
    });
  });

  it('lets the evidence recipient decrypt the digests through S3, and only with a key', () => {
    const stack = new Stack(newTestApp(), 'Auditor', { env: TEST_ENV });
    const signing = new kms.Key(stack, 'Signing');
    const lake = new LakeStorage(stack, 'Storage', {
      retention: configWith().retention,
      removalPolicy: RemovalPolicy.RETAIN,
      kmsKeyArn: KEY,
    });
    const keyed = stack.resolve(digestAuditorPolicy(signing, lake.lakeBucket, lake.keyArns).toJSON());
    expect(keyStatements(keyed.Statement)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: KEY_USE.Condition },
    ]);
    const plain = stack.resolve(digestAuditorPolicy(signing, lake.lakeBucket).toJSON());
    expect(plain.Statement.filter((s: PolicyStatementJson) => actionsOf(s).includes('kms:Decrypt'))).toEqual(
      [],
    );
  });
});

// Review CMK3: removing the setting took the roles' grants while the objects written under the key
// stayed encrypted with it. The way off keeps the key's read grant.
describe('moving off the key: lakeEncryption.retiredKmsKeyArns', () => {
  const DECRYPT_ONLY = (...keys: string[]) => ({
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: keys.length === 1 ? keys[0] : keys,
    Condition: { StringEquals: { 'kms:ViaService': S3_OF_REGION } },
  });

  it('takes retired keys with or without a current one, and refuses what names no key or one twice', () => {
    expect(configWith({ lakeEncryption: { retiredKmsKeyArns: [KEY] } }).lakeEncryption).toEqual({
      retiredKmsKeyArns: [KEY],
    });
    expect(() => configWith({ lakeEncryption: {} })).toThrow(
      /lakeEncryption\.kmsKeyArn: is required unless retiredKmsKeyArns names a key: .*"Moving off the key"/,
    );
    expect(() => configWith({ lakeEncryption: { kmsKeyArn: KEY, retiredKmsKeyArns: [KEY] } })).toThrow(
      /lakeEncryption\.retiredKmsKeyArns: names the key kmsKeyArn names/,
    );
    expect(() =>
      configWith({
        lakeEncryption: { retiredKmsKeyArns: [`arn:aws:kms:${TEST_ENV.region}:123456789012:alias/old`] },
      }),
    ).toThrow(/lakeEncryption\.retiredKmsKeyArns\[0\]: must be a KMS key ARN/);
    expect(() =>
      configWith({ lakeEncryption: { retiredKmsKeyArns: Array.from({ length: 11 }, () => KEY) } }),
    ).toThrow(/lakeEncryption\.retiredKmsKeyArns: must list at most 10 keys/);
  });

  it('keeps the buckets SSE-S3 and no Deny with retired keys alone, and lets each role decrypt with them', () => {
    const { storage, encryptionOf, policyOf, roleStatements, roles } = storageOnly(undefined, [KEY]);
    for (const bucket of [storage.lakeBucket, storage.resultsBucket])
      expect(encryptionOf(bucket)).toEqual(SSE_S3);
    expect(policyOf(storage.lakeBucket).map((s) => s.Sid)).not.toContain(ONLY_LAKE_KEY_PUTS);
    for (const role of [roles.writer, roles.caller, roles.both]) {
      expect(keyStatements(roleStatements(role))).toEqual([DECRYPT_ONLY(KEY)]);
    }
    expect(keyStatements(roleStatements(roles.neither))).toEqual([]);
  });

  it('grants the new key its use and the retired one its decryption, side by side', () => {
    const { roleStatements, roles } = storageOnly(OTHER_KEY, [KEY]);
    const statements = roleStatements(roles.both).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('kms:')),
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: LAKE_KEY_ACTIONS,
        Resource: OTHER_KEY,
        Condition: DECRYPT_ONLY(KEY).Condition,
      },
      DECRYPT_ONLY(KEY),
    ]);
  });

  it('lets the evidence recipient decrypt the older digests too, and watches the retired keys', () => {
    const { template } = sharedSynth({
      ...EVERY_FEATURE,
      lakeEncryption: { kmsKeyArn: OTHER_KEY, retiredKmsKeyArns: [KEY] },
    });
    const outputs = template.toJSON().Outputs;
    const auditor = JSON.stringify(outputs.DigestAuditorPolicy.Value);
    // A JSON text in the output: the keys' ARNs are quoted inside it.
    expect(auditor).toContain(`[\\"${OTHER_KEY}\\",\\"${KEY}\\"]`);
    const keyRule =
      template.toJSON().Resources[logicalIdOf(template, 'AWS::Events::Rule', '/LakeGuardWatch/LakeKeyRule/')];
    expect(keyRule.Properties.EventPattern.detail.resources).toEqual({ ARN: [OTHER_KEY, KEY] });
  });
});

describe('the stack without lakeEncryption (as before the setting)', () => {
  it('writes no trace of a customer key: SSE-S3 buckets and results, no Deny, no grant', () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const text = JSON.stringify(template.toJSON());
    for (const trace of ['"aws:kms"', 'SSE_KMS', 'BucketKeyEnabled', ONLY_LAKE_KEY_PUTS, S3_OF_REGION]) {
      expect(text).not.toContain(trace);
    }
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.BucketEncryption).toEqual(SSE_S3);
    }
    const workGroup =
      template.toJSON().Resources[logicalIdOf(template, 'AWS::Athena::WorkGroup', '/Catalog/')];
    expect(workGroup.Properties.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration).toEqual({
      EncryptionOption: 'SSE_S3',
    });
  });

  it('makes one resource more with the key, its watch rule: the key is imported, not created', () => {
    const count = (overrides: Record<string, unknown>) => {
      const stack = new ActivityLakeStack(newTestApp(), 'Test', {
        config: configWith({ ...EVERY_FEATURE, ...overrides }),
        now: TEST_NOW,
        env: TEST_ENV,
      });
      return stack.node.findAll().filter((node) => CfnResource.isCfnResource(node)).length;
    };
    expect(count({ lakeEncryption: { kmsKeyArn: KEY } })).toBe(count({}) + 1);
  });
});

describe('the whole app with lakeEncryption under cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding, the report and the alerts on', () => {
    const app = newTestApp();
    app.node.setContext('activityLake', {
      ...DEPLOYABLE_CONFIG,
      ...EVERY_FEATURE,
      lakeEncryption: { kmsKeyArn: KEY },
    });
    defineActivityLakeApp(app, TEST_NOW);
    expect(() => app.synth()).not.toThrow();
  });
});

// Review CMK3: the setting's section named the key's rule but neither the encryption calls'
// rule nor what the mail says, so an operator with the setting on could not tell which message
// was about it.
describe("docs/configuration.md's Lake encryption, on the watch", () => {
  const configuration = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const start = configuration.indexOf('## Lake encryption');
  const section = configuration.slice(start, configuration.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');

  it.each([
    ...LAKE_KEY_CHANGES.map((call) => [call, 'LakeGuardWatch/LakeKeyRule'] as const),
    ...LAKE_ENCRYPTION_CHANGES.map((call) => [call, 'LakeGuardWatch/MoreRule'] as const),
  ])('names %s and its rule, %s', (call, rule) => {
    expect(section).toContain(`\`${call}\``);
    expect(section).toContain(`\`${rule}\``);
  });

  it('quotes the message as the watch writes it, and where it sends its reader', () => {
    expect(start).toBeGreaterThan(-1);
    expect(section).toContain(`\`${LAKE_GUARD_MESSAGE_OPENING} DisableKey`);
    expect(section).toContain(`read docs/operations.md, section ${LAKE_GUARD_RUNBOOK}\``);
  });
});
