import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALERTS_ENV } from '../../functions/alerts/config.ts';
import { AlertDeliveryError, createAlertsHandler } from '../../functions/alerts/handler.ts';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { alertsStateKey } from '../../functions/core/lake/layout.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { metrics } from '../../functions/shared/powertools.ts';
import {
  INSTANCE_DIMENSION,
  instanceDimensions,
  METRIC_NAMESPACE,
} from '../../functions/shared/telemetry.ts';
import { captureSingleMetrics } from '../support/emf-capture.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const snsClient = new SNSClient({ region: 'eu-west-1' });
const sesClient = new SESv2Client({ region: 'eu-west-1' });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
const H = Date.parse('2026-11-18T10:00:00Z');
const NOW = H + HOUR_MS + 20 * 60_000;

const env = acmeAlertsEnv();

/** A lake whose 10:00 hour holds a lockout of <b>Mallory</b>. */
async function lake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource([
    {
      timeMs: H + 600_000,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: '9',
        userName: '<b>Mallory</b>',
        time: H + 600_000,
      },
    },
  ]);
  await runIngest(
    { ...noWaits, source, store, clock: { now: () => NOW }, log: silentLog, metrics: noMetrics },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  return store;
}

const context = { getRemainingTimeInMillis: () => 240_000, awsRequestId: 'req-1' } as never;

beforeEach(() => {
  sns.reset();
  ses.reset();
});

/** The handler on a fresh lake holding the planted lockout, at NOW. */
const handlerOnLake = async () =>
  createAlertsHandler({ env, store: await lake(), snsClient, sesClient, clock: { now: () => NOW } });

describe('alerts handler', () => {
  it("names the stack's Glue database and workgroup in the message's query to dig further", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await (await handlerOnLake())({}, context);
    const text = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message;
    expect(text?.replace(/\s+/g, ' ')).toContain(
      'To dig further, run in Athena (query editor, workgroup domo-activity-lake):',
    );
    expect(text).toContain('FROM "domo_activity_lake"."activity_log"\nWHERE instance = \'acme\'');
  });

  it("mails with the stack's SES configuration set, so a bounce or suppressed address reaches the operator", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const handler = createAlertsHandler({
      env: { ...env, SES_CONFIGURATION_SET: 'lake-mail-events' },
      store: await lake(),
      snsClient,
      sesClient,
      clock: { now: () => NOW },
    });
    await handler({}, context);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.ConfigurationSetName).toBe(
      'lake-mail-events',
    );
  });

  it('publishes one SNS message and one SES mail per run, and nothing again on the next invocation', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const handler = await handlerOnLake();
    const result = await handler({}, context);
    expect(result).toMatchObject({ instance: 'acme', raised: 1 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.Subject).toBe('Security alerts (acme): 1 lockout');
    expect(publish?.Message).toContain('lockout: <b>Mallory</b> (9)');
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.FromEmailAddress).toBe('alerts@example.com');
    expect(mail?.Content?.Simple?.Body?.Html?.Data).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
    await handler({}, context);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('a refused publish fails the run (alarm, Lambda retry) and is delivered once by the next run', async () => {
    const refused = new SNSServiceException({
      name: 'ThrottledException',
      $fault: 'client',
      $metadata: {},
      message: 'Rate exceeded',
    });
    sns.on(PublishCommand).rejectsOnce(refused).resolves({ MessageId: 'sns-2' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    const handler = await handlerOnLake();
    await expect(handler({}, context)).rejects.toThrow(AlertDeliveryError);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    await handler({}, context);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  // Review R-ALERT4 F1: one server error of each service lost the lockout for good.
  it('sends a lockout again on the next run, marked, after SNS and SES answered a server error once', async () => {
    const serverError = { $fault: 'server' as const, $metadata: { httpStatusCode: 500 } };
    sns
      .on(PublishCommand)
      .rejectsOnce(
        new SNSServiceException({
          ...serverError,
          name: 'InternalErrorException',
          message: 'Internal error',
        }),
      )
      .resolves({ MessageId: 'sns-2' });
    ses
      .on(SendEmailCommand)
      .rejectsOnce(
        new SESv2ServiceException({ ...serverError, name: 'InternalFailure', message: 'Internal' }),
      )
      .resolves({ MessageId: 'ses-2' });
    let nowMs = NOW;
    const handler = createAlertsHandler({
      env,
      store: await lake(),
      snsClient,
      sesClient,
      clock: { now: () => nowMs },
    });
    await expect(handler({}, context)).rejects.toThrow(AlertDeliveryError);
    for (let run = 1; run <= 4; run++) {
      nowMs = NOW + run * 15 * 60_000;
      await handler({}, context);
    }
    const publishes = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(publishes).toHaveLength(2);
    const again = publishes[1];
    expect(again?.Subject).toBe('[Possible repeat] Security alerts (acme): 1 lockout');
    expect(again?.Message?.split('\n')[0]).toMatch(/^Possible repeat: 1 alert here \(1 lockout\)/);
    expect(again?.Message).toContain('lockout: <b>Mallory</b> (9)');
    expect(again?.MessageAttributes?.possible_duplicate?.StringValue).toBe('true');
    const [sent] = JSON.parse(publishes[0]?.MessageAttributes?.alerts?.StringValue ?? '[]') as {
      id: string;
    }[];
    const [resent] = JSON.parse(again?.MessageAttributes?.alerts?.StringValue ?? '[]') as { id: string }[];
    expect(resent?.id).toBe(sent?.id);
    expect(JSON.parse(again?.MessageAttributes?.repeated_alert_ids?.StringValue ?? '[]')).toEqual([sent?.id]);
    const mails = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input.Content?.Simple);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.Subject?.Data).toBe('[Possible repeat] Security alerts (acme): 1 lockout');
    expect(mails[1]?.Body?.Text?.Data?.split('\n')[0]).toMatch(/^Possible repeat: /);
    expect(mails[1]?.Body?.Html?.Data).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
    // The first attempt, which failed, was not marked.
    expect(publishes[0]?.MessageAttributes?.possible_duplicate).toBeUndefined();
  });

  // Review R-ALERT5 1: a failed run throws, Lambda tries it again 1 and 3 minutes later, and three
  // of the four tries an alert had went in those minutes: a 16-minute outage lost the lockout.
  it('sends a lockout once SNS is back after a 16-minute outage, each run tried three times', async () => {
    let nowMs = NOW;
    const arrived: { Subject?: string; Message?: string }[] = [];
    sns.on(PublishCommand).callsFake((input: { Subject?: string; Message?: string }) => {
      if (nowMs >= NOW + 16 * 60_000) {
        arrived.push(input);
        return { MessageId: `sns-${nowMs}` };
      }
      throw new SNSServiceException({
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        name: 'InternalErrorException',
        message: 'Internal error',
      });
    });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const handler = createAlertsHandler({
      env,
      store: await lake(),
      snsClient,
      sesClient,
      clock: { now: () => nowMs },
    });
    for (const run of [0, 15, 30]) {
      for (const retry of [0, 1, 3]) {
        nowMs = NOW + (run + retry) * 60_000;
        const ok = await handler({}, context).then(
          () => true,
          () => false,
        );
        if (ok) break;
      }
    }
    expect(arrived.map((m) => m.Subject)).toEqual(['[Possible repeat] Security alerts (acme): 1 lockout']);
    expect(arrived[0]?.Message).toContain('lockout: <b>Mallory</b> (9)');
  });

  // Review R-ALERT4 F6: no way to see that the deployed channels take a message.
  it('sends a marked test through SNS and SES on {"test":true}, records nothing, and returns each answer', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-test' });
    ses.on(SendEmailCommand).rejects(
      new SESv2ServiceException({
        name: 'MessageRejected',
        $fault: 'client',
        $metadata: {},
        message: 'Email address is not verified.',
      }),
    );
    const store = await lake();
    const before = new Map([...store.objects].map(([key, value]) => [key, value.etag]));
    const handler = createAlertsHandler({ env, store, snsClient, sesClient, clock: { now: () => NOW } });
    const result = await handler({ test: true }, context);
    expect(result).toEqual({
      instance: 'acme',
      test: true,
      channels: [
        { channel: 'sns', status: 'sent', messageId: 'sns-test' },
        {
          channel: 'email',
          status: 'failed',
          error: expect.stringMatching(
            /^SES refused the mail from alerts@example.com: MessageRejected: Email address is not verified/,
          ),
        },
      ],
      state: { status: 'no run yet' },
    });
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.Subject).toBe('TEST - Security alerts (acme): not a real alert');
    expect(publish?.Message).toContain('it is not a security alert');
    expect(publish?.MessageAttributes?.test?.StringValue).toBe('true');
    expect(publish?.MessageAttributes?.alert_count?.StringValue).toBe('0');
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Subject?.Data).toBe(
      'TEST - Security alerts (acme): not a real alert',
    );
    // Nothing written: no checkpoint, the lake as it was; the next run sends the lockout as ever.
    expect(new Map([...store.objects].map(([key, value]) => [key, value.etag]))).toEqual(before);
    expect(before.has(alertsStateKey('acme', 'checkpoint.json'))).toBe(false);
    sns.reset();
    ses.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await handler({}, context);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe(
      'Security alerts (acme): 1 lockout',
    );
  });

  it('says with a test what the alerts checkpoint holds, and that a corrupt one pauses the runs (review R-ALERT5 F5)', async () => {
    sns.on(PublishCommand).rejects(new Error('socket hang up'));
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const store = await lake();
    const handler = createAlertsHandler({ env, store, snsClient, sesClient, clock: { now: () => NOW } });
    await handler({}, context).catch(() => undefined);
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-test' });
    const seen = await handler({ test: true }, context);
    expect(seen).toMatchObject({
      state: {
        status: 'read',
        channels: expect.arrayContaining([
          {
            channel: 'sns',
            waiting: 1,
            in_flight: 0,
            failures: 1,
            last_error: expect.stringContaining('socket hang up'),
          },
          { channel: 'email', waiting: 0, in_flight: 0, failures: 0, last_error: null },
        ]),
      },
    });
    await store.put(alertsStateKey('acme', 'checkpoint.json'), new TextEncoder().encode('{"not":'));
    const paused = await handler({ test: true }, context);
    expect(paused).toMatchObject({
      channels: [
        { channel: 'sns', status: 'sent' },
        { channel: 'email', status: 'sent' },
      ],
      state: { status: 'not readable', reason: expect.stringContaining('alerts are paused for acme') },
    });
  });

  it('records the invocation as the run that moved its checkpoint', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const store = await lake();
    const handler = createAlertsHandler({ env, store, snsClient, sesClient, clock: { now: () => NOW } });
    await handler({}, context);
    const stored = await store.get(alertsStateKey('acme', 'checkpoint.json'));
    expect(JSON.parse(new TextDecoder().decode(stored?.body)).run_id).toBe('req-1');
  });

  it('evaluates nothing when the invocation has too little time left', async () => {
    const handler = await handlerOnLake();
    const hurried = { getRemainingTimeInMillis: () => 1_000, awsRequestId: 'req-2' } as never;
    const result = await handler({}, hurried);
    expect(result).toMatchObject({ hoursEvaluated: 0, raised: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('publishes its counters with the instance as a dimension, for per-instance alarms', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const points: { dimensions: Record<string, string>; name: string }[] = [];
    const single = vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const point = { dimensions: {} as Record<string, string>, name: '' };
      points.push(point);
      return {
        addDimension: (name: string, value: string) => {
          point.dimensions[name] = value;
        },
        addMetric: (name: string) => {
          point.name = name;
        },
      } as never;
    });
    try {
      await (await handlerOnLake())({}, context);
    } finally {
      single.mockRestore();
    }
    expect(points.map((point) => point.name)).toContain(ALERT_METRICS.raised);
    expect(points.every((point) => point.dimensions[INSTANCE_DIMENSION] === 'acme')).toBe(true);
  });

  it('refuses a broken environment with the variable named', () => {
    expect(() =>
      createAlertsHandler({ env: { ...env, [ALERTS_ENV.settings]: '{"burstMinutes":99}' } }),
    ).toThrow(/burstMinutes is 99/);
  });
});

describe('alerts handler metrics as CloudWatch reads them', () => {
  const hoursEvaluated = async (remainingMs: number) => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const capture = captureSingleMetrics();
    try {
      const handler = await handlerOnLake();
      await handler({}, { getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-m' } as never);
    } finally {
      capture.restore();
    }
    return capture.points.filter((point) => point.name === ALERT_METRICS.hoursEvaluated);
  };

  it('publishes AlertHoursEvaluated through Powertools with exactly the dimensions the NoAlertsEvaluated alarm watches', async () => {
    const points = await hoursEvaluated(240_000);
    // The alarm (test/infra/heartbeat-alarms.test.ts) watches instanceDimensions(stack, instance).
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      namespace: METRIC_NAMESPACE,
      dimensions: instanceDimensions('DomoActivityLake', 'acme'),
    });
    expect(points[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('publishes 0 for a run that evaluates nothing, which the alarm counts as silence', async () => {
    expect((await hoursEvaluated(1_000)).map((point) => point.value)).toEqual([0]);
  });
});
