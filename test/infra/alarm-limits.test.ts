import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_CONFIG, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** CloudWatch refuses, at deploy, an alarm period over a day (PutMetricAlarm). */
const MAX_PERIOD_SECONDS = 86_400;
/** ...an alarm whose window (period × evaluation periods) is over 7 days... */
const MAX_WINDOW_SECONDS = 7 * 86_400;
/** ...and, for periods under an hour, a window over a day. */
const MAX_SHORT_PERIOD_WINDOW_SECONDS = 86_400;

const REPORT_ON = {
  enabled: true,
  timeZone: 'Europe/Zurich',
  sender: 'reports@acme-co.com',
  recipients: ['sec@acme-co.com'],
};
const EVERYTHING_ON = {
  instances: [{ name: 'acme' }],
  report: REPORT_ON,
  alerts: { enabled: true, allowNoSubscriber: true },
};

/**
 * The settings that stretch the alarms' windows furthest: the longest noSuccessfulRunHours (the
 * NoSuccessfulRun and NoAlertsEvaluated windows), the slowest schedule it allows (the Lag and
 * Quarantine windows), the highest lagHours.
 */
const LARGEST = {
  ...EVERYTHING_ON,
  // A report after the slowest ingest has pulled the week's last hour (the config's check).
  report: { ...REPORT_ON, schedule: 'cron(0 7 ? * TUE *)' },
  ingest: { ...(SHIPPED_CONFIG.ingest as object), schedule: 'rate(1430 minutes)', timeoutMinutes: 10 },
  alarms: { email: 'ops@acme-co.com', lagHours: 168, noSuccessfulRunHours: 24 },
};

interface AlarmProperties {
  AlarmName: string;
  Period?: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Metrics?: { MetricStat?: { Period: number }; Period?: number }[];
}

/** Each alarm of the stack with the periods it evaluates (its own, or those of its metric math). */
function alarmsOf(overrides: Record<string, unknown>) {
  const { template } = sharedSynth(overrides);
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => {
    const alarm = resource.Properties as AlarmProperties;
    const periods = alarm.Period !== undefined ? [alarm.Period] : [];
    // A Metrics Insights query (LateEventsNearLookback) has its period on the query itself.
    for (const query of alarm.Metrics ?? [])
      if (query.MetricStat) periods.push(query.MetricStat.Period);
      else if (query.Period !== undefined) periods.push(query.Period);
    return { alarm, periods };
  });
}

describe.each([
  ['the largest settings the config allows', LARGEST],
  ['the shipped settings', EVERYTHING_ON],
])('every alarm of the stack, with %s', (_, overrides) => {
  const alarms = alarmsOf(overrides);

  it('is one CloudWatch accepts: periods within a day, windows within 7 days (a day for periods under an hour)', () => {
    const names = alarms.map(({ alarm }) => alarm.AlarmName);
    // The whole stack is walked: report, alerts and each instance's alarms among them.
    for (const name of ['Lag', 'NoSuccessfulRun', 'Quarantine', 'NoReportSent', 'NoAlertsEvaluated'])
      expect(names).toContain(`Test-acme-${name}`);
    for (const { alarm, periods } of alarms) {
      expect(periods.length, alarm.AlarmName).toBeGreaterThan(0);
      for (const period of periods) {
        expect(period === 10 || period === 30 || period % 60 === 0, alarm.AlarmName).toBe(true);
        expect(period, alarm.AlarmName).toBeLessThanOrEqual(MAX_PERIOD_SECONDS);
        const window = period * alarm.EvaluationPeriods;
        expect(window, alarm.AlarmName).toBeLessThanOrEqual(MAX_WINDOW_SECONDS);
        if (period < 3600)
          expect(window, alarm.AlarmName).toBeLessThanOrEqual(MAX_SHORT_PERIOD_WINDOW_SECONDS);
      }
      expect(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods, alarm.AlarmName).toBeLessThanOrEqual(
        alarm.EvaluationPeriods,
      );
    }
  });
});
