import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { arnLike } from '../../infra/config/arn-like.ts';
import {
  LakeStorage,
  NAMED_CONFIGURE_ACTIONS,
  ONLY_NAMED_PRINCIPALS_CONFIGURE,
} from '../../infra/constructs/lake-storage.ts';
import { configWith, EVERY_FEATURE, newTestApp, sharedSynth, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string[];
  Resource: unknown;
  Condition?: { ArnNotLike: { 'aws:PrincipalArn': unknown[] } };
}

/** The lake bucket's policy statement that keeps its configuration to the named principals, and the stack. */
function configureGuard(retention: Record<string, unknown> = {}) {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const lake = stack.getLogicalId(storage.lakeBucket.node.defaultChild as s3.CfnBucket);
  const policy = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).find(
    (candidate) => candidate.Properties.Bucket.Ref === lake,
  );
  const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
  const guard = statements.find((statement) => statement.Sid === ONLY_NAMED_PRINCIPALS_CONFIGURE);
  return { stack, lake, guard };
}

/** The exempt patterns as deployed in the test's account: the partition reference resolved to `aws`. */
const exemptOf = (guard: Statement | undefined): string[] =>
  (guard?.Condition?.ArnNotLike['aws:PrincipalArn'] ?? []).map((value) =>
    typeof value === 'string'
      ? value
      : (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : 'aws'))
          .join(''),
  );

/** Whether the Deny exempts `arn`, as IAM would evaluate ArnNotLike on aws:PrincipalArn. */
const exempt = (guard: Statement | undefined, arn: string) =>
  exemptOf(guard).some((pattern) => arnLike(pattern, arn));

const EXEC_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1';

describe("only CloudFormation and the break-glass principals change the lake bucket's configuration (review R-SECOND9 H1)", () => {
  it('denies lifecycle, replication, versioning, lock, notification and logging changes to every other principal', () => {
    const { guard, lake } = configureGuard();
    expect(guard).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...NAMED_CONFIGURE_ACTIONS].sort(),
      Resource: { 'Fn::GetAtt': [lake, 'Arn'] },
    });
    for (const action of [
      's3:PutLifecycleConfiguration',
      's3:PutReplicationConfiguration',
      's3:PutEncryptionConfiguration',
    ])
      expect(NAMED_CONFIGURE_ACTIONS).toContain(action);
    // A role allowed s3:* on `*` (PowerUserAccess, AmazonS3FullAccess) is refused.
    expect(exempt(guard, 'arn:aws:iam::123456789012:role/PowerUser')).toBe(false);
    expect(exempt(guard, 'arn:aws:iam::123456789012:root')).toBe(false);
  });

  it('lets the CDK bootstrap execution role of any qualifier deploy, in this account and region only', () => {
    const { guard } = configureGuard();
    expect(exempt(guard, EXEC_ROLE)).toBe(true);
    expect(exempt(guard, EXEC_ROLE.replace('hnb659fds', 'custom1'))).toBe(true);
    expect(exempt(guard, EXEC_ROLE.replace('-eu-west-1', '-us-east-1'))).toBe(false);
    expect(exempt(guard, EXEC_ROLE.replace('cfn-exec-role', 'deploy-role'))).toBe(false);
  });

  it('exempts the break-glass principals, and the deploy principals named in place of the default', () => {
    const breakGlass = 'arn:aws:iam::123456789012:role/LakeBreakGlass';
    const pipeline = 'arn:aws:iam::123456789012:role/PipelineDeploy';
    const { guard } = configureGuard({ deleteAllowedPrincipals: [breakGlass], deployPrincipals: [pipeline] });
    expect(exemptOf(guard)).toEqual([pipeline, breakGlass]);
    expect(exempt(guard, EXEC_ROLE)).toBe(false);
    expect(exempt(configureGuard({ deleteAllowedPrincipals: [breakGlass] }).guard, breakGlass)).toBe(true);
  });

  it('warns at synth when the deploy principals named cannot match the role the stack deploys with', () => {
    const warning = Match.stringLikeRegexp('retention.deployPrincipals .* does not match .*cfn-exec-role');
    const warned = (retention: Record<string, unknown>) =>
      Annotations.fromStack(configureGuard(retention).stack).findWarning('*', warning).length > 0;
    expect(warned({ deployPrincipals: ['arn:aws:iam::123456789012:role/PipelineDeploy'] })).toBe(true);
    expect(warned({ deployPrincipals: ['arn:aws:iam::123456789012:role/cdk-*-cfn-exec-role-*'] })).toBe(
      false,
    );
    expect(warned({})).toBe(false);
  });

  // The Deny exempts the role CloudFormation deploys as, not a custom resource's function, which
  // calls S3 with a role of its own: CDK's eventBridgeEnabled, addEventNotification and
  // autoDeleteObjects would each write the lake's notifications through one, refused on every
  // deploy and on cdk destroy (review R2-INFRA). Every configuration call must stay CloudFormation's.
  it('is met by a stack without custom resources: each configuration call is CloudFormation’s own', () => {
    const { template } = sharedSynth({ ...EVERY_FEATURE, retention: { maxDays: 400 } });
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
      (resource) => resource.Type,
    );
    expect(types).toContain('AWS::S3::Bucket');
    // But the lake key check (LakeKeyKept), which makes no S3 call: its role may only describe the
    // stack (lake-key-kept.test.ts).
    expect(
      types.filter((type) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource'),
    ).toEqual(['Custom::LakeKeyKept']);
  });

  it('refuses an empty list: no deploy could change the bucket', () => {
    expect(() => configWith({ retention: { deployPrincipals: [] } })).toThrow(
      /retention\.deployPrincipals: must name at least the role CloudFormation deploys the stack with/,
    );
  });
});
