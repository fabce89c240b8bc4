import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';
import { InstanceIngest } from './constructs/instance-ingest.ts';
import { LakeCatalog } from './constructs/lake-catalog.ts';
import { LakeStorage } from './constructs/lake-storage.ts';
import { Monitoring } from './constructs/monitoring.ts';

export interface ActivityLakeStackProps extends StackProps {
  config: ActivityLakeConfig;
}

/**
 * The whole deployment: lake storage, one isolated ingest per Domo instance, the Glue/Athena
 * catalog over the lake, and monitoring. Everything is derived from the validated config.
 */
export class ActivityLakeStack extends Stack {
  readonly storage: LakeStorage;
  readonly failureQueue: sqs.Queue;
  readonly ingests: InstanceIngest[];
  readonly catalog: LakeCatalog;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ActivityLakeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy =
      config.retention.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.retention.logDays as logs.RetentionDays;

    this.storage = new LakeStorage(this, 'Storage', { retention: config.retention, removalPolicy });

    this.failureQueue = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue: Scheduler sends undeliverable ingest invocations here and Lambda sends runs that failed after their retries (on-failure destination). An alarm fires on its first message.',
    });

    this.ingests = config.instances.map(
      (instance) =>
        new InstanceIngest(this, `Ingest-${instance.name}`, {
          instance,
          ingest: config.ingest,
          stackName: this.stackName,
          lakeBucket: this.storage.lakeBucket,
          failureQueue: this.failureQueue,
          logRetention,
          removalPolicy,
        }),
    );

    this.catalog = new LakeCatalog(this, 'Catalog', {
      databaseName: config.athena.databaseName,
      workGroupName: config.athena.workGroupName,
      lakeRootUri: this.storage.lakeRootUri,
      resultsUri: this.storage.resultsUri,
      instances: config.instances.map((instance) => instance.name),
      startDate: config.lakeStartDate,
      bytesScannedCutoffMb: config.athena.bytesScannedCutoffMb,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarms: config.alarms,
      instances: this.ingests.map((ingest) => ({
        instanceName: ingest.instanceName,
        fn: ingest.lakeFunction.fn,
      })),
      failureQueue: this.failureQueue,
      dashboardName: this.stackName,
    });

    // Weekly report (report issue): a WeeklyReport construct goes here, built from config.report.
    // It reuses LakeFunction, reads through catalog.workGroupName / catalog.databaseName, writes
    // results to storage.resultsBucket and archives under the lake's reports/ prefix, and alarms
    // through monitoring.addFunctionErrorAlarm. This version deploys nothing for it.
    if (config.report.enabled) {
      Annotations.of(this).addWarningV2(
        'activity-lake:report-not-available',
        'activityLake.report.enabled is true, but this version has no weekly report yet: the report settings are validated and otherwise ignored.',
      );
    }

    new CfnOutput(this, 'LakeBucketName', { value: this.storage.lakeBucket.bucketName });
    new CfnOutput(this, 'AthenaResultsBucketName', { value: this.storage.resultsBucket.bucketName });
    new CfnOutput(this, 'AthenaDatabase', { value: this.catalog.databaseName });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.catalog.workGroupName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    new CfnOutput(this, 'DashboardName', { value: this.stackName });
    for (const ingest of this.ingests) {
      new CfnOutput(this, `${ingest.instanceName}-SecretId`, {
        description: `Secret holding the Domo client of "${ingest.instanceName}" (aws secretsmanager put-secret-value --secret-id ...)`,
        value: ingest.secretId,
      });
      new CfnOutput(this, `${ingest.instanceName}-IngestFunction`, {
        description: `Ingest function of "${ingest.instanceName}"`,
        value: ingest.lakeFunction.fn.functionName,
      });
    }
  }
}
