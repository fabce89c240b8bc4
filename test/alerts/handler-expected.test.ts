/**
 * The alerts Lambda applies the expected-activity list its environment carries, to sign-in alerts
 * only: a lockout is published whatever the list says (review R-MUTE4). What a quieted sign-in
 * alert becomes is tested through the run (test/core/alerts/run-expected-activity.test.ts).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ALERTS_ENV } from '../../functions/alerts/config.ts';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { ingestedHour, record } from '../core/alerts/support/alert-fixtures.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const snsClient = new SNSClient({ region: 'eu-west-1' });
const sesClient = new SESv2Client({ region: 'eu-west-1' });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
const H = Date.parse('2026-11-18T10:00:00Z');
const NOW = H + HOUR_MS + 20 * 60_000;
const context = { getRemainingTimeInMillis: () => 240_000, awsRequestId: 'req-1' } as never;

beforeEach(() => {
  sns.reset();
  ses.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

/** The handler over a lake whose 10:00 hour holds a lockout of user 9, with `expected` in its environment. */
async function invoke(expected: unknown[]) {
  const store = new MemoryObjectStore();
  const lockout = record({
    category: 'lockout',
    event_time_ms: H + 600_000,
    user_id: '9',
    ip_address: '8.8.4.4',
  });
  await ingestedHour(store, H, [lockout], NOW);
  const env = { ...acmeAlertsEnv(), [ALERTS_ENV.expected]: JSON.stringify(expected) };
  const handler = createAlertsHandler({ env, store, snsClient, sesClient, clock: { now: () => NOW } });
  return handler({}, context);
}

describe('the alerts handler with alerts.expected', () => {
  it('sends a lockout though a rule names its user and address: failures are never quieted', async () => {
    const result = await invoke([
      { name: 'svc', user: '9', ip: '8.8.4.4', reason: 'service account', until: '2026-12-31' },
    ]);
    expect(result).toMatchObject({ raised: 1, quieted: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('sends the alert a rule does not match', async () => {
    const result = await invoke([{ user: '10', reason: 'another account' }]);
    expect(result).toMatchObject({ raised: 1, quieted: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });
});
