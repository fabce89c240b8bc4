import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsClient } from '../../functions/adapters/sns-client.ts';
import { SnsTopicSubscriptions } from '../../functions/adapters/sns-topic-subscriptions.ts';
import { loopbackEndpoints } from '../support/loopback-endpoint.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { oneConfirmed, retryThrottlesAtOnce, throttled } from '../support/sns-list-answers.ts';

// ListSubscriptionsByTopic is read-only and throttled account-wide (30 calls a second): unlike
// Publish, a retry is harmless, and without one a single throttle says "could not check" in every
// instance's mail.
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';

withoutConfiguredEndpoints();
const fakeEndpoint = loopbackEndpoints();

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createSnsClient({ retries: true }), the listing client', () => {
  it('retries a throttled listing and answers with what SNS listed the second time', async () => {
    retryThrottlesAtOnce();
    const { requests, endpoint } = await fakeEndpoint((_req, res) =>
      (requests.length === 1 ? throttled : oneConfirmed(TOPIC))(res),
    );
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', endpoint);
    const client = createSnsClient({ retries: true });
    expect(await client.config.maxAttempts()).toBeGreaterThan(1);
    expect(await new SnsTopicSubscriptions(client).hasConfirmedSubscription(TOPIC)).toBe(true);
    expect(requests).toEqual(['POST /', 'POST /']);
    const handler = client.config.requestHandler as unknown as {
      httpHandlerConfigs(): {
        connectionTimeout?: number;
        requestTimeout?: number;
        throwOnRequestTimeout?: boolean;
      };
    };
    expect(handler.httpHandlerConfigs()).toMatchObject({
      connectionTimeout: 5_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
  }, 10_000);
});

// R6: with three attempts of up to 15 s each, an SNS that never answers held the report for 45 s a
// page before any instance's report was made. The whole listing now has one time limit.
describe('a listing SNS never answers', () => {
  it('gives up at the listing limit, retries included', async () => {
    const { requests, endpoint } = await fakeEndpoint(() => {
      // Never answered: only the listing's limit ends the wait.
    });
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', endpoint);
    const started = Date.now();
    const listing = new SnsTopicSubscriptions(
      createSnsClient({ retries: true }),
      300,
    ).hasConfirmedSubscription(TOPIC);
    await expect(listing).rejects.toThrow(/abort/i);
    // The default limit (20 s) cannot end it sooner than 20 s: any bound under that tells the 300 ms
    // given from it, and 15 s leaves a loaded CI machine 50 times the 0.3 s this takes.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(requests.length).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
