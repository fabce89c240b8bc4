import { Annotations, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { QUARANTINE_MIN_ENTRIES } from '../../functions/core/ingest/drift-signals.ts';
import { INGEST_METRICS, lateWarningMs } from '../../functions/core/ingest/ingest-metrics.ts';
import { shownCustomer } from '../../functions/core/lake/instance-mismatch-error.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { HANDLER_METRICS, instanceDimensions, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import type { ActivityLakeConfig } from '../config.ts';
import { cronWeekStartMinutes, reportMailGapDays, SCHEDULER_START_SLACK_MINUTES } from '../schedule-gaps.ts';
import { alarmName } from './alarm-name.ts';
import { AlarmStatusRow } from './alarm-status-row.ts';
import { alarmStatusWidgets } from './alarm-status-widgets.ts';
import { CompactGraphWidget } from './compact-graph-widget.ts';
import { lastReportMinutes, THROTTLE_RETRY_MAX_MINUTES } from './weekly-report.ts';

interface MonitoredInstance {
  instanceName: string;
  /**
   * The Domo customer the instance is for (instances[].domoCustomer), when configured: its
   * IngestErrors alarm's description names it beside the alarm's name, which names the instance,
   * so a provider's on-call reads whose run failed (review R-MSP).
   */
  domoCustomer?: string;
  fn: lambda.IFunction;
  /** The instance's alerts function, when the alerts are deployed: its destinations are watched too. */
  alertsFn?: lambda.IFunction;
}

/** The weekly report function and the instances it reports on. */
interface MonitoredReport {
  fn: lambda.IFunction;
  instances: readonly string[];
  /** The report's time zone (report.timeZone): the NoReportSent alarm counts whole days in it. */
  timeZone: string;
  /**
   * The report's schedule (report.schedule, in `timeZone`): the NoReportSent alarm is created only
   * when the weekly reports it mails are never more than 7 whole days apart.
   */
  schedule: string;
  /**
   * The year the config's checks read `schedule`'s year field from (the year of their "now"): the
   * alarm's reading of it is theirs, so a pinned "now" gives one answer.
   */
  fromYear: number;
  /**
   * The report function's timeout (report.timeoutMinutes): the instances' reports run one at a
   * time, each up to it, so the last can be mailed hours after the schedule fires.
   */
  timeoutMinutes: number;
}

interface MonitoringProps {
  alarms: ActivityLakeConfig['alarms'];
  /**
   * The longest time, in minutes, between two LagSeconds reports while the ingest schedule runs
   * (`longestRunEndGapMinutes` of the config): the lag alarm's window is at least this long.
   */
  lagReportGapMinutes: number;
  /**
   * The ingest's settle time and lookback (the same for every instance of the stack): how far the
   * lookback reaches, which the LateEventsNearLookback alarm's threshold is half of.
   */
  ingest: { settleMinutes: number; lookbackHours: number };
  instances: readonly MonitoredInstance[];
  failureQueue: sqs.IQueue;
  /**
   * The group that holds the stack's schedules, and only them: the ScheduledInvocationsLost alarm
   * watches it. Scheduler's metrics name a group, not a schedule.
   */
  scheduleGroup?: scheduler.IScheduleGroup;
  dashboardName: string;
  /** Applied to the topic's KMS key. */
  removalPolicy: RemovalPolicy;
  /** Present when the weekly report is deployed. */
  report?: MonitoredReport;
  /** The instances whose security alerts are deployed (alerts.enabled); none otherwise. */
  alertsInstances?: readonly string[];
}

/**
 * What FailedInvocations says of its queue: one for every instance (a queue and an alarm each would
 * cost two resources an instance, of a stack near CloudFormation's 500), so the alarm cannot name
 * the instance that failed; its messages do (review R-MSP).
 */
const SHARED_QUEUE =
  "One queue for every instance: each message names its instance (requestPayload.instance, or the schedule's input), a failed ingest run's errorMessage its Domo customer too, and the <instance>-IngestErrors that fired with it names both.";

/**
 * One custom metric of one instance of the stack that holds `scope`, with the exact dimension set
 * the handler publishes: the stack's name is the value its functions are given (LAKE_STACK).
 */
export const instanceMetric = (
  scope: IConstruct,
  instance: string,
  metricName: string,
  statistic: string,
  period: Duration,
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: instanceDimensions(Stack.of(scope).stackName, instance),
    statistic,
    period,
  });

const LAG_PERIOD_MINUTES = 30;

/**
 * Runs of an hour without progress that fire NoProgress: one may be a run that met a slow page
 * (IngestErrors says so already), two of the four a 15-minute schedule makes are a stuck catch-up.
 */
export const NO_PROGRESS_RUNS = 2;

/** An instance's graphs: most of their metrics are sums over the ingest's 15-minute runs. */
const EVERY_15_MINUTES = { period: Duration.minutes(15), statistic: 'Sum', width: 6 } as const;

/**
 * The heading of each alarm's section in docs/operations.md, as it reads (without its markdown):
 * the descriptions quote it, so the mail names the section to look up.
 */
export const RUNBOOK = {
  ingestErrors: '<instance>-IngestErrors: the function failed',
  lag: '<instance>-Lag: the lake is more than alarms.lagHours behind',
  noProgress: 'NoProgress: ingest runs end without moving the watermark',
  noSuccessfulRun: '<instance>-NoSuccessfulRun: no successful scheduled run in alarms.noSuccessfulRunHours',
  eventsUnplaced: '<instance>-EventsUnplaced: events stored without geo columns',
  quarantine: '<instance>-Quarantine: a share of new entries is quarantined',
  twinHours: 'TwinHours: Domo served rows twice',
  shapeChangedHours: "ShapeChangedHours: Domo's entries lack a field the columns read",
  reshaped: 'Reshaped: Domo serves stored hours in another shape',
  lateEventsNearLookback: 'LateEventsNearLookback: late events reach deep into the lookback',
  reportErrors: 'ReportErrors: the weekly report failed',
  noReportSent: '<instance>-NoReportSent: no weekly report mailed in 7 whole days',
  reportCorrectionStuck: "ReportCorrectionStuck: a correction's marker blocks it",
  noAlertsEvaluated: '<instance>-NoAlertsEvaluated: the alerts evaluated no hour',
  failedInvocations: 'FailedInvocations: a failure landed in the failure queue',
  deliveryFailures: '<instance>-DestinationDeliveryFailures: a run could not be passed on',
  reportDeliveryFailures: 'ReportDestinationDeliveryFailures: a failed report run could not be recorded',
  scheduledInvocationsLost:
    'ScheduledInvocationsLost: a scheduled run reached neither its function nor the failure queue',
} as const;

/**
 * Whole days the report's NoReportSent alarm looks back over: CloudWatch caps an alarm's window
 * (period × evaluation periods) at 7 days, so a week is the most it can see.
 */
const NO_REPORT_SENT_DAYS = 7;

/** The id of the synth warning that the LateEventsNearLookback alarm is left out (lookbackHours 0). */
export const LATE_EVENTS_ALARM_OMITTED = '@domo-activity-lake/lateEventsNearLookbackOmitted';

/** The id of the synth warning that the NoReportSent alarms are left out. */
export const NO_REPORT_SENT_OMITTED = '@domo-activity-lake/noReportSentOmitted';

/**
 * Why `report.schedule` leaves the NoReportSent alarms out, or undefined when they can watch it:
 * the reports it mails must be at most NO_REPORT_SENT_DAYS whole days apart (CloudWatch's longest
 * window), or the alarm would fire between two reports of a healthy schedule. The year field is read
 * from `fromYear`, the year the config's checks read it from.
 */
export function noReportSentProblem(
  schedule: string,
  instances: readonly string[],
  fromYear: number,
): string | undefined {
  const gap = reportMailGapDays(schedule, fromYear);
  if (gap !== undefined && gap <= NO_REPORT_SENT_DAYS) return undefined;
  const alarms = instances.map((instance) => `${instance}-NoReportSent`).join(', ');
  const why =
    gap === undefined
      ? 'runs at times set by the deploy, so the days its weekly reports go out on cannot be told'
      : gap === Number.POSITIVE_INFINITY
        ? 'does not fire in every week, so two reports can be weeks apart (a run reports only the last full week: the week before one without a run is never mailed)'
        : `mails the weekly reports up to ${gap} days apart (each week's report goes out on the first day of the next week it fires on, and that day shifts)`;
  return `report.schedule ${JSON.stringify(schedule)} ${why}, more than the ${NO_REPORT_SENT_DAYS} whole days a CloudWatch alarm can look back over, so the alarm that no report was mailed is left out (${alarms}); ReportErrors still alarms on a failed run. To have it, fire on the same weekdays every week, e.g. the default "cron(0 7 ? * MON *)"`;
}

/** The id of the synth warning that the last reports can be mailed the day after the schedule fires. */
export const REPORT_PAST_MIDNIGHT = '@domo-activity-lake/reportPastMidnight';

const DAY_MINUTES = 1440;

const clockTime = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Why the NoReportSent alarms can fire falsely for `report.schedule`, or undefined when they
 * cannot: each alarm counts whole days in the report's zone, so a report mailed after midnight
 * leaves the day the schedule fired on (and the 6 before it) without one, and the alarm fires for
 * a day. The instances' reports run one at a time after the schedule's first firing of the week,
 * the last ending up to {@link lastReportMinutes} later. Undefined for a `rate(...)` too, which
 * has no such alarm ({@link noReportSentProblem}).
 */
export function reportPastMidnightProblem(
  schedule: string,
  instances: readonly string[],
  timeoutMinutes: number,
): string | undefined {
  const weekStart = cronWeekStartMinutes(schedule);
  if (weekStart === undefined) return undefined;
  const fires = weekStart % DAY_MINUTES;
  const last = lastReportMinutes(instances.length, timeoutMinutes);
  if (fires + last < DAY_MINUTES) return undefined;
  const alarms = instances.map((instance) => `${instance}-NoReportSent`).join(', ');
  const latest = DAY_MINUTES - last - 1;
  const fix =
    latest >= 0
      ? `fire by ${clockTime(latest)} at the latest (e.g. the default "cron(0 7 ? * MON *)"), or lower report.timeoutMinutes`
      : 'lower report.timeoutMinutes, or split the instances between stacks';
  return `report.schedule ${JSON.stringify(schedule)} fires at ${clockTime(fires)}, and its ${instances.length} instances' reports run one at a time after it: if each ran to its timeout (${timeoutMinutes} minutes, then up to ${THROTTLE_RETRY_MAX_MINUTES} until Lambda starts the next), the last would be mailed up to ${last} minutes later, after midnight, and the alarm that no report was mailed (${alarms}) would fire for a day the report was not missing. Reports normally take a few minutes each; to be sure, ${fix}`;
}

/**
 * The window, in hours, of the alerts' NoAlertsEvaluated alarm. The alerts function runs after each
 * successful ingest run and evaluates an hour once the watermark has passed its end, so a healthy
 * instance evaluates at least one hour within an hour plus the ingest's longest gap and run
 * (which the config keeps within alarms.noSuccessfulRunHours) plus the alerts run (15 min at most).
 * The two hours over noSuccessfulRunHours cover that, and make the ingest's own NoSuccessfulRun
 * alarm fire first when the cause is an ingest that stopped. The alarm watches it as that many
 * one-hour periods: CloudWatch refuses a period over a day, which 24 + 2 hours would be.
 */
export const noAlertsEvaluatedHours = (noSuccessfulRunHours: number): number => noSuccessfulRunHours + 2;

/**
 * The Quarantine alarm fires when, over its window, the ingest quarantined at least
 * QUARANTINE_MIN_ENTRIES new entries (a few hostile or broken entries of a quiet instance,
 * quarantined, visible and not lost, never reach it: one odd entry a day, or an hour) and more than
 * this share of all the new entries it read. 5 %, not half: a change Domo makes to one action's
 * entries (its logins are 10-40 % of them, and exactly what the security alerts read) quarantines
 * those only and must page too. A healthy lake quarantines next to nothing, so a twentieth is no
 * noise: 25 hostile entries among 5,000 are half a percent.
 */
const QUARANTINE_SHARE = 0.05;
const QUARANTINE_MIN_WINDOW_HOURS = 3;

/**
 * The window, in whole hours, of the Quarantine alarm: 3 hours, or longer when the schedule's
 * longest gap between two runs' reports (plus Scheduler's start) is: a window without a run has no
 * value and reads OK (missing data is not breaching), so a shorter one would recover between two
 * runs of a slow schedule while every run quarantines all it reads. At most a day, the longest
 * period CloudWatch allows; the config keeps the gap within that.
 */
const quarantineWindowHours = (reportGapMinutes: number): number =>
  Math.min(
    24,
    Math.max(QUARANTINE_MIN_WINDOW_HOURS, Math.ceil((reportGapMinutes + SCHEDULER_START_SLACK_MINUTES) / 60)),
  );

/**
 * CloudWatch caps an alarm of periods under an hour at one day of periods. The config keeps the
 * schedule's gap plus the timeout within alarms.noSuccessfulRunHours (24 at most), so the cap can
 * only cut into the slack.
 */
const MAX_LAG_PERIODS = (24 * 60) / LAG_PERIOD_MINUTES;

/** How many lag periods the alarm evaluates: enough to hold a report, and at least two (an hour). */
const lagAlarmPeriods = (reportGapMinutes: number): number =>
  Math.min(
    MAX_LAG_PERIODS,
    Math.max(2, Math.ceil((reportGapMinutes + SCHEDULER_START_SLACK_MINUTES) / LAG_PERIOD_MINUTES)),
  );

/**
 * The alarm topic (KMS-encrypted, with the configured email subscription), the alarms that say the lake is not
 * being filled, and a dashboard of what the ingest reports.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  /**
   * The dashboard's first row: every alarm status widget, this construct's and those of
   * {@link showAlarms}. Filled as alarms are made (the dashboard lays it out at synth), so the
   * on-call who opens the dashboard sees what fired before any graph (review R-SRE L1): below
   * four graphs an instance it sat out of sight.
   */
  private readonly statusRow = new AlarmStatusRow();

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    this.topicKey = this.alarmTopicKey(props.removalPolicy);
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'Domo activity lake alarms',
      enforceSSL: true,
      masterKey: this.topicKey,
    });
    this.allowAlarmsToPublish();
    if (props.alarms.email) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarms.email));
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(this.statusRow);

    for (const { instanceName, fn, alertsFn, domoCustomer } of props.instances) {
      this.addFunctionErrorAlarm(
        `${instanceName}-IngestErrors`,
        fn,
        // The instance is the alarm's name (a43bef73: not repeated here); its customer is not.
        `The ingest${domoCustomer === undefined ? '' : ` of Domo customer "${shownCustomer(domoCustomer)}"`} failed`,
        RUNBOOK.ingestErrors,
      );

      this.addLagAlarm(instanceName, props.alarms.lagHours, props.lagReportGapMinutes);

      this.addAlarm(
        new cloudwatch.Alarm(this, `${instanceName}-NoSuccessfulRunAlarm`, {
          alarmName: alarmName(this, `${instanceName}-NoSuccessfulRun`),
          alarmDescription: `No successful ingest run in ${props.alarms.noSuccessfulRunHours} h. Check the function's logs; while the secret still holds the placeholder every run is skipped (metric SecretPlaceholder). See docs/operations.md "${RUNBOOK.noSuccessfulRun}".`,
          metric: instanceMetric(
            this,
            instanceName,
            HANDLER_METRICS.runSucceeded,
            'Sum',
            Duration.hours(props.alarms.noSuccessfulRunHours),
          ),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );

      this.addInstanceDeliveryFailuresAlarm(instanceName, fn, alertsFn);
      this.addUnplacedAlarm(instanceName);
      this.addQuarantineAlarm(instanceName, props.lagReportGapMinutes);
      this.addInstanceWidgets(instanceName, fn, props.alarms.lagHours);
    }

    if (props.report) {
      this.addFunctionErrorAlarm(
        'ReportErrors',
        props.report.fn,
        "The weekly report failed for at least one instance (its mail was refused, not attempted, or has an unknown outcome), or the schedule's run could not queue an instance's report (its invocation of its own was not started)",
        RUNBOOK.reportErrors,
      );
      this.addDeliveryFailuresAlarm(
        'ReportDestinationDeliveryFailures',
        [props.report.fn],
        'A failed weekly report run could not be passed to the failure queue',
        RUNBOOK.reportDeliveryFailures,
      );
      const omitted = noReportSentProblem(
        props.report.schedule,
        props.report.instances,
        props.report.fromYear,
      );
      if (omitted) Annotations.of(this).addWarningV2(NO_REPORT_SENT_OMITTED, omitted);
      else this.addNoReportSentAlarms(props.report);
      this.addReportCorrectionStuckAlarm();
      this.addReportWidgets(props.report);
    }

    for (const instance of props.alertsInstances ?? [])
      this.addNoAlertsEvaluatedAlarm(instance, props.alarms.noSuccessfulRunHours);

    if (props.scheduleGroup) this.addScheduledInvocationsLostAlarm(props.scheduleGroup);
    if (props.instances.length > 0) {
      this.watchLateEvents(props.ingest);
      this.addNoProgressAlarm();
      this.addTwinHoursAlarm();
      this.addEntryShapeAlarms();
    }

    this.addAlarm(
      new cloudwatch.Alarm(this, 'FailedInvocationsAlarm', {
        alarmName: alarmName(this, 'FailedInvocations'),
        alarmDescription: `Invocations (ingest, weekly report or security alerts) were not delivered, or failed after their retries, or a LakeGuardChanged message could not be published, and landed in the failure queue in the last 5 minutes. The queue keeps them until deleted (14 days at most), their only record: read each before deleting it, do not purge the queue. OK means no new failure, not an empty queue. ${SHARED_QUEUE} See docs/operations.md "${RUNBOOK.failedInvocations}".`,
        // Messages sent, not messages visible: a queue nobody purged would hold the alarm in ALARM
        // and every later failure, of any function, would notify no one.
        metric: props.failureQueue.metricNumberOfMessagesSent({
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    this.showAlarms('Alarms', this.alarms);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Failure queue (messages)',
        left: [props.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })],
        width: 12,
      }),
      ...this.alertsWidgets(props.instances),
    );
  }

  /**
   * Shows alarms in a status widget of their own in the dashboard's first row: the "Alarms" widget
   * lists only this construct's, and someone looking there for what fired should see the others
   * too (the lake's deletion alarms, Athena's, the security alerts').
   */
  showAlarms(title: string, alarms: cloudwatch.Alarm[]): void {
    this.statusRow.add(...alarmStatusWidgets(title, alarms, 12));
  }

  /**
   * The security alerts' graph, when they are deployed: the hours each instance's alerts evaluated
   * and their function's invocations and errors. The NoAlertsEvaluated runbook starts from whether
   * the function still runs (review R-SRE M1).
   */
  private alertsWidgets(instances: readonly MonitoredInstance[]): cloudwatch.IWidget[] {
    const watched = instances.flatMap(({ instanceName, alertsFn }) =>
      alertsFn ? [{ instance: instanceName, fn: alertsFn }] : [],
    );
    if (watched.length === 0) return [];
    const hourly = { statistic: 'Sum', period: Duration.hours(1) };
    return [
      new CompactGraphWidget({
        title: 'Security alerts: hours evaluated, function invocations and errors (per hour)',
        left: watched.map(({ instance }) =>
          instanceMetric(this, instance, ALERT_METRICS.hoursEvaluated, 'Sum', Duration.hours(1)).with({
            label: `${instance} hours evaluated`,
          }),
        ),
        right: watched.flatMap(({ instance, fn }) => [
          fn.metricInvocations(hourly).with({ label: `${instance} invocations` }),
          fn.metricErrors(hourly).with({ label: `${instance} errors` }),
        ]),
        ...hourly,
        width: 12,
      }),
    ];
  }

  /**
   * Alarms when the function reports any error; `runbook` is the heading of its section in
   * docs/operations.md. Lambda counts a run its timeout or memory killed as an error too, and such
   * a run never reaches the handler's own log line: the description says so (review R-SRE M2).
   */
  addFunctionErrorAlarm(
    id: string,
    fn: lambda.IFunction,
    description: string,
    runbook: string,
  ): cloudwatch.Alarm {
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${id}Alarm`, {
        alarmName: alarmName(this, id),
        alarmDescription: `${description}: the function failed (threw after logging why, timed out or ran out of memory). See its CloudWatch logs and docs/operations.md "${runbook}".`,
        metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(15) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** {@link addDeliveryFailuresAlarm} for an instance's ingest and, when deployed, its alerts function. */
  private addInstanceDeliveryFailuresAlarm(
    instanceName: string,
    fn: lambda.IFunction,
    alertsFn: lambda.IFunction | undefined,
  ): cloudwatch.Alarm {
    const description = alertsFn
      ? `A run (ingest or security alerts) could not be passed to its destination: a failed run to the failure queue, or a successful ingest run to the alerts function`
      : 'A failed ingest run could not be passed to the failure queue';
    return this.addDeliveryFailuresAlarm(
      `${instanceName}-DestinationDeliveryFailures`,
      alertsFn ? [fn, alertsFn] : [fn],
      description,
      RUNBOOK.deliveryFailures,
    );
  }

  /**
   * Alarms when Lambda could not deliver a run of `fns` to its destination (AWS/Lambda
   * DestinationDeliveryFailures): the failure queue refusing a failed run (its policy or
   * encryption changed by hand), or the alerts function refusing the ingest's success record. Such
   * a run reaches neither the queue nor FailedInvocations, so nothing else says it failed. One
   * alarm for an instance's two functions, not one each, to keep the stack under CloudFormation's
   * 500 resources; each metric filled with 0, since a sum with a missing point is missing.
   */
  private addDeliveryFailuresAlarm(
    id: string,
    fns: readonly lambda.IFunction[],
    description: string,
    runbook: string,
  ): cloudwatch.Alarm {
    const period = Duration.minutes(5);
    const metrics = fns.map((fn) => fn.metric('DestinationDeliveryFailures', { statistic: 'Sum', period }));
    const metric =
      metrics.length === 1
        ? (metrics[0] as cloudwatch.Metric)
        : new cloudwatch.MathExpression({
            expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
            usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
            period,
            label: 'DestinationDeliveryFailures',
          });
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${id}Alarm`, {
        alarmName: alarmName(this, id),
        alarmDescription: `${description}, in the last 5 minutes. Lambda keeps no record of it. See docs/operations.md "${runbook}".`,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when EventBridge Scheduler gave up on an invocation of one of the stack's schedules
   * (after its retries) and could not put it in the failure queue either (AWS/Scheduler
   * InvocationsFailedToBeSentToDeadLetterCount): the run never happened and nothing holds it, so
   * FailedInvocations stays OK. An invocation that does reach the queue is
   * FailedInvocations' already, which is why InvocationDroppedCount (every invocation given up,
   * queued or not) is not watched: it would page twice for one miss. The metric is per schedule
   * group, so the group must hold this stack's schedules only.
   */
  private addScheduledInvocationsLostAlarm(group: scheduler.IScheduleGroup): cloudwatch.Alarm {
    return this.addAlarm(
      new cloudwatch.Alarm(this, 'ScheduledInvocationsLostAlarm', {
        alarmName: alarmName(this, 'ScheduledInvocationsLost'),
        alarmDescription: `EventBridge Scheduler gave up on a scheduled run (ingest or weekly report) and could not put it in the failure queue either (InvocationsFailedToBeSentToDeadLetterCount of the stack's schedule group), in the last 5 minutes: the run never started and nothing records it. See docs/operations.md "${RUNBOOK.scheduledInvocationsLost}".`,
        metric: group.metricFailedToBeSentToDLQ(undefined, { statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when the lake stops advancing. LagSeconds (now - watermark) is published by each
   * scheduled run that got as far as planning; a run that fails before (a checkpoint that cannot
   * be read, the secret or the bucket unusable), a run killed by its timeout, and a schedule that
   * no longer fires publish nothing. So missing data is breaching: a window with no report at all
   * alarms like one whose every report is over the threshold, and the alarm cannot read OK while
   * the lake stands still. The window is long enough to hold a report of every healthy schedule
   * (its longest gap plus the run's timeout, plus slack for delivery), and at least an hour, so one
   * slow run does not alarm (Minimum over each period: any report under the threshold keeps it OK).
   */
  private addLagAlarm(instanceName: string, lagHours: number, reportGapMinutes: number): cloudwatch.Alarm {
    const periods = lagAlarmPeriods(reportGapMinutes);
    const windowMinutes = periods * LAG_PERIOD_MINUTES;
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${instanceName}-LagAlarm`, {
        alarmName: alarmName(this, `${instanceName}-Lag`),
        alarmDescription: `The lake is more than ${lagHours} h behind Domo (LagSeconds = now - watermark), or no run reported its lag for ${windowMinutes} min: runs fail before they start pulling, or do not run. Expected during the first backfill and until the Domo credentials are set; otherwise see docs/operations.md "${RUNBOOK.lag}".`,
        metric: instanceMetric(
          this,
          instanceName,
          HANDLER_METRICS.lagSeconds,
          'Minimum',
          Duration.minutes(LAG_PERIOD_MINUTES),
        ),
        threshold: lagHours * 3600,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }

  /**
   * Alarms when no weekly report of the instance was mailed on any of the last 7 whole days of the
   * report's time zone: the report stopped without failing (a marker left blocking, a schedule
   * disabled or deleted, a run that returns without sending). The error alarms cannot see that.
   * A wall-clock window of whole days: with a sliding one the window (7 days at most) would lose
   * last week's mail the minute before this week's is due, and any run later than last week's
   * would alarm. With whole days a report sent at any time of its usual day keeps the alarm OK, and
   * a missed one alarms when that day ends. Days without data breach, so it also alarms until the
   * first report after deployment.
   */
  /** The NoReportSent alarm of each instance, and a synth warning when its reports can pass midnight. */
  private addNoReportSentAlarms(report: MonitoredReport): void {
    const { schedule, instances, timeoutMinutes } = report;
    const late = reportPastMidnightProblem(schedule, instances, timeoutMinutes);
    if (late) Annotations.of(this).addWarningV2(REPORT_PAST_MIDNIGHT, late);
    for (const instance of instances) this.addNoReportSentAlarm(instance, report.timeZone);
  }

  private addNoReportSentAlarm(instance: string, timeZone: string): cloudwatch.Alarm {
    const alarm = this.addAlarm(
      new cloudwatch.Alarm(this, `${instance}-NoReportSentAlarm`, {
        alarmName: alarmName(this, `${instance}-NoReportSent`),
        alarmDescription: `No weekly report of the instance was mailed (${REPORT_METRICS.sent}) on any of the last ${NO_REPORT_SENT_DAYS} whole days (${timeZone}): the report stopped without failing (its schedule disabled, a sent-marker left blocking, a run that returned without sending). Expected until the first report after deployment is mailed; otherwise see docs/operations.md "${RUNBOOK.noReportSent}".`,
        metric: instanceMetric(this, instance, REPORT_METRICS.sent, 'Sum', Duration.days(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: NO_REPORT_SENT_DAYS,
        datapointsToAlarm: NO_REPORT_SENT_DAYS,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
    // No L2 property yet: days aligned to midnight in the report's zone, where its schedule runs.
    (alarm.node.defaultChild as cloudwatch.CfnAlarm).evaluationWindow = {
      wallClockWindow: { timezone: timeZone },
    };
    return alarm;
  }

  /**
   * Alarms when a report run found a week's correction blocked by its marker, left `sending` by a
   * run that stopped between claim and outcome, or `unknown` (week-correction.ts): nothing sends
   * that correction until someone checks the inbox and removes the marker, and the run itself
   * succeeds, so neither ReportErrors nor NoReportSent fires. One alarm for the stack, as
   * NoProgress: the stack's 500 resources are not spent on one an instance; the run's warning
   * and `status` name the instance, the week and the marker. Each run that looks at the week
   * counts it again, so it fires with each run (for about an hour): the corrections run's, daily
   * by default (report.correctionSchedule), and the weekly run's, until the marker is removed or
   * the week passes the look-back; no data is OK. A corrections run that finds nothing due
   * publishes no ReportSent (nor ReportSkipped): NoReportSent watches the weekly report alone.
   */
  private addReportCorrectionStuckAlarm(): cloudwatch.Alarm {
    const metric = REPORT_METRICS.correctionStuck;
    return this.addStackWideAlarm(metric, {
      description: `A report run (weekly, or the corrections run) found the correction of a week mailed with hours missing blocked by its marker (${metric}): a run stopped between claiming it and recording the outcome (marker sending), or its mail may have gone out (unknown). Nothing sends it by itself. The run's warning "the correction of this week may have been mailed" and the status command name the instance, the week and the marker: check the inbox, and if it did not arrive remove the marker; the next run sends it. See docs/operations.md "${RUNBOOK.reportCorrectionStuck}".`,
      aggregate: `SUM(${metric})`,
      label: 'corrections blocked by their marker',
      threshold: 1,
    });
  }

  /**
   * Alarms when the alerts of the instance evaluated no hour for noAlertsEvaluatedHours: the
   * alerts function is no longer started, or its runs return without evaluating (a checkpoint
   * that no longer follows the lake). Its error alarm only sees runs that throw. Missing data
   * breaches: a function never started publishes nothing. One-hour periods, every one of them
   * breaching: the same window as one period of that length, which CloudWatch refuses over a day.
   */
  private addNoAlertsEvaluatedAlarm(instance: string, noSuccessfulRunHours: number): cloudwatch.Alarm {
    const hours = noAlertsEvaluatedHours(noSuccessfulRunHours);
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${instance}-NoAlertsEvaluatedAlarm`, {
        alarmName: alarmName(this, `${instance}-NoAlertsEvaluated`),
        alarmDescription: `The security alerts evaluated no hour (${ALERT_METRICS.hoursEvaluated}) in ${hours} h: no suspicious login, lockout or burst would be alerted. They run only after successful ingest runs: if the instance's NoSuccessfulRun or Lag alarm is in ALARM too, fix that first. Expected until the first successful ingest run; otherwise see docs/operations.md "${RUNBOOK.noAlertsEvaluated}".`,
        metric: instanceMetric(this, instance, ALERT_METRICS.hoursEvaluated, 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: hours,
        datapointsToAlarm: hours,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }

  /**
   * Alarms when the ingest succeeds but sets a share of what it reads aside: over the window,
   * at least QUARANTINE_MIN_ENTRIES new entries quarantined and more than QUARANTINE_SHARE of all
   * new entries (quarantined + written). That is a docTimeZone that does not match Domo's time strings,
   * or Domo changing its time format: every run succeeds and the lag stays low (the hours are
   * covered, their events in quarantine), so no other alarm sees it. Both counts are of entries a
   * run added, so the lookback's pulling an hour again counts nothing twice. A quiet instance (no
   * entry) reads 0, and a run-less window has no value: missing data is not breaching.
   */
  private addQuarantineAlarm(instanceName: string, reportGapMinutes: number): cloudwatch.Alarm {
    const hours = quarantineWindowHours(reportGapMinutes);
    const period = Duration.hours(hours);
    const share = new cloudwatch.MathExpression({
      // The ingest leaves out Quarantined's 0 (USUALLY_ZERO_INGEST_METRICS): FILL takes no value as
      // 0, and IF takes 0 where fewer than the minimum were quarantined: no division by zero.
      expression: `IF(FILL(quarantined, 0) >= ${QUARANTINE_MIN_ENTRIES}, FILL(quarantined, 0) / (FILL(quarantined, 0) + written), 0)`,
      usingMetrics: {
        quarantined: instanceMetric(this, instanceName, INGEST_METRICS.quarantined, 'Sum', period),
        written: instanceMetric(this, instanceName, INGEST_METRICS.eventsWritten, 'Sum', period),
      },
      label: 'share of new entries quarantined',
      period,
    });
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${instanceName}-QuarantineAlarm`, {
        alarmName: alarmName(this, `${instanceName}-Quarantine`),
        alarmDescription: `The ingest quarantined more than ${QUARANTINE_SHARE * 100}% of the new entries it read in the last ${hours} h (at least ${QUARANTINE_MIN_ENTRIES}; metrics ${INGEST_METRICS.quarantined} and ${INGEST_METRICS.eventsWritten}): the runs succeed and the lag looks fine, but those entries are only in the quarantine, not in the lake, where the queries, alerts and report read. All of them: usually ingest.docTimeZone does not match Domo's time strings, or Domo changed its time format; some: Domo changed the shape of some actions' entries (a field renamed or nested; the run's log names the reasons). See docs/operations.md "${RUNBOOK.quarantine}".`,
        metric: share,
        threshold: QUARANTINE_SHARE,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when a run stored an hour whose identical twins look like rows Domo served twice
   * (TwinHours). One alarm for the stack, as NoProgress: one an instance would cost 20 resources of
   * the 500 the largest stack (20 instances) may hold, which has fewer than 20 left; the run's log
   * and verify name the instance. Sent only when not 0: no data is not breaching.
   */
  private addTwinHoursAlarm(): cloudwatch.Alarm {
    const metric = INGEST_METRICS.twinHours;
    return this.addStackWideAlarm('TwinHours', {
      description: `An ingest run of an instance of this stack stored an hour whose identical twins look like rows Domo served twice (${metric}; the run's log and verify name the instance and the hour): each twin is stored as an event of its own by design, so if Domo doubled them every count of those hours (queries, the weekly report, the alerts) is doubled too. See docs/operations.md "${RUNBOOK.twinHours}".`,
      aggregate: `SUM(${metric})`,
      label: 'hours with twins served twice',
      threshold: 1,
    });
  }

  /**
   * Alarms when Domo changed the shape of its entries, by the ingest's two drift signals: an hour
   * stored whose entries mostly lack a field the columns read (ShapeChangedHours: those columns are
   * empty from then on, and the logins and failed logins the alerts read with them), and entries
   * left out because their hour already holds them in another shape (Reshaped: the stored hours
   * are served anew). Two alarms for the stack, as TwinHours: a Metrics Insights alarm holds one
   * query, and one an instance would take the largest stack (20 instances) over its 500
   * resources. Each is sent only when not 0: no data is not breaching.
   */
  private addEntryShapeAlarms(): void {
    const gaps = INGEST_METRICS.shapeChangedHours;
    this.addStackWideAlarm(gaps, {
      description: `An ingest run of an instance of this stack stored an hour whose entries mostly lack a field the lake's columns read (${gaps}; the run's log, status and verify name the instance, the hour and the field): Domo renamed, nested or dropped it. The events are stored with those columns empty, so queries, the weekly report and the alerts (logins, failed logins) miss them while it lasts; the alarm stays on while new hours come so. See docs/operations.md "${RUNBOOK.shapeChangedHours}".`,
      aggregate: `SUM(${gaps})`,
      label: 'hours whose entries lack a watched field',
      threshold: 1,
    });
    const reshaped = INGEST_METRICS.reshaped;
    this.addStackWideAlarm(reshaped, {
      description: `An ingest run of an instance of this stack left out entries its hour already stored in another shape (${reshaped}; the run's log and the hour's manifest, reshaped, name the instance and the hour): Domo now serves stored hours with a field renamed, nested or nulled, or an action renamed. Those are not stored twice, but hours stored from now on are in the new shape, which the columns may not read, and quiet hours may still be stored twice. See docs/operations.md "${RUNBOOK.reshaped}".`,
      aggregate: `SUM(${reshaped})`,
      label: 'entries served again in another shape',
      threshold: 1,
    });
  }

  /**
   * The LateEventsNearLookback alarm, or, with a lookback of 0, a synth warning that it is left
   * out: no hour is pulled again then, so the schedule finds no late event and the alarm would
   * never fire, while every event Domo serves after an hour's first pull is lost unseen.
   */
  private watchLateEvents(ingest: MonitoringProps['ingest']): void {
    if (ingest.lookbackHours > 0) {
      this.addLateEventsNearLookbackAlarm(ingest);
      return;
    }
    Annotations.of(this).addWarningV2(
      LATE_EVENTS_ALARM_OMITTED,
      `ingest.lookbackHours is 0: no hour is pulled again after its first pull (ingest.settleMinutes after its end), so events Domo serves later are stored only by the hour's later pull (ingest.repullAfterHours; with 0, never) and the schedule's lookback finds none to measure; the LateEventsNearLookback alarm is left out. Set ingest.lookbackHours to 1 or more (2 by default) to store late events and be told when they come late in the lookback (docs/operations.md "${RUNBOOK.lateEventsNearLookback}")`,
    );
  }

  /**
   * Alarms when a run found a late event Domo served, at least, half-way through the lookback's
   * reach, or so late that only an hour's last pull finds it (lateWarningMs; a lookback of 1 hour
   * warns of every late event): events a little later than that wait for the later pull, and nothing else says
   * the lookback is getting short. One alarm for every instance of the stack, not one each: a
   * Metrics Insights query takes the largest LateEventDelaySeconds of the stack's instances, so
   * the stack's resources (500 at most, about 25 per instance) are not spent on it; the dashboard
   * shows which instance. Only scheduled runs that found late events publish a value (a re-pull finds
   * what the lookback missed by design): no data is OK, and the alarm clears an hour after the run
   * that raised it.
   */
  private addLateEventsNearLookbackAlarm(ingest: MonitoringProps['ingest']): cloudwatch.Alarm {
    const thresholdSeconds = lateWarningMs(ingest.settleMinutes, ingest.lookbackHours) / 1000;
    const reach = `${ingest.settleMinutes} min + ${ingest.lookbackHours} h`;
    const metric = HANDLER_METRICS.lateEventDelaySeconds;
    return this.addStackWideAlarm('LateEventsNearLookback', {
      description: `A scheduled ingest run of an instance of this stack found an event Domo served at least ${thresholdSeconds / 60} min after its hour ended (${metric}; the dashboard shows which instance): late in the lookback, which pulls an hour again until ${reach} after its end (ingest.settleMinutes + ingest.lookbackHours), where only an hour's last pulls find an event. An event served later than that waits for the hour's later pull (ingest.repullAfterHours after its end; with 0 it is never stored), and no alarm would say so. Raise ingest.lookbackHours, and re-pull the hours since the delays grew. See docs/operations.md "${RUNBOOK.lateEventsNearLookback}".`,
      aggregate: `MAX(${metric})`,
      label: 'largest late event delay of the instances (s)',
      threshold: thresholdSeconds,
    });
  }

  /**
   * Alarms when two runs of an hour end without moving their watermark (RunsWithoutProgress): a
   * catch-up too slow for its runs' time, or Domo holding the client with long Retry-Afters. Each
   * such run fails (IngestErrors, which names the instance), but the Lag alarm that stays on while
   * runs report hours done reads as "catching up" (review R-ONCALL M4); this one says the catch-up
   * is stuck. One alarm for the stack, as LateEventsNearLookback: a Metrics Insights query sums the
   * instances' counts, so the stack's 500 resources are not spent on it (one an instance took the
   * largest config over them). Runs that progress publish no value: no data is not breaching.
   */
  private addNoProgressAlarm(): cloudwatch.Alarm {
    const metric = INGEST_METRICS.runsWithoutProgress;
    return this.addStackWideAlarm('NoProgress', {
      description: `Ingest runs of this stack ended without moving their watermark (${metric}; the IngestErrors alarm and its runs' log say which instance): Domo answers too slowly for a run's time, or holds the client with long Retry-Afters. See docs/operations.md "${RUNBOOK.noProgress}".`,
      aggregate: `SUM(${metric})`,
      label: 'ingest runs without progress',
      threshold: NO_PROGRESS_RUNS,
    });
  }

  /**
   * One alarm over every instance of the stack: a Metrics Insights query of the hour (the
   * stack's 500 resources are not spent on one alarm an instance). Only runs with something to
   * say publish a value, so no data is not breaching.
   */
  private addStackWideAlarm(
    name: string,
    alarm: { description: string; aggregate: string; label: string; threshold: number },
  ): cloudwatch.Alarm {
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${name}Alarm`, {
        alarmName: alarmName(this, name),
        alarmDescription: alarm.description,
        metric: new cloudwatch.MathExpression({
          expression: `SELECT ${alarm.aggregate} FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = '${Stack.of(this).stackName}'`,
          label: alarm.label,
          period: Duration.hours(1),
        }),
        threshold: alarm.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms while the instance's ingest stores events without geo columns because its geo database
   * could not be loaded: the metric is only published then, so no data is the healthy state, and
   * the alarm recovers an hour after the first run that loads the database.
   */
  private addUnplacedAlarm(instanceName: string): cloudwatch.Alarm {
    return this.addAlarm(
      new cloudwatch.Alarm(this, `${instanceName}-EventsUnplacedAlarm`, {
        alarmName: alarmName(this, `${instanceName}-EventsUnplaced`),
        alarmDescription: `The ingest stored events without geo columns (${INGEST_METRICS.eventsUnplaced}): the function could not load its geo database, so the new-country, new-network and impossible-travel checks (weekly report, alerts) cannot judge them. See docs/operations.md "${RUNBOOK.eventsUnplaced}".`,
        metric: instanceMetric(this, instanceName, INGEST_METRICS.eventsUnplaced, 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * A customer managed key: the AWS managed aws/sns key cannot be used here, because its policy
   * cannot let CloudWatch (which publishes the alarms) encrypt messages, and every alarm would be
   * dropped. The grant is limited to this account's alarms.
   */
  private alarmTopicKey(removalPolicy: RemovalPolicy): kms.Key {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'AlarmsKey', {
      description: 'Encrypts the Domo activity lake alarm topic',
      enableKeyRotation: true,
      removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    return key;
  }

  /**
   * A topic policy replaces SNS's default one, which is what lets CloudWatch publish: with only
   * enforceSSL's Deny, every alarm action fails ("no resource-based policy allows the SNS:Publish
   * action") and no alarm reaches anyone. Limited to this account's alarms.
   */
  private allowAlarmsToPublish(): void {
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
  }

  private addAlarm(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private addReportWidgets(report: MonitoredReport): void {
    const daily = (instance: string, name: string, label: string) =>
      instanceMetric(this, instance, name, 'Sum', Duration.days(1)).with({ label: `${instance} ${label}` });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '### Weekly report', width: 24, height: 1 }),
      new CompactGraphWidget({
        title: 'Weekly report: mails sent, runs skipped, corrections sent and blocked (per day)',
        left: report.instances.flatMap((instance) => [
          daily(instance, REPORT_METRICS.sent, 'sent'),
          daily(instance, REPORT_METRICS.skipped, 'skipped'),
          // A correction is not counted as sent (NoReportSent watches the week's own report): its
          // own line, so a week mailed partial shows when it was corrected.
          daily(instance, REPORT_METRICS.correctionSent, 'corrections sent'),
          // Which instance the stack's one ReportCorrectionStuck alarm is about.
          daily(instance, REPORT_METRICS.correctionStuck, 'corrections blocked'),
        ]),
        period: Duration.days(1),
        statistic: 'Sum',
        width: 12,
      }),
      new CompactGraphWidget({
        title: 'Weekly report: Athena bytes scanned, function errors (per day)',
        left: report.instances.map((instance) => daily(instance, REPORT_METRICS.bytesScanned, 'scanned')),
        right: [report.fn.metricErrors({ statistic: 'Sum', period: Duration.days(1) })],
        period: Duration.days(1),
        statistic: 'Sum',
        width: 12,
      }),
    );
  }

  private addInstanceWidgets(instance: string, fn: lambda.IFunction, lagAlarmHours: number): void {
    const sum = (name: string) => instanceMetric(this, instance, name, 'Sum', Duration.minutes(15));
    // What the Lag alarm reads (Minimum per period): a Maximum drew a run's slow report over the
    // threshold while the alarm rightly stayed OK (review R-SRE L1).
    const lagPeriod = Duration.minutes(LAG_PERIOD_MINUTES);
    const lagHours = new cloudwatch.MathExpression({
      expression: 'lag / 3600',
      usingMetrics: {
        lag: instanceMetric(this, instance, HANDLER_METRICS.lagSeconds, 'Minimum', lagPeriod),
      },
      label: 'lag (hours, least of each 30 min)',
      period: lagPeriod,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `### Instance \`${instance}\``, width: 24, height: 1 }),
      new CompactGraphWidget({
        title: `${instance}: events and windows`,
        left: [sum(INGEST_METRICS.eventsWritten)],
        // The later pulls among the windows, and those given up (docs/operations.md, later pulls).
        right: [
          sum(INGEST_METRICS.windowsCompleted),
          sum(INGEST_METRICS.windowsFailed),
          sum(INGEST_METRICS.laterPullsDone),
          sum(INGEST_METRICS.laterPullsGivenUp),
        ],
        ...EVERY_15_MINUTES,
      }),
      new cloudwatch.GraphWidget({
        title: `${instance}: lag (hours)`,
        left: [lagHours],
        leftAnnotations: [{ value: lagAlarmHours, label: `Lag alarm over ${lagAlarmHours} h` }],
        width: 6,
      }),
      new CompactGraphWidget({
        title: `${instance}: data quality`,
        left: [
          sum(INGEST_METRICS.lateEvents),
          sum(INGEST_METRICS.quarantined),
          sum(INGEST_METRICS.outOfWindow),
          sum(INGEST_METRICS.eventsUnplaced),
        ],
        // How late the latest late event was: which instance raised LateEventsNearLookback.
        right: [
          instanceMetric(
            this,
            instance,
            HANDLER_METRICS.lateEventDelaySeconds,
            'Maximum',
            Duration.minutes(15),
          ),
        ],
        ...EVERY_15_MINUTES,
      }),
      new CompactGraphWidget({
        title: `${instance}: Domo API and function`,
        left: [sum(INGEST_METRICS.apiRequests), sum(INGEST_METRICS.apiRetries)],
        right: [fn.metricErrors({ statistic: 'Sum' }), fn.metricThrottles({ statistic: 'Sum' })],
        ...EVERY_15_MINUTES,
      }),
    );
  }
}
