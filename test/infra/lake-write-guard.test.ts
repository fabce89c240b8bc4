import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LakeStorage,
  NAMED_RETAIN_ACTIONS,
  NAMED_WRITE_ACTIONS,
  ONLY_NAMED_PRINCIPALS_DELETE,
  ONLY_NAMED_PRINCIPALS_RETAIN,
  ONLY_NAMED_PRINCIPALS_WRITE,
} from '../../infra/constructs/lake-storage.ts';
import {
  actionsOf,
  configWith,
  EVERY_FEATURE,
  newTestApp,
  type PolicyStatementJson,
  resourcesOf,
  sharedSynth,
  statementsOfRoleId,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * The lake's write guard (or, by `sid`, another statement of its bucket policy) in the storage
 * construct alone, after `writers` roles were guarded.
 */
function writeGuard(
  retention: Record<string, unknown>,
  writers = 0,
  sid = ONLY_NAMED_PRINCIPALS_WRITE,
): PolicyStatementJson | undefined {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (let i = 0; i < writers; i++) {
    storage.guardLakeWriter(
      new iam.Role(stack, `Writer${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
    );
  }
  const lakeId = stack.getLogicalId(storage.lakeBucket.node.defaultChild as s3.CfnBucket);
  return lakeWriteGuard(Template.fromStack(stack), lakeId, sid);
}

/** The write guard of the bucket policy of the bucket `lakeId`. */
function lakeWriteGuard(
  template: Template,
  lakeId: string,
  sid = ONLY_NAMED_PRINCIPALS_WRITE,
): PolicyStatementJson | undefined {
  const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
    (candidate) => candidate.Properties.Bucket.Ref === lakeId,
  );
  const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as PolicyStatementJson[];
  return statements.find((statement) => statement.Sid === sid);
}

const BREAK_GLASS = 'arn:aws:iam::123456789012:role/LakeBreakGlass';
const OPERATOR = 'arn:aws:iam::123456789012:role/LakeOperator';

describe('who may write to the lake (the stack roles, retention.writeAllowedPrincipals)', () => {
  // A role allowed s3:PutObject on `*` (PowerUserAccess) could otherwise replace an hour or a
  // digest: a new version every reader takes for the object.
  it('denies every principal writes when no writer is guarded and none named', () => {
    const guard = writeGuard({});
    expect(guard).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: NAMED_WRITE_ACTIONS });
    expect(actionsOf(guard as PolicyStatementJson)).toContain('s3:PutObject');
    expect(guard?.Condition).toBeUndefined();
  });

  // A replication role of the same account writes into a destination bucket with
  // s3:ReplicateObject, granted by IAM alone (no grant from the destination's policy): a role
  // allowed it on `*` and a bucket of one's own whose replication rule names the lake would put
  // new current versions of hours and digests past a guard of s3:PutObject only, and with
  // delete-marker replication (s3:ReplicateDelete) hide them past the delete guard.
  it('denies S3 replication writing or deleting into the lake as it denies puts and deletes', () => {
    const named = { writeAllowedPrincipals: [OPERATOR], deleteAllowedPrincipals: [BREAK_GLASS] };
    const writes = writeGuard(named, 1);
    expect(actionsOf(writes as PolicyStatementJson)).toEqual(['s3:PutObject', 's3:ReplicateObject']);
    const deletes = writeGuard(named, 1, ONLY_NAMED_PRINCIPALS_DELETE);
    expect(actionsOf(deletes as PolicyStatementJson)).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:ReplicateDelete',
    ]);
    // Replicas are written as the replication role: exempt only whom the Put and Delete guards exempt.
    expect(deletes?.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } });
    expect(writes?.Condition?.ArnNotLike?.['aws:PrincipalArn']).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Writer0/), 'Arn'] },
      OPERATOR,
      BREAK_GLASS,
    ]);
  });

  it('exempts the guarded writers, the write-allowed and the delete-allowed principals', () => {
    const guard = writeGuard(
      { writeAllowedPrincipals: [OPERATOR], deleteAllowedPrincipals: [BREAK_GLASS] },
      2,
    );
    expect(guard?.Condition).toEqual({
      ArnNotLike: {
        'aws:PrincipalArn': [
          { 'Fn::GetAtt': [expect.stringMatching(/^Writer0/), 'Arn'] },
          { 'Fn::GetAtt': [expect.stringMatching(/^Writer1/), 'Arn'] },
          OPERATOR,
          BREAK_GLASS,
        ],
      },
    });
  });

  // Review R-SECOND4: an operators' role allowed to write by hand could set a COMPLIANCE retention
  // of a century, which nobody could lift: only the break-glass principals set retention.
  it('leaves retention to the delete-allowed principals: not the writers, not the write-allowed', () => {
    const guard = writeGuard(
      { writeAllowedPrincipals: [OPERATOR], deleteAllowedPrincipals: [BREAK_GLASS] },
      2,
      ONLY_NAMED_PRINCIPALS_RETAIN,
    );
    expect(guard).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: NAMED_RETAIN_ACTIONS });
    expect(guard?.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } });
    const writes = writeGuard({ writeAllowedPrincipals: [OPERATOR] }, 1);
    expect(writes?.Action).toEqual(NAMED_WRITE_ACTIONS);
    expect(writeGuard({}, 1, ONLY_NAMED_PRINCIPALS_RETAIN)?.Condition).toBeUndefined();
  });

  it('refuses a role session as a write-allowed principal, as for deletes', () => {
    expect(() =>
      configWith({
        retention: { writeAllowedPrincipals: ['arn:aws:sts::123456789012:assumed-role/Ops/jane'] },
      }),
    ).toThrow(/writeAllowedPrincipals\[0\]: .* is a role session/);
  });

  // The guard must not lock out a writer of the stack: every role granted s3:PutObject on the lake.
  it('exempts every role of the stack that may put lake objects', () => {
    const { stack, template } = sharedSynth(EVERY_FEATURE);
    const lakeId = stack.getLogicalId(stack.storage.lakeBucket.node.defaultChild as s3.CfnBucket);
    const putsLake = (s: PolicyStatementJson) =>
      s.Effect === 'Allow' &&
      actionsOf(s).includes('s3:PutObject') &&
      JSON.stringify(resourcesOf(s)).includes(`"${lakeId}"`);
    const writers = Object.keys(template.findResources('AWS::IAM::Role')).filter((roleId) =>
      statementsOfRoleId(template, roleId).some(putsLake),
    );
    expect(writers.length).toBeGreaterThanOrEqual(3);
    const guard = lakeWriteGuard(template, lakeId);
    const exempt = guard?.Condition?.ArnNotLike?.['aws:PrincipalArn'];
    expect(exempt).toEqual(
      expect.arrayContaining(writers.map((roleId) => ({ 'Fn::GetAtt': [roleId, 'Arn'] }))),
    );
    expect(exempt).toHaveLength(writers.length);
  });
});
