import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import {
  Monitoring,
  NO_REPORT_SENT_OMITTED,
  noReportSentProblem,
  REPORT_PAST_MIDNIGHT,
  reportPastMidnightProblem,
} from '../../infra/constructs/monitoring.ts';
import { configWith, DEPLOYABLE_CONFIG, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** A stack holding only the monitoring of the report of two instances on `schedule`, its year field read from `fromYear`. */
function monitoringOn(
  schedule: string,
  fromYear = 2026,
  report: { instances: string[]; timeoutMinutes: number } = {
    instances: ['acme', 'beta'],
    timeoutMinutes: 5,
  },
): Stack {
  const stack = new Stack(newTestApp(), 'Heartbeat', { env: TEST_ENV });
  const fn = (id: string) => lambda.Function.fromFunctionName(stack, id, id);
  new Monitoring(stack, 'Monitoring', {
    alarms: configWith({ alarms: { email: 'ops@acme-co.com' } }).alarms,
    lagReportGapMinutes: 25,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: [{ instanceName: 'acme', fn: fn('ingest-acme') }],
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Heartbeat',
    removalPolicy: RemovalPolicy.DESTROY,
    report: { fn: fn('report'), ...report, timeZone: 'Europe/Zurich', schedule, fromYear },
  });
  return stack;
}

/** The evaluation periods of each NoReportSent alarm of the stack. */
const noReportSentPeriods = (stack: Stack): unknown[] =>
  Object.values(
    Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: REPORT_METRICS.sent },
    }),
  ).map((alarm) => alarm.Properties.EvaluationPeriods);

/** The synth warnings that the NoReportSent alarms are left out. */
const omittedWarnings = (stack: Stack): string[] =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(NO_REPORT_SENT_OMITTED))
    .map((warning) => String(warning.entry.data));

const MONTHLY = 'cron(0 7 1 * ? *)';

describe('the NoReportSent alarm follows report.schedule', () => {
  // However often the schedule fires, a week is mailed once: on its first run of the next week.
  it('watches 7 whole days for a schedule firing every day, as for the weekly default', () => {
    expect(noReportSentPeriods(monitoringOn('cron(0 7 * * ? *)'))).toEqual([7, 7]);
    expect(noReportSentPeriods(monitoringOn('cron(0 7 ? * MON *)'))).toEqual([7, 7]);
  });

  it('warns of nothing for a schedule it can watch', () => {
    expect(omittedWarnings(monitoringOn('cron(30 8 ? * MON-FRI *)'))).toEqual([]);
  });

  it('is left out for a schedule whose reports can be more than 7 days apart', () => {
    expect(noReportSentPeriods(monitoringOn(MONTHLY))).toEqual([]);
    expect(noReportSentPeriods(monitoringOn('cron(0 7 ? * MON#1 *)'))).toEqual([]);
  });

  it('says so at synth: the schedule, why, the alarms left out and the fix', () => {
    expect(omittedWarnings(monitoringOn(MONTHLY))).toEqual([
      expect.stringMatching(
        /^report\.schedule "cron\(0 7 1 \* \? \*\)" does not fire in every week.*more than the 7 whole days a CloudWatch alarm can look back over, so the alarm that no report was mailed is left out \(acme-NoReportSent, beta-NoReportSent\); ReportErrors still alarms on a failed run\. To have it, fire on the same weekdays every week, e\.g\. the default "cron\(0 7 \? \* MON \*\)"/,
      ),
    ]);
  });

  it('names how far apart the reports go where the first day of a week shifts', () => {
    expect(omittedWarnings(monitoringOn('cron(0 7 */2 * ? *)'))).toEqual([
      expect.stringContaining('mails the weekly reports up to 8 days apart'),
    ]);
  });

  it('keeps the report error alarm where NoReportSent is left out', () => {
    Template.fromStack(monitoringOn(MONTHLY)).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Heartbeat-ReportErrors',
    });
  });
});

// The alarm read a year field from this year (thisYear()) while the config's checks read it from
// their pinned "now": a pinned now gave two readings of one schedule. Both now read its year.
describe("the year NoReportSent reads report.schedule's year field from", () => {
  const SINCE_2030 = 'cron(0 7 ? * MON 2030-2199)';

  it('is the one it is given, not this year', () => {
    expect(noReportSentProblem(SINCE_2030, ['acme'], 2030)).toBeUndefined();
    expect(noReportSentProblem(SINCE_2030, ['acme'], 2029)).toMatch(/does not fire in every week/);
    expect(noReportSentPeriods(monitoringOn(SINCE_2030, 2030))).toEqual([7, 7]);
  });

  it('is the year of the "now" the app validated the config on', () => {
    const app = newTestApp();
    app.node.setContext('activityLake', {
      ...DEPLOYABLE_CONFIG,
      report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'], schedule: SINCE_2030 },
    });
    const stack = defineActivityLakeApp(app, new Date('2030-06-03T12:00:00Z'));
    expect(noReportSentPeriods(stack)).toEqual([7]);
    expect(omittedWarnings(stack)).toEqual([]);
  });
});

// review deploy second look L5: the instances' reports run one at a time after the schedule, so
// with many of them a late schedule mails the last after midnight, and the alarm, counting whole
// days, fires for the day the schedule fired on.
describe('the NoReportSent alarm and reports mailed after midnight', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => `i${i + 1}`);
  const pastMidnight = (stack: Stack): string[] =>
    Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp(REPORT_PAST_MIDNIGHT))
      .map((warning) => String(warning.entry.data));

  it('warns at synth when the last report can end after midnight, naming the latest time that fits', () => {
    const warnings = pastMidnight(
      monitoringOn('cron(0 22 ? * SUN *)', 2026, { instances: twenty, timeoutMinutes: 5 }),
    );
    expect(warnings).toEqual([
      expect.stringContaining(
        'report.schedule "cron(0 22 ? * SUN *)" fires at 22:00, and its 20 instances\' reports run one at a time after it: if each ran to its timeout (5 minutes, then up to 5 until Lambda starts the next), the last would be mailed up to 200 minutes later, after midnight',
      ),
    ]);
    expect(warnings[0]).toContain('fire by 20:39 at the latest');
    // The alarms stay: one false alarm a day is better than none when reports stop.
    expect(
      noReportSentPeriods(
        monitoringOn('cron(0 22 ? * SUN *)', 2026, { instances: twenty, timeoutMinutes: 5 }),
      ),
    ).toHaveLength(20);
  });

  it('reads the first firing of the week: the time that mails the week', () => {
    expect(reportPastMidnightProblem('cron(0 7 ? * MON *)', twenty, 15)).toBeUndefined();
    expect(reportPastMidnightProblem('cron(39 20 ? * SUN *)', twenty, 5)).toBeUndefined();
    expect(reportPastMidnightProblem('cron(40 20 ? * SUN *)', twenty, 5)).toMatch(/fire by 20:39/);
    // Later firings the same day skip the week already mailed: the earliest time is what counts.
    expect(reportPastMidnightProblem('cron(0 7,22 ? * SUN *)', twenty, 5)).toBeUndefined();
    expect(reportPastMidnightProblem('rate(7 days)', twenty, 5)).toBeUndefined();
  });

  it('warns of nothing for the default schedule and a few instances', () => {
    expect(pastMidnight(monitoringOn('cron(0 7 ? * MON *)'))).toEqual([]);
  });
});
