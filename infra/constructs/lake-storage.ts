import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE_PREFIXES } from '../../functions/core/lake/layout.ts';
import type { ActivityLakeConfig } from '../config.ts';

export interface LakeStorageProps {
  retention: ActivityLakeConfig['retention'];
  removalPolicy: RemovalPolicy;
}

/** Key prefix of Athena query results in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena/';

/**
 * The lake bucket (versioned, encrypted, private, TLS-only, access-logged, with table data moving
 * to cheaper storage classes over time), the Athena results bucket (expiring), and the bucket
 * that receives both buckets' server access logs.
 */
export class LakeStorage extends Construct {
  readonly lakeBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  /** `s3://<lake bucket>/`: the root every lake key is relative to. */
  readonly lakeRootUri: string;
  /** `s3://<results bucket>/athena/`. */
  readonly resultsUri: string;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const { retention, removalPolicy } = props;

    const privateBucket = {
      // SSE-S3: server access logs can only be delivered to SSE-S3 buckets, and Athena reads it without extra grants.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } satisfies s3.BucketProps;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retention.accessLogDays) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log destination of the lake and results buckets; logging it to itself would log its own log deliveries forever.',
    });

    const transitions: s3.Transition[] = [];
    if (retention.infrequentAccessAfterDays !== null) {
      transitions.push({
        storageClass: s3.StorageClass.INFREQUENT_ACCESS,
        transitionAfter: Duration.days(retention.infrequentAccessAfterDays),
      });
    }
    if (retention.glacierInstantRetrievalAfterDays !== null) {
      transitions.push({
        storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
        transitionAfter: Duration.days(retention.glacierInstantRetrievalAfterDays),
      });
    }

    this.lakeBucket = new s3.Bucket(this, 'Lake', {
      ...privateBucket,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      // Stated rather than inherited: hourly files under 128 KB stay in STANDARD, where a
      // transition would cost more in per-object fees and minimum sizes than it saves.
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        // Only table data ages into colder classes (both stay queryable by Athena); the
        // checkpoint under state/ is rewritten every run and stays in STANDARD.
        ...(transitions.length === 0
          ? []
          : Object.values(TABLE_PREFIXES).map((prefix) => ({
              id: `age-${prefix}`,
              prefix: `${prefix}/`,
              transitions,
            }))),
      ],
    });

    this.resultsBucket = new s3.Bucket(this, 'AthenaResults', {
      ...privateBucket,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(retention.athenaResultsDays),
          // Cancelled queries (bytes-scanned cutoff) can leave partial multipart uploads behind.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.lakeRootUri = `s3://${this.lakeBucket.bucketName}/`;
    this.resultsUri = `s3://${this.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`;
  }
}
