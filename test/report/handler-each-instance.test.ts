import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaReportStarter } from '../../functions/adapters/lambda-report-starter.ts';
import type { InstanceReportEvent } from '../../functions/core/report/start-instance-reports.ts';
import { type InstanceMail, reportEnvironment } from '../../functions/report/config.ts';
import { createReportHandler } from '../../functions/report/handler.ts';
import { freshHandlerMetrics } from '../support/fresh-handler-metrics.ts';

// review deployed-path M1: one invocation reported every instance in turn within one timeout
// (15 minutes at most), so with many instances the last ones failed every week. The schedule now
// sends {"eachInstance":true}, which starts one invocation per instance, each with its timeout.
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const athenaClient = new AthenaClient({ region: 'eu-west-1', credentials });
const sesClient = new SESv2Client({ region: 'eu-west-1', credentials });
const athena = mockClient(athenaClient);
const ses = mockClient(sesClient);
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:Test-Report';
const context = { awsRequestId: 'req-1', invokedFunctionArn: FUNCTION_ARN } as unknown as Context;

const config = {
  stack: 'DomoActivityLake',
  instances: ['acme', 'globex', 'initech'],
  bucket: 'lake-bucket',
  prefix: 'lake',
  workGroup: 'domo-activity-lake',
  database: 'domo_activity_lake',
  timeZone: 'Europe/London',
  sender: 'reports@example.com',
  recipients: ['security@example.com'],
  alertsEnabled: false,
};

/** The handler with a starter that records what it is asked to start, failing for `failing`. */
function build(failing: readonly string[] = [], instanceMail: Record<string, InstanceMail> = {}) {
  freshHandlerMetrics();
  const env = reportEnvironment({ ...config, instanceMail });
  const started: { arn: string; event: InstanceReportEvent }[] = [];
  const handler = createReportHandler({
    env,
    s3Client: new S3Client({ region: 'eu-west-1', credentials }),
    athenaClient,
    sesClient,
    snsClient: new SNSClient({ region: 'eu-west-1', credentials }),
    publishMetric: () => {},
    // Monday 23 November 2026, 08:00 UTC: the last full week is 2026-W47.
    clock: { now: () => Date.parse('2026-11-23T08:00:00Z') },
    starterFor: (arn) => ({
      start: async (event) => {
        if (failing.includes(event.instance)) throw new Error('Rate exceeded');
        started.push({ arn, event });
      },
    }),
  });
  return { handler, started };
}

beforeEach(() => {
  athena.reset();
  ses.reset();
});

describe('report handler: {"eachInstance":true}', () => {
  it('starts one invocation of itself per instance, for the last full week, and reports none itself', async () => {
    const { handler, started } = build();
    const result = await handler({ eachInstance: true }, context);
    expect(result).toEqual({ reports: [], started: ['acme', 'globex', 'initech'] });
    expect(started).toEqual(
      ['acme', 'globex', 'initech'].map((instance) => ({
        arn: FUNCTION_ARN,
        event: { instance, week: '2026-W47' },
      })),
    );
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  // review F-MULTI2: each instance's last full week is the one in the zone its report shows.
  it('hands an instance with a zone of its own the last full week in that zone', async () => {
    const { handler, started } = build([], { initech: { timeZone: 'Pacific/Honolulu' } });
    await handler({ eachInstance: true }, context);
    // 08:00 UTC on Monday is still Sunday 22:00 in Honolulu, whose week 47 has not ended.
    expect(started.map((s) => s.event)).toEqual([
      { instance: 'acme', week: '2026-W47' },
      { instance: 'globex', week: '2026-W47' },
      { instance: 'initech', week: '2026-W46' },
    ]);
  });

  it('hands the week asked for to each instance', async () => {
    const { handler, started } = build();
    await handler({ eachInstance: true, week: '2026-W40' }, context);
    expect(started.map((s) => s.event)).toEqual(
      ['acme', 'globex', 'initech'].map((instance) => ({ instance, week: '2026-W40' })),
    );
  });

  // review deploy second look L4: a week that is no week, or has not started, was queued for
  // every instance, each of which then failed alike.
  it('refuses a week that is no week or has not started, before queueing any', async () => {
    const { handler, started } = build();
    await expect(handler({ eachInstance: true, week: '2026-W99' }, context)).rejects.toThrow(
      'week "2026-W99" does not exist: 2026 has ISO weeks 01 to 53',
    );
    await expect(handler({ eachInstance: true, week: '2027-W53' }, context)).rejects.toThrow(
      'week "2027-W53" does not exist: 2027 has ISO weeks 01 to 52',
    );
    await expect(handler({ eachInstance: true, week: '2026-W49' }, context)).rejects.toThrow(
      'week 2026-W49 (Europe/London) has not started yet',
    );
    expect(started).toEqual([]);
  });

  it('hands on a week that has begun but not ended: each instance mails it as a preview', async () => {
    const { handler, started } = build();
    await handler({ eachInstance: true, week: '2026-W48' }, context);
    expect(started.map((s) => s.event)).toEqual(
      ['acme', 'globex', 'initech'].map((instance) => ({ instance, week: '2026-W48' })),
    );
  });

  // review deploy second look L8: invoked through an alias or version, the ARN carries its
  // qualifier, where the permission to invoke itself is on the unqualified function.
  it('invokes the unqualified function when it was invoked through an alias or version', async () => {
    for (const qualifier of ['live', '7']) {
      const { handler, started } = build();
      await handler({ eachInstance: true }, {
        ...context,
        invokedFunctionArn: `${FUNCTION_ARN}:${qualifier}`,
      } as Context);
      expect(started.map((s) => s.arn)).toEqual([FUNCTION_ARN, FUNCTION_ARN, FUNCTION_ARN]);
    }
  });

  // review deploy second look M1: a queued event can be delivered twice, and a resend takes the
  // week over whatever its marker says, so each delivery of a queued resend mailed again.
  it('refuses a resend beside eachInstance, naming the synchronous resend of one instance', async () => {
    const { handler, started } = build();
    await expect(handler({ eachInstance: true, week: '2026-W40', resend: true }, context)).rejects.toThrow(
      'resend one instance at a time, waiting for its answer: {"week":"2026-W40","instance":"<name>","resend":true}',
    );
    expect(started).toEqual([]);
  });

  it('still starts the others when one cannot be started, then fails naming the event that starts it', async () => {
    const { handler, started } = build(['globex']);
    await expect(handler({ eachInstance: true }, context)).rejects.toThrow(
      'weekly report failed for 1 instance(s): globex: its report could not be started (Rate exceeded): invoke the report function with {"week":"2026-W47","instance":"globex"}',
    );
    expect(started.map((s) => s.event.instance)).toEqual(['acme', 'initech']);
  });

  it('refuses eachInstance beside an instance, and anything but true', async () => {
    const { handler, started } = build();
    await expect(handler({ eachInstance: true, instance: 'acme' }, context)).rejects.toThrow(
      /eachInstance starts every instance's report; for "acme" alone send \{"instance":"acme"\}/,
    );
    await expect(handler({ eachInstance: false }, context)).rejects.toThrow(/eachInstance must be true/);
    expect(started).toEqual([]);
  });
});

describe('LambdaReportStarter', () => {
  const client = new LambdaClient({ region: 'eu-west-1', credentials });
  const lambda = mockClient(client);
  beforeEach(() => lambda.reset());

  it('queues an asynchronous invocation of the function with the instance event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaReportStarter(client, FUNCTION_ARN).start({ instance: 'acme', week: '2026-W47' });
    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe(FUNCTION_ARN);
    expect(input?.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({
      instance: 'acme',
      week: '2026-W47',
    });
  });

  it('fails on any answer but 202, which alone means queued', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(
      new LambdaReportStarter(client, FUNCTION_ARN).start({ instance: 'acme', week: '2026-W47' }),
    ).rejects.toThrow(/answered 200 instead of 202/);
  });
});
