import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, MailMessage } from '../core/ports.ts';
import { MailRejectedError } from '../core/report/mail-errors.ts';

export interface SesMailerOptions {
  client?: SESv2Client;
  /** SES configuration set for delivery events, if the account uses one. */
  configurationSetName?: string;
}

/**
 * Sends a rendered report with SES v2 `SendEmail` (Simple content: subject, HTML and text parts in
 * UTF-8, attachments when given). SES client errors (unverified identity, sandbox recipient,
 * paused sending, throttling, a rejected message) mean nothing was sent and become
 * {@link MailRejectedError}; anything else (5xx, timeouts, network) is rethrown as it is, since
 * the mail may or may not have been accepted.
 */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(private readonly options: SesMailerOptions = {}) {
    this.client = options.client ?? new SESv2Client({});
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const content = (data: string) => ({ Data: data, Charset: 'UTF-8' });
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [...message.to] },
          Content: {
            Simple: {
              Subject: content(message.subject),
              Body: { Html: content(message.html), Text: content(message.text) },
              Headers: [{ Name: 'Auto-Submitted', Value: 'auto-generated' }],
              ...(message.attachments?.length
                ? {
                    Attachments: message.attachments.map((a) => ({
                      FileName: a.filename,
                      ContentType: a.contentType,
                      RawContent: a.content,
                      ContentDisposition: 'ATTACHMENT' as const,
                    })),
                  }
                : {}),
            },
          },
          ...(this.options.configurationSetName
            ? { ConfigurationSetName: this.options.configurationSetName }
            : {}),
        }),
      );
      return { messageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      if (error instanceof SESv2ServiceException && error.$fault === 'client') {
        throw new MailRejectedError(
          `SES refused the mail from ${message.from}: ${error.name}: ${error.message}${hint(error.name)}`,
          error.name,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/** What to do about the SES refusals an operator is most likely to meet. */
function hint(name: string): string {
  switch (name) {
    case 'MessageRejected':
      return ' (in the SES sandbox every recipient must be a verified identity too; request production access or verify the recipients)';
    case 'MailFromDomainNotVerifiedException':
    case 'NotFoundException':
      return ' (verify the sender identity in SES in this region)';
    case 'AccountSuspendedException':
    case 'SendingPausedException':
      return ' (sending is paused for this account or configuration set; see the SES console)';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return ' (SES sending quota or rate exceeded; the next run sends the report)';
    default:
      return '';
  }
}
