/**
 * What the failed-logins section says of its rows: which time a user's row shows, an address's
 * figures on the report zone's clock, how many rows a list leaves out, and the sentence on the
 * failures that named no user.
 */

import { parseLakeTimestamp } from '../lake/layout.ts';
import { formatCount, plural } from './number-format.ts';
import {
  type FailedLoginAddress,
  type FailedLoginUser,
  MANY_USERS_FROM_ONE_ADDRESS,
  type WeeklyReportModel,
} from './report-model.ts';
import { formatLocalTime, spanOffsets } from './time-format.ts';

/**
 * What the failed-logins "Last" column shows: the later of the user's last failure and last
 * lockout, so failures that went on after a lockout are not hidden behind it; `lockedBefore` keeps
 * such an earlier lockout in sight. A time that is not a lake timestamp cannot be compared: the
 * lockout is shown then, as the more serious of the two.
 */
export function lastFailedActivity(user: { lastFailure: string | null; lastLockout: string | null }): {
  at: string | null;
  locked: boolean;
  lockedBefore: string | null;
} {
  const { lastFailure, lastLockout } = user;
  if (lastLockout === null) return { at: lastFailure, locked: false, lockedBefore: null };
  const failedAfter =
    lastFailure !== null && parseLakeTimestamp(lastFailure) > parseLakeTimestamp(lastLockout);
  return failedAfter
    ? { at: lastFailure, locked: false, lockedBefore: lastLockout }
    : { at: lastLockout, locked: true, lockedBefore: null };
}

/**
 * The line above the addresses that failed for many users, in both parts: what they are and why
 * they are listed apart from the users' rows.
 */
export const FAILED_ADDRESSES_INTRO = `Addresses that failed to sign in for ${MANY_USERS_FROM_ONE_ADDRESS} or more users this week: a password spray tries a password or two on many accounts from one address, so each account's row shows only a failure or two.`;

/**
 * The sub-headings of the failed-logins section when it lists addresses above the users: without
 * them the users' table read as the spray's, its first row a lockout from another address (R-USER).
 */
export const FAILED_ADDRESSES_HEADING = 'By address';
export const FAILED_USERS_HEADING = 'By user';
export const FAILED_USERS_INTRO =
  "Each user's failed logins and lockouts this week, and the addresses they came from.";

/**
 * The addresses a user failed or was locked out from, under the user's row: `from IP 3.76.228.63`,
 * `from IPs 1.2.3.4, 5.6.7.8, 9.9.9.9 and 2 more` (the query names 3, and counts them all).
 * Undefined when the row names none. `address` clips and escapes one for the part.
 */
export function userAddressesLine(
  f: Pick<FailedLoginUser, 'distinctIps' | 'ipAddresses'>,
  address: (text: string) => string,
): string | undefined {
  const shown = f.ipAddresses ?? [];
  if (shown.length === 0) return undefined;
  const more = Math.max(0, f.distinctIps - shown.length);
  return `from ${shown.length + more === 1 ? 'IP' : 'IPs'} ${shown.map(address).join(', ')}${
    more > 0 ? ` and ${formatCount(more)} more` : ''
  }`;
}

/**
 * An address's figures on the report zone's clock: `12 users, 13 failed logins, Fri 27 Nov 03:53
 * to 03:56` (the last failure's date left out when it is the first's), each end with its offset
 * when the clocks moved between them (`Sun 1 Nov 01:50 -04:00 to 01:10 -05:00`).
 */
export function failedAddressFigures(a: FailedLoginAddress, timeZone: string): string {
  const first = formatLocalTime(a.firstFailure, timeZone);
  const last = formatLocalTime(a.lastFailure, timeZone);
  const [fromOffset, toOffset] = spanOffsets(a.firstFailure, a.lastFailure, timeZone);
  const sameDay = first.length === last.length && first.slice(0, -5) === last.slice(0, -5);
  const span =
    first === last && fromOffset === toOffset
      ? first
      : `${first}${fromOffset} to ${sameDay ? last.slice(-5) : last}${toOffset}`;
  return `${plural(a.users, 'user')}, ${plural(a.failedAttempts, 'failed login')}, ${span}`;
}

/**
 * How many failed-logins rows a list showing `shown` of them leaves out, counted by the query (the
 * model holds only the first `FAILED_LOGIN_ROWS`), and how many of them the archived JSON holds
 * when that is not all of them (undefined when it is).
 */
export function failedUsersLeftOut(
  model: Pick<WeeklyReportModel, 'failedLogins' | 'failedLoginUsers'>,
  shown: number,
): { more: number; archivedRows: number | undefined } {
  const held = model.failedLogins.length;
  const total = Math.max(model.failedLoginUsers ?? 0, held);
  return { more: Math.max(0, total - shown), archivedRows: total > held ? held : undefined };
}

/**
 * How many addresses that failed for many users a list showing `shown` of them leaves out, counted
 * by the query (the model holds only its first rows).
 */
export const failedAddressesLeftOut = (
  model: Pick<WeeklyReportModel, 'failedLoginAddresses' | 'failedLoginAddressCount'>,
  shown: number,
): number =>
  Math.max(0, Math.max(model.failedLoginAddressCount ?? 0, model.failedLoginAddresses?.length ?? 0) - shown);

/**
 * The sentence on the week's failures naming no user (no user id, or one empty, white space or
 * 0, as failed_logins_and_lockouts reads it), when the list leaves rows out: a credential-stuffing
 * week (a new name typed with each attempt) then reads as what it was, not as 20 arbitrary names
 * and "and 299,983 more". `299,993 failed logins named no user (Domo sent no user id, or one empty
 * or 0): 299,993 names typed, from 299,993 addresses, Mon 9 Nov 00:00 to Sun 15 Nov 23:59.`
 * Undefined when there are none, or every row is shown.
 */
export function failuresWithoutUserSentence(
  model: Pick<
    WeeklyReportModel,
    'failedLogins' | 'failedLoginUsers' | 'failedLoginsWithoutUser' | 'timeZone'
  >,
  shown: number,
): string | undefined {
  const w = model.failedLoginsWithoutUser;
  if (!w || w.failedAttempts <= 0 || failedUsersLeftOut(model, shown).more <= 0) return undefined;
  let span = '';
  if (w.firstFailure !== null && w.lastFailure !== null) {
    const [fromOffset, toOffset] = spanOffsets(w.firstFailure, w.lastFailure, model.timeZone);
    span = `, ${formatLocalTime(w.firstFailure, model.timeZone)}${fromOffset} to ${formatLocalTime(w.lastFailure, model.timeZone)}${toOffset}`;
  }
  const names = w.names === 1 ? '1 name typed' : `${formatCount(w.names)} names typed`;
  return `${plural(w.failedAttempts, 'failed login')} named no user (Domo sent no user id, or one empty or 0): ${names}, from ${plural(w.addresses, 'address', 'addresses')}${span}. Many names, each tried a few times, from many addresses is what credential stuffing (user names and passwords leaked elsewhere, tried in bulk) looks like.`;
}
