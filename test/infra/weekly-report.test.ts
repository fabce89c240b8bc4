import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  reportKey,
  reportSentKey,
  reportsPrefix,
  TABLE_PREFIXES,
  tableInstancePrefix,
} from '../../functions/core/lake/layout.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { QUERIES_DIR, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import {
  REPORT_ENV,
  readReportEnv,
  reportEnvironment,
  reportEventSchema,
} from '../../functions/report/config.ts';
import * as weeklyReport from '../../infra/constructs/weekly-report.ts';
import {
  CORRECTIONS_EVENT,
  queryFiles,
  REPORT_CONCURRENCY,
  REPORT_QUEUE_OUTLASTED,
  REPORT_RETRIES,
  REPORT_TABLES,
  reportDescription,
  reportQueueProblem,
  reportTimeout,
  SCHEDULED_EVENT,
} from '../../infra/constructs/weekly-report.ts';
import {
  actionsOf,
  cfnText,
  logicalIdOf,
  type PolicyStatementJson,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  synthStack,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = {
  enabled: true,
  schedule: 'cron(30 6 ? * MON *)',
  timeZone: 'Europe/London',
  sender: 'reports@acme-co.com',
  recipients: ['sec@acme-co.com', 'ciso@acme-co.org'],
};
const INSTANCES = [{ name: 'acme' }, { name: 'beta' }];
const { template } = synthStack({ instances: INSTANCES, report: REPORT });

/** A stack built on first use, then read by every test that needs one of its shape (~0.3-0.5 CPU-s a synth). */
const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
};
/** 20 instances with names long enough that the report role's grants overflow its inline policy. */
const twentyLongNamed = once(() =>
  synthStack({
    instances: Array.from({ length: 20 }, (_, i) => ({ name: `instance-${i}-${'x'.repeat(50)}` })),
    report: REPORT,
  }),
);
/** Two instances at a report.timeoutMinutes of 15: set, and short of outwaiting the queue. */
const twoAtFifteen = once(() =>
  synthStack({ instances: [{ name: 'i0' }, { name: 'i1' }], report: { ...REPORT, timeoutMinutes: 15 } }),
);

const ids = (t: Template) => ({
  fn: logicalIdOf(t, 'AWS::Lambda::Function', '/WeeklyReport/Report/Function/'),
  lake: logicalIdOf(t, 'AWS::S3::Bucket', '/Storage/Lake/'),
  results: logicalIdOf(t, 'AWS::S3::Bucket', '/Storage/AthenaResults/'),
  queue: logicalIdOf(t, 'AWS::SQS::Queue', '/FailedInvocations/'),
  logs: logicalIdOf(t, 'AWS::Logs::LogGroup', '/WeeklyReport/Report/Logs/'),
});
const { fn: functionId, lake: lakeId, results: resultsId, queue: queueId, logs: logsId } = ids(template);

/** Every (action, resource) the report role is allowed, with the statement's condition. */
const grantsOf = (t: Template) => {
  const grants = new Map<string, { resources: string[]; conditions: PolicyStatementJson['Condition'][] }>();
  for (const statement of statementsOfRole(t, '/WeeklyReport/Report/Role/')) {
    expect(statement.Effect).toBe('Allow');
    for (const action of actionsOf(statement)) {
      const entry = grants.get(action) ?? { resources: [], conditions: [] };
      entry.resources.push(...resourcesOf(statement).map(cfnText));
      entry.conditions.push(statement.Condition);
      grants.set(action, entry);
    }
  }
  return grants;
};
const resourcesFor = (grants: ReturnType<typeof grantsOf>, action: string) =>
  [...(grants.get(action)?.resources ?? [])].sort();

const ARN = 'arn:aws:{service}:eu-west-1:123456789012:';
const arn = (service: string, rest: string) => `${ARN.replace('{service}', service)}${rest}`;
const sesIdentity = (name: string) => arn('ses', `identity/${name}`);
/** The SES identities the role may send as (the configuration set it sends with is tested elsewhere). */
const identitiesFor = (grants: ReturnType<typeof grantsOf>) =>
  resourcesFor(grants, 'ses:SendEmail').filter((resource) => resource.includes(':identity/'));

describe('weekly report: existence', () => {
  it('creates nothing of the report while report.enabled is false, even with everything else set', () => {
    const { template: off } = synthStack({
      report: {
        enabled: false,
        sender: 'reports@acme-co.com',
        recipients: ['sec@acme-co.com'],
        createSesIdentity: true,
      },
    });
    const paths = Object.values(off.toJSON().Resources).map((r) =>
      String((r as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? ''),
    );
    expect(paths.filter((p) => p.includes('/WeeklyReport/'))).toEqual([]);
    // The ingest's and the lake key check's (LakeKeyKept, in every stack).
    off.resourceCountIs('AWS::Lambda::Function', 2);
    off.resourceCountIs('AWS::Scheduler::Schedule', 1);
    off.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(Object.keys(off.toJSON().Outputs).filter((o) => o.startsWith('Report'))).toEqual([]);
    const body = JSON.stringify(off.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).not.toContain(REPORT_METRICS.sent);
  });

  it('creates one report function for all instances, beside their ingest functions', () => {
    // And the lake key check's (LakeKeyKept, in every stack).
    template.resourceCountIs('AWS::Lambda::Function', INSTANCES.length + 2);
    // One an instance's ingest, the weekly report's and the corrections run's.
    template.resourceCountIs('AWS::Scheduler::Schedule', INSTANCES.length + 2);
    expect(template.toJSON().Outputs.ReportFunction.Value).toEqual({ Ref: functionId });
  });
});

describe('weekly report: function', () => {
  const fn = template.toJSON().Resources[functionId].Properties;

  it('is a LakeFunction with a timeout of 5 minutes (one instance an invocation) and its own log group', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 5 * 60,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logsId } },
    });
  });

  it('gets exactly the environment reportEnvironment builds, which the handler then accepts', () => {
    const expected = reportEnvironment({
      stack: 'Test',
      instances: ['acme', 'beta'],
      bucket: 'placeholder-bucket',
      prefix: '',
      workGroup: 'domo-activity-lake',
      database: 'domo_activity_lake',
      timeZone: 'Europe/London',
      sender: 'reports@acme-co.com',
      recipients: ['sec@acme-co.com', 'ciso@acme-co.org'],
      alertsEnabled: false,
      // The alerts' and the lag alarm's defaults, handed on whether or not the alerts run.
      failuresBeforeLogin: 4,
      ingestLagHours: 3,
    });
    expect(fn.Environment.Variables).toEqual({
      ...expected,
      [REPORT_ENV.bucket]: { Ref: lakeId },
      [REPORT_ENV.configurationSet]: {
        Ref: logicalIdOf(template, 'AWS::SES::ConfigurationSet', '/MailDeliveryEvents/'),
      },
      [REPORT_ENV.alarmTopicArn]: { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') },
      NODE_OPTIONS: '--enable-source-maps',
    });
    const parsed = readReportEnv({
      ...fn.Environment.Variables,
      [REPORT_ENV.bucket]: 'lake-bucket',
      [REPORT_ENV.configurationSet]: 'mail-events',
      [REPORT_ENV.alarmTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alarms',
    });
    expect(parsed).toMatchObject({
      instances: ['acme', 'beta'],
      timeZone: 'Europe/London',
      recipients: REPORT.recipients,
    });
  });

  it('is told when the stack deploys the security alerts, so the mail can say why they differ from it', () => {
    expect(fn.Environment.Variables[REPORT_ENV.alertsEnabled]).toBe('false');
    const { template: withAlerts } = synthStack({
      report: REPORT,
      alerts: { enabled: true, allowNoSubscriber: true },
    });
    const id = logicalIdOf(withAlerts, 'AWS::Lambda::Function', '/WeeklyReport/Report/Function/');
    const vars = withAlerts.toJSON().Resources[id].Properties.Environment.Variables;
    expect(vars[REPORT_ENV.alertsEnabled]).toBe('true');
    const resolved = {
      ...vars,
      [REPORT_ENV.bucket]: 'lake-bucket',
      [REPORT_ENV.configurationSet]: 'set',
      [REPORT_ENV.alarmTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alarms',
      [REPORT_ENV.alertsTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    };
    expect(readReportEnv(resolved).alertsEnabled).toBe(true);
  });

  it('is never retried by Lambda, and a failed run lands in the failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: REPORT_RETRIES.asyncMaxEventAge.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('takes report.timeoutMinutes when set', () => {
    twoAtFifteen().template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 15 * 60,
    });
  });

  // review deployed-path M1: the timeout was 5 minutes per instance capped at 15 for one run of
  // every instance, so at 20 instances each had 45 s, and the last ones failed every week.
  it('gives each invocation, which reports one instance, 5 minutes by default whatever the instance count', () => {
    expect(reportTimeout().toMinutes()).toBe(5);
    expect(reportTimeout(4).toMinutes()).toBe(4);
    const fnOf = (t: Template) =>
      t.toJSON().Resources[logicalIdOf(t, 'AWS::Lambda::Function', '/WeeklyReport/Report/Function/')]
        .Properties;
    expect(fnOf(template).Timeout).toBe(5 * 60);
    expect(fnOf(twentyLongNamed().template).Timeout).toBe(5 * 60);
  });

  it('warns at synth when the last report, one at a time and each to its timeout, could outwait its queue', () => {
    // 20 × (5 + 5) = 200 minutes, within the 6 hours Lambda keeps a queued invocation.
    expect(reportQueueProblem(20, 5)).toBeUndefined();
    expect(reportQueueProblem(20, 13)).toBeUndefined();
    expect(reportQueueProblem(20, 15)).toBe(
      'report.timeoutMinutes 15 for 20 instances: their reports run one at a time, so if each ran to its timeout the last would wait up to 400 minutes (each report, then up to 5 minutes until Lambda tries the next), more than the 6 hours Lambda keeps a queued invocation: it would go to the failure queue unreported (FailedInvocations alarms). Reports normally take a few minutes each; to be sure, lower report.timeoutMinutes to 13 or less, or split the instances between stacks',
    );
    const warnings = ({ stack }: Synthesized) =>
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(REPORT_QUEUE_OUTLASTED));
    expect(warnings(twoAtFifteen())).toEqual([]);
    const nineteen = synthStack({
      instances: Array.from({ length: 19 }, (_, i) => ({ name: `i${i}` })),
      report: { ...REPORT, timeoutMinutes: 15 },
    });
    expect(warnings(nineteen).map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining('report.timeoutMinutes 15 for 19 instances'),
    ]);
  });

  it('runs one invocation at a time: the scheduled run queues one per instance, and Lambda holds the rest', () => {
    expect(fn.ReservedConcurrentExecutions).toBe(REPORT_CONCURRENCY);
    expect(REPORT_CONCURRENCY).toBe(1);
    // Queued (throttled) events wait up to the event age Lambda allows, its maximum: 6 hours.
    expect(REPORT_RETRIES.asyncMaxEventAge.toHours()).toBe(6);
  });
});

describe('weekly report: bundled query files', () => {
  it("ships the query catalog's own files, from the directory the catalog reads (no second copy of it)", () => {
    expect(queryFiles()).toEqual(QUERY_NAMES.map((name) => path.join(QUERIES_DIR, `${name}.sql`)));
    expect(weeklyReport).not.toHaveProperty('QUERIES_DIR');
  });
});

describe('weekly report: many instances', () => {
  it('names the instances in the description only while it fits Lambda 256 characters', () => {
    expect(reportDescription(['acme', 'beta'])).toBe(
      'Mails the weekly Domo activity report of "acme", "beta"',
    );
    const long = Array.from({ length: 20 }, (_, i) => `instance-${i}-${'x'.repeat(50)}`);
    expect(reportDescription(long)).toBe('Mails the weekly Domo activity report of 20 instances');
  });

  it('synthesizes for 20 long-named instances: the grants overflow into managed policies of the role', () => {
    const { template: t } = twentyLongNamed();
    const roleId = logicalIdOf(t, 'AWS::IAM::Role', '/WeeklyReport/Report/Role/');
    const overflow = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    expect(overflow.length).toBeGreaterThan(0);
    const fn = t.toJSON().Resources[logicalIdOf(t, 'AWS::Lambda::Function', '/WeeklyReport/')].Properties;
    expect(fn.Description.length).toBeLessThanOrEqual(256);
    expect(fn.Timeout).toBe(5 * 60);
  });
});

/** The schedules that invoke the report function, by their properties. */
const reportSchedules = (t: Template) =>
  Object.values(t.findResources('AWS::Scheduler::Schedule'))
    .map((s) => s.Properties)
    .filter(
      (p) =>
        (p.Target.Arn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ===
        logicalIdOf(t, 'AWS::Lambda::Function', '/WeeklyReport/Report/Function/'),
    );
const CORRECTIONS_CRON = 'cron(0 14 * * ? *)';

// Helper CORRTRIG: a week mailed partial was corrected only by the next weekly run, a week later.
describe('weekly report: corrections schedule', () => {
  it('runs corrections only, daily by default, in the report zone, with no retry and the failure queue', () => {
    const corrections = reportSchedules(template).filter((s) => s.ScheduleExpression === CORRECTIONS_CRON);
    expect(corrections).toHaveLength(1);
    const schedule = corrections[0];
    const weekly = reportSchedules(template).find((s) => s.ScheduleExpression !== CORRECTIONS_CRON);
    expect(schedule).toMatchObject({
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      GroupName: weekly?.GroupName,
      Target: {
        // The weekly schedule's role: the grant it holds invokes only the report function.
        RoleArn: weekly?.Target.RoleArn,
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      },
    });
    expect(reportEventSchema.parse(JSON.parse(schedule.Target.Input))).toEqual(CORRECTIONS_EVENT);
    expect(CORRECTIONS_EVENT).toEqual({ eachInstance: true, correctionsOnly: true });
  });

  it('takes report.correctionSchedule, and creates none when it is null', () => {
    const every6 = synthStack({
      instances: INSTANCES,
      report: { ...REPORT, correctionSchedule: 'rate(6 hours)' },
    });
    expect(
      reportSchedules(every6.template)
        .map((s) => s.ScheduleExpression)
        .sort(),
    ).toEqual(['cron(30 6 ? * MON *)', 'rate(6 hours)']);
    const off = synthStack({ instances: INSTANCES, report: { ...REPORT, correctionSchedule: null } });
    expect(reportSchedules(off.template).map((s) => s.ScheduleExpression)).toEqual(['cron(30 6 ? * MON *)']);
  });
});

describe('weekly report: schedule', () => {
  it('runs the configured cron in the report time zone, with no retry and the failure queue as DLQ', () => {
    const schedules = reportSchedules(template).filter((s) => s.ScheduleExpression !== CORRECTIONS_CRON);
    expect(schedules).toHaveLength(1);
    const schedule = schedules[0];
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(30 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      },
    });
    // review deployed-path M1: the schedule sent {}, one run of every instance in one timeout.
    // Its event now has the run start one invocation per instance, each with its own timeout.
    expect(reportEventSchema.parse(JSON.parse(schedule.Target.Input))).toEqual(SCHEDULED_EVENT);
    expect(SCHEDULED_EVENT).toEqual({ eachInstance: true });
  });

  it("lets the function's own role, and no one else, invoke it: the scheduled run starts each instance's", () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes(functionId),
    );
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', '/WeeklyReport/Report/Role/');
    expect(permissions.map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: { 'Fn::GetAtt': [roleId, 'Arn'] },
      },
    ]);
  });

  // Review R-SECURITY L2: the account alone let any schedule of the account run as the role.
  it("lets only the stack's schedule group assume its role, which may invoke only the report function", () => {
    const groupId = logicalIdOf(template, 'AWS::Scheduler::ScheduleGroup', '/Schedules/');
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', '/WeeklyReport/SchedulerRole/');
    expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } },
        },
      },
    ]);
    const statements = statementsOfRole(template, '/WeeklyReport/SchedulerRole/');
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    // The plain ARN the schedules call, not its versions and aliases (":*"), which it has none of.
    expect(invoke.flatMap(resourcesOf).map(cfnText)).toEqual([`{${functionId}.Arn}`]);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });
});

describe('weekly report: permissions', () => {
  const grants = grantsOf(template);
  const lake = `{${lakeId}.Arn}`;
  const results = `{${resultsId}.Arn}`;
  // The quarantine too: uncounted_sign_ins reads it for sign-ins the ingest could not store.
  const data = ['activity_log', 'coverage', 'quarantine'].flatMap((table) =>
    ['acme', 'beta'].map((i) => `${table}/instance=${i}/`),
  );
  const reports = ['reports/instance=acme/', 'reports/instance=beta/'];

  it('allows exactly these actions and nothing else (no delete, no wildcard action)', () => {
    expect([...grants.keys()].sort()).toEqual(
      [
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'glue:GetDatabase',
        'glue:GetPartitions',
        'glue:GetTable',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:AbortMultipartUpload',
        's3:GetBucketLocation',
        's3:GetObject',
        's3:ListBucket',
        's3:ListMultipartUploadParts',
        's3:PutObject',
        'ses:SendEmail',
        'sns:ListSubscriptionsByTopic',
        'sqs:SendMessage',
      ].sort(),
    );
    const all = [...grants.values()].flatMap((g) => g.resources);
    expect(all).not.toContain('*');
  });

  it('runs Athena queries only in the lake workgroup', () => {
    for (const action of [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
    ]) {
      expect(resourcesFor(grants, action)).toEqual([arn('athena', 'workgroup/domo-activity-lake')]);
    }
  });

  it('reads only the catalog, the lake database and the three tables the queries read in Glue', () => {
    const expected = [
      arn('glue', 'catalog'),
      arn('glue', 'database/domo_activity_lake'),
      arn('glue', 'table/domo_activity_lake/activity_log'),
      arn('glue', 'table/domo_activity_lake/coverage'),
      arn('glue', 'table/domo_activity_lake/quarantine'),
    ].sort();
    for (const action of ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions']) {
      expect(resourcesFor(grants, action)).toEqual(expected);
    }
  });

  it('reads the reported partitions, reads and writes only the reports prefixes and Athena results', () => {
    expect(resourcesFor(grants, 's3:GetObject')).toEqual(
      [...data, ...reports]
        .map((p) => `${lake}/${p}*`)
        .concat(`${results}/athena/*`)
        .sort(),
    );
    expect(resourcesFor(grants, 's3:PutObject')).toEqual(
      [...reports.map((p) => `${lake}/${p}*`), `${results}/athena/*`].sort(),
    );
    for (const action of ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts']) {
      expect(resourcesFor(grants, action)).toEqual([`${results}/athena/*`]);
    }
    expect(resourcesFor(grants, 's3:GetBucketLocation')).toEqual([lake, results].sort());
  });

  it('reads the quarantine of the reported instances only, and never writes it', () => {
    const quarantine = (action: string) =>
      resourcesFor(grants, action).filter((resource) => resource.includes('quarantine'));
    expect(quarantine('s3:GetObject')).toEqual(
      ['acme', 'beta'].map((i) => `${lake}/${tableInstancePrefix('quarantine', i)}*`),
    );
    expect(quarantine('s3:PutObject')).toEqual([]);
    expect(quarantine('glue:GetTable')).toEqual([arn('glue', 'table/domo_activity_lake/quarantine')]);
    const listed = statementsOfRole(template, '/WeeklyReport/Report/Role/')
      .filter((s) => actionsOf(s).includes('s3:ListBucket'))
      .flatMap((s) => (s.Condition?.StringLike?.['s3:prefix'] ?? []) as string[])
      .filter((prefix) => prefix.startsWith('quarantine/'));
    expect(listed.sort()).toEqual(['quarantine/instance=acme/*', 'quarantine/instance=beta/*']);
  });

  it("covers every report and sent-marker key the handler writes with the instance's reports prefix", () => {
    expect(reports).toEqual(INSTANCES.map((i) => reportsPrefix(i.name)));
    const writable = resourcesFor(grants, 's3:PutObject');
    for (const { name } of INSTANCES) {
      const keys = [
        reportSentKey(name, '2026-W47'),
        ...(['html', 'txt', 'json', 'eml'] as const).map((ext) => reportKey(name, '2026-W47', ext)),
      ];
      for (const key of keys) {
        expect(
          writable.filter((arn) => `${lake}/${key}`.startsWith(arn.slice(0, -1))),
          key,
        ).toEqual([`${lake}/${reportsPrefix(name)}*`]);
      }
    }
  });

  it('lists only those prefixes (so a missing sent-marker reads as 404, not 403), one statement per instance', () => {
    const list = statementsOfRole(template, '/WeeklyReport/Report/Role/').filter((s) =>
      actionsOf(s).includes('s3:ListBucket'),
    );
    const prefixesOn = (bucket: string) =>
      list
        .filter((s) => resourcesOf(s).map(cfnText).join() === bucket)
        .map((s) => [...((s.Condition?.StringLike?.['s3:prefix'] ?? []) as string[])].sort());
    expect(list.flatMap(resourcesOf).map(cfnText).sort()).toEqual([lake, lake, results].sort());
    expect(prefixesOn(lake).sort()).toEqual(
      ['acme', 'beta'].map((i) =>
        [...data.filter((p) => p.includes(`=${i}/`)), `reports/instance=${i}/`].map((p) => `${p}*`).sort(),
      ),
    );
    expect(prefixesOn(results)).toEqual([['athena/*']]);
  });

  it('reads exactly the lake tables the report queries name (functions/queries/*.sql)', () => {
    const named = new Set<string>();
    for (const file of queryFiles()) {
      const sql = readFileSync(file, 'utf8').replace(/--.*$/gm, '');
      for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)) named.add(String(m[1]));
    }
    const tables = Object.keys(TABLE_PREFIXES).filter((table) => named.has(table));
    expect([...REPORT_TABLES].sort()).toEqual(tables.sort());
  });

  it('sends mail only through the sender identity (address or domain) and sandbox recipients, from the sender', () => {
    // review deployed-path L2: in the sandbox SES checks the recipient's verified identity, which
    // may be its domain (acme-co.org), not only its address.
    expect(identitiesFor(grants)).toEqual(
      ['reports@acme-co.com', 'acme-co.com', 'sec@acme-co.com', 'ciso@acme-co.org', 'acme-co.org']
        .map(sesIdentity)
        .sort(),
    );
    expect(grants.get('ses:SendEmail')?.conditions).toEqual([
      {
        StringEqualsIgnoreCase: { 'ses:FromAddress': 'reports@acme-co.com' },
        'ForAllValues:StringEqualsIgnoreCase': { 'ses:Recipients': ['sec@acme-co.com', 'ciso@acme-co.org'] },
      },
    ]);
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(template.toJSON().Outputs.ReportSesIdentities.Value).toBe('reports@acme-co.com, acme-co.com');
  });
});

describe('weekly report: SES identity from config', () => {
  // review deployed-path L2: with only the named domain granted, a sender address (or its own
  // domain) verified as well, which SES then authorizes against, had every send refused.
  it('grants the domain named in report.sesIdentity, the sender address and its domain, and the recipients', () => {
    const { template: t } = synthStack({
      report: { ...REPORT, sender: 'reports@mail.acme-co.com', sesIdentity: 'acme-co.com' },
    });
    expect(identitiesFor(grantsOf(t))).toEqual(
      [
        'acme-co.com',
        'reports@mail.acme-co.com',
        'mail.acme-co.com',
        'sec@acme-co.com',
        'ciso@acme-co.org',
        'acme-co.org',
      ]
        .map(sesIdentity)
        .sort(),
    );
    t.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('creates a domain identity and outputs its three DKIM records to publish', () => {
    const { template: t } = synthStack({
      report: { ...REPORT, sesIdentity: 'acme-co.com', createSesIdentity: true },
    });
    t.resourceCountIs('AWS::SES::EmailIdentity', 1);
    t.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme-co.com' });
    t.hasResource('AWS::SES::EmailIdentity', { DeletionPolicy: 'RetainExceptOnCreate' });
    const identityId = logicalIdOf(t, 'AWS::SES::EmailIdentity', '/WeeklyReport/SenderIdentity/');
    const outputs = t.toJSON().Outputs;
    for (const n of [1, 2, 3]) {
      expect(cfnText(outputs[`ReportDkimRecord${n}`].Value)).toBe(
        `{${identityId}.DkimDNSTokenName${n}} CNAME {${identityId}.DkimDNSTokenValue${n}}`,
      );
    }
    expect(identitiesFor(grantsOf(t))).toEqual(
      ['acme-co.com', 'reports@acme-co.com', 'sec@acme-co.com', 'ciso@acme-co.org', 'acme-co.org']
        .map(sesIdentity)
        .sort(),
    );
  });

  it('creates an address identity for the sender when no identity is named, without DKIM outputs', () => {
    const { template: t } = synthStack({ report: { ...REPORT, createSesIdentity: true } });
    t.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'reports@acme-co.com' });
    expect(Object.keys(t.toJSON().Outputs).filter((o) => o.startsWith('ReportDkim'))).toEqual([]);
    // The stack's own address identity is what SES authorizes against: its domain is not granted.
    expect(identitiesFor(grantsOf(t))).toEqual(
      ['reports@acme-co.com', 'sec@acme-co.com', 'acme-co.com', 'ciso@acme-co.org', 'acme-co.org']
        .map(sesIdentity)
        .sort(),
    );
  });
});

describe('weekly report: monitoring', () => {
  it('alarms to the topic on any report function error', () => {
    const topicRef = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
      AlarmName: 'Test-ReportErrors',
    });
  });

  // review deploy second look L7: the scheduled run fails when it cannot queue an instance's
  // report, and the alarm's description named only failed reports.
  it('says that ReportErrors also fires for a report that could not be queued', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-ReportErrors',
      AlarmDescription: Match.stringLikeRegexp("the schedule's run could not queue an instance's report"),
    });
  });

  // Review R2CORR: the corrections run's mails (ReportCorrectionSent) were on no graph.
  it('shows mails sent, runs skipped, corrections sent and bytes scanned per instance on the dashboard', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const text of [
      'Weekly report',
      REPORT_METRICS.sent,
      REPORT_METRICS.skipped,
      REPORT_METRICS.correctionSent,
      REPORT_METRICS.bytesScanned,
      'acme sent',
      'beta skipped',
      'acme corrections sent',
    ]) {
      expect(body).toContain(text);
    }
  });
});
