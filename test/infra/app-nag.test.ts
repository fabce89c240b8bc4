import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import {
  DEPLOYABLE_CONFIG,
  logicalIdOf,
  newTestApp,
  SHIPPED_CONFIG,
  SHIPPED_CONTEXT,
  TEST_NOW,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const appWith = (activityLake: Record<string, unknown>) => {
  const app = newTestApp();
  app.node.setContext('activityLake', activityLake);
  return app;
};

describe('the whole app under cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding: shipped config plus imported secrets (one under a customer managed key), email and the weekly report with a created SES domain', () => {
    const app = appWith({
      ...DEPLOYABLE_CONFIG,
      stackName: 'AuditLake',
      athena: { databaseName: 'audit_lake', workGroupName: 'audit-lake' },
      instances: [
        { name: 'main' },
        { name: 'beta', secret: 'domo/beta' },
        {
          name: 'gamma',
          secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/gamma-AbCdEf',
          secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      ],
      alarms: { email: 'ops@acme-co.com' },
      report: {
        enabled: true,
        sender: 'reports@acme-co.com',
        recipients: ['sec@acme-co.com', 'audit@acme-co.org'],
        sesIdentity: 'acme-co.com',
        createSesIdentity: true,
      },
    });
    const stack = defineActivityLakeApp(app, TEST_NOW);
    expect(() => app.synth()).not.toThrow();
    // The report really is part of what was checked.
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 5);
    // A second stack for more instances needs its own name (config: stackName).
    expect(stack.stackName).toBe('AuditLake');
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'AuditLake/domo/main' });
    // The outputs the README's deploy steps name: the secret to put the Domo client into, per instance.
    const outputs = template.toJSON().Outputs;
    expect(outputs.mainSecretId.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', '/Ingest-main/'),
    });
    expect(outputs.betaSecretId.Value).toBe('domo/beta');
    expect(outputs.gammaIngestFunction.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::Lambda::Function', '/Ingest-gamma/Ingest/Function/'),
    });
  });

  it('fails synthesis on a finding nobody acknowledged (the checks are really wired in)', () => {
    const app = appWith(DEPLOYABLE_CONFIG);
    const stack = defineActivityLakeApp(app, TEST_NOW);
    new s3.Bucket(stack, 'Unlogged', { enforceSSL: true });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('stops with the list of fixes when the config is invalid', () => {
    const app = appWith({ ...DEPLOYABLE_CONFIG, instances: [{ name: 'Bad Name' }] });
    expect(() => defineActivityLakeApp(app, TEST_NOW)).toThrow(ConfigError);
    // A partial secret ARN stops here too, instead of as a stack trace from inside CDK.
    const partial = appWith({
      ...DEPLOYABLE_CONFIG,
      instances: [{ name: 'acme', secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme' }],
    });
    expect(() => defineActivityLakeApp(partial, TEST_NOW)).toThrow(ConfigError);
    // A section under a near-miss name is named, not reported as absent.
    const misnamed = new App({ context: { activitylake: DEPLOYABLE_CONFIG } });
    expect(() => defineActivityLakeApp(misnamed, TEST_NOW)).toThrow(
      'activityLake: missing; "context" in cdk.json has "activitylake" (did you mean "activityLake"?): rename it',
    );
    expect(SHIPPED_CONTEXT['@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy']).toBe(true);
  });

  it('stops on a -c that meant to set a key inside activityLake (review R-OP2 L5)', () => {
    // `cdk synth -c activityLake.alarms.email=…` adds a context key of that name beside the object.
    const app = new App({
      context: { activityLake: DEPLOYABLE_CONFIG, 'activityLake.alarms.email': 'ops@acme-co.com' },
    });
    expect(() => defineActivityLakeApp(app, TEST_NOW)).toThrow(ConfigError);
    expect(() => defineActivityLakeApp(app, TEST_NOW)).toThrow(
      `activityLake.alarms.email: cdk's -c sets a context key named "activityLake.alarms.email", which this app does not read; edit "activityLake" in cdk.json: cdk's -c passes text, never an object or a key inside one`,
    );
    // Other spellings, and the whole section as the text -c gives (review R-MINE4 M1, L4).
    const spelled = new App({
      context: { activityLake: DEPLOYABLE_CONFIG, 'ActivityLake.alarms.lagHours': '5', activitylake: 'x' },
    });
    expect(() => defineActivityLakeApp(spelled, TEST_NOW)).toThrow(
      /ActivityLake\.alarms\.lagHours: cdk's -c sets/,
    );
    expect(() => defineActivityLakeApp(spelled, TEST_NOW)).toThrow(
      /activitylake: "activityLake" spelled differently, which this app does not read/,
    );
    // A key of the section given alone: a second stack tried this way deployed over the first (R-FIRST M4).
    const second = new App({
      context: { activityLake: DEPLOYABLE_CONFIG, stackName: 'Second', Athena: '{}' },
    });
    // Or a key a misplaced brace left beside the section in cdk.json: -c is not the only source (R-CONFIG2 L1).
    expect(() => defineActivityLakeApp(second, TEST_NOW)).toThrow(
      `stackName: a context key named "stackName" beside "activityLake" (from cdk.json's "context" or -c), which this app does not read (it reads activityLake.stackName): move it inside "activityLake" in cdk.json`,
    );
    expect(() => defineActivityLakeApp(second, TEST_NOW)).toThrow(
      /Athena: .*\(it reads activityLake\.athena\)/,
    );
    // A path into the section, in any case: the report was not deployed, silently (R-CONFIG2 M1).
    const paths = new App({
      context: {
        activityLake: DEPLOYABLE_CONFIG,
        'report.enabled': 'true',
        'Report.Enabled': 'true',
        'athena.databaseName': 'second_db',
      },
    });
    expect(() => defineActivityLakeApp(paths, TEST_NOW)).toThrow(
      `report.enabled: cdk's -c sets a context key named "report.enabled" beside "activityLake", which this app does not read (it reads activityLake.report.enabled in cdk.json); edit "activityLake" in cdk.json`,
    );
    expect(() => defineActivityLakeApp(paths, TEST_NOW)).toThrow(
      /Report\.Enabled: .*\(it reads activityLake\.report\.enabled in cdk\.json\)/,
    );
    expect(() => defineActivityLakeApp(paths, TEST_NOW)).toThrow(/athena\.databaseName: cdk's -c sets/);
    // Named before the section's own problems: not "alarms.email: is required" for the key -c set.
    const unset = new App({
      context: { activityLake: SHIPPED_CONFIG, 'alarms.email': 'ops@acme-co.com' },
    });
    const problems = (() => {
      try {
        defineActivityLakeApp(unset, TEST_NOW);
      } catch (error) {
        return (error as ConfigError).problems;
      }
    })();
    expect(problems).toEqual([expect.stringMatching(/^alarms\.email: cdk's -c sets a context key named/)]);
    const text = new App({ context: { activityLake: JSON.stringify(DEPLOYABLE_CONFIG) } });
    expect(() => defineActivityLakeApp(text, TEST_NOW)).toThrow(
      `activityLake: is text, as cdk's -c gives it; edit "activityLake" in cdk.json`,
    );
  });
});
