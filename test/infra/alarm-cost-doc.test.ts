import { readFileSync } from 'node:fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// review deployed-path L1: the cost row said 5 alarms per instance and 1 for the stack ($0.70 for
// one instance) where the template had 6 and 5; it is now checked against the template.
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const costRow = OPERATIONS.split('\n').find((line) => line.startsWith('| CloudWatch alarms')) ?? '';
// review R-FINOPS H1: the totals under the table kept older alarm figures than the row's.
const inAll = (
  OPERATIONS.split('\n\n').find((paragraph) => paragraph.startsWith('**In all**')) ?? ''
).replace(/\s+/g, ' ');

/** CloudWatch bills an alarm $0.10 a month per metric it reads. */
const PER_METRIC_USD = 0.1;

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };
const ALERTS = { enabled: true, allowNoSubscriber: true };
const FEATURES = {
  ingest: {},
  report: { report: REPORT },
  alerts: { alerts: ALERTS },
  both: { report: REPORT, alerts: ALERTS },
} as const;

interface AlarmProperties {
  AlarmName: string;
  MetricName?: string;
  Metrics?: { MetricStat?: unknown; Expression?: string }[];
}

/** The stack of one instance with `features`: its alarms per instance and for the stack, and the metrics they read. */
function alarmsOf(features: Record<string, unknown>) {
  const { template } = sharedSynth({ ...features, instances: [{ name: 'acme' }] });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (resource) => resource.Properties as AlarmProperties,
  );
  // A metric alarm reads its one metric; a metric-math alarm each metric of its math; a Metrics
  // Insights alarm (its query is the expression) is billed per metric it analyzes: here one.
  const metrics = (alarm: AlarmProperties) =>
    alarm.MetricName !== undefined
      ? 1
      : (alarm.Metrics ?? []).filter((m) => m.MetricStat !== undefined || /^SELECT /.test(m.Expression ?? ''))
          .length;
  const ofInstance = alarms.filter((alarm) => alarm.AlarmName.startsWith('Test-acme-'));
  const insights = alarms.filter((alarm) => alarm.Metrics?.some((m) => /^SELECT /.test(m.Expression ?? '')));
  const sum = (list: AlarmProperties[]) => list.reduce((total, alarm) => total + metrics(alarm), 0);
  return {
    perInstance: ofInstance.length,
    shared: alarms.length - ofInstance.length,
    usd: sum(alarms) * PER_METRIC_USD,
    // A further instance: its own alarms' metrics, and one more for each Metrics Insights alarm.
    furtherUsd: (sum(ofInstance) + insights.length) * PER_METRIC_USD,
  };
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;

describe('the alarm row of the cost notes (docs/operations.md) matches the template', () => {
  const counted = Object.fromEntries(
    Object.entries(FEATURES).map(([name, features]) => [name, alarmsOf(features)]),
  ) as Record<keyof typeof FEATURES, ReturnType<typeof alarmsOf>>;
  const { ingest, report, alerts, both } = counted;

  it('counts the alarms per instance and for the stack, by feature', () => {
    expect(costRow).toContain(
      `${ingest.perInstance} per instance (+${report.perInstance - ingest.perInstance} with the weekly report, +${alerts.perInstance - ingest.perInstance} with alerts) and ${ingest.shared} for the stack (+${report.shared - ingest.shared} with the report, +${alerts.shared - ingest.shared} with alerts)`,
    );
    // The features' alarms add up: none is made only when both are on.
    expect(both.perInstance - ingest.perInstance).toBe(
      report.perInstance - ingest.perInstance + alerts.perInstance - ingest.perInstance,
    );
  });

  it('prices one instance by the metrics its alarms read', () => {
    expect(costRow).toContain(
      `${dollars(ingest.usd)} for one instance; ${dollars(report.usd)} with the report, ${dollars(alerts.usd)} with alerts, ${dollars(both.usd)} with both; each further instance ${dollars(ingest.furtherUsd)} more (${dollars(report.furtherUsd)} with the report, ${dollars(alerts.furtherUsd)} with alerts, ${dollars(both.furtherUsd)} with both)`,
    );
  });

  it('gives the totals under the table the same alarm figures', () => {
    expect(inAll).toContain(`alarms ${dollars(ingest.usd)}`);
    expect(inAll).toContain(`alarms ${dollars(both.usd)}`);
    expect(inAll).toContain(`${dollars(ingest.furtherUsd)} of alarms`);
    expect(inAll).toContain(`${dollars(both.furtherUsd)} of alarms`);
  });
});
