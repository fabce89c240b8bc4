import { endingLeftToRight } from '../display-width.ts';
import { clip } from '../mail/clip.ts';
import { RENDER_LIMITS } from '../mail/render-limits.ts';
import type { Alert } from './alert.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { KIND_LABELS } from './kind-labels.ts';
import { localDateTimeWithOffset } from './local-time.ts';
import { oneLine } from './one-line.ts';
import { sentLate } from './sent-late.ts';

/**
 * Who the alert is about, `Ann (42)`, with the name and id clipped as the weekly report clips them
 * ({@link RENDER_LIMITS}), so a 500-character Domo name cannot fill the mail. The id always shows,
 * so two users whose names share a long start stay apart; the query to dig further keeps the full
 * values, which it must match.
 */
const userLabel = (alert: Alert): string => {
  // About an address, not a user: the evidence names the users it tried.
  if (alert.kind === 'password_spray') return 'many users';
  const name = clip(oneLine(alert.user_name), RENDER_LIMITS.name);
  const id = clip(oneLine(alert.user_id), RENDER_LIMITS.id);
  // The mark after a right-to-left name keeps the id on its right, as the weekly report shows it.
  if (name && id) return `${endingLeftToRight(name)} (${id})`;
  return name || (id ? `user ${id}` : 'unknown user');
};

/**
 * Characters of an alert's evidence as the message shows it. Longer than the weekly report's
 * ({@link RENDER_LIMITS}): an alert is read to act on, and a password spray's sentence names the
 * accounts to reset after ~150 characters of what, when and from where (at the report's 160 the
 * first name was cut, review R-USER 2). 50 listed alerts at this length are ~24 KB, far inside
 * SNS's 256 KB.
 */
export const ALERT_EVIDENCE_CHARS = 480;

/**
 * One alert's facts as shown. The IP and the evidence are clipped: a lockout's evidence lists
 * every IP of the hour before, and Domo's IP field is free text, so one long value would otherwise
 * fill SNS's 256 KB and push every other alert out of the text. The archive and the `alerts`
 * attribute keep the full values.
 */
export const row = (alert: Alert, options: AlertMessageOptions) => ({
  when: localDateTimeWithOffset(alert.event_time_ms, options.timeZone),
  late: sentLate(alert, options),
  user: userLabel(alert),
  what: KIND_LABELS[alert.kind][0],
  evidence: clip(oneLine(alert.evidence), ALERT_EVIDENCE_CHARS),
  ip: clip(oneLine(alert.ip_address), RENDER_LIMITS.id) || '-',
});
