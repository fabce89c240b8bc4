import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reportSentKey } from '../../functions/core/lake/layout.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { encodeMarker } from '../../functions/core/report/sent-marker.ts';
import type { InstanceReportEvent } from '../../functions/core/report/start-instance-reports.ts';
import { reportEnvironment } from '../../functions/report/config.ts';
import { createReportHandler } from '../../functions/report/handler.ts';
import { logger } from '../../functions/shared/powertools.ts';
import { freshHandlerMetrics } from '../support/fresh-handler-metrics.ts';
import { s3Error } from '../support/s3-error.ts';

// Helper CORRTRIG: the corrections schedule sends {"eachInstance":true,"correctionsOnly":true},
// whose per-instance runs mail only the corrections due. One with nothing due must start no
// query and count no report as sent or skipped (the NoReportSent alarm watches the weekly run).
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const s3Client = new S3Client({ region: 'eu-west-1', credentials });
const athenaClient = new AthenaClient({ region: 'eu-west-1', credentials });
const sesClient = new SESv2Client({ region: 'eu-west-1', credentials });
const s3 = mockClient(s3Client);
const athena = mockClient(athenaClient);
const ses = mockClient(sesClient);
const snsClient = new SNSClient({ region: 'eu-west-1', credentials });
const sns = mockClient(snsClient);
const ALARM_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:DomoActivityLake-Alarms';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:Test-Report';
const context = { awsRequestId: 'req-1', invokedFunctionArn: FUNCTION_ARN } as unknown as Context;
/** Tuesday 24 November 2026, 14:00 UTC: the last full week is 2026-W47, mailed Monday 07:00. */
const NOW = Date.parse('2026-11-24T14:00:00Z');

const env = reportEnvironment({
  stack: 'DomoActivityLake',
  instances: ['acme', 'globex'],
  bucket: 'lake-bucket',
  prefix: 'lake',
  workGroup: 'domo-activity-lake',
  database: 'domo_activity_lake',
  timeZone: 'UTC',
  sender: 'reports@example.com',
  recipients: ['security@example.com'],
  alertsEnabled: false,
});

function build(extraEnv: Record<string, string> = {}) {
  freshHandlerMetrics();
  const published: { instance: string; name: string; value: number }[] = [];
  const started: InstanceReportEvent[] = [];
  const handler = createReportHandler({
    env: { ...env, ...extraEnv },
    s3Client,
    athenaClient,
    sesClient,
    snsClient,
    clock: { now: () => NOW },
    publishMetric: (instance, name, _unit, value) => published.push({ instance, name, value }),
    starterFor: () => ({
      start: async (event) => {
        started.push(event);
      },
    }),
  });
  return { handler, published, started };
}

/** acme's 2026-W47 mailed Monday 07:00 with 150 of its 168 hours. */
const partialMarker = encodeMarker({
  state: 'sent',
  instance: 'acme',
  isoWeek: '2026-W47',
  attemptId: 'a-1',
  claimedAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T07:01:00.000Z',
  subject: 'Domo activity 2026-W47 (acme) [partial: 89.3% of hours]',
  recipients: 1,
  messageId: 'm-1',
  coveredHours: 150,
  expectedHours: 168,
});

beforeEach(() => {
  s3.reset();
  athena.reset();
  ses.reset();
  sns.reset();
  s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
  s3.on(GetObjectCommand, { Key: `lake/${reportSentKey('acme', '2026-W47')}` }).resolves({
    Body: { transformToByteArray: async () => partialMarker } as never,
    ETag: '"etag-1"',
  });
  // The lake holds none of W47's hours more than the mail covered: no coverage listed.
  s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
  s3.on(PutObjectCommand).resolves({ ETag: '"etag-2"' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

describe('report handler: {"correctionsOnly":true}', () => {
  it('with nothing due lists coverage, starts no query, mails and writes nothing, counts no report', async () => {
    const { handler, published } = build();
    const result = await handler({ correctionsOnly: true }, context);
    expect(result).toEqual({ reports: [] });
    // acme's partial week is checked against its coverage, by a listing.
    expect(
      s3.commandCalls(ListObjectsV2Command).some((c) => c.args[0].input.Prefix?.includes('coverage/')),
    ).toBe(true);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    const names = published.map((p) => p.name);
    expect(names).not.toContain(REPORT_METRICS.sent);
    expect(names).not.toContain(REPORT_METRICS.skipped);
    expect(names).not.toContain(REPORT_METRICS.bytesScanned);
  });

  it('with eachInstance hands each instance a corrections-only run of its own, no week', async () => {
    const { handler, started } = build();
    const result = await handler({ eachInstance: true, correctionsOnly: true }, context);
    expect(result).toEqual({ reports: [], started: ['acme', 'globex'] });
    expect(started).toEqual([
      { instance: 'acme', correctionsOnly: true },
      { instance: 'globex', correctionsOnly: true },
    ]);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
  });

  it('runs one instance named, and refuses a week, a resend or anything but true beside it', async () => {
    const { handler, started } = build();
    await expect(handler({ correctionsOnly: true, instance: 'globex' }, context)).resolves.toEqual({
      reports: [],
    });
    expect(
      s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Key?.includes('instance=globex')),
    ).toBe(true);
    await expect(handler({ correctionsOnly: true, week: '2026-W40' }, context)).rejects.toThrow(
      'correctionsOnly mails only the corrections due of weeks mailed with hours missing',
    );
    await expect(
      handler({ eachInstance: true, correctionsOnly: true, resend: true }, context),
    ).rejects.toThrow(/takes no "resend"/);
    // Review R2CORR: the advice was {"instance":"globex"}, which makes the week's report.
    await expect(
      handler({ eachInstance: true, correctionsOnly: true, instance: 'globex' }, context),
    ).rejects.toThrow(/for "globex" alone send \{"instance":"globex","correctionsOnly":true\}$/);
    await expect(handler({ correctionsOnly: false }, context)).rejects.toThrow(
      /correctionsOnly must be true, or left out/,
    );
    await expect(handler({ correctionOnly: true }, context)).rejects.toThrow(
      /unknown key "correctionOnly" \(the event takes only week, instance, resend, eachInstance, correctionsOnly\)/,
    );
    expect(started).toEqual([]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  // Review R2CORR: the topic check's warning came from every instance's corrections run, daily,
  // beside the weekly run's: the same news 7 times a week per instance. The weekly run warns.
  it('logs a topic that reaches nobody as information, not as a warning', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }] });
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
    try {
      const { handler } = build({ REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC });
      await handler({ correctionsOnly: true, instance: 'acme' }, context);
      const unreached = 'a topic of the stack reaches nobody, or could not be checked';
      expect(warn).not.toHaveBeenCalledWith(unreached, expect.anything());
      expect(info).toHaveBeenCalledWith(
        unreached,
        expect.objectContaining({ notices: [expect.stringContaining('Alarms go nowhere')] }),
      );
      // The weekly run still warns of it.
      await handler({ instance: 'acme' }, context).catch(() => undefined);
      expect(warn).toHaveBeenCalledWith(unreached, expect.anything());
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});
