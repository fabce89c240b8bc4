import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { Monitoring, NO_PROGRESS_RUNS, RUNBOOK } from '../../infra/constructs/monitoring.ts';
import { configWith, newTestApp, SHIPPED_CONFIG, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The alarms named NoProgress of a stack holding only the monitoring of `instances`. */
function noProgressAlarms(instances: string[]) {
  const config = configWith({
    ingest: { ...(SHIPPED_CONFIG.ingest as object) },
    alarms: { email: 'ops@acme-co.com', noSuccessfulRunHours: 24 },
  });
  const stack = new Stack(newTestApp(), 'Stuck', { env: TEST_ENV });
  new Monitoring(stack, 'Monitoring', {
    alarms: config.alarms,
    lagReportGapMinutes: 30,
    ingest: { settleMinutes: 15, lookbackHours: 2 },
    instances: instances.map((instanceName) => ({
      instanceName,
      fn: lambda.Function.fromFunctionName(stack, `Fn-${instanceName}`, `ingest-${instanceName}`),
    })),
    failureQueue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:failed'),
    dashboardName: 'Stuck',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const found = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', {
    Properties: { AlarmName: 'Stuck-NoProgress' },
  });
  return Object.values(found).map((alarm) => alarm.Properties as Record<string, unknown>);
}

describe('the NoProgress alarm (review R-ONCALL M4)', () => {
  it("fires on two runs of an hour, of the stack's instances, that end without moving their watermark", () => {
    const alarms = noProgressAlarms(['acme', 'beta']);
    // One for the stack, not one an instance: the largest config has no resource to spare.
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0] as Record<string, unknown>;
    expect(alarm).toMatchObject({
      Threshold: NO_PROGRESS_RUNS,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(NO_PROGRESS_RUNS).toBe(2);
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT SUM(${INGEST_METRICS.runsWithoutProgress}) FROM SCHEMA(${METRIC_NAMESPACE}, instance, service, stack) WHERE stack = 'Stuck'`,
        Period: 3600,
      }),
    ]);
    expect(alarm.AlarmDescription).toContain(`docs/operations.md "${RUNBOOK.noProgress}"`);
  });

  it('is not made for a stack without instances', () => {
    expect(noProgressAlarms([])).toHaveLength(0);
  });
});
