/**
 * The words of the sign-ins-after-failed-logins section, both parts' and the first line's: a user's
 * successful sign-in right after a run of their failed logins or a lockout (login_after_failures.sql,
 * what the alerts raise as `login_after_failures`) is how a guessed password shows, and the week's
 * failed-logins section, which counts failures, never said whether one was followed by a sign-in.
 */
import { isNoAddress } from '../geo/ip-address.ts';
import { QUERY_DEFAULTS } from '../queries/query-params.ts';
import { formatCount, plural } from './number-format.ts';
import type { LoginAfterFailures, WeeklyReportModel } from './report-model.ts';
import { formatLocalTime } from './time-format.ts';

export const LOGINS_AFTER_FAILURES_HEADING = 'Sign-ins after failed logins';

/**
 * The section's caption: what was looked for, with the alerts' threshold the query ran with (a
 * model archived before it was recorded ran with the default).
 */
export const loginsAfterFailuresCaption = (model: Pick<WeeklyReportModel, 'failuresBeforeLogin'>): string =>
  `A user signing in after ${formatCount(
    model.failuresBeforeLogin ?? QUERY_DEFAULTS.failuresBeforeLogin,
  )} or more failed logins of theirs, or a lockout, in the hour before: the password may have been guessed. Check with the user that it was them.`;

export const NO_LOGINS_AFTER_FAILURES = 'No sign-in after a run of failed logins this week.';

/** How many such sign-ins the week had: the query's count when the model has it, else its rows. */
export const loginsAfterFailuresTotal = (
  model: Pick<WeeklyReportModel, 'loginsAfterFailures' | 'loginsAfterFailuresTotal'>,
): number => Math.max(model.loginsAfterFailuresTotal ?? 0, model.loginsAfterFailures?.length ?? 0);

/**
 * `6 failed logins, 1 lockout from 09:00 to 09:05, one from this IP`: the run before the sign-in,
 * and whether it came from where the sign-in did (the same address: the one guessing got in; another:
 * the user may have found their password, or the guesser moved; `address unknown` when the sign-in
 * has no usable address, which no failure can be said to share).
 */
export function loginAfterFailuresFigures(row: LoginAfterFailures, timeZone: string): string {
  const counts = [
    ...(row.failedAttempts > 0 ? [plural(row.failedAttempts, 'failed login')] : []),
    ...(row.lockouts > 0 ? [plural(row.lockouts, 'lockout')] : []),
  ].join(', ');
  const hhmm = (ts: string | null) => (ts === null ? undefined : formatLocalTime(ts, timeZone).slice(-5));
  const first = hhmm(row.firstFailure);
  const last = hhmm(row.lastFailure);
  const span =
    first === undefined
      ? ''
      : first === last || last === undefined
        ? ` at ${first}`
        : ` from ${first} to ${last}`;
  // A sign-in without an address cannot share one with its failures: the query's may_close needs
  // its address key, empty exactly for such a text (ip-network.ts addressKey).
  const unknown = row.ipAddress === null || isNoAddress(row.ipAddress);
  const where = row.fromFailingIp ? 'some from this IP' : unknown ? 'address unknown' : 'all from other IPs';
  return `${counts}${span}, ${where}`;
}

/** `5 such sign-ins of this user this week`, when the user had more than this one; undefined otherwise. */
export const userRowsLabel = (row: LoginAfterFailures): string | undefined =>
  row.userRows > 1 ? `${formatCount(row.userRows)} such sign-ins of this user this week` : undefined;

/**
 * `20 of 1,234 listed`, when the list shows fewer than the week had (the mail's cap, or the
 * archive's); undefined when it shows them all.
 */
export function loginsAfterFailuresListed(
  model: Pick<WeeklyReportModel, 'loginsAfterFailures' | 'loginsAfterFailuresTotal'>,
  shown: number,
): string | undefined {
  const total = loginsAfterFailuresTotal(model);
  return shown < total ? `${formatCount(shown)} of ${formatCount(total)} listed` : undefined;
}

/** The list's order, said when it is cut: the rows kept are each user's first before any second. */
export const LOGINS_AFTER_FAILURES_ORDER =
  "each user's first such sign-in before any second one; the query login_after_failures lists them all";

/**
 * The first line's part: `3 sign-ins right after failed logins`, with `(20 of 1,234 listed)` when
 * the section cannot show them all; none when there were none.
 */
export function loginsAfterFailuresPart(
  model: Pick<WeeklyReportModel, 'loginsAfterFailures' | 'loginsAfterFailuresTotal'>,
  shown: number,
): string[] {
  const total = loginsAfterFailuresTotal(model);
  if (total === 0) return [];
  const listed = loginsAfterFailuresListed(model, shown);
  return [`${plural(total, 'sign-in')} right after failed logins${listed ? ` (${listed})` : ''}`];
}
