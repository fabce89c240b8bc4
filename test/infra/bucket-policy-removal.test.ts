import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { retention } = configWith();

/** The deletion and replacement policies of the three buckets' policies, in the storage construct alone. */
function bucketPolicyRemoval(removalPolicy: RemovalPolicy) {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  new LakeStorage(stack, 'Storage', { retention, removalPolicy });
  return Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).map(
    ({ DeletionPolicy, UpdateReplacePolicy }) => ({ DeletionPolicy, UpdateReplacePolicy }),
  );
}

describe('the buckets’ policies follow the buckets’ removal policy', () => {
  // A retained bucket without its policy stops receiving access logs (the log bucket's allow for
  // logging.s3.amazonaws.com) and loses the lake's TLS-only Deny and writer guards.
  it('are retained with the buckets under retain', () => {
    const policies = bucketPolicyRemoval(RemovalPolicy.RETAIN);
    expect(policies).toHaveLength(3);
    for (const policy of policies)
      expect(policy).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('are deleted with the buckets under destroy', () => {
    const policies = bucketPolicyRemoval(RemovalPolicy.DESTROY);
    expect(policies).toHaveLength(3);
    for (const policy of policies)
      expect(policy).toEqual({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });
});
