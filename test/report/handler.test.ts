import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListSubscriptionsByTopicCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SES_REQUEST_TIMEOUT_MS } from '../../functions/adapters/ses-mailer.ts';
import { reportKey, reportSentKey } from '../../functions/core/lake/layout.ts';
import type { QueryValue } from '../../functions/core/ports.ts';
import { REPORT_QUERY_COUNT } from '../../functions/core/report/build-report-model.ts';
import { REPORT_METRICS } from '../../functions/core/report/report-metrics.ts';
import { MIN_TIME_TO_SEND_MS } from '../../functions/core/report/send-weekly-report.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { reportEnvironment } from '../../functions/report/config.ts';
import { createReportHandler, ReportRunError } from '../../functions/report/handler.ts';
import { logger } from '../../functions/shared/powertools.ts';
import { instanceDimensions, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { CONTRACT_ROWS } from '../core/report/fake-engine.ts';
import { captureSingleMetrics } from '../support/emf-capture.ts';
import { freshHandlerMetrics } from '../support/fresh-handler-metrics.ts';
import { loopbackEndpoints } from '../support/loopback-endpoint.ts';
import { s3Error } from '../support/s3-error.ts';
import { oneConfirmed, retryThrottlesAtOnce, throttled } from '../support/sns-list-answers.ts';
import { textWords } from '../support/text-part.ts';

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
const fakeEndpoint = loopbackEndpoints();

const NOW = Date.parse('2026-11-23T08:00:00Z');
const env = reportEnvironment({
  stack: 'DomoActivityLake',
  instances: ['acme', 'globex'],
  bucket: 'lake-bucket',
  prefix: 'lake',
  workGroup: 'domo-activity-lake',
  database: 'domo_activity_lake',
  timeZone: 'Europe/London',
  sender: 'Domo activity <reports@example.com>',
  recipients: ['security@example.com', 'it@example.com'],
  alertsEnabled: false,
});

const context = { awsRequestId: 'req-1', functionName: 'report' } as unknown as Context;

const athenaType = (value: QueryValue) =>
  typeof value === 'number'
    ? Number.isInteger(value)
      ? 'bigint'
      : 'double'
    : typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:/.test(value)
      ? 'timestamp'
      : 'varchar';

/** Athena answering each catalog query with the contract rows, as text the way GetQueryResults does. */
function mockAthena(bytesPerQuery = 2048) {
  const byId = new Map<string, string>();
  let seq = 0;
  athena.on(StartQueryExecutionCommand).callsFake((input) => {
    const name = QUERY_NAMES.find((n) => loadQuery(n).sql === input.QueryString) ?? 'unknown';
    const id = `q-${++seq}`;
    byId.set(id, name);
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake(() => ({
    QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: bytesPerQuery } },
  }));
  athena.on(GetQueryResultsCommand).callsFake((input) => {
    const name = byId.get(input.QueryExecutionId) ?? '';
    const rows = CONTRACT_ROWS[name] ?? [];
    const first = rows[0] ?? {};
    const columns = Object.keys(first);
    return {
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({ Name: c, Type: athenaType(first[c] ?? null) })),
        },
        Rows: [
          { Data: columns.map((c) => ({ VarCharValue: c })) },
          ...rows.map((row) => ({
            Data: columns.map((c) => (row[c] === null ? {} : { VarCharValue: String(row[c]) })),
          })),
        ],
      },
    };
  });
}

const body = (text: string) => ({ transformToByteArray: async () => new TextEncoder().encode(text) });

function build(overrides: Record<string, string> = {}) {
  // A test that builds two handlers builds each as in a process of its own.
  freshHandlerMetrics();
  const published: { instance: string; name: string; unit: string; value: number }[] = [];
  const handler = createReportHandler({
    env: { ...env, ...overrides },
    s3Client,
    athenaClient,
    sesClient,
    snsClient,
    clock: { now: () => NOW },
    sleep: async () => {},
    publishMetric: (instance, name, unit, value) => published.push({ instance, name, unit, value }),
  });
  return { handler, published };
}

const markerPuts = (instance: string) =>
  s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Key === `lake/${reportSentKey(instance, '2026-W47')}`);

const markerState = (input: { Body?: unknown }) =>
  JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)).state;

beforeEach(() => {
  s3.reset();
  athena.reset();
  ses.reset();
  mockAthena();
  s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
  s3.on(PutObjectCommand).resolves({ ETag: '"etag-1"' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
  sns.reset();
});

/**
 * The handler on a clock that only its own waits move on: Athena's 2-minute limit passes at once.
 * `elapsedMs` is the time those waits have taken.
 */
function handlerOnVirtualTime() {
  let now = NOW;
  const handler = createReportHandler({
    env,
    s3Client,
    athenaClient,
    sesClient,
    clock: { now: () => now },
    sleep: async (ms) => {
      now += ms;
    },
    publishMetric: () => {},
  });
  return Object.assign(handler, { elapsedMs: () => now - NOW });
}

describe('report handler', () => {
  it('reports every configured instance for the last full week: Athena, archive, marker, SES', async () => {
    const { handler, published } = build();
    const result = await handler({}, context);
    expect(result.reports.map((r) => [r.instance, r.status, r.isoWeek])).toEqual([
      ['acme', 'sent', '2026-W47'],
      ['globex', 'sent', '2026-W47'],
    ]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.FromEmailAddress).toBe('Domo activity <reports@example.com>');
    expect(mail?.Destination?.ToAddresses).toEqual(['security@example.com', 'it@example.com']);
    expect(mail?.Content?.Simple?.Subject).toEqual({
      Data: 'Domo activity 2026-W47 (acme): 1 suspicious login, 1 lockout, 1 spraying address, 120 events (±0%)',
      Charset: 'UTF-8',
    });
    expect(mail?.Content?.Simple?.Body?.Html?.Charset).toBe('UTF-8');
    expect(mail?.Content?.Simple?.Body?.Html?.Data).toMatch(/^<!DOCTYPE html>/);
    expect(mail?.Content?.Simple?.Body?.Text?.Data).toContain('SUSPICIOUS LOGINS (1)');
    expect(mail?.Content?.Simple?.Body?.Text?.Data).not.toContain('Security alerts');
    // Queries ran in the configured workgroup and database, with the Europe/London week (UTC in November).
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(start).toMatchObject({
      WorkGroup: 'domo-activity-lake',
      QueryExecutionContext: { Database: 'domo_activity_lake' },
    });
    expect(
      athena.commandCalls(StartQueryExecutionCommand).flatMap((c) => c.args[0].input.ExecutionParameters),
    ).toContain("'2026-11-16 00:00:00.000'");
    // Archived under the lake prefix; the marker claimed create-only, then updated with If-Match.
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    for (const ext of ['html', 'txt', 'json'] as const)
      expect(keys).toContain(`lake/${reportKey('acme', '2026-W47', ext)}`);
    expect(markerPuts('acme').map((p) => [p.IfNoneMatch, p.IfMatch, markerState(p)])).toEqual([
      ['*', undefined, 'sending'],
      [undefined, '"etag-1"', 'sent'],
    ]);
    // Claimed first, then archived, then (after mailing) marked sent.
    expect(keys.filter((k) => k?.startsWith('lake/reports/instance=acme/'))).toEqual([
      `lake/${reportSentKey('acme', '2026-W47')}`,
      ...(['html', 'txt', 'json'] as const).map((ext) => `lake/${reportKey('acme', '2026-W47', ext)}`),
      `lake/${reportSentKey('acme', '2026-W47')}`,
    ]);
    expect(published).toEqual(
      expect.arrayContaining([
        { instance: 'acme', name: 'ReportSent', unit: 'Count', value: 1 },
        // The catalog's queries and the history check (the contract rows hold no bulk mover).
        {
          instance: 'acme',
          name: 'ReportBytesScanned',
          unit: 'Bytes',
          value: (REPORT_QUERY_COUNT + 1) * 2048,
        },
        { instance: 'globex', name: 'ReportSent', unit: 'Count', value: 1 },
      ]),
    );
  });

  // review F-MULTI2: a subsidiary's report went to the stack's recipients, in the stack's zone.
  it("mails an instance with report settings of its own to its recipients, over its zone's week", async () => {
    const own = { globex: { recipients: ['it@globex.example.org'], timeZone: 'Asia/Tokyo' } };
    const { handler } = build({ REPORT_INSTANCE_MAIL: JSON.stringify(own) });
    await handler({}, context);
    const mails = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(mails.map((m) => m.Destination?.ToAddresses)).toEqual([
      ['security@example.com', 'it@example.com'],
      ['it@globex.example.org'],
    ]);
    // Monday 16 November 00:00 in Tokyo is 15:00 UTC the day before; London's is midnight UTC.
    const starts = athena
      .commandCalls(StartQueryExecutionCommand)
      .flatMap((c) => c.args[0].input.ExecutionParameters ?? []);
    expect(starts).toContain("'2026-11-16 00:00:00.000'");
    expect(starts).toContain("'2026-11-15 15:00:00.000'");
    expect(mails[1]?.Content?.Simple?.Body?.Text?.Data).toContain('Asia/Tokyo');
  });

  it('says in both parts why the security alerts can list other logins when the stack enables them', async () => {
    const { handler } = build({ REPORT_ALERTS_ENABLED: 'true' });
    await handler({ instance: 'acme' }, context);
    const body = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body;
    const sentence =
      'Security alerts judge each hour against the 30 days before that hour, not the week against the 30 days before the week, so they can list logins this report does not, or the reverse';
    expect(textWords(body?.Text?.Data ?? '')).toContain(sentence);
    expect(body?.Html?.Data).toContain(sentence);
  });

  // The note said 30 days for the alerts whatever alerts.historyDays the stack gave them.
  it("states the alerts' own judging the stack hands it, and keeps it in the archived model", async () => {
    const { handler } = build({ REPORT_ALERTS_ENABLED: '60/5/1000' });
    await handler({ instance: 'acme' }, context);
    const body = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body;
    const sentence =
      'Security alerts judge each hour against the 60 days before that hour, not the week against the 30 days before the week,';
    const judging =
      "They also need 5 logins of history before a user's new country, network owner or hour counts (this report: 10).";
    expect(textWords(body?.Text?.Data ?? '')).toContain(sentence);
    expect(textWords(body?.Text?.Data ?? '')).toContain(judging);
    expect(body?.Html?.Data).toContain(sentence);
    expect(body?.Html?.Data).toContain(judging.replace("'", '&#39;'));
    const archived = s3
      .commandCalls(PutObjectCommand)
      .map((call) => call.args[0].input)
      .find((input) => /\d\.json$/.test(String(input.Key)));
    expect(JSON.parse(new TextDecoder().decode(archived?.Body as Uint8Array)).securityAlerts).toEqual({
      historyDays: 30,
      alertHistoryDays: 60,
      minHistoryLogins: { alerts: 5, report: 10 },
    });
  });

  // Review R-SECOND5 M1: the stack's alerts.failuresBeforeLogin never reached the report.
  it("runs with the stack's failuresBeforeLogin and lag threshold, and keeps them in the archived model", async () => {
    const { handler } = build({ REPORT_FAILURES_BEFORE_LOGIN: '9', REPORT_INGEST_LAG_HOURS: '12' });
    await handler({ instance: 'acme' }, context);
    const body = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body;
    const caption = 'A user signing in after 9 or more failed logins of theirs';
    expect(textWords(body?.Text?.Data ?? '')).toContain(caption);
    expect(body?.Html?.Data).toContain(caption);
    const archived = s3
      .commandCalls(PutObjectCommand)
      .map((call) => call.args[0].input)
      .find((input) => /\d\.json$/.test(String(input.Key)));
    expect(archived?.ContentEncoding).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(archived?.Body as Uint8Array))).toMatchObject({
      failuresBeforeLogin: 9,
      ingestLagHours: 12,
    });
  });

  // Review R-PRIVACY H1: the report did not know retention.maxDays.
  it("keeps the stack's retention.maxDays in the archived model, which the notes judge an old week by", async () => {
    const { handler } = build({ LAKE_MAX_DAYS: '400' });
    await handler({ instance: 'acme' }, context);
    const archived = s3
      .commandCalls(PutObjectCommand)
      .map((call) => call.args[0].input)
      .find((input) => /\d\.json$/.test(String(input.Key)));
    expect(JSON.parse(new TextDecoder().decode(archived?.Body as Uint8Array))).toMatchObject({
      maxDays: 400,
    });
  });

  it('says where its user_activity command runs: in a checkout, with AWS credentials (review R-REPORTID M3)', async () => {
    const { handler } = build();
    await handler({ instance: 'acme' }, context);
    const body = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body;
    const where =
      "run in a checkout of domo-activity-lake, with AWS credentials that may query the stack's Athena:";
    expect(textWords(body?.Text?.Data ?? '')).toContain(where);
    expect(textWords(body?.Text?.Data ?? '')).toContain(
      `${where} npx --no domo-activity-lake query user_activity`,
    );
    expect(body?.Html?.Data).toContain(where.replace("'", '&#39;'));
  });

  it("sends with the stack's SES configuration set, so a bounce or suppressed address reaches the operator", async () => {
    await build().handler({ instance: 'acme' }, context);
    await build({ SES_CONFIGURATION_SET: 'lake-mail-events' }).handler({ instance: 'globex' }, context);
    const sets = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.ConfigurationSetName);
    expect(sets).toEqual([undefined, 'lake-mail-events']);
  });

  describe('the check that the alarm topic reaches someone', () => {
    const textOf = (i: number) =>
      ses.commandCalls(SendEmailCommand)[i]?.args[0].input.Content?.Simple?.Body?.Text?.Data ?? '';

    it('lists the alarm topic once per run and says nothing while a subscription is confirmed', async () => {
      sns.on(ListSubscriptionsByTopicCommand).resolves({
        Subscriptions: [
          { SubscriptionArn: 'PendingConfirmation' },
          { SubscriptionArn: `${ALARM_TOPIC}:1234` },
        ],
      });
      await build({ REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC }).handler({}, context);
      expect(sns.commandCalls(ListSubscriptionsByTopicCommand).map((c) => c.args[0].input)).toEqual([
        { TopicArn: ALARM_TOPIC },
      ]);
      expect(textOf(0)).not.toContain('go nowhere');
    });

    it('opens every mail with "Alarms go nowhere" when only pending subscriptions are left', async () => {
      sns
        .on(ListSubscriptionsByTopicCommand)
        .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }] });
      await build({ REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC }).handler({}, context);
      for (const i of [0, 1]) {
        expect(textWords(textOf(i))).toContain(`NOTE: Alarms go nowhere: the topic ${ALARM_TOPIC}`);
        expect(
          ses.commandCalls(SendEmailCommand)[i]?.args[0].input.Content?.Simple?.Body?.Html?.Data,
        ).toContain('Alarms go nowhere');
      }
    });

    // review R-MSP M5, L6: at a provider, an instance's own recipients are a customer's people.
    it("keeps operator-only notices and the dig command out of a report mailed to an instance's own recipients", async () => {
      sns
        .on(ListSubscriptionsByTopicCommand)
        .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }] });
      const own = { globex: { recipients: ['it@globex.example.org'] } };
      await build({ REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC, REPORT_INSTANCE_MAIL: JSON.stringify(own) }).handler(
        {},
        context,
      );
      const to = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination?.ToAddresses);
      expect(to).toEqual([['security@example.com', 'it@example.com'], ['it@globex.example.org']]);
      expect(textWords(textOf(0))).toContain(`NOTE: Alarms go nowhere: the topic ${ALARM_TOPIC}`);
      expect(textOf(0)).toContain('user_activity');
      expect(textOf(1)).not.toContain('go nowhere');
      expect(textOf(1)).not.toContain(ALARM_TOPIC.split(':')[4] ?? 'account');
      expect(textOf(1)).not.toContain('AWS credentials');
      const html = ses.commandCalls(SendEmailCommand)[1]?.args[0].input.Content?.Simple?.Body?.Html?.Data;
      expect(html).not.toContain('go nowhere');
    });

    it('still mails the report when the check fails, saying it could not check and why', async () => {
      sns.on(ListSubscriptionsByTopicCommand).rejects(
        new SNSServiceException({
          name: 'AuthorizationErrorException',
          $fault: 'client',
          $metadata: {},
          message: 'not authorized to perform: SNS:ListSubscriptionsByTopic',
        }),
      );
      const result = await build({ REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC }).handler(
        { instance: 'acme' },
        context,
      );
      expect(result.reports.map((r) => r.status)).toEqual(['sent']);
      expect(textWords(textOf(0))).toContain(
        'NOTE: Could not check whether alarms reach anyone: listing the subscriptions of the topic',
      );
      expect(textWords(textOf(0))).toContain('not authorized to perform: SNS:ListSubscriptionsByTopic');
    });
  });

  describe('the listing client the handler builds', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    // ListSubscriptionsByTopic is throttled account-wide: one throttle must not put "could not
    // check" in every mail, so the handler's own client (not the Publish one) retries.
    it('retries a throttled listing instead of saying it could not check', async () => {
      retryThrottlesAtOnce();
      const { requests, endpoint } = await fakeEndpoint((_req, res) =>
        (requests.length === 1 ? throttled : oneConfirmed(ALARM_TOPIC))(res),
      );
      vi.stubEnv('AWS_ENDPOINT_URL_SNS', endpoint);
      vi.stubEnv('AWS_REGION', 'eu-west-1');
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
      vi.stubEnv('AWS_SESSION_TOKEN', undefined);
      const handler = createReportHandler({
        env: { ...env, REPORT_ALARM_TOPIC_ARN: ALARM_TOPIC },
        s3Client,
        athenaClient,
        sesClient,
        clock: { now: () => NOW },
        sleep: async () => {},
        publishMetric: () => {},
      });
      await handler({ instance: 'acme' }, context);
      expect(requests).toHaveLength(2);
      const text = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body?.Text?.Data;
      expect(text).toBeDefined();
      expect(text).not.toContain('Could not check');
      expect(text).not.toContain('go nowhere');
    }, 10_000);
  });

  it('does not mail when its create-only claim gets 412 from a marker another run stored', async () => {
    const markerKey = `lake/${reportSentKey('acme', '2026-W47')}`;
    const winner = JSON.stringify({
      state: 'sending',
      instance: 'acme',
      isoWeek: '2026-W47',
      attemptId: 'the-other-run',
      claimedAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
      subject: 's',
      recipients: 2,
    });
    // The other run's claim lands between this run's read and its put.
    let landed = false;
    s3.on(GetObjectCommand).callsFake((input) => {
      if (input.Key === markerKey && landed) return { ETag: '"other"', Body: body(winner) };
      throw s3Error('NoSuchKey', 404);
    });
    s3.on(PutObjectCommand, { IfNoneMatch: '*' }).callsFake(() => {
      landed = true;
      throw s3Error('PreconditionFailed', 412);
    });
    const { handler, published } = build();
    const result = await handler({ instance: 'acme' }, context);
    expect(result.reports).toEqual([
      { status: 'skipped', instance: 'acme', isoWeek: '2026-W47', reason: 'claimed' },
    ]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(published).toEqual([{ instance: 'acme', name: 'ReportSkipped', unit: 'Count', value: 1 }]);
    // The run that lost the claim archives nothing over the winner's files.
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `lake/${reportSentKey('acme', '2026-W47')}`,
    ]);
  });

  it('mails when its own claim was stored but the SDK retry of the lost answer got 412', async () => {
    const markerKey = `lake/${reportSentKey('acme', '2026-W47')}`;
    let stored: { body: string; etag: string } | undefined;
    s3.on(GetObjectCommand).callsFake((input) => {
      if (input.Key === markerKey && stored) return { Body: body(stored.body), ETag: stored.etag };
      throw s3Error('NoSuchKey', 404);
    });
    s3.on(PutObjectCommand).callsFake((input) => {
      if (input.Key !== markerKey) return { ETag: '"archive"' };
      if (input.IfNoneMatch === '*' && stored) throw s3Error('PreconditionFailed', 412);
      if (input.IfMatch !== undefined && input.IfMatch !== stored?.etag)
        throw s3Error('PreconditionFailed', 412);
      stored = {
        body: new TextDecoder().decode(input.Body as Uint8Array),
        etag: `"m${markerPuts('acme').length}"`,
      };
      // The claim is stored, but its answer was lost (a 500, a reset) and the SDK's retry of the
      // create-only put got 412: the client mock stands in for both attempts.
      if (markerPuts('acme').length === 1) throw s3Error('PreconditionFailed', 412);
      return { ETag: stored.etag };
    });
    const { handler, published } = build();
    const result = await handler({ instance: 'acme' }, context);
    expect(result.reports).toMatchObject([{ status: 'sent', instance: 'acme', isoWeek: '2026-W47' }]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(JSON.parse(stored?.body ?? '{}')).toMatchObject({ state: 'sent', messageId: 'ses-message-1' });
    expect(published).toContainEqual({ instance: 'acme', name: 'ReportSent', unit: 'Count', value: 1 });
  });

  it('fails, naming the marker and the resend, when a lost claim finds no marker: its own put may land', async () => {
    const markerKey = `lake/${reportSentKey('acme', '2026-W47')}`;
    let stored: { body: string; etag: string } | undefined;
    let pending: string | undefined;
    s3.on(GetObjectCommand).callsFake((input) => {
      if (input.Key !== markerKey) throw s3Error('NoSuchKey', 404);
      const answer = stored ? { Body: body(stored.body), ETag: stored.etag } : undefined;
      // The claim's first attempt, still in flight, lands once the re-reads after the 409 (the one
      // that looks for the bytes put, the fresh one the claim is decided on again) have been
      // answered. Landing between the two, it is seen and the claim won (week-claim.test.ts).
      if (pending && s3.commandCalls(GetObjectCommand).length >= 3) {
        stored = { body: pending, etag: '"claim"' };
        pending = undefined;
      }
      if (answer) return answer;
      throw s3Error('NoSuchKey', 404);
    });
    const conditionFails = (input: { IfNoneMatch?: string; IfMatch?: string }) =>
      input.IfNoneMatch === '*'
        ? stored !== undefined || pending !== undefined
        : input.IfMatch !== undefined && input.IfMatch !== stored?.etag;
    s3.on(PutObjectCommand).callsFake((input) => {
      if (input.Key !== markerKey) return { ETag: '"archive"' };
      if (conditionFails(input)) throw s3Error('PreconditionFailed', 412);
      if (!stored && !pending) {
        // The first attempt is being processed; the SDK's retry of it gets 409.
        pending = new TextDecoder().decode(input.Body as Uint8Array);
        throw s3Error('ConditionalRequestConflict', 409);
      }
      stored = { body: new TextDecoder().decode(input.Body as Uint8Array), etag: '"next"' };
      return { ETag: stored.etag };
    });
    const { handler, published } = build();
    const failure = await handler({ instance: 'acme' }, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReportRunError);
    const message = (failure as ReportRunError).failures[0]?.message ?? '';
    const attemptId = JSON.parse(stored?.body ?? '{}').attemptId;
    expect(JSON.parse(stored?.body ?? '{}').state).toBe('sending');
    expect(message).toContain('reading it again found no marker');
    expect(message).toContain(
      `if s3://lake-bucket/lake/reports/instance=acme/2026-W47.sent.json is in state sending with attemptId ${attemptId}, only a resend sends it: invoke the report function with {"week":"2026-W47","instance":"acme","resend":true}`,
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(published).not.toContainEqual(expect.objectContaining({ name: 'ReportSkipped' }));

    // The marker no run holds blocks a plain run; the resend the message names sends the week once.
    const plain = await handler({ week: '2026-W47', instance: 'acme' }, context);
    expect(plain.reports).toMatchObject([{ status: 'skipped', reason: 'sending' }]);
    const resent = await handler({ week: '2026-W47', instance: 'acme', resend: true }, context);
    expect(resent.reports).toMatchObject([{ status: 'sent', isoWeek: '2026-W47' }]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(JSON.parse(stored?.body ?? '{}')).toMatchObject({ state: 'sent' });
  });

  it('says how to send a week whose claim S3 answered with an error it may have stored anyway', async () => {
    s3.on(PutObjectCommand, { IfNoneMatch: '*' }).rejects(s3Error('InternalError', 500));
    const { handler } = build();
    const run = handler({ instance: 'acme' }, context);
    await expect(run).rejects.toThrow(
      /acme: the weekly report 2026-W47 of acme was not sent: claiming the week failed \(.*InternalError.*\); nothing was mailed\. .*if s3:\/\/lake-bucket\/lake\/reports\/instance=acme\/2026-W47\.sent\.json is in state sending with attemptId [0-9a-f-]{36}, only a resend sends it: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}/,
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('says how to send a week whose claim S3 answered 409 on every try (another put of it in flight)', async () => {
    // The S3 store waits out and sends the claim again (up to 750 ms of real waits here), then
    // gives up: this run's own first attempt may still land, so the claim is explained as any
    // claim error, naming this attempt and the resend, with no advice that contradicts it.
    s3.on(PutObjectCommand, { IfNoneMatch: '*' }).rejects(s3Error('ConditionalRequestConflict', 409));
    const { handler } = build();
    const error = await handler({ instance: 'acme' }, context).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /acme: the weekly report 2026-W47 of acme was not sent: claiming the week failed \(S3 answered 5 conditional puts of s3:\/\/lake-bucket\/lake\/reports\/instance=acme\/2026-W47\.sent\.json with 409 ConditionalRequestConflict, .*\); nothing was mailed\. .*if s3:\/\/lake-bucket\/lake\/reports\/instance=acme\/2026-W47\.sent\.json is in state sending with attemptId [0-9a-f-]{36}, only a resend sends it: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}/,
    );
    expect(String(error)).not.toMatch(/run again/i);
    expect(markerPuts('acme')).toHaveLength(5);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('leaves a week whose marker a finished run left at sending to a resend, which sends it', async () => {
    s3.on(GetObjectCommand).resolves({
      ETag: '"stale"',
      Body: body(
        JSON.stringify({
          state: 'sending',
          instance: 'acme',
          isoWeek: '2026-W47',
          attemptId: 'a-run-long-gone',
          claimedAt: '2026-11-23T07:00:00.000Z',
          updatedAt: '2026-11-23T07:00:00.000Z',
          subject: 's',
          recipients: 2,
        }),
      ) as never,
    });
    const { handler } = build();
    const plain = await handler({ week: '2026-W47', instance: 'acme' }, context);
    expect(plain.reports).toMatchObject([{ status: 'skipped', reason: 'sending' }]);
    const resent = await handler({ week: '2026-W47', instance: 'acme', resend: true }, context);
    expect(resent.reports).toMatchObject([{ status: 'sent' }]);
    expect(markerPuts('acme')[0]).toMatchObject({ IfMatch: '"stale"' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('names the resend when a resend runs out of time, and that invocation sends the week', async () => {
    const unknown = JSON.stringify({
      state: 'unknown',
      instance: 'acme',
      isoWeek: '2026-W47',
      attemptId: 'a-run-long-gone',
      claimedAt: '2026-11-23T07:00:00.000Z',
      updatedAt: '2026-11-23T07:00:00.000Z',
      subject: 's',
      recipients: 2,
    });
    s3.on(GetObjectCommand).callsFake(() => ({ ETag: '"u"', Body: body(unknown) }));
    const { handler } = build();
    // The time drops to 20 s once five queries have started: the rest are stopped.
    const slow = {
      ...context,
      getRemainingTimeInMillis: () =>
        athena.commandCalls(StartQueryExecutionCommand).length < 5 ? 200_000 : 20_000,
    } as unknown as Context;
    const failure = await handler({ week: '2026-W47', instance: 'acme', resend: true }, slow).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ReportRunError);
    const message = (failure as ReportRunError).failures[0]?.message ?? '';
    expect(message).toMatch(
      /its queries were given up .* Nothing was claimed or mailed, so only the resend again sends it: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}; raise report\.timeoutMinutes/,
    );
    expect(message).not.toMatch(/a run for this week sends it/);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);

    // The invocation the message names sends the week (the one without "resend" would skip it).
    const named = JSON.parse(message.slice(message.indexOf('{'), message.indexOf('}') + 1));
    const again = await handler(named, context);
    expect(again.reports).toMatchObject([{ status: 'sent', isoWeek: '2026-W47' }]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('names the week and the invocation that sends it when an Athena request fails', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const { handler } = build();
    // The schedule's {}: the failure must name the week, which {} would no longer mean next Monday.
    const run = handler({ instance: 'acme' }, context);
    await expect(run).rejects.toThrow(
      /^weekly report failed for 1 instance\(s\): acme: Athena StartQueryExecution .*TooManyRequestsException: Rate exceeded: invoke the report function with \{"week":"2026-W47","instance":"acme"\}$/,
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    // Nothing was claimed, so that invocation sends the week.
    expect(markerPuts('acme')).toEqual([]);
    athena.reset();
    mockAthena();
    const named = await handler({ week: '2026-W47', instance: 'acme' }, context);
    expect(named.reports).toMatchObject([{ status: 'sent', isoWeek: '2026-W47' }]);
  });

  it('mails the current week as a preview without claiming or archiving it', async () => {
    const { handler, published } = build();
    // NOW is Monday 08:00 London: W48 has just begun.
    const result = await handler({ week: '2026-W48', instance: 'acme' }, context);
    expect(result.reports).toEqual([
      expect.objectContaining({
        status: 'preview',
        instance: 'acme',
        isoWeek: '2026-W48',
        messageId: 'ses-message-1',
      }),
    ]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Subject?.Data).toMatch(
      /^Domo activity 2026-W48 \(acme\) \[preview: week in progress\]: /,
    );
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(published.map((p) => p.name)).toEqual(['ReportBytesScanned']);
  });

  it('does not claim a week with too little of the function time left to mail it, and fails the instance', async () => {
    const { handler } = build();
    // Enough to start the instance and its queries; they then use up all but 20 s.
    const slowContext = {
      ...context,
      getRemainingTimeInMillis: () =>
        athena.commandCalls(StartQueryExecutionCommand).length < REPORT_QUERY_COUNT ? 200_000 : 20_000,
    } as unknown as Context;
    const run = handler({ instance: 'acme' }, slowContext);
    await expect(run).rejects.toThrow(ReportRunError);
    await expect(run).rejects.toThrow(
      /acme: the weekly report 2026-W47 of acme was not sent: only 20 s .*Nothing was claimed or mailed, so a run for this week sends it: invoke the report function with \{"week":"2026-W47","instance":"acme"\}; raise report.timeoutMinutes in cdk.json if this recurs/,
    );
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  /**
   * Athena on the fake clock: query `q-<n>` (in start order) succeeds `outcome(id)` ms after its
   * start, or fails at once (`'failed'`, an internal error).
   */
  function timedAthena(outcome: (id: string) => number | 'failed'): void {
    const startedAt = new Map<string, number>();
    athena.on(StartQueryExecutionCommand).callsFake(() => {
      const id = `q-${startedAt.size + 1}`;
      startedAt.set(id, Date.now());
      return { QueryExecutionId: id };
    });
    athena.on(GetQueryExecutionCommand).callsFake((input) => {
      const id = input.QueryExecutionId ?? '';
      const takes = outcome(id);
      if (takes === 'failed') {
        return {
          QueryExecution: {
            Status: { State: 'FAILED', AthenaError: { ErrorCategory: 1, ErrorMessage: 'internal error' } },
          },
        };
      }
      const done = Date.now() - (startedAt.get(id) ?? 0) >= takes;
      return { QueryExecution: { Status: { State: done ? 'SUCCEEDED' : 'RUNNING' } } };
    });
  }

  /** The report handler with the fake clock's time. */
  const handlerOnFakeClock = () =>
    createReportHandler({
      env,
      s3Client,
      athenaClient,
      sesClient,
      clock: { now: () => Date.now() },
      publishMetric: () => {},
    });

  it('stops queries that would run into the function timeout and fails the instance with why', async () => {
    vi.useFakeTimers({ now: NOW });
    try {
      // Every query takes 100 s: thirteen of them, four at a time, need 400 s; the function has 300.
      timedAthena(() => 100_000);
      const timeout = NOW + 300_000;
      const handler = handlerOnFakeClock();
      const timed = {
        ...context,
        getRemainingTimeInMillis: () => timeout - Date.now(),
      } as unknown as Context;
      let failure: Error | undefined;
      const run = handler({ instance: 'acme' }, timed).catch((error: Error) => {
        failure = error;
      });
      while (!failure && Date.now() < timeout) await vi.advanceTimersByTimeAsync(1_000);
      await run;
      expect(failure?.message).toMatch(
        /acme: the weekly report 2026-W47 of acme was not sent: its queries were given up with only (29|30) s left \(still running: .+\), .*Nothing was claimed or mailed, so a run for this week sends it: invoke the report function with \{"week":"2026-W47","instance":"acme"\}/,
      );
      expect(Date.now()).toBeLessThan(timeout - 20_000);
      expect(athena.commandCalls(StopQueryExecutionCommand).length).toBeGreaterThan(0);
      expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not advise raising report.timeoutMinutes at 15 when a share of the time limits a query (R-CONFIG2 L7)', async () => {
    vi.useFakeTimers({ now: NOW });
    try {
      timedAthena(() => 3_600_000);
      const handler = handlerOnFakeClock();
      // A 15-minute function whose earlier instances left 300 s: each query then waits 120 s.
      let calls = 0;
      const shared = {
        ...context,
        getRemainingTimeInMillis: () => (calls++ === 0 ? 899_990 : NOW + 300_000 - Date.now()),
      } as unknown as Context;
      let failure: Error | undefined;
      const run = handler({ instance: 'acme' }, shared).catch((error: Error) => {
        failure = error;
      });
      while (!failure && Date.now() < NOW + 300_000) await vi.advanceTimersByTimeAsync(1_000);
      await run;
      expect(failure?.message).toMatch(/did not finish within 120 s/);
      expect(failure?.message).toMatch(/report\.timeoutMinutes is at Lambda's most \(15 minutes\)/);
      expect(failure?.message).not.toMatch(/raise report\.timeoutMinutes in cdk\.json \(up to 15/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not claim the queries were stopped when Athena refused every stop', async () => {
    vi.useFakeTimers({ now: NOW });
    try {
      // The message is made when the time runs out, before any stop is sent: here every stop fails.
      timedAthena(() => 100_000);
      athena.on(StopQueryExecutionCommand).rejects(new Error('ThrottlingException: Rate exceeded'));
      const timeout = NOW + 300_000;
      const handler = handlerOnFakeClock();
      const timed = {
        ...context,
        getRemainingTimeInMillis: () => timeout - Date.now(),
      } as unknown as Context;
      let failure: Error | undefined;
      const run = handler({ instance: 'acme' }, timed).catch((error: Error) => {
        failure = error;
      });
      while (!failure && Date.now() < timeout) await vi.advanceTimersByTimeAsync(1_000);
      await run;
      expect(athena.commandCalls(StopQueryExecutionCommand).length).toBeGreaterThan(0);
      expect(failure?.message).not.toContain('were stopped');
      expect(failure?.message).toMatch(
        /its queries were given up with only (29|30) s left \(still running: [^;]+; Athena stops them unless a warning says a stop failed\)/,
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts no more queries once one failed, and stops those still running', async () => {
    vi.useFakeTimers({ now: NOW });
    try {
      // The first query (this week's period_totals) fails at once; every other one would take 30 s.
      timedAthena((id) => (id === 'q-1' ? 'failed' : 30_000));
      const handler = handlerOnFakeClock();
      let failure: Error | undefined;
      const run = handler({ instance: 'acme' }, context).catch((error: Error) => {
        failure = error;
      });
      for (let s = 0; s < 120 && !failure; s++) await vi.advanceTimersByTimeAsync(1_000);
      await run;
      const startsBeforeFailure = athena.commandCalls(StartQueryExecutionCommand).length;
      // Nothing is started later either.
      await vi.advanceTimersByTimeAsync(120_000);
      expect(failure?.message).toMatch(/acme: Athena query period_totals FAILED .*internal error/);
      // The first four (the concurrency), of which the three still running are stopped.
      expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(4);
      expect(startsBeforeFailure).toBe(4);
      expect(
        athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input.QueryExecutionId),
      ).toEqual(['q-2', 'q-3', 'q-4']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps enough time after a claim to wait out one SES request and record its outcome', () => {
    expect(MIN_TIME_TO_SEND_MS).toBeGreaterThan(SES_REQUEST_TIMEOUT_MS + 5_000);
  });

  /** acme's W47 marker already says sent. */
  const markedSent = () =>
    s3.on(GetObjectCommand).resolves({
      ETag: '"m"',
      Body: body(
        JSON.stringify({
          state: 'sent',
          instance: 'acme',
          isoWeek: '2026-W47',
          attemptId: 'a',
          claimedAt: '2026-11-23T07:00:00.000Z',
          updatedAt: '2026-11-23T07:00:01.000Z',
          subject: 's',
          recipients: 2,
          messageId: 'ses-0',
        }),
      ) as never,
    });

  it('skips without querying Athena when the marker says sent', async () => {
    markedSent();
    const { handler } = build();
    const result = await handler({ instance: 'acme' }, context);
    expect(result.reports[0]).toMatchObject({ status: 'skipped', reason: 'sent' });
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('marks a mail SES refused as failed, still reports the other instance, and fails the invocation', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(
        new MessageRejected({
          $metadata: { httpStatusCode: 400 },
          message: 'Email address is not verified.',
        }),
      )
      .resolves({ MessageId: 'ses-2' });
    const { handler } = build();
    const run = handler({}, context);
    await expect(run).rejects.toThrow(ReportRunError);
    await expect(run).rejects.toThrow(
      /acme: .*refused by the mail service.*MessageRejected.*sandbox.*then a run for this week sends it: invoke the report function with \{"week":"2026-W47","instance":"acme"\}/,
    );
    expect(markerPuts('acme').map(markerState)).toEqual(['sending', 'failed']);
    expect(markerPuts('globex').map(markerState)).toEqual(['sending', 'sent']);
  });

  it('mails a week already marked sent again when the event asks for a deliberate resend', async () => {
    markedSent();
    const { handler } = build();
    const result = await handler({ instance: 'acme', week: '2026-W47', resend: true }, context);
    expect(result.reports[0]).toMatchObject({ instance: 'acme', status: 'sent' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  // review R-MSP L4: a resend is for one instance's people.
  it('refuses a resend that names no instance when it reports several, mailing nothing', async () => {
    markedSent();
    const { handler } = build();
    await expect(handler({ week: '2026-W47', resend: true }, context)).rejects.toThrow(
      /a resend without "instance" would mail the week again to every instance's recipients \(acme, .*"instance":"acme","resend":true/,
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('stops an Athena query that runs past 2 minutes and fails the instance with why', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    const handler = handlerOnVirtualTime();
    const error = await handler({ instance: 'acme' }, context).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/acme: .*did not finish within 120 s .*it was stopped/);
    // The report's advice: a week has no period to narrow; the function's timeout raises the limit.
    expect((error as Error).message).toMatch(/raise report\.timeoutMinutes in cdk\.json \(up to 15/);
    expect((error as Error).message).not.toMatch(/Narrow the period/);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it("gives each Athena query its share of the invocation's time: a longer timeout, a longer limit", async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    const limits: string[] = [];
    for (const minutes of [5, 10, 15]) {
      // The remaining time on the handler's own virtual clock, which only its waits move on.
      const handler = handlerOnVirtualTime();
      const timed = {
        ...context,
        getRemainingTimeInMillis: () => minutes * 60_000 - handler.elapsedMs(),
      } as unknown as Context;
      const error = await handler({ instance: 'acme' }, timed).catch((e: Error) => e);
      limits.push(
        /did not finish within (\d+) s/.exec((error as Error).message)?.[1] ?? (error as Error).message,
      );
    }
    // 5 and 10 minutes keep the 120 s of before; 15 shares (timeout - 30 s) among 5 waves.
    expect(limits).toEqual(['120', '120', '174']);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('logs a stop Athena refused as a warning, with the query and why', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).rejects(new Error('not authorized: athena:StopQueryExecution'));
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      const handler = handlerOnVirtualTime();
      await expect(handler({ instance: 'acme' }, context)).rejects.toThrow(
        /acme: .*did not finish within 120 s .*it could not be stopped: not authorized/,
      );
      expect(warn).toHaveBeenCalledWith(
        'could not stop an Athena query; stop it in the Athena console',
        expect.objectContaining({ error: 'not authorized: athena:StopQueryExecution' }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('words an unknown delivery with the invocation that resends it', async () => {
    ses.on(SendEmailCommand).rejects(new Error('socket hang up'));
    const { handler } = build();
    const run = handler({ instance: 'acme' }, context);
    await expect(run).rejects.toThrow(
      /acme: sending the weekly report 2026-W47 of acme failed .*not resent automatically: check the inbox, and to send it again invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}/,
    );
    expect(markerPuts('acme').map(markerState)).toEqual(['sending', 'unknown']);
  });

  /** S3 takes the claim (and `firstPuts` - 1 puts after it), then fails every put. */
  function s3FailingAfter(firstPuts: number) {
    let stored: { body: string; etag: string } | undefined;
    let puts = 0;
    s3.on(PutObjectCommand).callsFake((input) => {
      if (++puts > firstPuts) throw s3Error('ServiceUnavailable', 503);
      if (input.Key === `lake/${reportSentKey('acme', '2026-W47')}`)
        stored = { body: new TextDecoder().decode(input.Body as Uint8Array), etag: `"e${puts}"` };
      return { ETag: `"e${puts}"` };
    });
    /** S3 is back, holding what it stored. */
    return () => {
      s3.on(GetObjectCommand).callsFake(() =>
        stored ? { Body: body(stored.body), ETag: stored.etag } : Promise.reject(s3Error('NoSuchKey', 404)),
      );
      s3.on(PutObjectCommand).resolves({ ETag: '"e-back"' });
    };
  }

  it('names the resend when archiving failed and the marker could not be set to failed either', async () => {
    const recover = s3FailingAfter(1);
    const { handler } = build();
    await expect(handler({ instance: 'acme' }, context)).rejects.toThrow(
      /acme: the weekly report 2026-W47 of acme was not sent because archiving it .* failed .*; nothing was mailed, so only a resend sends it: the marker s3:\/\/lake-bucket\/lake\/reports\/instance=acme\/2026-W47\.sent\.json could not be set to failed and stays sending, which blocks every other run: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}/,
    );
    recover();
    // What the message says works; the event without resend would skip the week.
    const plain = await handler({ week: '2026-W47', instance: 'acme' }, context);
    expect(plain.reports).toMatchObject([{ status: 'skipped', reason: 'sending' }]);
    const resent = await handler({ week: '2026-W47', instance: 'acme', resend: true }, context);
    expect(resent.reports).toMatchObject([{ status: 'sent' }]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('names the resend when SES refused the mail and the marker could not be set to failed', async () => {
    s3FailingAfter(4);
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ $metadata: {}, message: 'Email address is not verified.' }));
    const { handler } = build();
    await expect(handler({ instance: 'acme' }, context)).rejects.toThrow(
      /acme: the weekly report 2026-W47 of acme was refused by the mail service .*fix the cause, then only a resend sends it: the marker s3:\/\/lake-bucket\/lake\/reports\/instance=acme\/2026-W47\.sent\.json could not be set to failed and stays sending, which blocks every other run: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}/,
    );
  });

  it('reports a chosen week for one instance on request, and refuses instances it does not report', async () => {
    const { handler } = build();
    const result = await handler({ week: '2026-W40', instance: 'globex' }, context);
    expect(result.reports).toMatchObject([{ instance: 'globex', isoWeek: '2026-W40', status: 'sent' }]);
    await expect(handler({ instance: 'initech' }, context)).rejects.toThrow(
      /instance "initech" is not reported by this function; it reports: acme, globex/,
    );
    await expect(handler({ week: '47' }, context)).rejects.toThrow(/week must look like 2026-W47/);
  });

  // review deploy second look L7: the message named only {} and a resend, not the events the
  // function takes since each instance has an invocation of its own.
  it('refuses an event with a misspelt key instead of mailing the last full week to every instance', async () => {
    const { handler } = build();
    await expect(handler({ isoWeek: '2026-W45', resend: true }, context)).rejects.toThrow(
      /report event is invalid: unknown key "isoWeek" \(the event takes only week, instance, resend, eachInstance, correctionsOnly\)\. Send \{"eachInstance":true\} for every instance's last full week, each in an invocation of its own \(what the schedule sends\), \{"instance":"acme"\} for one, \{"week":"2026-W47","instance":"acme","resend":true\} to mail a week again, \{"correctionsOnly":true\} for only the corrections due of weeks mailed with hours missing, or \{\} for every instance in this one invocation/,
    );
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('does not start an instance with too little time left, and says so by failing the run', async () => {
    const { handler } = build();
    const shortContext = {
      ...context,
      // The first instance uses up most of the time: only 30 s are left once it is mailed.
      getRemainingTimeInMillis: () => (ses.commandCalls(SendEmailCommand).length === 0 ? 200_000 : 30_000),
    } as unknown as Context;
    const run = handler({}, shortContext);
    await expect(run).rejects.toThrow(
      /globex: not started: only 30 s of the function's time were left; to send it, invoke the report function with \{"week":"2026-W47","instance":"globex"\}, and raise report.timeoutMinutes/,
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });
});

describe('report handler metrics as CloudWatch reads them', () => {
  it('publishes ReportSent through Powertools with exactly the dimensions the NoReportSent alarm watches', async () => {
    const capture = captureSingleMetrics();
    try {
      const handler = createReportHandler({
        env,
        s3Client,
        athenaClient,
        sesClient,
        clock: { now: () => NOW },
        sleep: async () => {},
      });
      await handler({}, context);
    } finally {
      capture.restore();
    }
    // The alarm (test/infra/heartbeat-alarms.test.ts) watches instanceDimensions(stack, instance).
    for (const instance of ['acme', 'globex']) {
      expect(capture.points).toContainEqual({
        namespace: METRIC_NAMESPACE,
        name: REPORT_METRICS.sent,
        value: 1,
        dimensions: instanceDimensions('DomoActivityLake', instance),
      });
    }
  });
});
