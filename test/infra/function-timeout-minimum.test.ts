import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { Deadline } from '../../functions/core/deadline.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { noMetrics, silentLog } from '../../functions/core/ports.ts';
import { MIN_TIME_PER_INSTANCE_MS } from '../../functions/core/report/send-weekly-reports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  ALERTS_EVALUATION_RESERVE_MS,
  ALERTS_MIN_TIMEOUT_MINUTES,
} from '../../infra/config/alerts-section.ts';
import { REPORT_MIN_TIMEOUT_MINUTES } from '../../infra/config/report-section.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { acmeAlertsEnv } from '../alerts/support/alerts-env.ts';
import { freshHandlerMetrics } from '../support/fresh-handler-metrics.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { TEST_NOW } from './synth-helpers.ts';

const snsClient = new SNSClient({ region: 'eu-west-1' });
const sesClient = new SESv2Client({ region: 'eu-west-1' });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
const H = Date.parse('2026-11-18T10:00:00Z');
const NOW = H + HOUR_MS + 20 * 60_000;

const problemsOf = (raw: Record<string, unknown>): string => {
  try {
    parseActivityLakeConfig(
      { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' }, ...raw },
      TEST_NOW,
    );
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

/** A lake with one settled hour holding a lockout, which the alerts raise once they evaluate it. */
async function lakeWithALockout(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const at = H + 600_000;
  const source = new MemoryAuditSource([
    {
      timeMs: at,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: '9',
        userName: 'Mallory',
        time: at,
      },
    },
  ]);
  await runIngest(
    { ...noWaits, source, store, clock: { now: () => NOW }, log: silentLog, metrics: noMetrics },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  return store;
}

/** How many hours one alerts run evaluates when it starts with `remainingMs` left. */
async function hoursEvaluatedWith(remainingMs: number): Promise<number> {
  sns.reset();
  ses.reset();
  sns.on(PublishCommand).resolves({ MessageId: 's' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
  // One handler per remaining time, each as in a process of its own.
  freshHandlerMetrics();
  const handler = createAlertsHandler({
    env: acmeAlertsEnv(),
    store: await lakeWithALockout(),
    snsClient,
    sesClient,
    clock: { now: () => NOW },
  });
  const result = await handler({}, {
    getRemainingTimeInMillis: () => remainingMs,
    awsRequestId: 'r',
  } as never);
  return (result as { hoursEvaluated: number }).hoursEvaluated;
}

describe('the shortest function timeouts', () => {
  it('refuses an alerts timeout that would evaluate no hour, saying the minimum and why', () => {
    expect(problemsOf({ alerts: { enabled: true, email: ['sec@acme-co.com'], timeoutMinutes: 1 } })).toMatch(
      /activityLake\.alerts\.timeoutMinutes: must be at least 2: an alerts run starts no hour with less than 60 s left .*alerting would be off without any error\. Set it to 2 or more \(got 1\)/,
    );
    expect(
      problemsOf({
        alerts: { enabled: true, email: ['sec@acme-co.com'], timeoutMinutes: ALERTS_MIN_TIMEOUT_MINUTES },
      }),
    ).toBe('');
  });

  it("ties the alerts reserve to the alerts run's own: no hour just under it, every hour at it", async () => {
    expect(await hoursEvaluatedWith(ALERTS_EVALUATION_RESERVE_MS - 1)).toBe(0);
    expect(await hoursEvaluatedWith(ALERTS_EVALUATION_RESERVE_MS)).toBe(1);
    // A function of the shortest timeout starts with a little less than it, still over the reserve.
    expect(ALERTS_MIN_TIMEOUT_MINUTES * 60_000 - 1_000).toBeGreaterThan(ALERTS_EVALUATION_RESERVE_MS);
  });

  it('refuses a report timeout that would start no instance, saying the minimum and why', () => {
    const report = { enabled: true, sender: 'reports@acme-co.com', recipients: ['a@acme-co.com'] };
    expect(problemsOf({ report: { ...report, timeoutMinutes: 1 } })).toMatch(
      /activityLake\.report\.timeoutMinutes: must be at least 2: an instance's report is not started with less than 60 s of the function's time left, so a shorter function would fail every instance without running a query\. Set it to 2 or more \(got 1\)/,
    );
    expect(problemsOf({ report: { ...report, timeoutMinutes: REPORT_MIN_TIMEOUT_MINUTES } })).toBe('');
    // A function of the shortest timeout starts with a little less than it: enough to start.
    const atStart = new Deadline(() => REPORT_MIN_TIMEOUT_MINUTES * 60_000 - 1_000);
    expect(atStart.hasAtLeast(MIN_TIME_PER_INSTANCE_MS)).toBe(true);
  });
});
