/**
 * Raised by a {@link Mailer} when nothing was sent, for certain: the mail service refused the
 * message (SES answered with a client error: unverified sender, sandbox recipient, throttling, a
 * malformed message), or the request never reached it (no connection, no credentials). Any other
 * error from `send` leaves it unknown whether the mail went out.
 * The distinction decides whether a report may be sent again automatically (see sent-marker.ts).
 */
export class MailRejectedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}
