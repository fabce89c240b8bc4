import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly, DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV, readAlertsEnv } from '../../functions/alerts/config.ts';
import { ALERT_COLUMNS } from '../../functions/core/alerts/alert.ts';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { alertsLocationTemplate, alertsPrefix, checkpointKey } from '../../functions/core/lake/layout.ts';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/shared/telemetry.ts';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { ALERT_EVENTS_SQL } from '../../infra/constructs/alert-events-sql.ts';
import { AlertsRecipientsLayer } from '../../infra/constructs/alerts-recipients-layer.ts';
import {
  actionsOf,
  cfnText,
  configWith,
  DEPLOYABLE_CONFIG,
  logicalIdOf,
  newTestApp,
  resourcesOf,
  type Synthesized,
  sharedSynth,
  statementsOfRole,
  synthStack,
  TEST_NOW,
} from './synth-helpers.ts';
import { uncheckedApp } from './unchecked-app.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const ALERTS = {
  enabled: true,
  recipients: ['sec@acme-co.com'],
  sender: 'alerts@acme-co.com',
  email: ['soc@acme-co.com'],
  burstFailures: 6,
  sprayUsers: 12,
  exportBurst: 40,
  // The sign-in judging, which the mail's suspicious_logins step gives where not the defaults.
  historyDays: 14,
  minHistoryLogins: 5,
  maxSpeedKmh: 800,
  timeoutMinutes: 7,
};
const INSTANCES = [{ name: 'acme' }, { name: 'beta' }];
const { template, stack } = synthStack({
  instances: INSTANCES,
  // Alerts re-check the hours the ingest re-pulls (its lookback) plus one.
  ingest: { lookbackHours: 4 },
  alerts: ALERTS,
  report: { timeZone: 'Europe/London' },
});

/** The recipients layer of `synthesized`'s stack: its logical id and resource (one for the stack). */
const recipientsLayerOf = ({ template: t }: Synthesized) =>
  Object.entries(t.findResources('AWS::Lambda::LayerVersion'))[0] ?? [];
const [recipientsLayerId] = recipientsLayerOf({ template, stack });

/** The asset directory the synth of `synthesized`'s stack staged the recipients layer in, for the deploy. */
function stagedRecipientsDir(synthesized: Synthesized = { template, stack }): string {
  const assembly = (synthesized.stack.node.root as App).synth();
  const key = String(recipientsLayerOf(synthesized)[1]?.Properties.Content.S3Key);
  return path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}

/** The recipients file of the layer, as staged for the deploy. */
const stagedRecipientsFile = (): string =>
  path.join(stagedRecipientsDir(), path.basename(AlertsRecipientsLayer.file));

describe('security alerts in the CDK app', () => {
  // 2026-12-07: the users each function saw deactivated end at retention.maxDays (user-states.ts).
  it('tell each function retention.maxDays when set, and nothing without it', () => {
    const alertsVars = (t: typeof template) =>
      Object.values(
        t.findResources('AWS::Lambda::Function', {
          Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: Match.anyValue() } } },
        }),
      ).map((r) => r.Properties.Environment.Variables as Record<string, string>);
    const retention = { ...(DEPLOYABLE_CONFIG.retention as object), maxDays: 400 };
    const { template: kept } = sharedSynth({ instances: INSTANCES, alerts: ALERTS, retention });
    expect(alertsVars(kept).map((vars) => vars[ALERTS_ENV.maxDays])).toEqual(['400', '400']);
    expect(alertsVars(template).map((vars) => ALERTS_ENV.maxDays in vars)).toEqual([false, false]);
  });

  it('are off by default: no topic, no function, no table', () => {
    const { template: plain } = sharedSynth({ instances: INSTANCES });
    expect(
      Object.keys(
        plain.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: 'alerts' } } }),
      ),
    ).toEqual([]);
    expect(JSON.stringify(plain.toJSON())).not.toContain('ALERTS_TOPIC_ARN');
  });

  it('one function per instance, started by the ingest after each successful run, with its settings', () => {
    for (const instance of ['acme', 'beta']) {
      const fn = stack.alerts?.functions.get(instance)?.fn;
      expect(fn).toBeDefined();
      const env = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [ALERTS_ENV.instance]: instance } } },
      });
      const [resource] = Object.values(env);
      const vars = resource?.Properties.Environment.Variables as Record<string, unknown>;
      // The layer every alerts function reads its recipients from, as staged for the deploy.
      expect(resource?.Properties.Layers).toEqual([{ Ref: recipientsLayerId }]);
      const config = readAlertsEnv({
        ...(vars as Record<string, string>),
        [ALERTS_ENV.recipientsFile]: stagedRecipientsFile(),
        [ALERTS_ENV.bucket]: 'b',
        [ALERTS_ENV.topicArn]: 'arn:t',
        [ALERTS_ENV.configurationSet]: 'mail-events',
      });
      expect(config.settings).toMatchObject({
        burstFailures: 6,
        sprayUsers: 12,
        exportBurst: 40,
        historyDays: 14,
        minHistoryLogins: 5,
        maxSpeedKmh: 800,
        timeZone: 'Europe/London',
        recheckHours: 5,
      });
      expect(config.recipients).toEqual(['sec@acme-co.com']);
      // The lake's catalog, which the message's queries name (the stack's defaults here).
      expect(config).toMatchObject({ database: 'domo_activity_lake', workGroup: 'domo-activity-lake' });
    }
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: {
        OnSuccess: { Destination: Match.anyValue() },
        OnFailure: { Destination: Match.anyValue() },
      },
    });
    const onSuccess = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
      (r) => r.Properties.DestinationConfig?.OnSuccess,
    );
    expect(onSuccess).toHaveLength(2);
  });

  it("starts each instance's alerts function from its ingest directly: invoke on that function only, no event bus", () => {
    // The stack's only rules are the lake's deletion events (to a log group) and the changes of its
    // guards and functions (to the alarm topic): none starts an alerts function.
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((rule) => rule.Metadata['aws:cdk:path']).sort()).toEqual([
      'Test/LakeDeletions/Rule/Resource',
      'Test/LakeGuardWatch/CatalogRule/Resource',
      'Test/LakeGuardWatch/FunctionsRule0/Resource',
      'Test/LakeGuardWatch/MoreRule/Resource',
      'Test/LakeGuardWatch/Rule/Resource',
    ]);
    for (const [instance, other] of [
      ['acme', 'beta'],
      ['beta', 'acme'],
    ] as const) {
      const alertsFn = logicalIdOf(template, 'AWS::Lambda::Function', `/Alerts/Alerts-${instance}/Function/`);
      const ingestFn = logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${instance}/Ingest/Function/`);
      const [config] = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (r) => r.Properties.FunctionName.Ref === ingestFn,
      );
      expect(config?.Properties.DestinationConfig.OnSuccess).toEqual({
        Destination: { 'Fn::GetAtt': [alertsFn, 'Arn'] },
      });
      const statements = statementsOfRole(template, `/Ingest-${instance}/Ingest/Role/`);
      expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('events:'))).toEqual([]);
      const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
      // The function as Lambda invokes it, not its versions and aliases (":*"), which it has none of.
      expect(invoke.flatMap(resourcesOf).map(cfnText)).toEqual([`{${alertsFn}.Arn}`]);
      expect(JSON.stringify(invoke)).not.toContain(other);
    }
  });

  it('least privilege: reads its instance events, writes only its archive and state, publishes to its topic, mails from its sender', () => {
    const statements = statementsOfRole(template, '/Alerts/Alerts-acme/Role/');
    const grants = statements.flatMap((s) =>
      actionsOf(s).map((a) => `${a} ${resourcesOf(s).map(cfnText).join(' ')}`),
    );
    const text = grants.join('\n');
    expect(text).toMatch(/s3:GetObject .*activity_log\/instance=acme\/\*/);
    expect(grants).toContain(
      's3:PutObject {StorageLake72898626.Arn}/alerts-state/instance=acme/* {StorageLake72898626.Arn}/alerts/instance=acme/*',
    );
    expect(grants).toContain(
      's3:AbortMultipartUpload {StorageLake72898626.Arn}/alerts-state/instance=acme/* {StorageLake72898626.Arn}/alerts/instance=acme/*',
    );
    expect(text).not.toMatch(/s3:PutObject .*activity_log/);
    expect(text).not.toMatch(/s3:AbortMultipartUpload .*activity_log/);
    expect(text).not.toMatch(/instance=beta/);
    expect(text).not.toMatch(/s3:Delete/);
    expect(text).toMatch(/sns:Publish \{.*Topic/);
    expect(text).toMatch(/ses:SendEmail .*identity\/alerts@acme-co.com/);
    const list = statements.filter((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(list.map((s) => s.Condition?.StringLike?.['s3:prefix'])).toEqual([
      [
        'activity_log/instance=acme/*',
        'coverage/instance=acme/*',
        'digest/instance=acme/*',
        'alerts/instance=acme/*',
        'alerts-state/instance=acme/*',
        `${checkpointKey('acme')}*`,
      ],
    ]);
    const mail = statements.filter((s) => actionsOf(s).includes('ses:SendEmail'));
    expect(mail.map((s) => s.Condition)).toEqual([
      {
        StringEqualsIgnoreCase: { 'ses:FromAddress': 'alerts@acme-co.com' },
        'ForAllValues:StringEqualsIgnoreCase': { 'ses:Recipients': ['sec@acme-co.com'] },
      },
    ]);
  });

  it('runs one function at a time per instance, for alerts.timeoutMinutes, retried twice, failures to the queue', () => {
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', '/FailedInvocations/');
    for (const { name } of INSTANCES) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', `/Alerts/Alerts-${name}/Function/`);
      expect(template.toJSON().Resources[id].Properties).toMatchObject({
        ReservedConcurrentExecutions: 1,
        Timeout: 7 * 60,
        MemorySize: 512,
      });
      // A run that failed to deliver keeps its alerts; two retries only shorten the wait for the next ingest.
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    }
  });

  it('the archive is the Glue table alerts with partition projection, plus a saved query', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'alerts',
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.instance.values': 'acme,beta',
        }),
        StorageDescriptor: Match.objectLike({
          Columns: ALERT_COLUMNS.map((c) => ({ Name: c.name, Type: c.glue, Comment: c.comment })),
        }),
      },
    });
    const [alertsTable] = Object.values(
      template.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: 'alerts' } } }),
    );
    const input = alertsTable?.Properties.TableInput;
    const lakeRoot = `s3://{${logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/')}}/`;
    expect(input.Parameters).toMatchObject({
      'projection.dt.range': '2025-01-01,NOW',
      'projection.dt.interval.unit': 'DAYS',
    });
    expect(cfnText(input.Parameters['storage.location.template'])).toBe(alertsLocationTemplate(lakeRoot));
    // The archive the function writes lies inside the table's location.
    const location = cfnText(input.StorageDescriptor.Location);
    expect(`${lakeRoot}${alertsPrefix('acme')}`.startsWith(location)).toBe(true);
    template.hasResourceProperties('AWS::Athena::NamedQuery', { Name: 'recent_security_alerts' });
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      Name: 'alert_events',
      QueryString: ALERT_EVENTS_SQL,
    });
    // Athena refuses every query of a table that has a column twice (HIVE_INVALID_METADATA).
    for (const [id, table] of Object.entries(template.findResources('AWS::Glue::Table'))) {
      const input = table.Properties.TableInput;
      const names = [...input.StorageDescriptor.Columns, ...input.PartitionKeys].map(
        (c: { Name: string }) => c.Name,
      );
      expect(names, `${id} (${input.Name})`).toEqual([...new Set(names)]);
    }
    expect(Object.keys(template.findResources('AWS::Glue::Table'))).toHaveLength(4);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      DisplayName: 'Domo activity security alerts',
    });
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', '/Alerts/Topic/');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // docs/alerts.md tells the operator to subscribe to the topic in this output.
    expect(template.toJSON().Outputs.AlertsTopicArn.Value).toEqual({ Ref: topicId });
    // README and docs/alerts.md invoke the function in this output with {"test":true}.
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const fnOutputs = Object.keys(outputs).filter((key) => key.endsWith('AlertsFunction'));
    expect(fnOutputs.length).toBeGreaterThan(0);
    for (const key of fnOutputs) {
      const fnId = (outputs[key]?.Value as { Ref?: string } | undefined)?.Ref ?? '';
      expect(template.toJSON().Resources[fnId]?.Type).toBe('AWS::Lambda::Function');
    }
  });

  it('alarms when delivery fails and when the function fails', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmDescription),
    );
    expect(alarms.filter((d) => d.includes('could not be delivered'))).toHaveLength(2);
    expect(alarms.filter((d) => d.includes('security-alerts function'))).toHaveLength(2);
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmName),
    );
    for (const { name } of INSTANCES) {
      expect(names).toContain(`Test-${name}-AlertsDeliveryFailed`);
      expect(names).toContain(`Test-${name}-AlertsErrors`);
    }
  });

  it("sends those alarms and their recovery to the operators' alarm topic, not the alerts topic", () => {
    const alarmTopic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      String(a.Properties.AlarmName).includes('-Alerts'),
    );
    expect(alarms).toHaveLength(2 * INSTANCES.length + 1);
    for (const alarm of alarms) {
      expect(alarm.Properties, alarm.Properties.AlarmName).toMatchObject({
        AlarmActions: [alarmTopic],
        OKActions: [alarmTopic],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        Period: 900,
        // Both metrics are published only when something failed: silence is the healthy state.
        TreatMissingData: 'notBreaching',
      });
    }
    for (const { name } of INSTANCES) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `Test-${name}-AlertsDeliveryFailed`,
        Namespace: METRIC_NAMESPACE,
        MetricName: ALERT_METRICS.deliveryFailed,
        Dimensions: [
          { Name: 'instance', Value: name },
          { Name: 'service', Value: SERVICE_NAME },
          { Name: 'stack', Value: 'Test' },
        ],
        Statistic: 'Sum',
      });
    }
  });

  it('alarms when SNS fails to deliver an alert to a subscriber of the alerts topic', () => {
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', '/Alerts/Topic/');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-AlertsNotificationsFailed',
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfNotificationsFailed',
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [topicId, 'TopicName'] } }],
      Statistic: 'Sum',
    });
  });

  it('refuses alerts that would reach nobody: no mail recipient, no subscribed address, no opt-out', () => {
    const problem =
      /alerts\.email: is required when alerts\.enabled is true and alerts\.recipients is empty: the alerts topic would have no subscriber.*set alerts\.allowNoSubscriber to true instead/;
    expect(() => configWith({ alerts: { enabled: true } })).toThrow(problem);
    expect(() => configWith({ alerts: { enabled: true, email: [] } })).toThrow(problem);
    // Off, there is no topic to subscribe.
    expect(configWith({ alerts: { enabled: false } }).alerts.enabled).toBe(false);
    expect(() => configWith({ alerts: { enabled: true, email: 'sec@acme-co.com' } })).toThrow(
      /alerts\.email: must be a list of email addresses such as \["security@<your-domain>"\]/,
    );
  });

  it('refuses an address listed twice, which would stop the synth with a stack trace', () => {
    expect(() =>
      configWith({ alerts: { enabled: true, email: ['sec@acme-co.com', 'SEC@acme-co.com'] } }),
    ).toThrow(/alerts\.email: lists an address twice \(letter case aside\): list each address once/);
  });

  it('subscribes alerts.email to the alerts topic; with allowNoSubscriber only, subscribes none', () => {
    const { template: subscribed } = synthStack({
      instances: [{ name: 'acme' }],
      alerts: { enabled: true, email: ['sec@acme-co.com', 'soc@acme-co.com'] },
    });
    const topic = { Ref: logicalIdOf(subscribed, 'AWS::SNS::Topic', '/Alerts/Topic/') };
    for (const address of ['sec@acme-co.com', 'soc@acme-co.com']) {
      subscribed.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: address,
        TopicArn: topic,
      });
    }
    const { template: outOfBand } = synthStack({
      instances: [{ name: 'acme' }],
      alerts: { enabled: true, allowNoSubscriber: true },
    });
    const alertsTopic = { Ref: logicalIdOf(outOfBand, 'AWS::SNS::Topic', '/Alerts/Topic/') };
    expect(
      Object.values(outOfBand.findResources('AWS::SNS::Subscription')).filter(
        (sub) => JSON.stringify(sub.Properties.TopicArn) === JSON.stringify(alertsTopic),
      ),
    ).toEqual([]);
  });

  it('config mistakes fail synth with the key and the fix', () => {
    expect(() => configWith({ alerts: { enabled: true, recipients: ['a@acme-co.com'] } })).toThrow(
      /alerts\.sender: is required when alerts\.recipients is set/,
    );
    expect(() => configWith({ alerts: { enabled: true, sender: 'alerts@acme-co.com' } })).toThrow(
      /alerts\.recipients: is empty while alerts\.sender \("alerts@acme-co\.com"\) is set: no alert mail would be sent/,
    );
    expect(() => configWith({ alerts: { enabled: true, burstMinutes: 45 } })).toThrow(
      /alerts\.burstMinutes: must be a whole number from 1 to 30/,
    );
    // bulk_export: 0 is off (the default), 1 to 4 would alert on an ordinary pull.
    expect(() => configWith({ alerts: { enabled: true, exportBurst: 3 } })).toThrow(
      /alerts\.exportBurst: must be 0 \(off\) or from 5 to 1000: fewer objects exported in an hour is an ordinary pull/,
    );
    expect(() => configWith({ alerts: { enabled: true, exportBurst: 1001 } })).toThrow(
      /alerts\.exportBurst: must be 0 \(off\) or a whole number from 5 to 1000, for example 50/,
    );
    // The sign-in judging: the ranges the function checks at its start, the report's default as the example.
    expect(() => configWith({ alerts: { enabled: true, historyDays: 91 } })).toThrow(
      /alerts\.historyDays: must be a whole number from 1 to 90, for example 30/,
    );
    expect(() => configWith({ alerts: { enabled: true, minHistoryLogins: 0 } })).toThrow(
      /alerts\.minHistoryLogins: must be a whole number from 1 to 10000, for example 10/,
    );
    expect(() => configWith({ alerts: { enabled: true, maxSpeedKmh: 99.5 } })).toThrow(
      /alerts\.maxSpeedKmh: must be a whole number from 100 to 20000, for example 1000/,
    );
    expect(() =>
      configWith({
        alerts: { enabled: true, sender: 'a@x.com', recipients: ['b@x.com'], sesIdentity: 'y.com' },
      }),
    ).toThrow(ConfigError);
  });

  it('cdk-nag stays clean with alerts and mail on', () => {
    const app = newTestApp();
    app.node.setContext('activityLake', { ...DEPLOYABLE_CONFIG, instances: INSTANCES, alerts: ALERTS });
    defineActivityLakeApp(app, TEST_NOW);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the layer of the alerts recipients', () => {
  it('holds the one file, from a folder of its own removed after synth, not one anyone could make first', () => {
    // Unique to this run: the folders of other synths running beside it hold other lists.
    const address = `layer-${process.pid}-${Date.now()}@acme-co.com`;
    // Where the folder was before: named by the list, which another user of the host could make.
    const digest = createHash('sha256').update(address).digest('hex').slice(0, 16);
    const planted = path.join(tmpdir(), `domo-alerts-recipients-${digest}`);
    mkdirSync(planted, { recursive: true });
    writeFileSync(path.join(planted, 'planted.txt'), 'not a recipient');
    try {
      const synthesized = synthStack({
        instances: [{ name: 'acme' }],
        alerts: { ...ALERTS, recipients: [address] },
      });
      const staged = stagedRecipientsDir(synthesized);
      expect(readdirSync(staged)).toEqual([path.basename(AlertsRecipientsLayer.file)]);
      expect(readFileSync(path.join(staged, path.basename(AlertsRecipientsLayer.file)), 'utf8')).toBe(
        address,
      );
      // The folder it was written in is gone.
      const left = readdirSync(tmpdir())
        .filter((name) => name.startsWith('domo-alerts-recipients-'))
        .map((name) => path.join(tmpdir(), name, path.basename(AlertsRecipientsLayer.file)))
        .filter((file) => existsSync(file) && readFileSync(file, 'utf8') === address);
      expect(left).toEqual([]);
      // Named by its content: the same list is the same asset, so a deploy does not replace the layer.
      const again = synthStack({
        instances: [{ name: 'acme' }],
        alerts: { ...ALERTS, recipients: [address] },
      });
      expect(recipientsLayerOf(again)[1]?.Properties.Content.S3Key).toBe(
        recipientsLayerOf(synthesized)[1]?.Properties.Content.S3Key,
      );
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  });

  it('keeps the folder when CDK does not stage assets (cdk synth --no-staging): the assembly names it', () => {
    const address = `unstaged-${process.pid}-${Date.now()}@acme-co.com`;
    const app = uncheckedApp({ context: { [DISABLE_ASSET_STAGING_CONTEXT]: true } });
    const layerStack = new Stack(app, 'Unstaged');
    new AlertsRecipientsLayer(layerStack, 'Recipients', { recipients: [address] });
    const assembly = app.synth();
    const manifest = JSON.parse(
      readFileSync(path.join(assembly.directory, 'Unstaged.assets.json'), 'utf8'),
    ) as {
      files: Record<string, { source: { path: string } }>;
    };
    const sources = Object.values(manifest.files)
      .map((file) => file.source.path)
      .filter((source) => path.isAbsolute(source));
    try {
      expect(sources).toHaveLength(1);
      const [source = ''] = sources;
      expect(readFileSync(path.join(source, path.basename(AlertsRecipientsLayer.file)), 'utf8')).toBe(
        address,
      );
    } finally {
      for (const source of sources) rmSync(source, { recursive: true, force: true });
    }
  });
});
