/**
 * `adoptLake`: a stack deployed again after `cdk destroy` goes on with the kept lake bucket and
 * digest signing key instead of creating new ones (docs/operations.md "Adopting a kept lake").
 * Every reference the stack makes to its own lake and key then names the kept ones, no bucket or
 * key is created in their place, and the lake's guards are put on the kept bucket in one
 * PutBucketPolicy (CloudFormation cannot create a bucket policy over the kept one).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { ADOPTED_LAKE_NOTES } from '../../infra/constructs/lake-storage.ts';
import {
  cfnText,
  configWith,
  DEPLOYABLE_CONFIG,
  EVERY_FEATURE,
  logicalIdOf,
  newTestApp,
  sharedSynth,
  synthStack,
  TEST_NOW,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const BUCKET = 'domoactivitylake-storagelake1a2b3c4d-5e6f7g8h9i0j';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ADOPT = { adoptLake: { bucketName: BUCKET, digestKeyArn: KEY_ARN } };

const created = sharedSynth(EVERY_FEATURE);
const adopted = sharedSynth({ ...EVERY_FEATURE, ...ADOPT });
const createdResources: Record<string, { Type: string; Properties?: Record<string, unknown> }> =
  created.template.toJSON().Resources;
const adoptedResources: Record<string, { Type: string; Properties?: Record<string, unknown> }> =
  adopted.template.toJSON().Resources;

const lakeId = logicalIdOf(created.template, 'AWS::S3::Bucket', '/Storage/Lake/');
const lakePolicyId = logicalIdOf(created.template, 'AWS::S3::BucketPolicy', '/Storage/Lake/');
const keyId = logicalIdOf(created.template, 'AWS::KMS::Key', '/DigestSigning/Key/');
/** The kept lake's resources a created lake has and an adopting stack must not create. */
const KEPT = [lakeId, lakePolicyId, keyId];

/** The kinds of resource that name the lake when the stack creates it (EVERY_FEATURE). */
const REFERRING_TYPES = [
  'AWS::Events::Rule',
  'AWS::Glue::Table',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::Lambda::Function',
];

const mentions = (value: unknown, text: string) => JSON.stringify(value).includes(text);

describe('adoptLake in the config', () => {
  it('takes the kept bucket name and key ARN; left out, nothing is adopted', () => {
    expect(configWith(ADOPT).adoptLake).toEqual(ADOPT.adoptLake);
    expect(configWith().adoptLake).toBeUndefined();
  });

  it.each([
    ['an s3:// address', { bucketName: `s3://${BUCKET}`, digestKeyArn: KEY_ARN }, /adoptLake\.bucketName/],
    ['a bucket ARN', { bucketName: `arn:aws:s3:::${BUCKET}`, digestKeyArn: KEY_ARN }, /LakeBucketName/],
    ['an upper-case name', { bucketName: 'Lake', digestKeyArn: KEY_ARN }, /bucket name/],
    ['a key alias', { bucketName: BUCKET, digestKeyArn: 'alias/digest' }, /DigestSigningKeyArn/],
    // Adopting the bucket alone would sign the chain on with a new key: no one key checks it whole.
    ['no key', { bucketName: BUCKET }, /adoptLake\.digestKeyArn/],
    ['no bucket', { digestKeyArn: KEY_ARN }, /adoptLake\.bucketName/],
    ['an unknown key', { bucketName: BUCKET, digestKeyArn: KEY_ARN, bucket: BUCKET }, /bucket/],
  ])('refuses %s', (_, adoptLake, message) => {
    expect(() => configWith({ adoptLake })).toThrow(ConfigError);
    expect(() => configWith({ adoptLake })).toThrow(message);
  });
});

describe('a stack adopting a kept lake', () => {
  it('creates no lake bucket, lake policy or digest key: the rest of its resources are those of a created lake', () => {
    const createdIds = Object.keys(createdResources);
    const adoptedIds = Object.keys(adoptedResources);
    expect(adoptedIds.filter((id) => KEPT.includes(id))).toEqual([]);
    // Every other resource keeps its logical id and type: adopting moves nothing else.
    for (const id of createdIds.filter((id) => !KEPT.includes(id))) {
      expect(adoptedResources[id]?.Type, id).toBe(createdResources[id]?.Type);
    }
    // What it adds: the policy's put, and CDK's function (with its role) that makes it.
    const added = adoptedIds.filter((id) => !(id in createdResources));
    expect(added.map((id) => adoptedResources[id]?.Type).sort()).toEqual([
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Logs::LogGroup',
      'Custom::AWS',
    ]);
    adopted.template.resourceCountIs('AWS::S3::Bucket', 2);
    adopted.template.resourceCountIs('AWS::KMS::Key', countOf('AWS::KMS::Key') - 1);
  });

  it('names the kept bucket wherever a created lake is referenced, and the removed resources nowhere', () => {
    // The kept lake logs into the old stack's access-log bucket: the new one's policy lets S3
    // deliver only the Athena results bucket's logs.
    const logsPolicyId = logicalIdOf(created.template, 'AWS::S3::BucketPolicy', '/Storage/AccessLogs/');
    expect(mentions(adoptedResources[logsPolicyId], BUCKET)).toBe(false);
    const referring = Object.entries(createdResources).filter(
      ([id, resource]) => ![...KEPT, logsPolicyId].includes(id) && mentions(resource, `"${lakeId}"`),
    );
    // The functions' settings (the checkpoint's bucket among them) and grants, the Glue tables
    // (their location), the deletion and guard watch rules.
    expect(new Set(referring.map(([, resource]) => resource.Type))).toEqual(new Set(REFERRING_TYPES));
    for (const [id] of referring) expect(mentions(adoptedResources[id], BUCKET), id).toBe(true);
    for (const removed of KEPT)
      expect(mentions(adopted.template.toJSON(), `"${removed}"`), removed).toBe(false);
    const outputs = adopted.template.toJSON().Outputs;
    expect(outputs.LakeBucketName.Value).toBe(BUCKET);
    expect(outputs.DigestSigningKeyArn.Value).toBe(KEY_ARN);
    expect(outputs.DigestPublicKeyCommand.Value).toContain(KEY_ARN);
  });

  it("signs with the kept key: the signers' Deny of every other key names it", () => {
    const managed = Object.values(adoptedResources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    const signOnly = managed.find((policy) => mentions(policy, 'SignOnlyTheStacksDigestKey'));
    expect(mentions(signOnly, KEY_ARN)).toBe(true);
  });

  it("puts the whole of a created lake's policy on the kept bucket, in one PutBucketPolicy and never a delete", () => {
    const createdPolicy = createdResources[lakePolicyId]?.Properties?.PolicyDocument as {
      Statement: { Sid?: string }[];
    };
    const [put] = Object.values(adoptedResources).filter((r) => r.Type === 'Custom::AWS');
    const create = cfnText(put?.Properties?.Create);
    expect(cfnText(put?.Properties?.Update)).toBe(create);
    expect(put?.Properties?.Delete).toBeUndefined();
    const call = JSON.parse(create) as { action: string; parameters: { Bucket: string; Policy: string } };
    expect(call.action).toBe('putBucketPolicy');
    expect(call.parameters.Bucket).toBe(BUCKET);
    const statements = (JSON.parse(call.parameters.Policy) as { Statement: { Sid?: string }[] }).Statement;
    // The same statements in the same order: the TLS-only Deny, then the guards.
    expect(statements.map((s) => s.Sid)).toEqual(createdPolicy.Statement.map((s) => s.Sid));
    expect(statements[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    // The function that puts it may do that and nothing else, on this bucket alone.
    const puts = Object.values(adoptedResources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && mentions(r, 's3:PutBucketPolicy'),
    );
    expect(puts).toHaveLength(1);
    expect(puts[0]?.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 's3:PutBucketPolicy',
          Effect: 'Allow',
          Resource: `arn:aws:s3:::${BUCKET}`,
        },
      ],
    });
  });

  it('puts the policy again when a deploy changes it: the same resource, a changed update', () => {
    // An instance added names its ingest role in the guards: CloudFormation then sends an update,
    // whose call is the put of the new policy (the resource is not replaced, nothing is deleted).
    const more = synthStack({
      ...EVERY_FEATURE,
      ...ADOPT,
      instances: [...EVERY_FEATURE.instances, { name: 'beta' }],
    }).template.toJSON().Resources as typeof adoptedResources;
    const putOf = (resources: typeof adoptedResources) =>
      Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWS');
    const [id, before] = putOf(adoptedResources) ?? [];
    const [sameId, after] = putOf(more) ?? [];
    expect(sameId).toBe(id);
    const update = cfnText(after?.Properties?.Update);
    expect(update).not.toBe(cfnText(before?.Properties?.Update));
    expect(JSON.parse(update).action).toBe('putBucketPolicy');
    expect(update).toContain('Ingestbeta');
  });

  it("keeps the put function's log lines retention.logDays, as the stack's other functions, and removes them with it", () => {
    const logDays = 30;
    const { template } = synthStack({
      ...EVERY_FEATURE,
      ...ADOPT,
      retention: { logDays, removalPolicy: 'destroy' },
    });
    const putFn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) =>
      mentions(fn, 'AWS679f53fac002430cb0da5b7982bd2287'),
    );
    const group = (putFn?.[1].Properties.LoggingConfig as { LogGroup?: { Ref: string } })?.LogGroup?.Ref;
    expect(group).toBeDefined();
    const resource = template.toJSON().Resources[group as string];
    expect(resource.Properties.RetentionInDays).toBe(logDays);
    expect(resource.DeletionPolicy).toBe('Delete');
  });

  it('gives the put function a role that writes to its own log group alone, no AWSLambdaBasicExecutionRole', () => {
    // Whoever may invoke it can have it make any call its role allows: with the managed policy,
    // forged lines in any log group of the account (the deletions log among them).
    type Resource = { Type: string; Properties: Record<string, unknown> };
    type Statement = { Action: unknown; Resource: unknown };
    const resources = adopted.template.toJSON().Resources as Record<string, Resource>;
    const putFn = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('AWS679f53fa'),
    )?.[1];
    if (!putFn) throw new Error('no put function');
    const roleId = (putFn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resources[roleId];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    const groupId = (putFn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const inline = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
    const statements = [
      ...inline.flatMap((p) => p.PolicyDocument.Statement),
      ...Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && mentions(r.Properties.Roles, roleId))
        .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
    ];
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      's3:PutBucketPolicy',
    ]);
    expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': [groupId, 'Arn'] });
  });

  it("watches the put function's code and configuration as the stack's own functions (LakeGuardChanged)", () => {
    // Its role may put any policy on the lake: a change of its code is a change of the lake's guards.
    const putFn = Object.keys(adopted.template.findResources('AWS::Lambda::Function')).find((id) =>
      id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    expect(putFn).toBeDefined();
    const watched = Object.values(adopted.template.findResources('AWS::Events::Rule'))
      .filter((rule) => mentions(rule.Properties.EventPattern, 'aws.lambda'))
      .map((rule) => rule.Properties.EventPattern);
    expect(mentions(watched, JSON.stringify({ Ref: putFn }))).toBe(true);
  });

  it("warns that the bucket's own settings and the key's policy stay as the old stack left them", () => {
    // Read from the construct, not a synth: another file's afterAll may have removed the assembly.
    const warnings = ({ stack }: typeof created) =>
      stack.storage.node.metadata
        .filter(
          (entry) => entry.type === 'aws:cdk:warning' && String(entry.data).includes(ADOPTED_LAKE_NOTES),
        )
        .map((entry) => String(entry.data));
    expect(warnings(adopted)).toHaveLength(1);
    for (const setting of ['retention.lockDays', 'retention.maxDays', 'lakeEncryption', 'step 4']) {
      expect(warnings(adopted)[0]).toContain(setting);
    }
    expect(warnings(created)).toEqual([]);
  });

  it('passes cdk-nag with the function that puts the policy', () => {
    const app = newTestApp();
    app.node.setContext('activityLake', { ...DEPLOYABLE_CONFIG, ...ADOPT });
    const stack = defineActivityLakeApp(app, TEST_NOW);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('Custom::AWS', 1);
  });
});

function countOf(type: string): number {
  return Object.values(createdResources).filter((resource) => resource.Type === type).length;
}

describe('adoptLake across regions', () => {
  it("refuses a kept key of another region than the stack's", () => {
    const elsewhere = {
      adoptLake: { bucketName: BUCKET, digestKeyArn: KEY_ARN.replace('eu-west-1', 'us-east-1') },
    };
    expect(() => synthStack(elsewhere)).toThrow(ConfigError);
    expect(() => synthStack(elsewhere)).toThrow(
      'adoptLake.digestKeyArn: the key is in us-east-1, but the stack deploys to eu-west-1',
    );
  });
});
