/**
 * The message the alerts function sends when invoked with `{"test": true}`: one clearly marked test
 * through the deployed channels, so an operator sees at once that SNS and SES take it (an
 * unverified SES sender, a topic policy or KMS key refusing) and the recipients that it arrives,
 * without touching the lake or the alerts checkpoint (review R-ALERT4 F6).
 */
import { esc } from '../mail/html-escape.ts';
import type { AlertMessage } from './alert-channel.ts';
import { fittedSubject, SNS_SUBJECT_MAX } from './alert-subject.ts';
import { localDateTimeWithOffset } from './local-time.ts';

export function testAlertMessage(instance: string, nowMs: number, timeZone: string): AlertMessage {
  const at = localDateTimeWithOffset(nowMs, timeZone);
  const lines = [
    `This is a test of the security alerts for the Domo instance ${instance}, sent ${at} (${timeZone}) on request: it is not a security alert, and nothing happened.`,
    '',
    'Real alerts come this way, from the same function, to the same addresses. Nothing was recorded: the next alerts run is unchanged.',
  ];
  return {
    instance,
    subject: `TEST - ${fittedSubject(instance, 'not a real alert', SNS_SUBJECT_MAX - 'TEST - '.length)}`,
    text: `${lines.join('\n')}\n`,
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(`TEST - Security alerts (${instance})`)}</title></head>\n<body style="font-family:Arial,Helvetica,sans-serif;color:#222">\n${lines
      .filter((line) => line !== '')
      .map((line) => `<p>${esc(line)}</p>`)
      .join('\n')}\n</body></html>`,
    alerts: [],
    test: true,
  };
}
