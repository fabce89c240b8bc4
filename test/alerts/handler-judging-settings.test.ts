/**
 * The sign-in judging settings a deploy sets (`alerts.historyDays`, `minHistoryLogins`,
 * `maxSpeedKmh` in cdk.json, carried in `ALERTS_SETTINGS`) reach the run through the handler: the
 * mail's suspicious_logins step gives them, so the query judges as the alerts did. Until
 * 2026-12-07 the stack set none of them, and every deployed mail gave the defaults.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ALERTS_ENV } from '../../functions/alerts/config.ts';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { HOUR_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const snsClient = new SNSClient({ region: 'eu-west-1' });
const sesClient = new SESv2Client({ region: 'eu-west-1' });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
const H = Date.parse('2026-11-18T10:00:00Z');
const NOW = H + HOUR_MS + 20 * MINUTE_MS;
const context = { getRemainingTimeInMillis: () => 240_000, awsRequestId: 'req-1' } as never;

/** A lake whose 10:00 hour holds 4 failed logins of Ann, then her sign-in: a login after failures. */
async function lake(): Promise<MemoryObjectStore> {
  const entry = (minute: number, actionType: string) => ({
    timeMs: H + minute * MINUTE_MS,
    entry: {
      actionType,
      eventText: actionType === 'LOGGED_IN' ? 'User logged in' : 'Failed login attempt',
      userId: '4242',
      userName: 'Ann Lee',
      time: H + minute * MINUTE_MS,
      ipAddress: '3.3.3.3',
      eventId: `E${minute}`,
    },
  });
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource([
    ...[1, 2, 3, 4].map((minute) => entry(minute, 'LOGIN_FAILED')),
    entry(6, 'LOGGED_IN'),
  ]);
  await runIngest(
    { ...noWaits, source, store, clock: { now: () => NOW }, log: silentLog, metrics: noMetrics },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  return store;
}

/** The `  name 'value'` lines of the message's suspicious_logins step. */
async function suspiciousLoginsStep(settings: Record<string, number>): Promise<Record<string, string>> {
  const env = acmeAlertsEnv();
  env[ALERTS_ENV.settings] = JSON.stringify({ ...DEFAULT_ALERT_SETTINGS, ...settings });
  const handler = createAlertsHandler({
    env,
    store: await lake(),
    snsClient,
    sesClient,
    clock: { now: () => NOW },
  });
  await handler({}, context);
  const text = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
  expect(text).toContain('login after failed logins');
  const lines = text.split('\n');
  const from = lines.indexOf('suspicious_logins:');
  expect(from, 'the suspicious_logins step').toBeGreaterThan(-1);
  const values: Record<string, string> = {};
  for (const line of lines.slice(from + 1)) {
    const value = /^ {2}(\w+) '([^']*)'$/.exec(line);
    if (!value) break;
    values[value[1] as string] = value[2] as string;
  }
  return values;
}

beforeEach(() => {
  sns.reset();
  ses.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

describe('the sign-in judging settings of a deployed alerts function', () => {
  it("give the mail's suspicious_logins step the deploy's values, its history the days before the steps", async () => {
    const step = await suspiciousLoginsStep({ historyDays: 14, minHistoryLogins: 5, maxSpeedKmh: 800 });
    // The steps start the day before the alert (the 17th): the history is the 14 days before it.
    expect(step).toMatchObject({
      doer_id: '4242',
      history_from_dt: '2026-11-03',
      history_from_ts: '2026-11-03 00:00:00.000',
      min_history_logins: '5',
      max_speed_kmh: '800',
    });
  });

  it("give the query's own values with the defaults", async () => {
    expect(await suspiciousLoginsStep({})).toMatchObject({
      history_from_dt: '2026-10-18',
      min_history_logins: '10',
      max_speed_kmh: '1000',
    });
  });
});
