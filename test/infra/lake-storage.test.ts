import { Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_PREFIXES } from '../../functions/core/lake/layout.ts';
import { logicalIdOf, sharedSynth, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { template } = synthStack();
const resources = template.toJSON().Resources;
const lakeId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/');
const resultsId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/AthenaResults/');
const logsId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/AccessLogs/');

describe('lake storage', () => {
  it('keeps every bucket private, encrypted and owner-enforced', () => {
    template.resourceCountIs('AWS::S3::Bucket', 3);
    template.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('denies every request that does not use TLS, on every bucket', () => {
    for (const bucketId of [lakeId, resultsId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it("versions the lake, expires old versions and ages only table data and the alerts' state into colder classes", () => {
    const lake = resources[lakeId].Properties;
    expect(lake.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(lake.LifecycleConfiguration.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    const rules = lake.LifecycleConfiguration.Rules;
    expect(rules[0]).toMatchObject({
      Id: 'expire-noncurrent-versions',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      // Once its older versions expire, a lone delete marker would stay behind forever.
      ExpiredObjectDeleteMarker: true,
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
    const aging = rules.slice(1);
    expect(aging.map((r: { Prefix: string }) => r.Prefix)).toEqual([
      ...Object.values(TABLE_PREFIXES).map((prefix) => `${prefix}/`),
      'alerts-state/',
    ]);
    for (const rule of aging) {
      expect(rule.Transitions).toEqual([
        { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
        { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
      ]);
    }
  });

  it('logs lake and results access to the log bucket, which expires its logs', () => {
    expect(resources[lakeId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'lake/',
    });
    expect(resources[resultsId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'athena-results/',
    });
    expect(resources[logsId].Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: 395 },
    ]);
  });

  it('expires Athena results and their abandoned multipart uploads', () => {
    expect(resources[resultsId].Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-query-results',
        Status: 'Enabled',
        ExpirationInDays: 7,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
  });

  it('retains buckets and the created secret when the stack is deleted, unless configured to destroy', () => {
    const kept = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
    const buckets = template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy: string }>;
    for (const [id, bucket] of Object.entries(buckets).filter(([, r]) => r.Type === 'AWS::S3::Bucket')) {
      // The access log is kept even on its create's rollback (bucket-policy-removal.test.ts).
      expect(bucket, id).toMatchObject(
        id.startsWith('StorageAccessLogs')
          ? { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }
          : kept,
      );
    }
    template.allResources('AWS::SecretsManager::Secret', kept);

    const destroyed = sharedSynth({ retention: { removalPolicy: 'destroy' } }).template;
    // The lake and its access log stay whatever the setting (bucket-policy-removal.test.ts).
    const resultsId = logicalIdOf(destroyed, 'AWS::S3::Bucket', '/Storage/AthenaResults/');
    expect(destroyed.toJSON().Resources[resultsId].DeletionPolicy).toBe('Delete');
    destroyed.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  // review-stack F6: the failure queue was deleted on destroy even under "retain"; review-stack2
  // F8: its policy (the TLS-only Deny) was deleted with the stack while the queue stayed.
  it('keeps the failure queue and its policy as it keeps the logs: retained under retain, deleted under destroy', () => {
    const removal = (t: typeof template, type: string) =>
      Object.values(t.findResources(type)).map((q) => [q.DeletionPolicy, q.UpdateReplacePolicy]);
    const destroyed = sharedSynth({ retention: { removalPolicy: 'destroy' } }).template;
    for (const type of ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']) {
      expect(removal(template, type), type).toEqual([['RetainExceptOnCreate', 'Retain']]);
      expect(removal(destroyed, type), type).toEqual([['Delete', 'Delete']]);
    }
  });

  it('leaves out the aging rules when both transitions are switched off', () => {
    const { template: plain } = synthStack({
      retention: { infrequentAccessAfterDays: null, glacierInstantRetrievalAfterDays: null },
    });
    const lake = plain.toJSON().Resources[logicalIdOf(plain, 'AWS::S3::Bucket', '/Storage/Lake/')].Properties;
    expect(lake.LifecycleConfiguration.Rules.map((r: { Id: string }) => r.Id)).toEqual([
      'expire-noncurrent-versions',
    ]);
  });
});
