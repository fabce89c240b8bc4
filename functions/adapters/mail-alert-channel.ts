import type { AlertChannel, AlertMessage } from '../core/alerts/alert-channel.ts';
import type { Mailer } from '../core/ports.ts';
import { wellFormed } from '../core/visible-text.ts';

/**
 * Mails alert messages through a {@link Mailer} (SES in the Lambda). The mailer's
 * MailRejectedError (SES refused: nothing sent) is what the alerts core retries. Every part is made
 * well-formed ({@link wellFormed}): the rendered rows already are, but the query to dig further
 * repeats a Domo name as it is, and a lone surrogate in it has no UTF-8 form.
 */
export class MailAlertChannel implements AlertChannel {
  readonly name = 'email';
  constructor(
    private readonly mailer: Mailer,
    private readonly from: string,
    private readonly to: readonly string[],
  ) {}

  deliver(message: AlertMessage): Promise<{ messageId: string }> {
    return this.mailer.send({
      from: this.from,
      to: this.to,
      subject: wellFormed(message.subject),
      html: wellFormed(message.html),
      text: wellFormed(message.text),
    });
  }
}
