import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmName } from './alarm-name.ts';

/** The heading of the alarm's section in docs/operations.md, which its description quotes. */
const ATHENA_SCAN_RUNBOOK =
  'AthenaDailyScan: the workgroup scanned more than athena.dailyScanAlarmGb in a day';

/**
 * The states a query's bytes are published under: a query the per-query cutoff cancels, or one
 * that fails, is billed for what it scanned too. DDL scans nothing.
 */
const QUERY_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED'] as const;

const GB = 1024 ** 3;

interface AthenaScanAlarmProps {
  workGroupName: string;
  /** The alarm's threshold: gigabytes (GiB) scanned in the workgroup in one UTC day. */
  dailyScanAlarmGb: number;
  alarmTopic: sns.ITopic;
}

/**
 * Alarms when the stack's Athena workgroup scans more than `dailyScanAlarmGb` in a day, all
 * queries together (review R-COST MEDIUM-1): the workgroup's per-query cutoff bounds one query,
 * not how many run (saved queries, a BI tool pointed at the workgroup, a script in a loop). Reads
 * the workgroup's published ProcessedBytes (PublishCloudWatchMetricsEnabled), one metric per query
 * state, summed.
 */
export class AthenaScanAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AthenaScanAlarmProps) {
    super(scope, id);
    const bytes = (state: (typeof QUERY_STATES)[number]) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Athena',
        metricName: 'ProcessedBytes',
        dimensionsMap: { WorkGroup: props.workGroupName, QueryType: 'DML', QueryState: state },
        statistic: 'Sum',
        period: Duration.days(1),
      });
    const usingMetrics = Object.fromEntries(QUERY_STATES.map((state) => [state.toLowerCase(), bytes(state)]));
    const total = new cloudwatch.MathExpression({
      // A state with no query that day publishes nothing: FILL keeps the sum of the others.
      expression: `(${Object.keys(usingMetrics)
        .map((name) => `FILL(${name}, 0)`)
        .join(' + ')}) / ${GB}`,
      usingMetrics,
      label: 'GiB scanned',
      period: Duration.days(1),
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: alarmName(this, 'AthenaDailyScan'),
      alarmDescription: `The Athena workgroup ${props.workGroupName} scanned more than ${props.dailyScanAlarmGb} GiB in one day (ProcessedBytes of its queries, all states), about $${((props.dailyScanAlarmGb * 5) / 1024).toFixed(2)} at $5 per TB, more with S3 retrieval fees on data older than 90 days. See docs/operations.md "${ATHENA_SCAN_RUNBOOK}".`,
      metric: total,
      threshold: props.dailyScanAlarmGb,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(props.alarmTopic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}
