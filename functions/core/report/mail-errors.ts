/**
 * Raised by a {@link Mailer} when the mail service definitely refused the message, so nothing was
 * sent (SES answered with a client error: unverified sender, sandbox recipient, throttling, a
 * malformed message). Any other error from `send` leaves it unknown whether the mail went out.
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
