import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_ENV, readReportEnv } from '../../functions/report/config.ts';
import {
  actionsOf,
  cfnText,
  logicalIdOf,
  resourcesOf,
  sharedSynth,
  statementsOfRole,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };

/** The report function's environment and the topics its role may list the subscriptions of. */
function reportView(overrides: Record<string, unknown>) {
  const { template } = sharedSynth({ instances: [{ name: 'acme' }], report: REPORT, ...overrides });
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', '/WeeklyReport/Report/Function/');
  const variables = template.toJSON().Resources[fnId].Properties.Environment.Variables;
  const listing = statementsOfRole(template, '/WeeklyReport/Report/Role/').filter((s) =>
    actionsOf(s).some((action) => action.startsWith('sns:')),
  );
  const topic = (path: string) => ({ Ref: logicalIdOf(template, 'AWS::SNS::Topic', path) });
  return { template, variables, listing, topic };
}

describe('the weekly report checks that the alarm and alerts topics reach someone', () => {
  it('is given the alarm topic and the alerts topic (their only channel), and may list only their subscriptions', () => {
    const { variables, listing, topic } = reportView({
      alerts: { enabled: true, email: ['soc@acme-co.com'] },
    });
    const alarms = topic('/Monitoring/Alarms/');
    const alerts = topic('/Alerts/Topic/');
    expect(variables[REPORT_ENV.alarmTopicArn]).toEqual(alarms);
    expect(variables[REPORT_ENV.alertsTopicArn]).toEqual(alerts);
    expect(listing.map((s) => [s.Effect, actionsOf(s)])).toEqual([
      ['Allow', ['sns:ListSubscriptionsByTopic']],
    ]);
    expect(listing.flatMap(resourcesOf).map(cfnText).sort()).toEqual([alarms, alerts].map(cfnText).sort());
    const config = readReportEnv({
      ...variables,
      [REPORT_ENV.bucket]: 'lake',
      [REPORT_ENV.configurationSet]: 'set',
      [REPORT_ENV.alarmTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alarms',
      [REPORT_ENV.alertsTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    });
    expect(config.alarmTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:alarms');
  });

  it('leaves the alerts topic out when the alerts are mailed too, and out without alerts', () => {
    for (const alerts of [
      { enabled: true, sender: 'alerts@acme-co.com', recipients: ['sec@acme-co.com'] },
      { enabled: false },
    ]) {
      const { variables, listing, topic } = reportView({ alerts });
      expect(variables[REPORT_ENV.alertsTopicArn]).toBe('');
      expect(listing.flatMap((s) => resourcesOf(s).map(cfnText))).toEqual([
        cfnText(topic('/Monitoring/Alarms/')),
      ]);
    }
  });
});
