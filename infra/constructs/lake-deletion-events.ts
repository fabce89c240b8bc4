import { Annotations, ArnFormat, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LAKE_FOLDERS, TABLE_PREFIXES } from '../../functions/core/lake/layout.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { alarmName } from './alarm-name.ts';
import { EXPIRING_FOLDERS } from './lake-expiry.ts';

/** The S3 event reason EventBridge carries for a lifecycle rule's deletion (not a request). */
export const LIFECYCLE_EXPIRATION_REASON = 'Lifecycle Expiration';
/** `deletion-type` of an `Object Deleted` event that hid the current version behind a marker. */
export const DELETE_MARKER_CREATED = 'Delete Marker Created';
/** `deletion-type` of an `Object Deleted` event that removed a version (or a marker) for good. */
export const PERMANENTLY_DELETED = 'Permanently Deleted';

interface LakeDeletionEventsProps {
  lakeBucket: s3.IBucket;
  /** The alarm topic: the two alarms notify it, not each deletion. */
  alarmTopic: sns.ITopic;
  /** Days the log group keeps each deletion (`retention.logDays`, as every log group of the stack). */
  logRetention: logs.RetentionDays;
  /** Applied to the log group, as to the functions' log groups. */
  removalPolicy: RemovalPolicy;
  /**
   * The stack's lifecycle ends the personal data (`retention.maxDays` set): the markers it puts
   * in {@link EXPIRING_FOLDERS} are the policy at work, not a deletion to alarm on one by one.
   */
  expiresPersonalData?: boolean;
  /**
   * How many instances' objects the lake holds, running and retired (`retiredInstances`): the
   * stack's own expiry's daily count scales with it.
   */
  instanceCount?: number;
  /**
   * The first UTC day (`YYYY-MM-DD`) the stack's own expiry can put a marker: `lakeStartDate` plus
   * `maxDays` (no object of the lake was written before `lakeStartDate`). Before it, with `now`,
   * the expiry alarms fire on any lifecycle marker in the expiring folders.
   */
  expiryStartsOn?: string;
  /** "Today" for {@link expiryStartsOn}. */
  now?: Date;
}

/** The lake's folders the stack never expires: a lifecycle marker there is someone else's rule. */
const KEPT_FOLDERS = LAKE_FOLDERS.filter((folder) => !EXPIRING_FOLDERS.includes(folder));

/**
 * The expiring folders that hold at most one object per instance and hour written (the hour and
 * its manifest), so the stack's own expiry puts a known number of markers in them a day; the
 * other expiring folders hold one object per alert or per report, as many as there were.
 */
export const HOURLY_EXPIRING_FOLDERS: readonly string[] = [
  TABLE_PREFIXES.activity_log,
  TABLE_PREFIXES.coverage,
];

/** The expiring folders whose count the stack cannot foresee: one object per alert, report or quarantined batch. */
const OTHER_EXPIRING_FOLDERS = EXPIRING_FOLDERS.filter((folder) => !HOURLY_EXPIRING_FOLDERS.includes(folder));

/**
 * Lifecycle markers in {@link HOURLY_EXPIRING_FOLDERS} above which a day alarms: twice the most
 * the stack's expiry makes (one per folder, instance and hour written maxDays ago), since S3's
 * lifecycle works in daily batches and a late one does two days at once.
 */
export const expiryBurstThreshold = (instances: number): number =>
  2 * HOURLY_EXPIRING_FOLDERS.length * 24 * instances;

/**
 * Lifecycle markers in the other expiring folders (`quarantine/`, `alerts/`, `reports/`, and
 * `alerts-state/` of an instance whose alerts stopped) above which a day alarms, once the stack's own expiry has started: a day's worth of quarantined hours
 * per instance. Their count is what was written there maxDays ago, which the stack cannot foresee:
 * a busier day than that fires once, and the runbook's query tells it from a rule added by hand.
 */
export const expiryOthersThreshold = (instances: number): number => 24 * instances;

/**
 * The first UTC day the stack's own expiry can put a marker: `maxDays` after `lakeStartDate`, since
 * no object of the lake was written before the first hour it holds.
 */
export const expiryStartDay = (lakeStartDate: string, maxDays: number): string =>
  new Date(Date.parse(`${lakeStartDate}T00:00:00Z`) + maxDays * DAY_MS).toISOString().slice(0, 10);

/**
 * The delete markers the rule matches: every one, or, when the stack's own expiry puts markers in
 * {@link EXPIRING_FOLDERS}, every one a request made and those a lifecycle rule made in the
 * folders the stack keeps ({@link KEPT_FOLDERS}). The event names no lifecycle rule (only the
 * reason, and `s3.amazonaws.com` as requester), so a rule added by hand on the expiring folders is
 * not told apart here: the expiry rules log those markers too, LakeExpiryBurst counts the hours'
 * by the day, LakeGuardChanged publishes the `PutBucketLifecycle`, and `verify` finds the hours
 * younger than maxDays missing. The kept folders are named, not the expiring ones excluded:
 * EventBridge documents `anything-but` with one prefix, not a list.
 */
function deleteMarkerBranches(expiresPersonalData: boolean): Record<string, unknown>[] {
  if (!expiresPersonalData) return [{ 'deletion-type': [DELETE_MARKER_CREATED] }];
  return [
    {
      'deletion-type': [DELETE_MARKER_CREATED],
      reason: events.Match.anythingBut(LIFECYCLE_EXPIRATION_REASON),
    },
    {
      'deletion-type': [DELETE_MARKER_CREATED],
      reason: [LIFECYCLE_EXPIRATION_REASON],
      object: { key: KEPT_FOLDERS.map((folder) => ({ prefix: `${folder}/` })) },
    },
  ];
}

/**
 * The headings of the two alarms' sections in docs/operations.md, as they read: the descriptions
 * quote them.
 */
const DELETIONS_RUNBOOK = {
  deletions: 'LakeDeletions: something was deleted from the lake',
  notRecorded: 'LakeDeletionsNotRecorded: a deletion could not be logged',
  expiryBurst: "LakeExpiryBurst: more hours expired in a day than the stack's expiry makes",
  expiryOthers: 'LakeExpiryOthers: alerts, reports or quarantine expired',
} as const;

/** How long EventBridge keeps retrying to write a deletion to the log group before it drops it. */
const DELIVERY_RETRY_SECONDS = 3600;

/**
 * Records every deletion made in the lake (a delete marker created, by a request or by a
 * lifecycle rule, or a version deleted for good by a request) in a log group, one log event per
 * object (the whole S3 event: key, version, deletion type, reason, requester, source IP, time),
 * and alarms once on the alarm topic when any is matched. One message per object, as before, sent
 * thousands on a recursive delete and buried the real alarms; the alarm says that something was
 * deleted, the log group says what.
 *
 * The bucket policy lets only `retention.deleteAllowedPrincipals` delete, but a deletion is an
 * event worth reading whoever made it: the markers hide the lake from every reader and hand its
 * versions to the lifecycle. Every delete marker counts, whatever made it, but those of the
 * stack's own expiry (`retention.maxDays`, {@link deleteMarkerBranches}): without it the stack's
 * lifecycle rules create none (only noncurrent expiry, expired-marker cleanup, multipart abort and
 * transitions), so a marker with reason `Lifecycle Expiration` is a lifecycle rule someone else
 * added (any principal with `s3:PutLifecycleConfiguration`), hiding the lake with no delete request
 * the bucket policy could refuse. Permanent deletions by the lifecycle are left out: the stack's
 * own noncurrent-version expiry and marker cleanup, or every rewritten hour would count once a year.
 * The stack's own expiry's markers are logged all the same, by rules of their own
 * ({@link LakeDeletionEvents.expiryRules}), and alarm only by their daily count.
 *
 * Through EventBridge, switched on with the bucket's own `NotificationConfiguration`, not CDK's
 * `eventBridgeEnabled` or `addEventNotification`, which both write it through a custom resource
 * and its Lambda function; and to the log group through a resource policy of the stack's own, not
 * CDK's `CloudWatchLogGroup` target, which writes that policy through a custom resource too.
 */
export class LakeDeletionEvents extends Construct {
  readonly rule: events.Rule;
  /** The rules that log the stack's own expiry's markers (none without `retention.maxDays`). */
  readonly expiryRules: events.Rule[];
  readonly logGroup: logs.LogGroup;
  readonly alarms: cloudwatch.Alarm[];
  /** Whether the stack's own expiry's markers are left out (see {@link deleteMarkerBranches}). */
  private readonly expiring: boolean;
  /** The first day the stack's own expiry can put a marker, while it is still ahead: any marker alarms. */
  private readonly strictUntil: string | undefined;

  constructor(scope: Construct, id: string, props: LakeDeletionEventsProps) {
    super(scope, id);
    const { lakeBucket, alarmTopic } = props;
    const expiring = props.expiresPersonalData === true;
    this.expiring = expiring;
    const today = (props.now ?? new Date()).toISOString().slice(0, 10);
    this.strictUntil =
      expiring && props.expiryStartsOn !== undefined && today < props.expiryStartsOn
        ? props.expiryStartsOn
        : undefined;
    if (this.strictUntil) {
      // The thresholds are fixed at synth: a deploy on or after that day raises them.
      Annotations.of(this).addInfo(
        `Nothing to do now, one deploy later: until ${this.strictUntil} (lakeStartDate plus retention.maxDays) no lake object is old enough for retention.maxDays to expire it, so the alarms LakeExpiryBurst and LakeExpiryOthers fire on any object that expires before then (a lifecycle rule someone else added). Their thresholds are set at synth: deploy again on or after ${this.strictUntil} (any upgrade then does it), or the first day retention.maxDays expires objects fires them once (docs/operations.md "${DELETIONS_RUNBOOK.expiryBurst}").`,
      );
    }
    // An adopted lake (adoptLake) has no bucket resource here: its notifications stay as the stack
    // that created it set them, to EventBridge as here.
    const cfnBucket = lakeBucket.node.defaultChild;
    if (cfnBucket instanceof s3.CfnBucket) {
      cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }

    this.logGroup = new logs.LogGroup(this, 'Log', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // CloudWatch Logs lets EventBridge write only through its resource policy (EventBridge User
    // Guide, "CloudWatch Logs permissions"): this log group only. An account holds at most 10 such
    // policies per region; this is one (its two statements are one policy).
    const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
    this.logGroup.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeDeletionEventsStream',
        principals: [eventBridge],
        actions: ['logs:CreateLogStream'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // Only rules of this account may write the events (review R-SECURITY L2, confused deputy): the
    // log is the record of every deletion, and another account's rule must not fill it with its
    // own. EventBridge sets aws:SourceArn on PutLogEvents only, not on CreateLogStream (AWS's
    // eventbridge-cloudwatch pattern conditions the one and not the other), so the stream
    // statement stays as it was. The rule's own ARN would be a dependency cycle: the rule waits
    // for this policy, so that the first deletions after a deploy are not lost.
    const { policyDependable } = this.logGroup.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeDeletionEventsWrite',
        principals: [eventBridge],
        actions: ['logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'events',
              resource: 'rule',
              resourceName: '*',
            }),
          },
        },
      }),
    );

    this.rule = new events.Rule(this, 'Rule', {
      description: `Every delete marker${expiring ? " but the stack's expiry's" : ''}, and every version deleted by a request, in the Domo activity lake bucket, to its log group`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Deleted'],
        detail: {
          bucket: { name: [lakeBucket.bucketName] },
          $or: [
            ...deleteMarkerBranches(expiring),
            {
              'deletion-type': [PERMANENTLY_DELETED],
              reason: events.Match.anythingBut(LIFECYCLE_EXPIRATION_REASON),
            },
          ],
        },
      },
    });
    // Review R-SECOND6 M2: the stack's expiry's markers still go to the log, each, by rules of
    // their own that the deletion alarm does not count: the hours' rule is counted by the day.
    this.expiryRules = expiring
      ? [
          this.expiryRule('ExpiredHoursRule', lakeBucket, HOURLY_EXPIRING_FOLDERS),
          this.expiryRule('ExpiredOthersRule', lakeBucket, OTHER_EXPIRING_FOLDERS),
        ]
      : [];
    // The first deletions after a deploy would fail to be written without the policy in place.
    for (const rule of [this.rule, ...this.expiryRules]) {
      rule.addTarget(this.logTarget());
      if (policyDependable) rule.node.addDependency(policyDependable);
    }

    const [expiredHours, expiredOthers] = this.expiryRules;
    const instances = props.instanceCount ?? 1;
    this.alarms = [
      this.deletionsAlarm(),
      this.notRecordedAlarm(),
      ...(expiredHours ? [this.expiryBurstAlarm(expiredHours, instances)] : []),
      ...(expiredOthers ? [this.expiryOthersAlarm(expiredOthers, instances)] : []),
    ];
    const action = new actions.SnsAction(alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  /** The lifecycle's delete markers in `folders` of the lake. */
  private expiryRule(id: string, lakeBucket: s3.IBucket, folders: readonly string[]): events.Rule {
    return new events.Rule(this, id, {
      description: `The delete markers of the lifecycle in ${folders.map((f) => `${f}/`).join(', ')} of the Domo activity lake bucket (the stack's expiry at retention.maxDays), to the deletions log group`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Deleted'],
        detail: {
          bucket: { name: [lakeBucket.bucketName] },
          'deletion-type': [DELETE_MARKER_CREATED],
          reason: [LIFECYCLE_EXPIRATION_REASON],
          object: { key: folders.map((folder) => ({ prefix: `${folder}/` })) },
        },
      },
    });
  }

  /**
   * The log group as a rule target: the whole event, untransformed, so each log event is the S3
   * event as AWS documents it. EventBridge retries a failed write for 24 hours by default, and
   * FailedInvocations counts only the event it then drops: an hour, so LakeDeletionsNotRecorded
   * fires within about one.
   */
  private logTarget(): events.IRuleTarget {
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: this.logGroup.logGroupName,
    });
    return {
      bind: () => ({
        arn: logGroupArn,
        retryPolicy: { maximumEventAgeInSeconds: DELIVERY_RETRY_SECONDS, maximumRetryAttempts: 185 },
      }),
    };
  }

  /** One of a rule's metrics (default event bus: the RuleName dimension alone), summed over 5 minutes. */
  private ruleMetric(metricName: string, rule: events.IRule = this.rule): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName,
      dimensionsMap: { RuleName: rule.ruleName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  }

  /**
   * TriggeredRules, not MatchedEvents: AWS/Events publishes MatchedEvents with no dimension (every
   * rule of the account), TriggeredRules per RuleName, once for each event the rule matched.
   */
  private deletionsAlarm(): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, 'DeletionsAlarm', {
      alarmName: alarmName(this, 'LakeDeletions'),
      alarmDescription: `Objects or versions were deleted from the lake in the last 5 minutes (delete markers, whatever created them${this.expiring ? " but the stack's expiry at retention.maxDays" : ''}, or versions deleted by a request). Which, when and by which account: the log group of stack output LakeDeletionsLogGroup. See docs/operations.md "${DELETIONS_RUNBOOK.deletions}".`,
      metric: this.ruleMetric('TriggeredRules'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** EventBridge gave up writing a deletion to the log group (its policy removed, the group deleted). */
  private notRecordedAlarm(): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, 'NotRecordedAlarm', {
      alarmName: alarmName(this, 'LakeDeletionsNotRecorded'),
      alarmDescription: `A deletion in the lake could not be written to its log group (stack output LakeDeletionsLogGroup) in the last 5 minutes, after EventBridge's retries: its record is lost. See docs/operations.md "${DELETIONS_RUNBOOK.notRecorded}".`,
      metric: this.failedWrites(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The writes to the log group EventBridge gave up on, of every rule that writes it. */
  private failedWrites(): cloudwatch.IMetric {
    if (this.expiryRules.length === 0) return this.ruleMetric('FailedInvocations');
    const rules = [this.rule, ...this.expiryRules];
    return new cloudwatch.MathExpression({
      expression: rules.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(
        rules.map((rule, i) => [`m${i}`, this.ruleMetric('FailedInvocations', rule)]),
      ),
      label: 'Deletions not written to the log group',
      period: Duration.minutes(5),
    });
  }

  /**
   * The stack's expiry puts a known number of markers in the hours' folders a day; many more is
   * a lifecycle rule expiring them sooner (added by hand, hiding hours younger than maxDays with
   * no request the bucket policy sees) or a bulk write that old expiring at once. S3's event
   * carries no object age, and neither EventBridge nor a metric filter can compare the key's
   * `dt=` with the date, so the count is the alarm and the runbook's query tells the two apart.
   * Before the stack's own expiry can have started, any marker alarms (threshold 0).
   */
  private expiryBurstAlarm(expiredHours: events.IRule, instances: number): cloudwatch.Alarm {
    const threshold = expiryBurstThreshold(instances);
    const own = threshold / 2;
    const described = this.strictUntil
      ? `Lifecycle delete markers in activity_log/ or coverage/ of the lake before ${this.strictUntil} (lakeStartDate plus retention.maxDays), when the stack's own expiry cannot have started: a lifecycle rule added by hand is hiding hours. From that day (after a deploy) it fires only over ${threshold} a day.`
      : `Over ${threshold} lifecycle delete markers in activity_log/ and coverage/ of the lake in a UTC day, twice the most (${own}) the stack's own expiry at retention.maxDays makes: a lifecycle rule added by hand hiding many hours younger than maxDays, or a bulk write maxDays ago (a backfill) expired at once. A rule hiding up to ${own / 2} hours a day (${own} markers with their manifests) stays under it.`;
    return this.dailyMarkerAlarm(
      'ExpiryBurstAlarm',
      'LakeExpiryBurst',
      expiredHours,
      threshold,
      described,
      DELETIONS_RUNBOOK.expiryBurst,
    );
  }

  /**
   * The lifecycle's markers in `quarantine/`, `alerts/` and `reports/` by the day (review R-SECOND9
   * H1: the alerts' archive, what an intruder most wants gone, was logged and never counted).
   */
  private expiryOthersAlarm(expiredOthers: events.IRule, instances: number): cloudwatch.Alarm {
    const threshold = expiryOthersThreshold(instances);
    const described = this.strictUntil
      ? `Lifecycle delete markers in quarantine/, alerts/ or reports/ of the lake before ${this.strictUntil} (lakeStartDate plus retention.maxDays), when the stack's own expiry cannot have started: a lifecycle rule added by hand is hiding alerts, reports or quarantined events. From that day (after a deploy) it fires only over ${threshold} a day.`
      : `Over ${threshold} lifecycle delete markers in quarantine/, alerts/ and reports/ of the lake in a UTC day: a lifecycle rule added by hand hiding alerts, reports or quarantined events younger than retention.maxDays, or a busy day maxDays ago expired. Fewer a day stay under it.`;
    return this.dailyMarkerAlarm(
      'ExpiryOthersAlarm',
      'LakeExpiryOthers',
      expiredOthers,
      threshold,
      described,
      DELETIONS_RUNBOOK.expiryOthers,
    );
  }

  /** An alarm on a rule's lifecycle markers by the UTC day: any at all while expiry cannot have started. */
  private dailyMarkerAlarm(
    id: string,
    name: string,
    rule: events.IRule,
    threshold: number,
    described: string,
    runbook: string,
  ): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmName: alarmName(this, name),
      alarmDescription: `${described} Which keys: the log group of stack output LakeDeletionsLogGroup. See docs/operations.md "${runbook}".`,
      metric: this.ruleMetric('TriggeredRules', rule).with({ period: Duration.days(1) }),
      threshold: this.strictUntil ? 0 : threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
