import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_FORBIDDEN_ACTIONS, LakeStorage } from '../../infra/constructs/lake-storage.ts';
import {
  actionsOf,
  configWith,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Statement = PolicyStatementJson & { Sid?: string; Principal?: { AWS?: unknown } };

/** The lake bucket policy's statements. */
const lakeStatements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .filter((policy) => String(policy.Metadata?.['aws:cdk:path']).includes('/Storage/Lake/'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

/** The roles (logical ids) the lake's NeverRewriteHistory Deny names. */
function deniedRoles(template: Template): string[] {
  const deny = lakeStatements(template).filter((s) => s.Sid === 'NeverRewriteHistory');
  expect(deny).toHaveLength(1);
  const principals = deny[0]?.Principal?.AWS;
  return (Array.isArray(principals) ? principals : [principals]).map(
    (p) => (p as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
  );
}

describe('lake writers cannot weaken what records and protects the lake', () => {
  it('denies turning off access logging, opening the bucket, swapping its key or replicating it', () => {
    const stack = new Stack(newTestApp(), 'Guard', { env: TEST_ENV });
    const storage = new LakeStorage(stack, 'Storage', {
      retention: configWith().retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(stack, 'Writer', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    storage.guardLakeWriter(role);
    const [deny] = lakeStatements(Template.fromStack(stack)).filter((s) => s.Sid === 'NeverRewriteHistory');
    expect(deny?.Effect).toBe('Deny');
    expect(actionsOf(deny as Statement)).toEqual(
      expect.arrayContaining([
        's3:PutBucketLogging',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketAcl',
        's3:PutObjectAcl',
        's3:PutObjectVersionAcl',
        's3:PutEncryptionConfiguration',
        's3:PutReplicationConfiguration',
        // Already there: policy, lifecycle, lock and versioning.
        's3:DeleteBucketPolicy',
        's3:PutLifecycleConfiguration',
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketVersioning',
      ]),
    );
    expect(actionsOf(deny as Statement).sort()).toEqual([...INGEST_FORBIDDEN_ACTIONS].sort());
  });

  it('names every role that writes to the lake in one Deny: the ingests, the alerts and the report', () => {
    const { template } = synthStack({
      instances: [{ name: 'acme' }, { name: 'beta' }],
      report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] },
      alerts: { enabled: true, sender: 'alerts@acme-co.com', recipients: ['sec@acme-co.com'] },
    });
    const role = (path: string) => logicalIdOf(template, 'AWS::IAM::Role', path);
    expect(deniedRoles(template).sort()).toEqual(
      [
        role('/Ingest-acme/Ingest/Role/'),
        role('/Ingest-beta/Ingest/Role/'),
        role('/Alerts/Alerts-acme/Role/'),
        role('/Alerts/Alerts-beta/Role/'),
        role('/WeeklyReport/Report/Role/'),
      ].sort(),
    );
    // Every role granted s3:PutObject on the lake is among them.
    const writers = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]).some(
          (s) =>
            s.Effect === 'Allow' &&
            actionsOf(s).includes('s3:PutObject') &&
            JSON.stringify(s.Resource).includes('StorageLake'),
        ),
      )
      .flatMap((policy) => (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(writers.length).toBeGreaterThan(0);
    expect(deniedRoles(template)).toEqual(expect.arrayContaining(writers));
  });
});
