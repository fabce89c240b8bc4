/**
 * The message's next steps: for its most serious alert, the queries next-steps.ts chooses, as the
 * reader runs them. Deployed, they are the stack's saved Athena queries, each with the values
 * its parameters take, quoted as the console takes them (docs/queries.md, "In the Athena
 * console"); a local run's message gives its commands instead ({@link DigFurther} `nextSteps`).
 * One alert's queries: a handful of lines, whatever the message's size. Until 2026-12-07 the
 * message offered only the query of every alerted user's events of four days (review ALERTIR).
 */
import { esc } from '../mail/html-escape.ts';
import { escName } from '../mail/html-name.ts';
import type { Alert } from './alert.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { row } from './alert-row.ts';
import { mostSerious } from './dig-seriousness.ts';
import { isUtcAllYear } from './local-time.ts';
import type { Note } from './message-note.ts';
import { NEXT_STEPS_SECTION, type NextSteps, type NextStepsWording, nextStepsOf } from './next-steps.ts';

/**
 * A value the message gives to type: an address, a /24, a network owner, a zone. A user's id
 * (`user_id`, `doer_id`), the one value of Domo's own, only as Domo writes ids, letters, digits,
 * `_` and `-`: one holding a quote, a line break or a link's dots could not be typed as shown, or
 * would be a link in the mail. A query with another value is not offered, and the lines stay short.
 */
const TYPABLE = /^[0-9A-Za-z_.:/+-]{1,64}$/;
const TYPABLE_ID = /^[0-9A-Za-z_-]{1,64}$/;
/** An instant as the lake writes it (a history's start, `history_from_ts`): its one space typed too. */
const TYPABLE_TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

function typableValue([name, value]: readonly [string, string]): boolean {
  if (name === 'user_id' || name === 'doer_id') return TYPABLE_ID.test(value);
  return (name.endsWith('_ts') ? TYPABLE_TS : TYPABLE).test(value);
}

/** `steps` without the queries whose values could not be typed as shown ({@link TYPABLE}). */
const typable = (steps: NextSteps): NextSteps => ({
  ...steps,
  queries: steps.queries.filter((q) => q.params.every(typableValue)),
});

/**
 * In a zone other than UTC, which of the queries' times are in it: their columns of local times,
 * `local_time` and the like, are in the message's zone (each query takes it as `time_zone`), the
 * others in UTC as the lake keeps them; the query to dig further below them gives UTC alone
 * (dig-intro.ts). Nothing in UTC, where the two are one.
 */
const localColumns = (options: AlertMessageOptions): string =>
  isUtcAllYear(options.timeZone, options.nowMs)
    ? ''
    : ` Their times are in UTC, their local ones (local_time, local_hour and the like) in ${options.timeZone}.`;

/**
 * The next steps for the most serious of `alerts` (the one the message's query digs into), worded
 * by `wording`, as a note: the sentence naming the alert, the lines to copy or type below it.
 * Undefined without an alert or a wording, or when none of its queries could be typed as shown.
 */
export function nextStepsNote(
  alerts: readonly Alert[],
  options: AlertMessageOptions,
  wording: NextStepsWording | undefined,
): Note | undefined {
  const alert = mostSerious(alerts);
  if (alert === undefined || wording === undefined) return undefined;
  // The message's instance: an alert is of its message's, as every query here reads.
  // Judged as the alerts were: suspicious_logins takes the settings that are not its defaults.
  const judging = {
    historyDays: options.historyDays,
    minHistoryLogins: options.minHistoryLogins,
    maxSpeedKmh: options.maxSpeedKmh,
  };
  const steps = typable({ ...nextStepsOf(alert, options.timeZone, judging), instance: options.instance });
  if (steps.queries.length === 0) return undefined;
  const r = row(alert, options);
  const zone = options.timeZone === 'UTC' ? ' UTC' : '';
  const head = `Next steps: the most serious alert is the ${r.what} of `;
  const tail = ` at ${r.when}${zone}. To see its events from the UTC day before it to the day after, ${wording.how}.${localColumns(options)} What each answers, and what to do then, kind by kind: docs/operations.md, "${NEXT_STEPS_SECTION}".`;
  return {
    text: `${head}${r.user}${tail}`,
    html: `${esc(head)}${escName(r.user)}${esc(tail)}`,
    copy: wording.lines(steps).join('\n'),
  };
}
