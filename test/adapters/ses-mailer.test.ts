import {
  InternalServiceErrorException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { MailRejectedError } from '../../functions/core/report/mail-errors.ts';

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
    await expect(refused).rejects.toThrow(/MessageRejected: Email address is not verified\..*sandbox/);
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ $metadata: {}, message: 'slow down' }));
    await expect(mailer.send(message)).rejects.toMatchObject({
      name: 'MailRejectedError',
      code: 'TooManyRequestsException',
    });
  });

  it('rethrows server-side and network errors as they are: the mail may have gone out', async () => {
    const mailer = new SesMailer({ client });
    ses.on(SendEmailCommand).rejects(new InternalServiceErrorException({ $metadata: {}, message: 'oops' }));
    await expect(mailer.send(message)).rejects.toBeInstanceOf(InternalServiceErrorException);
    ses.on(SendEmailCommand).rejects(new Error('socket hang up'));
    await expect(mailer.send(message)).rejects.not.toBeInstanceOf(MailRejectedError);
  });
});
