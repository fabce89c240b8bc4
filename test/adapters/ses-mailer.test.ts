import {
  InternalServiceErrorException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesClient, SES_REQUEST_TIMEOUT_MS, SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';
import { loopbackEndpoints } from '../support/loopback-endpoint.ts';

const client = new SESv2Client({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const ses = mockClient(client);
const message = {
  from: 'Domo activity <reports@example.com>',
  to: ['security@example.com', 'it@example.com'],
  subject: 'Domo activity 2026-W47 (acme): 12 events',
  html: '<p>Café</p>',
  text: 'Café',
};

beforeEach(() => ses.reset());

describe('SesMailer', () => {
  it('sends Simple content with subject, HTML and text in UTF-8', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ client, configurationSetName: 'reports' });
    await expect(mailer.send(message)).resolves.toEqual({ messageId: 'm-1' });
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: message.from,
      Destination: { ToAddresses: message.to },
      ConfigurationSetName: 'reports',
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>Café</p>', Charset: 'UTF-8' }, Text: { Data: 'Café', Charset: 'UTF-8' } },
          Headers: [{ Name: 'Auto-Submitted', Value: 'auto-generated' }],
        },
      },
    });
  });

  it('passes attachments along', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const content = new TextEncoder().encode('a,b\n');
    await new SesMailer({ client }).send({
      ...message,
      attachments: [{ filename: 'x.csv', contentType: 'text/csv', content }],
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Simple?.Attachments).toEqual([
      { FileName: 'x.csv', ContentType: 'text/csv', RawContent: content, ContentDisposition: 'ATTACHMENT' },
    ]);
  });

  it('turns SES refusals into MailRejectedError with a hint, since nothing was sent', async () => {
    const mailer = new SesMailer({ client });
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ $metadata: {}, message: 'Email address is not verified.' }));
    const refused = mailer.send(message);
    await expect(refused).rejects.toBeInstanceOf(MailRejectedError);
    // SES names no identity: the sender's fix first (the likelier on a first send), then the sandbox.
    await expect(refused).rejects.toThrow(
      'MessageRejected: Email address is not verified. (verify the sender reports@example.com (or its domain example.com) as an SES identity in eu-west-1 (report.sender or alerts.sender; README, "8. Deploying the weekly report"); in the SES sandbox every recipient',
    );
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ $metadata: {}, message: 'slow down' }));
    const throttled = mailer.send(message);
    await expect(throttled).rejects.toMatchObject({
      name: 'MailRejectedError',
      code: 'TooManyRequestsException',
    });
    // Which run sends it again is the caller's to say: the schedule's next run reports another week.
    await expect(throttled).rejects.toThrow(
      /slow down \(SES sending quota or rate exceeded; ask AWS for a higher quota if this recurs\)$/,
    );
  });

  // first-deploy review F6: an unverified sender got only the sandbox hint (verify the recipients).
  it.each([
    [
      'the sender',
      'reports@example.com',
      ' (verify the sender reports@example.com (or its domain example.com) as an SES identity in us-east-1 (report.sender or alerts.sender; README, "8. Deploying the weekly report"))',
    ],
    [
      'the sender’s domain',
      'example.com',
      ' (verify the sender reports@example.com (or its domain example.com) as an SES identity in us-east-1 (report.sender or alerts.sender; README, "8. Deploying the weekly report"))',
    ],
    [
      'recipients only',
      'security@example.com, it@example.com',
      ' (in the SES sandbox every recipient must be a verified identity too; request production access or verify the recipients: security@example.com, it@example.com)',
    ],
  ])('says which identity to verify when SES names %s as unverified', async (_, failed, advice) => {
    ses.on(SendEmailCommand).rejects(
      new MessageRejected({
        $metadata: {},
        message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${failed}`,
      }),
    );
    const error = await new SesMailer({ client }).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as Error).message.endsWith(`${failed}${advice}`), (error as Error).message).toBe(true);
  });

  it('rethrows server-side and network errors as they are: the mail may have gone out', async () => {
    const mailer = new SesMailer({ client });
    ses.on(SendEmailCommand).rejects(new InternalServiceErrorException({ $metadata: {}, message: 'oops' }));
    await expect(mailer.send(message)).rejects.toBeInstanceOf(InternalServiceErrorException);
    ses.on(SendEmailCommand).rejects(new Error('socket hang up'));
    await expect(mailer.send(message)).rejects.not.toBeInstanceOf(MailRejectedError);
  });
});

describe('createSesClient', () => {
  /** A fake SES endpoint on loopback that counts requests and answers with `respond`. */
  const fakeSes = loopbackEndpoints();

  const local = (endpoint: string, requestTimeoutMs?: number) =>
    createSesClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      endpoint,
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    });

  it('makes one attempt only: the SDK default of 3 would resend a mail SES may have accepted', async () => {
    expect(await createSesClient({ region: 'eu-west-1' }).config.maxAttempts()).toBe(1);
  });

  it('does not retry SendEmail after a 5xx answer, and bounds the request time', async () => {
    const { requests, endpoint } = await fakeSes((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
      res.end('{"message":"internal failure"}');
    });
    const client = local(endpoint);
    const sent = new SesMailer({ client }).send(message);
    await expect(sent).rejects.toMatchObject({ $fault: 'server' });
    await expect(sent).rejects.not.toBeInstanceOf(MailRejectedError);
    expect(requests).toEqual(['POST /v2/email/outbound-emails']);
    // The handler's configuration, as resolved once a request has been made.
    // The SDK types requestHandler as a generic RequestHandler; the Node handler exposes its settings.
    const handler = client.config.requestHandler as unknown as {
      httpHandlerConfigs(): { requestTimeout?: number; throwOnRequestTimeout?: boolean };
    };
    expect(handler.httpHandlerConfigs()).toMatchObject({
      requestTimeout: SES_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });

  it('gives up on a request that never answers, once, as an error that leaves delivery unknown', async () => {
    // The server reads the request and never answers.
    const { requests, endpoint } = await fakeSes(() => {});
    const sent = new SesMailer({ client: local(endpoint, 200) }).send(message);
    await expect(sent).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(sent).rejects.not.toBeInstanceOf(MailRejectedError);
    expect(requests).toHaveLength(1);
    // A bound on how long a broken build may hang here, not a timing assertion.
  }, 10_000);
});
