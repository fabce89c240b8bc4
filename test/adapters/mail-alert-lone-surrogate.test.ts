import { expect, it } from 'vitest';
import { MailAlertChannel } from '../../functions/adapters/mail-alert-channel.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import type { Mailer, MailMessage } from '../../functions/core/ports.ts';
import { alertAt, NOW } from '../core/alerts/support/delivery-fixtures.ts';

// The mail renders the rows through visibleText, but its query to dig further repeats a Domo name as
// it is: a lone surrogate there has no UTF-8 form, and SES gets a string it cannot encode.
const LONE = /[\ud800-\udfff]/u;

it('mails a burst of a crafted user name with no lone surrogate in any part', async () => {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    send: async (message) => {
      sent.push(message);
      return { messageId: 'mail-1' };
    },
  };
  const burst = {
    ...alertAt('crafted', NOW - 20 * 60_000),
    kind: 'failed_login_burst' as const,
    user_id: null,
    user_name: 'adm\ud83din',
  };
  const message = renderAlertMessage([alertAt('real-lockout', NOW - 30 * 60_000), burst], {
    instance: 'acme',
    timeZone: 'UTC',
    nowMs: NOW,
    mailOlderThanHours: 24,
  });
  await new MailAlertChannel(mailer, 'alerts@example.com', ['ops@example.com']).deliver(message);
  const [mail] = sent;
  expect(mail?.text).toContain('adm\ufffdin');
  expect(mail?.html).toContain('adm\ufffdin');
  for (const part of [mail?.subject, mail?.text, mail?.html]) expect(LONE.test(part ?? '')).toBe(false);
});
