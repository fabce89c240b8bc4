import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { SecurityAlerts } from '../../infra/constructs/alerts.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const ALERTS = { enabled: true, email: ['soc@acme-co.com'] };

/** The alerts function's MemorySize, from cdk.json's `alerts` section, in a stack of the alerts alone. */
function alertsMemorySize(alerts: Record<string, unknown>): unknown {
  const config = configWith({ instances: [{ name: 'acme' }], alerts });
  const stack = new Stack(newTestApp(), 'AlertsOnly', { env: TEST_ENV });
  const databaseName = 'lake';
  new SecurityAlerts(stack, 'Alerts', {
    alerts: config.alerts,
    timeZone: config.report.timeZone,
    lookbackHours: config.ingest.lookbackHours,
    instances: ['acme'],
    lakeBucket: new s3.Bucket(stack, 'Lake'),
    lakeRootUri: 's3://lake/',
    catalog: {
      databaseName,
      database: new glue.CfnDatabase(stack, 'Database', {
        catalogId: stack.account,
        databaseInput: { name: databaseName },
      }),
      workGroup: new athena.CfnWorkGroup(stack, 'WorkGroup', { name: 'lake' }),
    },
    startDate: config.lakeStartDate,
    failureQueue: new sqs.Queue(stack, 'Failures'),
    logRetention: 90 as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  return functions[0]?.Properties.MemorySize;
}

describe('alerts.memoryMb', () => {
  it('is 512 MB unless set', () => {
    expect(alertsMemorySize(ALERTS)).toBe(512);
  });

  // Lambda's smallest and largest sizes, and one between.
  it.each([128, 2048, 10240])('gives the alerts function %i MB when set to it', (memoryMb) => {
    expect(alertsMemorySize({ ...ALERTS, memoryMb })).toBe(memoryMb);
  });

  it.each([127, 10241, 1024.5, '1024'])('refuses %j with what Lambda takes', (memoryMb) => {
    const parse = () => configWith({ alerts: { ...ALERTS, memoryMb } });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      /activityLake\.alerts\.memoryMb: must be a whole number from 128 to 10240, for example 512/,
    );
  });
});
