import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { retention } = configWith();

type Removal = { DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The deletion and replacement policies of each bucket and bucket policy, in the storage construct alone. */
function removalOf(removalPolicy: RemovalPolicy): Record<string, Removal> {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  new LakeStorage(stack, 'Storage', { retention, removalPolicy });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<
    string,
    Removal & { Type: string }
  >;
  return Object.fromEntries(
    Object.entries(resources)
      .filter(
        ([, resource]) => resource.Type === 'AWS::S3::Bucket' || resource.Type === 'AWS::S3::BucketPolicy',
      )
      .map(([id, { DeletionPolicy, UpdateReplacePolicy }]) => [id, { DeletionPolicy, UpdateReplacePolicy }]),
  );
}

/** RETAIN_ON_UPDATE_OR_DELETE: kept on updates and deletes, not on their create's rollback. */
const RETAIN = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
/** Kept even on their create's rollback: the access-log bucket may hold the create's logs then. */
const ALWAYS = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
const isAccessLog = (id: string) => id.startsWith('StorageAccessLogs');
const retained = (id: string) => (isAccessLog(id) ? ALWAYS : RETAIN);
const DELETE = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };
/** The lake and its access log, with their policies: the resources a destroy may never remove. */
const kept = (id: string) => /^Storage(Lake|AccessLogs)[0-9A-F]{8}$|^Storage(Lake|AccessLogs)Policy/.test(id);

describe('the buckets’ removal', () => {
  // A retained bucket without its policy stops receiving access logs (the log bucket's allow for
  // logging.s3.amazonaws.com) and loses the lake's TLS-only Deny and writer guards.
  it('retains every bucket and its policy under retain', () => {
    const removal = removalOf(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    expect(Object.keys(removal)).toHaveLength(6);
    for (const [id, policy] of Object.entries(removal)) expect(policy, id).toEqual(retained(id));
  });

  // review-stack F4: a locked lake cannot be emptied, so "destroy" left the stack DELETE_FAILED
  // and the lake bucket standing without its policy.
  it('retains the lake, the access log and their policies under destroy; only the results go', () => {
    const removal = removalOf(RemovalPolicy.DESTROY);
    const keptIds = Object.keys(removal).filter(kept).sort();
    expect(keptIds).toEqual([
      expect.stringMatching(/^StorageAccessLogs[0-9A-F]{8}$/),
      expect.stringMatching(/^StorageAccessLogsPolicy/),
      expect.stringMatching(/^StorageLake[0-9A-F]{8}$/),
      expect.stringMatching(/^StorageLakePolicy/),
    ]);
    for (const id of keptIds) expect(removal[id], id).toEqual(retained(id));
    const destroyed = Object.keys(removal).filter((id) => !kept(id));
    expect(destroyed).toEqual([
      expect.stringMatching(/^StorageAthenaResults[0-9A-F]{8}$/),
      expect.stringMatching(/^StorageAthenaResultsPolicy/),
    ]);
    for (const id of destroyed) expect(removal[id]).toEqual(DELETE);
  });
});
