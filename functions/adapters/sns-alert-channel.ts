import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { publicAlert } from '../core/alerts/alert.ts';
import { type AlertChannel, type AlertMessage, DeliveryRefusedError } from '../core/alerts/alert-channel.ts';

/**
 * Publish takes a subject "less than 100 characters long", of printable ASCII, and a message of at
 * most 256 KB; a longer subject is refused, and the alerts would wait in the outbox for nothing.
 */
const MAX_SUBJECT = 99;
const MAX_MESSAGE_BYTES = 250_000;

/**
 * An SNS client with one attempt and a bounded request time: like SendEmail, Publish is not
 * idempotent on a standard topic, and an SDK retry after a timeout could publish twice. The
 * alerts checkpoint records such an outcome as unknown instead.
 */
export const createSnsClient = (requestTimeoutMs = 10_000): SNSClient =>
  new SNSClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });

const asciiSubject = (subject: string): string =>
  subject
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, MAX_SUBJECT)
    .trim();

/**
 * Publishes an alert message to the alerts topic: the plain text as the body (what email and chat
 * subscribers show), the subject, and the alerts as JSON in a message attribute for programmatic
 * subscribers. An answer of SNS with a client error means nothing was published.
 */
export class SnsAlertChannel implements AlertChannel {
  readonly name = 'sns';
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async deliver(message: AlertMessage): Promise<{ messageId: string }> {
    const text =
      Buffer.byteLength(message.text) > MAX_MESSAGE_BYTES
        ? `${message.text.slice(0, MAX_MESSAGE_BYTES / 4)}\n[shortened]`
        : message.text;
    const json = JSON.stringify(message.alerts.slice(0, 50).map(publicAlert));
    try {
      const result = await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: asciiSubject(message.subject),
          Message: text,
          MessageAttributes: {
            instance: { DataType: 'String', StringValue: message.instance },
            alert_count: { DataType: 'Number', StringValue: String(message.alerts.length) },
            ...(Buffer.byteLength(json) < 200_000 - Buffer.byteLength(text)
              ? { alerts: { DataType: 'String', StringValue: json } }
              : {}),
          },
        }),
      );
      return { messageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      if (error instanceof SNSServiceException && error.$fault === 'client') {
        throw new DeliveryRefusedError(`SNS refused the alert message: ${error.name}: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
