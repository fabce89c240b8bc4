import {
  SESv2Client,
  type SESv2ClientConfig,
  SESv2ServiceException,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { errorMessage } from '../core/error-message.ts';
import { MailRejectedError } from '../core/mail/mail-errors.ts';
import type { Mailer, MailMessage } from '../core/ports.ts';
import { notSentReason } from './request-not-sent.ts';
import { messageRejectedHint } from './ses-unverified-identity.ts';

/**
 * Longest one SendEmail request may take, connection included. SendEmail normally answers in well
 * under a second; the bound keeps a hung request from running into the Lambda timeout, and the
 * report core claims a week only with more time than this left (MIN_TIME_TO_SEND_MS).
 */
export const SES_REQUEST_TIMEOUT_MS = 20_000;

/** Longest the TCP/TLS connection to SES may take to open. */
const SES_CONNECTION_TIMEOUT_MS = 5_000;

interface SesClientOptions extends Pick<SESv2ClientConfig, 'region' | 'credentials' | 'endpoint'> {
  /** Overrides {@link SES_REQUEST_TIMEOUT_MS} (tests use a short one). */
  requestTimeoutMs?: number;
}

/**
 * The SES client reports are mailed with: **one attempt** and a bounded request time. The SDK's
 * default (3 attempts) would resend SendEmail after a timeout, a 5xx or a dropped connection,
 * which are exactly the answers that leave it unknown whether SES accepted the mail: a retry
 * could mail the report twice. The send-once design records such an error as `unknown` instead.
 * `throwOnRequestTimeout` makes the timeout an error; without it the SDK only logs a warning.
 */
export function createSesClient(options: SesClientOptions = {}): SESv2Client {
  const { requestTimeoutMs = SES_REQUEST_TIMEOUT_MS, ...config } = options;
  return new SESv2Client({
    ...config,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: Math.min(SES_CONNECTION_TIMEOUT_MS, requestTimeoutMs),
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}

interface SesMailerOptions {
  /** Default: {@link createSesClient}. */
  client?: SESv2Client;
  /** SES configuration set for delivery events, if the account uses one. */
  configurationSetName?: string;
}

/**
 * Sends a rendered report with SES v2 `SendEmail` (Simple content: subject, HTML and text parts in
 * UTF-8, attachments when given). SES client errors (unverified identity, sandbox recipient,
 * paused sending, throttling, a rejected message) mean nothing was sent and become
 * {@link MailRejectedError}, and so do a connection that never opened and missing credentials
 * ({@link notSentReason}); anything else (5xx, a request timeout, a reset connection) is rethrown
 * as it is, since the mail may or may not have been accepted.
 */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(private readonly options: SesMailerOptions = {}) {
    this.client = options.client ?? createSesClient();
  }

  /** The client's region, for a hint; undefined when it cannot be told. */
  private async region(): Promise<string | undefined> {
    try {
      return await this.client.config.region();
    } catch {
      return undefined;
    }
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
        const advice =
          error.name === 'MessageRejected'
            ? messageRejectedHint(error.message, message.from, await this.region())
            : hint(error.name);
        throw new MailRejectedError(
          `SES refused the mail from ${message.from}: ${error.name}: ${error.message}${advice}`,
          error.name,
          { cause: error },
        );
      }
      const notSent = notSentReason(error);
      if (notSent) {
        const detail = `${notSent.reason}: ${errorMessage(error)}`;
        throw new MailRejectedError(`SES was not reached, nothing was sent: ${detail}`, notSent.code, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/** What to do about the SES refusals an operator is most likely to meet. */
function hint(name: string): string {
  switch (name) {
    case 'MailFromDomainNotVerifiedException':
    case 'NotFoundException':
      return ' (verify the sender identity in SES in this region)';
    case 'AccountSuspendedException':
    case 'SendingPausedException':
      return ' (sending is paused for this account or configuration set; see the SES console)';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      // The caller says how to send again: the weekly report and the alerts differ.
      return ' (SES sending quota or rate exceeded; ask AWS for a higher quota if this recurs)';
    default:
      return '';
  }
}
