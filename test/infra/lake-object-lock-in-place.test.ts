import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The lake bucket's properties in the smallest stack that has it: the storage construct alone. */
function lakeBucket(retention: Record<string, unknown> = {}): Record<string, unknown> {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  const lake = Object.entries(buckets).find(([id]) => id.startsWith('StorageLake'))?.[1];
  return lake?.Properties as Record<string, unknown>;
}

const LOCK = { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 200 } } };

describe('Object Lock on the lake bucket', () => {
  it('is enabled at creation by default: a new bucket gets the top-level ObjectLockEnabled', () => {
    const lake = lakeBucket({ lockDays: 200 });
    expect(lake.ObjectLockEnabled).toBe(true);
    expect(lake.ObjectLockConfiguration).toEqual(LOCK);
  });

  // ObjectLockEnabled is a replacement property in CloudFormation: adding it to a bucket created
  // without it makes `cdk deploy` move the stack to a new, empty bucket.
  it('is turned on in place for a bucket that predates it: the retention without ObjectLockEnabled', () => {
    const lake = lakeBucket({ lockDays: 200, lakeBucketPredatesLock: true });
    expect(lake).not.toHaveProperty('ObjectLockEnabled');
    expect(lake.ObjectLockConfiguration).toEqual(LOCK);
    expect(lake.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('is switched by a true or false only, like the other settings', () => {
    expect(() => configWith({ retention: { lakeBucketPredatesLock: 'yes' } })).toThrow(ConfigError);
    expect(() => configWith({ retention: { lakeBucketPredatesLock: 'yes' } })).toThrow(
      /activityLake\.retention\.lakeBucketPredatesLock: must be true or false/,
    );
  });
});
