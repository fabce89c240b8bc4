import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { logicalIdOf, SHIPPED_CONFIG, sharedSynth, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Alarm = { Properties: Record<string, unknown> };

const scanAlarms = (template: ReturnType<typeof synthStack>['template']) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>).filter(
    (alarm) => alarm.Properties.AlarmName === 'Test-AthenaDailyScan',
  );

// review R-COST MEDIUM-1: the workgroup cut off one query at 10 GiB, but nothing watched how many
// ran: saved queries or a BI tool pointed at it could scan any amount a day unseen.
describe("the alarm on the Athena workgroup's daily scan", () => {
  it('is in the smallest stack, the shipped config, at 100 GiB a day to the alarm topic', () => {
    const { template } = sharedSynth();
    const [alarm] = scanAlarms(template);
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    const workGroup = (SHIPPED_CONFIG.athena as { workGroupName: string }).workGroupName;
    expect(alarm?.Properties).toMatchObject({
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    const metrics = alarm?.Properties.Metrics as {
      Expression?: string;
      MetricStat?: {
        Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] };
        Period: number;
      };
    }[];
    const stats = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    // Every state a query is billed in: the cutoff cancels a query after it scanned 10 GiB.
    expect(
      stats
        .map((s) => Object.fromEntries(s.Metric.Dimensions.map((d) => [d.Name, d.Value])).QueryState)
        .sort(),
    ).toEqual(['CANCELED', 'FAILED', 'SUCCEEDED']);
    for (const stat of stats) {
      expect(stat.Metric.MetricName).toBe('ProcessedBytes');
      expect(stat.Metric.Dimensions).toContainEqual({ Name: 'WorkGroup', Value: workGroup });
      expect(stat.Period).toBe(86_400);
    }
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/FILL\(succeeded, 0\).*\/ 1073741824$/);
  });

  it('takes its threshold from athena.dailyScanAlarmGb, and is left out with null', () => {
    const athena = SHIPPED_CONFIG.athena as Record<string, unknown>;
    const set = synthStack({ athena: { ...athena, dailyScanAlarmGb: 40 } });
    expect(scanAlarms(set.template)[0]?.Properties.Threshold).toBe(40);
    expect(String(scanAlarms(set.template)[0]?.Properties.AlarmDescription)).toContain('more than 40 GiB');
    const off = synthStack({ athena: { ...athena, dailyScanAlarmGb: null } });
    expect(scanAlarms(off.template)).toEqual([]);
  });
});
