import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { createSnsClient } from '../../functions/adapters/sns-client.ts';
import { DeliveryRefusedError } from '../../functions/core/alerts/alert-channel.ts';
import { loopbackEndpoints } from '../support/loopback-endpoint.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { oneAlertMessage } from './support/alert-message.ts';

// Publish is not idempotent on a standard topic: an SDK retry after a lost answer could send the
// alerts twice. So the client makes one attempt, bounded in time, and the outcome is left unknown.
const message = oneAlertMessage;

withoutConfiguredEndpoints();

const fakeEndpoint = loopbackEndpoints();

/** A fake SNS on loopback that counts requests, answering with `respond`; the client is pointed at it. */
async function fakeSns(respond: (req: IncomingMessage, res: ServerResponse) => void): Promise<string[]> {
  const { requests, endpoint } = await fakeEndpoint(respond);
  vi.stubEnv('AWS_ENDPOINT_URL_SNS', endpoint);
  return requests;
}

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});

describe('createSnsClient', () => {
  it('makes one attempt: no retry after a 5xx, which may have published', async () => {
    const requests = await fakeSns((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>boom</Message></Error></ErrorResponse>',
      );
    });
    const client = createSnsClient();
    expect(await client.config.maxAttempts()).toBe(1);
    const sent = new SnsAlertChannel(client, 'arn:aws:sns:eu-west-1:1:alerts').deliver(message);
    await expect(sent).rejects.toMatchObject({ $fault: 'server' });
    await expect(sent).rejects.not.toBeInstanceOf(DeliveryRefusedError);
    expect(requests).toEqual(['POST /']);
    // The handler's settings, as resolved once a request has been made.
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
  });

  it('gives up on a request that never answers, once, as an error that leaves delivery unknown', async () => {
    const requests = await fakeSns(() => {});
    const sent = new SnsAlertChannel(
      createSnsClient({ requestTimeoutMs: 200 }),
      'arn:aws:sns:eu-west-1:1:alerts',
    ).deliver(message);
    await expect(sent).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(sent).rejects.not.toBeInstanceOf(DeliveryRefusedError);
    expect(requests).toHaveLength(1);
  }, 10_000);
});
