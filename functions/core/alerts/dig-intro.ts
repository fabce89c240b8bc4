import type { AlertMessageOptions } from './alert-message-options.ts';
import type { DigFurther } from './dig-further.ts';
import { isUtcAllYear } from './local-time.ts';

/**
 * The sentence before the query to dig further, after one saying that the query gives UTC times
 * when the alerts are shown in another zone: the lake and the archive keep UTC, and a reader
 * matching the query's `00:51` with an alert at `19:51 -05:00` took them for other events. Of
 * this query alone: the next steps' queries above it give local columns in the message's zone,
 * and say so themselves (next-steps-mail.ts). Until 2026-12-07 it said "The queries in this
 * message give times in UTC", which those columns made untrue.
 */
export function digIntro(dig: DigFurther, options: AlertMessageOptions): string {
  const { timeZone } = options;
  // By offset, not name: `Etc/GMT` or `Zulu` read "UTC, not in Etc/GMT" (review R-ALFIX L8).
  if (isUtcAllYear(timeZone, options.nowMs)) return dig.intro;
  return `The query below gives times in UTC, not in ${timeZone}. ${dig.intro}`;
}
