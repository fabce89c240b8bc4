/**
 * A large attack through the handler (review R-ALERT5 2): 2,000 users each failing 5 times from
 * 250 rotating addresses raise 2,000 failed-login bursts and 250 password sprays, more than an
 * outbox keeps whole. The sprays come early in the attack, and the outbox folded its oldest
 * alerts whatever their kind, so the message, which gives every kind rows, listed bursts only.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { expect, it } from 'vitest';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { KEPT_PER_KIND } from '../../functions/core/alerts/alert-checkpoint.ts';
import { MAX_LISTED_ALERTS } from '../../functions/core/alerts/render-alerts.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const snsClient = new SNSClient({ region: 'eu-west-1' });
const sesClient = new SESv2Client({ region: 'eu-west-1' });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
const H = Date.parse('2026-11-18T10:00:00Z');
const USERS = 2_000;
const context = { getRemainingTimeInMillis: () => 240_000, awsRequestId: 'req-1' } as never;

const failure = (user: number, attempt: number) => {
  const time = H + user * 1000 + attempt * 20_000;
  return {
    timeMs: time,
    entry: {
      actionType: 'LOGIN_FAILED',
      eventText: 'Failed login attempt',
      userId: String(200_000 + user),
      userName: `victim${user}`,
      time,
      ipAddress: `192.0.2.${(user + attempt) % 250}`,
      eventId: `F${user}-${attempt}`,
    },
  };
};

it("lists a large attack's password sprays beside its bursts, though the outbox folded most", async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  const entries = Array.from({ length: USERS }, (_, user) =>
    Array.from({ length: 5 }, (_, attempt) => failure(user, attempt)),
  ).flat();
  const store = new MemoryObjectStore();
  const now = H + HOUR_MS + 15 * 60_000;
  await runIngest(
    {
      ...noWaits,
      source: new MemoryAuditSource(entries),
      store,
      clock: { now: () => now },
      log: silentLog,
      metrics: noMetrics,
    },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  const handler = createAlertsHandler({
    env: acmeAlertsEnv(),
    store,
    snsClient,
    sesClient,
    clock: { now: () => now },
  });
  await handler({}, context);
  const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
  const rows = message.split('\n');
  expect(rows.filter((row) => row.includes('password spray: ')).length).toBeGreaterThan(0);
  expect(rows.filter((row) => row.includes('failed-login burst: ')).length).toBeGreaterThan(0);
});

it('keeps whole as many alerts of each kind as a message lists', () => {
  expect(KEPT_PER_KIND).toBe(MAX_LISTED_ALERTS);
});
