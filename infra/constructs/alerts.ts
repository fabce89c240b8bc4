import path from 'node:path';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alertsEnvironment } from '../../functions/alerts/config.ts';
import { ALERT_COLUMNS, ALERTS_DT_COMMENT } from '../../functions/core/alerts/alert.ts';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import {
  alertsLocationTemplate,
  alertsPrefix,
  alertsStatePrefix,
  checkpointKey,
  DT_FORMAT_JAVA,
  digestPrefix,
  PARTITION_KEYS,
  tableInstancePrefix,
} from '../../functions/core/lake/layout.ts';
import { type AlertSettings, validateAlertSettings } from '../../functions/core/queries/alert-settings.ts';
import { warnOfExpected } from '../alerts-expected.ts';
import { JSON_SERDE } from '../catalog/lake-table-input.ts';
import type { AlertsConfig } from '../config.ts';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import { planSesIdentities } from '../report/ses-identities.ts';
import { alarmName } from './alarm-name.ts';
import { ALERT_EVENTS_SQL } from './alert-events-sql.ts';
import { AlertsRecipientsLayer } from './alerts-recipients-layer.ts';
import { failureQueueDestination } from './failure-queue-destination.ts';
import { environmentSizeProblems } from './function-environment-size.ts';
import { LakeFunction } from './lake-function.ts';
import type { MailDeliveryEvents } from './mail-delivery-events.ts';
import { instanceMetric } from './monitoring.ts';
import { onlyNamedSubscribers } from './only-named-subscribers.ts';
import { SharedSendPolicies } from './shared-send-policies.ts';

const ALERTS_ENTRY = path.join(import.meta.dirname, '../../functions/alerts/handler.ts');

/**
 * Retries: a run that failed to deliver keeps its alerts in the outbox, and the next ingest run
 * starts the function again, so Lambda's own retries only shorten the wait. Two are cheap: every
 * run is idempotent (the checkpoint takes each alert in once and claims before sending).
 */
const ALERTS_RETRIES = { asyncAttempts: 2, asyncMaxEventAge: Duration.hours(1) } as const;

/**
 * The lake prefixes an instance's alerts function reads (and never writes): its events and
 * coverage, and the digest chain, which says which hours the ingest rewrote since the last run.
 */
const alertsReadPrefixes = (instance: string): string[] => [
  tableInstancePrefix('activity_log', instance),
  tableInstancePrefix('coverage', instance),
  digestPrefix(instance),
];

/** The prefixes it reads and writes: its archive and its state. */
const alertsWritePrefixes = (instance: string): string[] => [
  alertsPrefix(instance),
  alertsStatePrefix(instance),
];

interface SecurityAlertsProps {
  alerts: AlertsConfig;
  /** The weekly report's zone: "hour of day" and the times in the messages. */
  timeZone: string;
  /** The ingest's lookback: hours re-pulled by each run with a newly closed hour, so re-checked for late events (plus one). */
  lookbackHours: number;
  /** `retention.maxDays`: the users seen deactivated end there too (none: their 90 days). */
  maxDays?: number | null | undefined;
  instances: readonly string[];
  /** Instances removed whose data stays (`retiredInstances`): their archived alerts stay in the table. */
  retiredInstances?: readonly string[];
  lakeBucket: s3.IBucket;
  /** `s3://bucket/`: the root of the Glue table's location. */
  lakeRootUri: string;
  /** The lake's Glue database and Athena workgroup (the table and the saved query go in them). */
  catalog: { databaseName: string; database: glue.CfnDatabase; workGroup: athena.CfnWorkGroup };
  /** First `dt` the `alerts` table projects. */
  startDate: string;
  failureQueue: sqs.IQueue;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /**
   * The SES configuration set alert mails (alerts.recipients) are sent with, whose bounces and
   * complaints reach the operator.
   */
  mailEvents?: MailDeliveryEvents;
  /** The synth's "now": an `alerts.expected` rule past its until is warned of as expired. */
  nowMs?: number;
}

/**
 * Security alerts: the KMS-encrypted SNS topic they are published to, one alerts function per
 * instance (started after each successful ingest run through the ingest's on-success destination,
 * so the ingest never waits for it and never fails because of it), the Glue table `alerts` over
 * the archive with a saved query, and the alarms when delivery fails. Each function's role reads
 * only its instance's events, coverage and ingest checkpoint, writes only its own archive and
 * state, publishes only to the topic and mails only from the configured sender.
 */
export class SecurityAlerts extends Construct {
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly functions = new Map<string, LakeFunction>();
  readonly table: glue.CfnTable;
  readonly settings: AlertSettings;
  /** The grant to mail the recipients, which every alerts role attaches; absent without recipients. */
  readonly sendPolicies?: SharedSendPolicies;
  /** The recipients every alerts function reads; absent without recipients. */
  readonly recipients?: AlertsRecipientsLayer;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    const { alerts } = props;
    this.settings = validateAlertSettings({
      burstFailures: alerts.burstFailures,
      burstMinutes: alerts.burstMinutes,
      sprayUsers: alerts.sprayUsers,
      failuresBeforeLogin: alerts.failuresBeforeLogin,
      exportBurst: alerts.exportBurst,
      mailOlderThanHours: alerts.mailOlderThanHours,
      historyDays: alerts.historyDays,
      minHistoryLogins: alerts.minHistoryLogins,
      maxSpeedKmh: alerts.maxSpeedKmh,
      timeZone: props.timeZone,
      recheckHours: props.lookbackHours + 1,
    });
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the Domo activity lake security-alerts topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Domo activity security alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    // The config refuses an enabled alerts section that reaches nobody (no address, no mail, no opt-out).
    const subs = alerts.email.map((address) =>
      this.topic.addSubscription(new subscriptions.EmailSubscription(address)),
    );
    const { policyDependable } = this.topic.addToResourcePolicy(
      onlyNamedSubscribers(this.topic, alerts.email, alerts.subscribeAllowedPrincipals),
    );
    // Review R-SECOND6 M1: without the dependency CloudFormation updates the policy and creates a
    // newly added address's subscription in parallel, and a Subscribe that lands while the old
    // Deny (without that address) is still in force is refused, rolling the deploy back.
    if (policyDependable) for (const sub of subs) sub.node.addDependency(policyDependable);
    if (alerts.sender && alerts.recipients.length > 0) {
      this.sendPolicies = new SharedSendPolicies(this, 'SendMail', {
        stack: Stack.of(this),
        plan: planSesIdentities({
          sender: alerts.sender,
          recipients: alerts.recipients,
          sesIdentity: alerts.sesIdentity,
          createSesIdentity: false,
        }),
        sender: alerts.sender,
        recipients: alerts.recipients,
        configurationSetArn: props.mailEvents?.configurationSetArn,
        description: 'Lets the security-alerts functions mail alerts.recipients from alerts.sender',
      });
      this.recipients = new AlertsRecipientsLayer(this, 'Recipients', { recipients: alerts.recipients });
    }
    for (const instance of props.instances)
      this.functions.set(instance, this.instanceFunction(instance, props));
    warnOfExpected(this, alerts.expected, props.nowMs ?? Date.now());
    this.table = this.alertsTable(props);
  }

  /**
   * The destination the ingest of `instance` starts the alerts function with after each successful
   * run. Lambda invokes it directly with the invocation record, which the handler ignores; with
   * `responseOnly` the record would go through an EventBridge rule instead, and the ingest role
   * would need events:PutEvents on the default bus rather than invoke on this one function.
   */
  destinationFor(instance: string): lambda.IDestination {
    const fn = this.functions.get(instance);
    if (!fn) throw new Error(`no alerts function for instance "${instance}"`);
    const target = fn.fn;
    // Invoke on the function's unqualified ARN only, the one Lambda calls: CDK's LambdaDestination
    // also grants its versions and aliases (":*"), which the stack never publishes.
    return {
      bind: (_scope, source) => {
        source.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
        );
        return { destination: target.functionArn };
      },
    };
  }

  /** Alarms on the given topic: any failed delivery (by the function or by SNS), any failed run. */
  addAlarms(alarmTopic: sns.ITopic): cloudwatch.Alarm[] {
    const action = new actions.SnsAction(alarmTopic);
    const alarms: cloudwatch.Alarm[] = [];
    for (const [instance, fn] of this.functions) {
      alarms.push(
        new cloudwatch.Alarm(this, `${instance}-DeliveryFailedAlarm`, {
          alarmName: alarmName(this, `${instance}-AlertsDeliveryFailed`),
          alarmDescription:
            'Security alerts could not be delivered (refused ones are retried by the next run; an unknown outcome is not repeated). See docs/alerts.md "When delivery fails".',
          metric: instanceMetric(this, instance, ALERT_METRICS.deliveryFailed, 'Sum', Duration.minutes(15)),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(this, `${instance}-ErrorsAlarm`, {
          alarmName: alarmName(this, `${instance}-AlertsErrors`),
          alarmDescription:
            'The security-alerts function failed (threw after logging why, timed out or ran out of memory). See its CloudWatch logs and docs/alerts.md "When delivery fails".',
          metric: fn.fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(15) }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    // The alerts function's publish succeeds even when SNS then fails to deliver to a subscriber
    // (a bounced address, an endpoint that refuses): only the topic's own metric sees that.
    alarms.push(
      new cloudwatch.Alarm(this, 'NotificationsFailedAlarm', {
        alarmName: alarmName(this, 'AlertsNotificationsFailed'),
        alarmDescription:
          'SNS could not deliver security alerts from the alerts topic to a subscriber (NumberOfNotificationsFailed): check the topic subscriptions. See docs/alerts.md "When delivery fails".',
        metric: this.topic.metricNumberOfNotificationsFailed({
          statistic: 'Sum',
          period: Duration.minutes(15),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarms;
  }

  private instanceFunction(instance: string, props: SecurityAlertsProps): LakeFunction {
    const { alerts } = props;
    const stack = Stack.of(this);
    const lakeFunction = new LakeFunction(this, `Alerts-${instance}`, {
      entry: ALERTS_ENTRY,
      description: `Security alerts of Domo instance "${instance}" (lockouts, failed-login bursts, suspicious logins)`,
      environment: alertsEnvironment({
        stack: stack.stackName,
        instance,
        bucket: props.lakeBucket.bucketName,
        prefix: '',
        topicArn: this.topic.topicArn,
        sender: alerts.sender ?? '',
        recipients: [],
        ...(this.recipients ? { recipientsFile: AlertsRecipientsLayer.file } : {}),
        settings: this.settings,
        expected: alerts.expected,
        ...(typeof props.maxDays === 'number' ? { maxDays: props.maxDays } : {}),
        // Named by the message's queries, which then run as pasted into the Athena console.
        database: props.catalog.databaseName,
        workGroup: props.catalog.workGroup.name,
        ...(props.mailEvents && alerts.recipients.length > 0
          ? { configurationSet: props.mailEvents.configurationSetName }
          : {}),
      }),
      timeout: Duration.minutes(alerts.timeoutMinutes),
      memorySize: alerts.memoryMb,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      // One run at a time per instance: runs serialise on the checkpoint anyway; this keeps them cheap.
      reservedConcurrentExecutions: 1,
      retryAttempts: ALERTS_RETRIES.asyncAttempts,
      maxEventAge: ALERTS_RETRIES.asyncMaxEventAge,
      onFailure: failureQueueDestination(props.failureQueue),
      inlinePolicy: true,
    });
    if (this.recipients) lakeFunction.fn.addLayers(this.recipients.layer);
    lakeFunction.node.addValidation({
      validate: () =>
        environmentSizeProblems(
          lakeFunction.fn,
          `alerts function of instance "${instance}"`,
          'Shorten what the operator writes into it: fewer or shorter alerts.expected rules (several values in one rule, shorter reasons).',
        ),
    });
    const role = lakeFunction.role;
    const readPrefixes = alertsReadPrefixes(instance);
    const writePrefixes = alertsWritePrefixes(instance);
    const readArns = [
      ...readPrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`)),
      props.lakeBucket.arnForObjects(checkpointKey(instance)),
    ];
    const writeArns = writePrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: readArns }));
    // The login profile passes the store's multipart threshold (16 MiB gzip, ~4.5M sign-ins of
    // history): a failed upload then aborts its parts, which s3:PutObject does not allow.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: writeArns,
      }),
    );
    // Listing: the first hour of the lake (once), and 404 instead of 403 for objects not there yet.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.lakeBucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [...readPrefixes, ...writePrefixes, checkpointKey(instance)].map((p) => `${p}*`),
          },
        },
      }),
    );
    acknowledgeWildcardResources(
      role,
      [...readArns, ...writeArns],
      `Object keys under fixed prefixes of instance "${instance}", named by hour, sequence and alert id: its events, coverage and digests (${readPrefixes.join(', ')}; read only), and its alert archive and state (${writePrefixes.join(', ')}; read and write, no delete).`,
    );
    this.topic.grantPublish(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted alerts topic needs kms:GenerateDataKey* (SNS asks for the data-key variants it uses); the grant is limited to the topic key itself.',
    });
    // Mail: the same grant for every instance, in managed policies made once (SharedSendPolicies).
    this.sendPolicies?.grantTo(role);
    return lakeFunction;
  }

  /** The Glue table `alerts` (partition projection like the lake tables) and a saved query over it. */
  private alertsTable(props: SecurityAlertsProps): glue.CfnTable {
    const account = Stack.of(this).account;
    const root = props.lakeRootUri.replace(/\/?$/, '/');
    const [instanceKey, dtKey] = PARTITION_KEYS;
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: props.catalog.databaseName,
      tableInput: {
        name: 'alerts',
        description:
          "Security alerts raised from the activity log, one JSON object per alert (sent once). event_time, event_time_ms, detected_at and dt are UTC; the evidence's times are local (report.timeZone, named in each)",
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: PARTITION_KEYS.map((c) => ({
          name: c.name,
          type: c.glue,
          comment: c.name === dtKey.name ? ALERTS_DT_COMMENT : c.comment,
        })),
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${instanceKey.name}.type`]: 'enum',
          [`projection.${instanceKey.name}.values`]: [
            ...props.instances,
            ...(props.retiredInstances ?? []),
          ].join(','),
          [`projection.${dtKey.name}.type`]: 'date',
          [`projection.${dtKey.name}.format`]: DT_FORMAT_JAVA,
          [`projection.${dtKey.name}.range`]: `${props.startDate},NOW`,
          [`projection.${dtKey.name}.interval`]: '1',
          [`projection.${dtKey.name}.interval.unit`]: 'DAYS',
          'storage.location.template': alertsLocationTemplate(root),
        },
        storageDescriptor: {
          location: `${root}alerts/`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: JSON_SERDE },
          columns: ALERT_COLUMNS.map((c) => ({ name: c.name, type: c.glue, comment: c.comment })),
        },
      },
    });
    table.addResourceDependency(props.catalog.database);
    const query = new athena.CfnNamedQuery(this, 'RecentAlertsQuery', {
      name: 'recent_security_alerts',
      description:
        'Security alerts about events of the last 7 days or detected in them (events up to 90 days old), latest detected first (the archive every alert is written to once). Reads 90 days of the archive, one object per alert.',
      database: props.catalog.databaseName,
      workGroup: props.catalog.workGroup.ref,
      queryString: RECENT_ALERTS_SQL,
    });
    query.addResourceDependency(props.catalog.workGroup);
    query.addResourceDependency(table);
    const events = new athena.CfnNamedQuery(this, 'AlertEventsQuery', {
      name: 'alert_events',
      description:
        "An alert's activity_log rows: give its id, then its dt 3 times (as recent_security_alerts lists them)",
      database: props.catalog.databaseName,
      workGroup: props.catalog.workGroup.ref,
      queryString: ALERT_EVENTS_SQL,
    });
    events.addResourceDependency(props.catalog.workGroup);
    events.addResourceDependency(table);
    return table;
  }
}

/**
 * The saved query over the archive: what was alerted lately. The archive is partitioned by the
 * event's date (`dt`), so an alert detected today about an event more than 7 days old (a late
 * lockout a re-pull found, a catch-up after alerts were paused) is taken by its `detected_at` (an
 * ISO time, compared as text with the date it starts with); the 90 days of partitions keep Athena
 * from listing every day since the stack began, and cost it the listing and reading of 90 days of
 * per-alert objects rather than 7 (about 13 times the GETs; 10,000 alerts in those days, $0.004 a
 * run at $0.0004 per 1,000 GETs).
 *
 * Latest detected first: what a security engineer looks for is what is new since they last looked,
 * and by event time such a late alert sank below every alert of the last week (review R-ALFIX L7).
 * Alerts found together (one run) by event, newest first, as a message lists them, and those of
 * the same time (an attack on many users at once) by id, as Athena reads the objects in parallel.
 */
export const RECENT_ALERTS_SQL = `SELECT event_time, instance, kind, user_id, user_name, evidence, ip_address, detected_at, id, quieted_by
FROM alerts
WHERE dt >= date_format(current_date - INTERVAL '90' DAY, '%Y-%m-%d')
  AND (dt >= date_format(current_date - INTERVAL '7' DAY, '%Y-%m-%d')
    OR detected_at >= date_format(current_date - INTERVAL '7' DAY, '%Y-%m-%d'))
ORDER BY detected_at DESC, event_time DESC, id`;
