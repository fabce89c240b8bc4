import type { AlertChannel, AlertMessage } from '../core/alerts/alert-channel.ts';
import type { Mailer } from '../core/ports.ts';

/**
 * Mails alert messages through a {@link Mailer} (SES in the Lambda). The mailer's
 * MailRejectedError (SES refused: nothing sent) is what the alerts core retries.
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
      subject: message.subject,
      html: message.html,
      text: message.text,
    });
  }
}
