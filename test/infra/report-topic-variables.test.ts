import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REPORT_ENV } from '../../functions/report/config.ts';
import { enabledReport } from '../../infra/config.ts';
import { WeeklyReport } from '../../infra/constructs/weekly-report.ts';
import { configWith, logicalIdOf, newTestApp, synthStack, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };
const TOPIC_KEYS = [REPORT_ENV.alarmTopicArn, REPORT_ENV.alertsTopicArn];

/**
 * Runs `build` (which synthesizes) and returns, for each topic variable, the values written to it
 * on any function: a variable written in two places shows here twice, the later one winning.
 */
function writesDuring(build: () => void): Record<string, unknown[]> {
  const writes: Record<string, unknown[]> = Object.fromEntries(TOPIC_KEYS.map((key) => [key, []]));
  const spy = vi.spyOn(lambda.Function.prototype, 'addEnvironment');
  try {
    build();
    for (const [key, value] of spy.mock.calls) writes[key]?.push(value);
  } finally {
    spy.mockRestore();
  }
  return writes;
}

const variablesOf = (template: Template, path: string) => {
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', path);
  return template.toJSON().Resources[fnId].Properties.Environment.Variables as Record<string, unknown>;
};

describe('the report function has each topic ARN from one place', () => {
  it('in the stack: each variable written once, holding its topic (or empty without one)', () => {
    for (const [alerts, alertsTopic] of [
      [{ enabled: true, email: ['soc@acme-co.com'] }, true],
      [{ enabled: true, sender: 'alerts@acme-co.com', recipients: ['sec@acme-co.com'] }, false],
      [{ enabled: false }, false],
    ] as const) {
      let template: Template | undefined;
      const writes = writesDuring(() => {
        template = synthStack({ instances: [{ name: 'acme' }], report: REPORT, alerts }).template;
      });
      if (!template) throw new Error('no template');
      for (const key of TOPIC_KEYS) expect(writes[key], key).toHaveLength(1);
      const variables = variablesOf(template, '/WeeklyReport/Report/Function/');
      const topic = (path: string) => ({ Ref: logicalIdOf(template as Template, 'AWS::SNS::Topic', path) });
      expect(variables[REPORT_ENV.alarmTopicArn]).toEqual(topic('/Monitoring/Alarms/'));
      expect(variables[REPORT_ENV.alertsTopicArn]).toEqual(alertsTopic ? topic('/Alerts/Topic/') : '');
    }
  });

  /** A stack of the report alone, its topics made before it or after it. */
  function reportStack(topicsFirst: boolean) {
    const report = enabledReport(configWith({ report: REPORT }).report);
    if (!report) throw new Error('the report is not enabled');
    const stack = new Stack(newTestApp(), 'Report', { env: TEST_ENV });
    const topics = () => ({ alarm: new sns.Topic(stack, 'Alarms'), alerts: new sns.Topic(stack, 'Alerts') });
    const early = topicsFirst ? topics() : undefined;
    const weekly = new WeeklyReport(stack, 'WeeklyReport', {
      report,
      instances: ['acme'],
      alertsEnabled: true,
      lakeBucket: new s3.Bucket(stack, 'Lake'),
      resultsBucket: new s3.Bucket(stack, 'Results'),
      resultsPrefix: 'athena/',
      databaseName: 'db',
      workGroupName: 'wg',
      failureQueue: new sqs.Queue(stack, 'Failed'),
      scheduleGroup: new scheduler.ScheduleGroup(stack, 'Schedules'),
      logRetention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const { alarm, alerts } = early ?? topics();
    return { stack, report: weekly, alarm, alerts };
  }

  it('holds the topics it is handed, whichever is made first, the report or the topics', () => {
    for (const topicsFirst of [true, false]) {
      let template: Template | undefined;
      const writes = writesDuring(() => {
        const { stack, report, alarm, alerts } = reportStack(topicsFirst);
        report.watchTopics(alarm, alerts);
        template = Template.fromStack(stack);
      });
      if (!template) throw new Error('no template');
      for (const key of TOPIC_KEYS) expect(writes[key], `${key} ${topicsFirst}`).toHaveLength(1);
      const variables = variablesOf(template, '/WeeklyReport/Report/Function/');
      expect(variables[REPORT_ENV.alarmTopicArn]).toEqual({
        Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Alarms/'),
      });
      expect(variables[REPORT_ENV.alertsTopicArn]).toEqual({
        Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Alerts/'),
      });
    }
  });

  it('refuses to be handed the topics twice, which would list one pair and check another', () => {
    const { report, alarm, alerts } = reportStack(true);
    report.watchTopics(alarm);
    expect(() => report.watchTopics(alarm, alerts)).toThrow(/handed over once/);
  });
});
