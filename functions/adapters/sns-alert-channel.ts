import { PublishCommand, type SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { type Alert, publicAlert } from '../core/alerts/alert.ts';
import { type AlertChannel, type AlertMessage, DeliveryRefusedError } from '../core/alerts/alert-channel.ts';
import { SNS_SUBJECT_MAX } from '../core/alerts/alert-subject.ts';
import { cardOrder } from '../core/alerts/card-order.ts';
import { listedAlerts } from '../core/alerts/listed-alerts.ts';
import { MAX_LISTED_ALERTS } from '../core/alerts/render-alerts.ts';
import { errorMessage } from '../core/error-message.ts';
import { wellFormed } from '../core/visible-text.ts';
import { notSentReason } from './request-not-sent.ts';

/**
 * Publish takes a subject "less than 100 characters long", of printable ASCII, and a message of at
 * most 256 KB; a longer subject is refused, and the alerts would wait in the outbox for nothing.
 */
const MAX_SUBJECT = SNS_SUBJECT_MAX;
const MAX_MESSAGE_BYTES = 250_000;

/** Bytes of UTF-8 a text over {@link MAX_MESSAGE_BYTES} keeps: half, the rest leaves room for the alerts' JSON. */
const SHORTENED_TEXT_BYTES = MAX_MESSAGE_BYTES / 2;
const SHORTENED = '\n[shortened]';

/**
 * The text within {@link MAX_MESSAGE_BYTES} of UTF-8, or its first {@link SHORTENED_TEXT_BYTES} and a
 * marker: whole characters only (`encodeInto` writes no partial character, so the cut never splits
 * an emoji into a lone surrogate). And well-formed ({@link wellFormed}): the SDK URI-encodes the request, and a lone
 * surrogate (a Domo name, or the query that repeats it) would make it throw before sending.
 */
function publishableText(text: string): string {
  const whole = wellFormed(text);
  if (Buffer.byteLength(whole) <= MAX_MESSAGE_BYTES) return whole;
  const { read } = new TextEncoder().encodeInto(whole, new Uint8Array(SHORTENED_TEXT_BYTES));
  return `${whole.slice(0, read)}${SHORTENED}`;
}

const asciiSubject = (subject: string): string =>
  subject
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, MAX_SUBJECT)
    .trim();

/**
 * Bytes the body and the `alerts` attribute may take together: Publish takes 256 KiB with every
 * attribute's name, type and value; the rest is room for the others.
 */
const ATTRIBUTES_BUDGET = 200_000;

/**
 * Of `alerts` (newest first), those whose JSON array fits in `room` bytes, in that order, and how
 * many they are. One that does not fit is skipped, not the end: a single huge alert (a spray's
 * lockout carrying every IP of the hour) would otherwise leave the attribute empty for all.
 */
function alertsFitting(alerts: readonly Alert[], room: number): { json: string; count: number } {
  const parts: string[] = [];
  let bytes = 2; // the brackets
  for (const alert of alerts) {
    const part = wellFormed(JSON.stringify(publicAlert(alert)));
    const more = Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    if (bytes + more >= room) continue;
    parts.push(part);
    bytes += more;
  }
  return { json: `[${parts.join(',')}]`, count: parts.length };
}

/**
 * The attributes of a message that may repeat an earlier one (its delivery not confirmed):
 * `possible_duplicate` = `true`, and `repeated_alert_ids`, a JSON array of the ids of the alerts
 * sent again among those `listed` (the ones the `alerts` attribute carries), so a subscriber that
 * filters or deduplicates can drop them (review R-ALERT4 F1). At most 50 ids of 32 characters.
 */
function repeatAttributes(
  message: AlertMessage,
  listed: readonly Alert[],
): Record<string, { DataType: string; StringValue: string }> {
  if (message.possibleRepeat === undefined) return {};
  const again = new Set(message.possibleRepeat.alertIds);
  const ids = listed.filter((a) => again.has(a.id)).map((a) => a.id);
  return {
    possible_duplicate: { DataType: 'String', StringValue: 'true' },
    ...(ids.length > 0
      ? { repeated_alert_ids: { DataType: 'String', StringValue: wellFormed(JSON.stringify(ids)) } }
      : {}),
  };
}

/**
 * Publishes an alert message to the alerts topic: the plain text as the body (what email and chat
 * subscribers show), the subject, and the alerts as JSON in a message attribute for programmatic
 * subscribers. Only the text says that alerts were sent late or that an earlier message may not
 * have arrived (docs/alerts.md, "The message"); a possible repeat has attributes of its own
 * ({@link repeatAttributes}). An answer of SNS with a client error means nothing was published, and so does a
 * connection that never opened or missing credentials ({@link notSentReason}): all are refusals,
 * delivered again by the next run.
 */
export class SnsAlertChannel implements AlertChannel {
  readonly name = 'sns';
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async deliver(message: AlertMessage): Promise<{ messageId: string }> {
    const text = publishableText(message.text);
    // The ones the text lists (each kind's newest, and the gravest an outage held), not the outbox's
    // oldest, in the text's order (the failures first, so a budget cut drops the least urgent).
    // JSON.stringify spells a lone surrogate as an escape; wellFormed guards the rest all the same.
    const listed = cardOrder(message.listed ?? listedAlerts(message.alerts, MAX_LISTED_ALERTS));
    const repeated = repeatAttributes(message, listed);
    const fitting = alertsFitting(
      listed,
      ATTRIBUTES_BUDGET - Buffer.byteLength(text) - (repeated.repeated_alert_ids?.StringValue?.length ?? 0),
    );
    try {
      const result = await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: asciiSubject(message.subject),
          Message: text,
          MessageAttributes: {
            instance: { DataType: 'String', StringValue: wellFormed(message.instance) },
            alert_count: {
              DataType: 'Number',
              StringValue: String(message.alerts.length + (message.folded ?? 0)),
            },
            ...(fitting.count > 0 ? { alerts: { DataType: 'String', StringValue: fitting.json } } : {}),
            // Fewer than listed (a spray's lockouts each carry every IP of the hour): say how many,
            // so a subscriber that reads the attribute knows it is not all of them.
            ...(fitting.count < listed.length
              ? { alerts_in_attribute: { DataType: 'Number', StringValue: String(fitting.count) } }
              : {}),
            ...repeated,
            // A subscriber that files or pages on alerts can let a test through without acting on it.
            ...(message.test ? { test: { DataType: 'String', StringValue: 'true' } } : {}),
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
      const notSent = notSentReason(error);
      if (notSent) {
        const detail = `${notSent.reason}: ${errorMessage(error)}`;
        throw new DeliveryRefusedError(`SNS was not reached, nothing was published: ${detail}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
