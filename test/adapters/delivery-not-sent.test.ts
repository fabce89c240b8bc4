import { createServer } from 'node:net';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MailAlertChannel } from '../../functions/adapters/mail-alert-channel.ts';
import { createSesClient, SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { DeliveryRefusedError } from '../../functions/core/alerts/alert-channel.ts';
import { deliverChannel } from '../../functions/core/alerts/deliver-alerts.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';
import {
  alertAt,
  channelState,
  deliveryContext,
  NOW,
  storeChannel,
} from '../core/alerts/support/delivery-fixtures.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { oneAlertMessage } from './support/alert-message.ts';

// A failure before the request went out (no connection, no credentials) sent nothing: it is a
// refusal, retried, not an unknown outcome never repeated. After it went out (a reset, a request
// timeout, a 5xx) it stays unknown: a retry could deliver twice.
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const snsClient = new SNSClient({ region: 'eu-west-1', credentials });
const sesClient = new SESv2Client({ region: 'eu-west-1', credentials });
const sns = mockClient(snsClient);
const ses = mockClient(sesClient);
beforeEach(() => {
  sns.reset();
  ses.reset();
});
afterAll(() => {
  sns.restore();
  ses.restore();
});

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });
const named = (name: string, message: string, code?: string) =>
  Object.assign(new Error(message), { name, ...(code ? { code } : {}) });

const notSent: [string, Error][] = [
  ['connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 203.0.113.1:443')],
  ['no such host', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND sns.eu-west-1.amazonaws.com')],
  ['DNS not answering', coded('EAI_AGAIN', 'getaddrinfo EAI_AGAIN sns.eu-west-1.amazonaws.com')],
  [
    'connect timeout',
    named(
      'TimeoutError',
      '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.',
    ),
  ],
  [
    'older connect timeout',
    named('TimeoutError', 'Socket timed out without establishing a connection within 5000 ms'),
  ],
  ['no credentials', named('CredentialsProviderError', 'Could not load credentials from any providers')],
  [
    'every address refused',
    new AggregateError([coded('ECONNREFUSED', 'a'), coded('ECONNREFUSED', 'b')], 'connect failed'),
  ],
];
const mayHaveArrived: [string, Error][] = [
  ['socket reset', named('TimeoutError', 'read ECONNRESET', 'ECONNRESET')],
  [
    'request timeout',
    named(
      'TimeoutError',
      '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 20000 ms requestTimeout.',
      'ETIMEDOUT',
    ),
  ],
  ['socket hang up', new Error('socket hang up')],
];

const channel = new SnsAlertChannel(snsClient, 'arn:aws:sns:eu-west-1:1:alerts');
const mailer = new SesMailer({ client: sesClient });
const mail = { from: 'a@example.com', to: ['b@example.com'], subject: 's', html: 'h', text: 't' };

describe('a failure before the request went out', () => {
  it.each(notSent)('%s: SNS counts it a refusal, SES a rejection', async (_label, error) => {
    sns.on(PublishCommand).rejects(error);
    const published = await channel.deliver(oneAlertMessage).catch((e: unknown) => e);
    expect(published).toBeInstanceOf(DeliveryRefusedError);
    expect(String(published)).toMatch(/nothing was published/);
    ses.on(SendEmailCommand).rejects(error);
    const sent = await mailer.send(mail).catch((e: unknown) => e);
    expect(sent).toBeInstanceOf(MailRejectedError);
    expect(String(sent)).toMatch(/nothing was sent/);
  });

  it.each(mayHaveArrived)('%s: stays unknown on both', async (_label, error) => {
    sns.on(PublishCommand).rejects(error);
    const published = await channel.deliver(oneAlertMessage).catch((e: unknown) => e);
    expect(published).toBe(error);
    ses.on(SendEmailCommand).rejects(error);
    const sent = await mailer.send(mail).catch((e: unknown) => e);
    expect(sent).toBe(error);
  });

  it('a real refused connection to SES keeps the alerts for the next run', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = createSesClient({
      region: 'eu-west-1',
      credentials,
      endpoint: `http://127.0.0.1:${port}`,
    });
    const email = new MailAlertChannel(new SesMailer({ client: closed }), 'a@example.com', ['b@example.com']);
    const store = new MemoryObjectStore();
    const alert = alertAt('a', NOW - 60_000);
    storeChannel(store, 'email', { outbox: [alert] });
    const outcome = await deliverChannel(deliveryContext(store, NOW), email);
    expect(outcome).toMatchObject({ status: 'refused', error: expect.stringMatching(/ECONNREFUSED/) });
    expect((await channelState(store, 'email'))?.outbox.map((a) => a.id)).toEqual([alert.id]);
  });
});
