/**
 * Where alert messages go. The Lambda delivers to an SNS topic (subscribers of the operator's
 * choice) and, when recipients are configured, by SES mail; the CLI writes `.eml` files. Each
 * channel has its own outbox in the alerts checkpoint, so a failure of one never repeats the other.
 */
import type { Alert } from './alert.ts';

export interface AlertMessage {
  instance: string;
  subject: string;
  text: string;
  html: string;
  /** The alerts the message carries (a JSON attribute for machine subscribers). */
  alerts: readonly Alert[];
  /**
   * The alerts the message lists one by one (render-alerts.ts); absent in a message made otherwise
   * (a test message): the channel picks them from `alerts`.
   */
  listed?: readonly Alert[];
  /** Alerts it only counts, folded out of a long outbox (not in `alerts`; the archive has them). */
  folded?: number;
  /**
   * Present when it may repeat an earlier message whose delivery was not confirmed: the ids of the
   * alerts it carries again (SNS passes them on, for subscribers to drop the repeats).
   */
  possibleRepeat?: { alertIds: readonly string[] };
  /** A test message (test-alert-message.ts): no alert, and SNS marks it with a `test` attribute. */
  test?: boolean;
}

export interface AlertChannel {
  /** Stable name: the key of the channel's outbox (`sns`, `email`, `file`). */
  readonly name: string;
  deliver(message: AlertMessage): Promise<{ messageId: string }>;
}

/**
 * Raised by a channel when the service definitely refused the message (it answered with an error,
 * or was never reached: nothing was delivered), so it is safe to deliver it again later. Any other error leaves it
 * unknown whether the message arrived: it is delivered again too, marked as a possible repeat.
 */
export class DeliveryRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryRefusedError';
  }
}
