import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERY_FEATURE, logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Resources = Record<string, { Properties: Record<string, unknown> }>;
const alarmNamed = (resources: Resources, name: string) =>
  Object.values(resources).find((r) => r.Properties.AlarmName === name)?.Properties;

/** The alarm's DestinationDeliveryFailures metrics, as `{LogicalId}` of the function each watches. */
function watched(alarm: Record<string, unknown> | undefined): string[] {
  const single = alarm?.Dimensions as { Value: { Ref: string } }[] | undefined;
  if (single) {
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'DestinationDeliveryFailures' });
    return single.map((d) => d.Value.Ref);
  }
  const queries = alarm?.Metrics as {
    Id: string;
    Expression?: string;
    MetricStat?: Record<string, unknown>;
  }[];
  const expression = queries.find((q) => q.Expression);
  expect(expression?.Expression).toBe('FILL(m0, 0) + FILL(m1, 0)');
  return queries
    .filter((q) => q.MetricStat)
    .map((q) => {
      expect(q.MetricStat).toMatchObject({
        Metric: { MetricName: 'DestinationDeliveryFailures' },
        Stat: 'Sum',
      });
      const metric = q.MetricStat?.Metric as { Dimensions: { Value: { Ref: string } }[] };
      return metric.Dimensions.map((d) => d.Value.Ref).join();
    });
}

// review-stack F7: a run Lambda could not hand to its on-failure queue (or the ingest's success
// to the alerts function) landed nowhere, and nothing alarmed.
describe('destination delivery failures', () => {
  it('alarm per instance over its ingest and alerts functions, and for the report', () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const resources = template.findResources('AWS::CloudWatch::Alarm') as Resources;
    const ingest = logicalIdOf(template, 'AWS::Lambda::Function', '/Ingest-acme/Ingest/Function/');
    const alerts = logicalIdOf(template, 'AWS::Lambda::Function', '/Alerts/Alerts-acme/Function/');
    const report = logicalIdOf(template, 'AWS::Lambda::Function', '/WeeklyReport/');
    const instanceAlarm = alarmNamed(resources, 'Test-acme-DestinationDeliveryFailures');
    expect(watched(instanceAlarm).sort()).toEqual([ingest, alerts].sort());
    expect(instanceAlarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(watched(alarmNamed(resources, 'Test-ReportDestinationDeliveryFailures'))).toEqual([report]);
  });

  it('watch the ingest alone when the alerts are off', () => {
    const { template } = sharedSynth();
    const resources = template.findResources('AWS::CloudWatch::Alarm') as Resources;
    const ingest = logicalIdOf(template, 'AWS::Lambda::Function', '/Ingest-main/Ingest/Function/');
    expect(watched(alarmNamed(resources, 'Test-main-DestinationDeliveryFailures'))).toEqual([ingest]);
  });
});
