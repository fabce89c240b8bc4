import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { longestRunEndGapMinutes } from './config/run-gaps.ts';
import { type ActivityLakeConfig, enabledReport } from './config.ts';
import { SecurityAlerts } from './constructs/alerts.ts';
import { AthenaScanAlarm } from './constructs/athena-scan-alarm.ts';
import { digestAuditorPolicy } from './constructs/digest-auditor-policy.ts';
import { DigestSigningKey } from './constructs/digest-signing-key.ts';
import { InstanceIngest } from './constructs/instance-ingest.ts';
import { LakeCatalog } from './constructs/lake-catalog.ts';
import { expiryStartDay, LakeDeletionEvents } from './constructs/lake-deletion-events.ts';
import { LakeGuardWatch } from './constructs/lake-guard-watch.ts';
import { LakeKeyKept } from './constructs/lake-key-kept.ts';
import { ATHENA_RESULTS_PREFIX, deployPrincipalsOf, LakeStorage } from './constructs/lake-storage.ts';
import { MailDeliveryEvents } from './constructs/mail-delivery-events.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { guardKeyAdministration } from './constructs/only-named-administer.ts';
import { reportTimeout, WeeklyReport } from './constructs/weekly-report.ts';
import { checkRegionName } from './region-name.ts';
import { checkSesRegion, type MailSenders } from './ses-regions.ts';
import { checkStackResourceCount } from './stack-resource-limit.ts';
import { SizeCheckedSynthesizer } from './template-size-limit.ts';

/** What mails through SES: the weekly report, and the alerts to their recipients. */
const mailSenders = (config: ActivityLakeConfig): MailSenders => ({
  report: enabledReport(config.report) !== undefined,
  alerts: config.alerts.enabled && config.alerts.recipients.length > 0,
  added: config.sesRegionsAdded,
});

/** Whether the stack mails through SES. */
const sendsMail = (config: ActivityLakeConfig): boolean => {
  const senders = mailSenders(config);
  return senders.report || senders.alerts;
};

interface ActivityLakeStackProps extends StackProps {
  config: ActivityLakeConfig;
  /**
   * The "now" `config` was validated on (default: this moment): the schedules' year fields are read
   * from its year here as they were there, so a pinned "now" gives one reading.
   */
  now?: Date;
}

/**
 * The whole deployment: lake storage, one isolated ingest per Domo instance, the Glue/Athena
 * catalog over the lake, the weekly report (when enabled), and monitoring. Everything is derived
 * from the validated config.
 */
/**
 * The instances whose data is in the lake: those that run and those retired (removed, data kept).
 * Athena projects them all, and the stack's own expiry ages all their objects.
 */
const projectedInstances = (config: ActivityLakeConfig): string[] => [
  ...config.instances.map((instance) => instance.name),
  ...config.retiredInstances,
];

/** When the stack's own expiry can first put a marker, for the expiry alarms; nothing without `maxDays`. */
function expiryStart(config: ActivityLakeConfig, now: Date): { expiryStartsOn?: string; now?: Date } {
  const { maxDays } = config.retention;
  return typeof maxDays === 'number'
    ? { expiryStartsOn: expiryStartDay(config.lakeStartDate, maxDays), now }
    : {};
}

export class ActivityLakeStack extends Stack {
  readonly storage: LakeStorage;
  /** The deploy-time check that no key of the lake is dropped (its function is watched too). */
  private readonly keyKept: LakeKeyKept;
  readonly failureQueue: sqs.Queue;
  /** Holds the stack's schedules (ingest, report), and only them. */
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly ingests: InstanceIngest[];
  readonly digestSigning: DigestSigningKey;
  readonly catalog: LakeCatalog;
  /** Present only when `report.enabled` is true. */
  readonly report?: WeeklyReport;
  readonly monitoring: Monitoring;
  /** Present only when `alerts.enabled` is true. */
  readonly alerts?: SecurityAlerts;
  /** Present only when the stack sends mail through SES (the report, or alerts with recipients). */
  readonly mailEvents?: MailDeliveryEvents;

  constructor(scope: Construct, id: string, props: ActivityLakeStackProps) {
    // CloudFormation refuses a template body over 1,000,000 bytes (even uploaded through S3), and
    // indentation is over a fifth of this one's bytes: 20 instances of 63-character names with
    // every feature on came to 1,186,968 bytes indented and 916,672 without (2026-12-06;
    // docs/decisions.md). Nobody deploys by reading cdk.out's indentation.
    super(scope, id, {
      suppressTemplateIndentation: true,
      // Refuses at synth a template CloudFormation would refuse at deploy (CDK only warns).
      synthesizer: new SizeCheckedSynthesizer(),
      terminationProtection: props.config.terminationProtection,
      ...props,
    });
    // Before the mail's region check, whose advice (SES not offered there) would miss a typo.
    checkRegionName(this);
    const { config } = props;
    const now = props.now ?? new Date();
    const fromYear = now.getUTCFullYear();
    // "retain" keeps data on updates and deletes, not on the rollback of the create that made it
    // (RetainExceptOnCreate): a failed first deploy would otherwise leave the named secret behind,
    // and the retry would fail on its name and orphan another set (docs/decisions.md).
    const removalPolicy =
      config.retention.removalPolicy === 'retain'
        ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        : RemovalPolicy.DESTROY;
    const logRetention = config.retention.logDays as logs.RetentionDays;

    const kmsKeyArn = config.lakeEncryption?.kmsKeyArn;
    this.storage = new LakeStorage(this, 'Storage', {
      retention: config.retention,
      removalPolicy,
      kmsKeyArn,
      adoptedBucketName: config.adoptLake?.bucketName,
      retiredKmsKeyArns: config.lakeEncryption?.retiredKmsKeyArns,
    });
    // In every stack: one without lakeEncryption is what a removal of it looks like.
    this.keyKept = new LakeKeyKept(this, 'LakeKeyKept', { keyArns: this.storage.keyArns });

    this.failureQueue = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Its messages are the record of the failures an operator investigates, often the very
      // ones that led to the teardown: kept with the logs under "retain".
      removalPolicy,
    });
    // Its policy (enforceSSL's TLS-only Deny) goes with it: CDK leaves a queue policy at Delete, so
    // a retained queue would outlive the stack without its Deny.
    (this.failureQueue.node.tryFindChild('Policy') as sqs.QueuePolicy | undefined)?.applyRemovalPolicy(
      removalPolicy,
    );
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue: Scheduler sends undeliverable ingest invocations here and Lambda sends runs that failed after their retries (on-failure destination). An alarm fires on its first message.',
    });

    // Scheduler publishes its metrics per schedule group (or for the whole account), never per
    // schedule: in the default group the ScheduledInvocationsLost alarm would count every other
    // stack's and tool's schedules of the account and region. Named after the stack, which is
    // unique in the account and region and fits the group's 64 characters. Destroyed with the
    // stack whatever retention.removalPolicy says: it holds no data, only this stack's schedules
    // (which go with the stack anyway), and a retained group would block a stack of the same name.
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: this.stackName,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.catalog = new LakeCatalog(this, 'Catalog', {
      databaseName: config.athena.databaseName,
      workGroupName: config.athena.workGroupName,
      lakeRootUri: this.storage.lakeRootUri,
      resultsUri: this.storage.resultsUri,
      instances: projectedInstances(config),
      startDate: config.lakeStartDate,
      bytesScannedCutoffMb: config.athena.bytesScannedCutoffMb,
      resultsKmsKeyArn: kmsKeyArn,
    });

    const report = enabledReport(config.report);
    checkSesRegion(this, mailSenders(config));
    this.mailEvents = sendsMail(config) ? new MailDeliveryEvents(this, 'MailDeliveryEvents') : undefined;
    const mailEvents = this.mailEvents ? { mailEvents: this.mailEvents } : {};

    if (config.alerts.enabled) {
      this.alerts = new SecurityAlerts(this, 'Alerts', {
        alerts: config.alerts,
        timeZone: config.report.timeZone,
        lookbackHours: config.ingest.lookbackHours,
        maxDays: config.retention.maxDays,
        instances: config.instances.map((instance) => instance.name),
        retiredInstances: config.retiredInstances,
        lakeBucket: this.storage.lakeBucket,
        lakeRootUri: this.storage.lakeRootUri,
        catalog: this.catalog,
        startDate: config.lakeStartDate,
        failureQueue: this.failureQueue,
        logRetention,
        removalPolicy,
        nowMs: now.getTime(),
        ...mailEvents,
      });
    }

    // Who may rewrite, disable or delete the stack's keys: the deploy role and the break-glass principals.
    const keyAdministrators = [
      ...deployPrincipalsOf(this, config.retention),
      ...config.retention.deleteAllowedPrincipals,
    ];
    this.digestSigning = new DigestSigningKey(
      this,
      'DigestSigning',
      config.retention.writeAllowedPrincipals,
      keyAdministrators,
      config.adoptLake?.digestKeyArn,
    );
    this.ingests = config.instances.map(
      (instance) =>
        new InstanceIngest(this, `Ingest-${instance.name}`, {
          instance,
          ingest: config.ingest,
          lakeStartDate: config.lakeStartDate,
          maxDays: config.retention.maxDays,
          stackName: this.stackName,
          lakeBucket: this.storage.lakeBucket,
          digestSigning: this.digestSigning,
          failureQueue: this.failureQueue,
          scheduleGroup: this.scheduleGroup,
          logRetention,
          removalPolicy,
          ...(this.alerts ? { onSuccess: this.alerts.destinationFor(instance.name) } : {}),
        }),
    );

    for (const ingest of this.ingests) {
      this.storage.guardIngestWriter(ingest.instanceName, ingest.lakeFunction.role);
    }
    // The alerts and the report write their archives to the lake too.
    for (const fn of this.alerts?.functions.values() ?? []) this.storage.guardLakeWriter(fn.role);

    if (report) {
      this.report = new WeeklyReport(this, 'WeeklyReport', {
        report,
        instances: config.instances.map((instance) => instance.name),
        instanceMail: Object.fromEntries(
          config.instances.flatMap((instance) => (instance.report ? [[instance.name, instance.report]] : [])),
        ),
        alertsEnabled: config.alerts.enabled,
        alertJudging: config.alerts,
        failuresBeforeLogin: config.alerts.failuresBeforeLogin,
        lagHours: config.alarms.lagHours,
        maxDays: config.retention.maxDays,
        lakeBucket: this.storage.lakeBucket,
        resultsBucket: this.storage.resultsBucket,
        resultsPrefix: ATHENA_RESULTS_PREFIX,
        databaseName: this.catalog.databaseName,
        workGroupName: this.catalog.workGroupName,
        failureQueue: this.failureQueue,
        scheduleGroup: this.scheduleGroup,
        logRetention,
        removalPolicy,
        ...mailEvents,
      });
      this.storage.guardLakeWriter(this.report.lakeFunction.role);
      this.storage.guardAthenaCaller(this.report.lakeFunction.role);
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarms: config.alarms,
      lagReportGapMinutes: longestRunEndGapMinutes(config.ingest, fromYear),
      ingest: { settleMinutes: config.ingest.settleMinutes, lookbackHours: config.ingest.lookbackHours },
      instances: this.ingests.map((ingest) => {
        const alertsFn = this.alerts?.functions.get(ingest.instanceName)?.fn;
        const domoCustomer = config.instances.find((i) => i.name === ingest.instanceName)?.domoCustomer;
        return {
          instanceName: ingest.instanceName,
          ...(domoCustomer === undefined ? {} : { domoCustomer }),
          fn: ingest.lakeFunction.fn,
          ...(alertsFn ? { alertsFn } : {}),
        };
      }),
      failureQueue: this.failureQueue,
      scheduleGroup: this.scheduleGroup,
      dashboardName: this.stackName,
      removalPolicy,
      ...(this.report
        ? {
            report: {
              fn: this.report.lakeFunction.fn,
              instances: config.instances.map((instance) => instance.name),
              timeZone: config.report.timeZone,
              schedule: config.report.schedule,
              fromYear,
              timeoutMinutes: reportTimeout(config.report.timeoutMinutes).toMinutes(),
            },
          }
        : {}),
      ...(this.alerts ? { alertsInstances: config.instances.map((instance) => instance.name) } : {}),
    });

    this.mailEvents?.publishTo(this.monitoring.topic, this.monitoring.topicKey);
    const deletions = new LakeDeletionEvents(this, 'LakeDeletions', {
      lakeBucket: this.storage.lakeBucket,
      alarmTopic: this.monitoring.topic,
      logRetention,
      removalPolicy,
      expiresPersonalData: typeof config.retention.maxDays === 'number',
      instanceCount: projectedInstances(config).length,
      ...expiryStart(config, now),
    });
    this.monitoring.showAlarms('Lake deletions', deletions.alarms);
    this.addAthenaScanAlarm(config.athena.dailyScanAlarmGb);
    this.watchGuards(deletions);
    this.guardTopicKeys(keyAdministrators);
    // The alerts topic is checked when it is their only channel: with alerts.recipients it may
    // rightly have no subscriber.
    const alertsTopicOnly = config.alerts.recipients.length === 0 ? this.alerts?.topic : undefined;
    this.report?.watchTopics(this.monitoring.topic, alertsTopicOnly);

    if (this.alerts) this.addAlertsOutputs(this.alerts);

    new CfnOutput(this, 'LakeBucketName', {
      description: 'The lake: the CLI reads it as --lake s3://<this name> (status, verify)',
      value: this.storage.lakeBucket.bucketName,
    });
    new CfnOutput(this, 'AthenaResultsBucketName', {
      description: `Athena query results of the workgroup, expired after ${config.retention.athenaResultsDays} days`,
      value: this.storage.resultsBucket.bucketName,
    });
    new CfnOutput(this, 'AthenaDatabase', {
      description: 'Glue database of the activity_log table (query --athena --database)',
      value: this.catalog.databaseName,
    });
    new CfnOutput(this, 'AthenaWorkGroup', {
      description:
        'Athena workgroup to select before querying: it sets the results location and encryption. Query as a role retention.readAllowedPrincipals names: Athena reads the lake with your credentials',
      value: this.catalog.workGroupName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description:
        'The alarms go here. Confirm the alarms.email subscription with aws sns confirm-subscription --authenticate-on-unsubscribe true and the Token= of the confirmation mail, never by its link (README step 7)',
      value: this.monitoring.topic.topicArn,
    });
    new CfnOutput(this, 'FailureQueueUrl', {
      description:
        'Dead-letter queue of failed and undelivered runs; its first message raises an alarm (docs/operations.md "Alarms")',
      value: this.failureQueue.queueUrl,
    });
    new CfnOutput(this, 'LakeDeletionsLogGroup', {
      description:
        'Every deletion in the lake, one log event each (docs/operations.md "Deleting from the lake")',
      value: deletions.logGroup.logGroupName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the runs, the lag and every alarm of the stack',
      value: this.stackName,
    });
    new CfnOutput(this, 'DigestSigningKeyArn', {
      description:
        'KMS key that signs the integrity chain digests (ECDSA P-256); only its public key is needed to verify',
      value: this.digestSigning.key.keyArn,
    });
    new CfnOutput(this, 'DigestAuditorPolicy', {
      description:
        'IAM policy letting the recipient of evidence fetch the digest public key and one instance\'s chain themselves: replace INSTANCE with its name, put it on a role they assume and name that role in retention.readAllowedPrincipals (docs/operations.md "Handing over evidence")',
      value: this.toJsonString(
        digestAuditorPolicy(this.digestSigning.key, this.storage.lakeBucket, this.storage.keyArns).toJSON(),
      ),
    });
    new CfnOutput(this, 'DigestPublicKeyCommand', {
      description:
        'Writes the public key for offline checks: then verify --integrity --public-key digest-public-key.b64 (docs/guarantees.md)',
      value: this.digestSigning.publicKeyCommand(),
    });
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
    if (this.report) this.addReportOutputs(this.report);
    checkStackResourceCount(this, config);
  }

  /**
   * Keeps the alarm and alerts topics' keys from being disabled, deleted or given another policy
   * by any principal but `administrators` and the root user: each silences its topic, and the
   * alarm topic is where `LakeGuardWatch` would tell of it.
   */
  private guardTopicKeys(administrators: readonly string[]): void {
    guardKeyAdministration(this.monitoring.topicKey, administrators);
    if (this.alerts) guardKeyAdministration(this.alerts.topicKey, administrators);
  }

  /** Publishes each change of a guard of the lake's evidence to the alarm topic (`LakeGuardWatch`). */
  private watchGuards(deletions: LakeDeletionEvents): void {
    new LakeGuardWatch(this, 'LakeGuardWatch', {
      key: this.digestSigning.key,
      lakeBucket: this.storage.lakeBucket,
      deletionRule: deletions.rule,
      deletionLog: deletions.logGroup,
      failureQueue: this.failureQueue,
      alarmTopic: this.monitoring.topic,
      alarmTopicKey: this.monitoring.topicKey,
      expiryRules: deletions.expiryRules,
      ...(this.alerts ? { alertsTopic: this.alerts.topic } : {}),
      databaseName: this.catalog.databaseName,
      lakeKeyArns: this.storage.keyArns,
      functions: [
        ...this.ingests.map((ingest) => ingest.lakeFunction.fn),
        ...[...(this.alerts?.functions.values() ?? [])].map((alerts) => alerts.fn),
        ...(this.report ? [this.report.lakeFunction.fn] : []),
        ...(this.storage.adoptedPolicyPut ? [this.storage.adoptedPolicyPut.fn] : []),
        this.keyKept.fn,
      ],
    });
  }

  /** The alarm on all the workgroup's queries of a day (none when `athena.dailyScanAlarmGb` is null). */
  private addAthenaScanAlarm(dailyScanAlarmGb: number | null): void {
    if (dailyScanAlarmGb === null) return;
    const scan = new AthenaScanAlarm(this, 'AthenaScan', {
      workGroupName: this.catalog.workGroupName,
      dailyScanAlarmGb,
      alarmTopic: this.monitoring.topic,
    });
    this.monitoring.showAlarms('Athena', [scan.alarm]);
  }

  private addAlertsOutputs(alerts: SecurityAlerts): void {
    this.monitoring.showAlarms('Security alerts', alerts.addAlarms(this.monitoring.topic));
    new CfnOutput(this, 'AlertsTopicArn', {
      description:
        'Security alerts are published here: subscribe an email, chat webhook or function (aws sns subscribe --topic-arn ...)',
      value: alerts.topic.topicArn,
    });
    for (const [instance, lakeFunction] of alerts.functions) {
      new CfnOutput(this, `${instance}-AlertsFunction`, {
        description: `Alerts function of "${instance}": invoke with {"test":true} to send a test alert (docs/alerts.md)`,
        value: lakeFunction.fn.functionName,
      });
    }
  }

  private addReportOutputs(report: WeeklyReport): void {
    new CfnOutput(this, 'ReportFunction', {
      description:
        'Weekly report function: invoke with {"instance":"<name>"} (last full week), {"eachInstance":true} (every instance, one invocation each), or {"week":"2026-W47","instance":"<name>","resend":true}; see docs/operations.md "Weekly report"',
      value: report.lakeFunction.fn.functionName,
    });
    new CfnOutput(this, 'ReportSesIdentities', {
      description: 'SES identities the report may send through (one of them must be verified in this region)',
      value: report.ses.sending.join(', '),
    });
    const created = report.createdIdentity;
    if (report.ses.create?.kind === 'domain' && created) {
      created.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `ReportDkimRecord${index + 1}`, {
          description: `DKIM record ${index + 1} of 3 to publish in the DNS of ${report.ses.create?.name} (CNAME name, then value)`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }
  }
}
