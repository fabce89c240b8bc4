/**
 * What the report says of how far its login figures and checks reach: hours that lost or gained
 * events, sign-ins no check could place or judge (never looked up, naming no user, without an
 * address or a country), users with too little history, and the caveats above the suspicious logins.
 */

import { formatCount, plural } from './number-format.ts';
import {
  type DataHealth,
  type LoginHistory,
  noLoginsAmongActiveUsers,
  type WeeklyReportModel,
} from './report-model.ts';

/**
 * The data-health figure of hours that lost events after they were stored: `12 events in 2 hours`;
 * undefined when there are none (or the model predates the count).
 */
export function shortHoursFigure(health: Pick<DataHealth, 'shortHours' | 'shortEvents'>): string | undefined {
  if (!health.shortHours) return undefined;
  return `${plural(health.shortEvents ?? 0, 'event')} in ${plural(health.shortHours, 'hour')}`;
}

/**
 * The data-health figure of hours holding more events than the ingest recorded in them: `558 events
 * in 6 hours`; undefined when there are none (or the model predates the count).
 */
export function extraHoursFigure(health: Pick<DataHealth, 'extraHours' | 'extraEvents'>): string | undefined {
  if (!health.extraHours) return undefined;
  return `${plural(health.extraEvents ?? 0, 'event')} in ${plural(health.extraHours, 'hour')}`;
}

/** Some of the week's sign-ins against all of them: `count` of `logins`, `pct` to one decimal. */
interface LoginShare {
  count: number;
  logins: number;
  pct: number;
}

/** `part` of the week's sign-ins as a {@link LoginShare}; undefined when there are none. */
function shareOfLogins(part: number | undefined, health: Pick<DataHealth, 'logins'>): LoginShare | undefined {
  const count = part ?? 0;
  if (count <= 0) return undefined;
  const logins = Math.max(health.logins ?? 0, count);
  return { count, logins, pct: Math.round((1000 * count) / logins) / 10 };
}

/** `49 of 49 logins (100%)`. */
const shareText = (s: LoginShare): string =>
  `${formatCount(s.count)} of ${plural(s.logins, 'login')} (${formatCount(s.pct)}%)`;

/** Sign-ins of the week no geo database looked up, against all of them; undefined when there are none. */
export function unplacedLogins(
  health: Pick<DataHealth, 'logins' | 'unplacedLogins'>,
): { unplaced: number; logins: number; pct: number } | undefined {
  const share = shareOfLogins(health.unplacedLogins, health);
  return share && { unplaced: share.count, logins: share.logins, pct: share.pct };
}

/** `49 of 49 logins (100%)`. */
const unplacedShare = (u: { unplaced: number; logins: number; pct: number }): string =>
  shareText({ count: u.unplaced, logins: u.logins, pct: u.pct });

/**
 * What the suspicious-logins section says of the sign-ins the place checks could not judge, and
 * the fix; undefined when every sign-in with an address was looked up. Shown instead of a flat
 * "none" (the unusual-hour check still ran, the place checks did not) or beside the findings.
 */
export function unplacedLoginsSentence(
  health: Pick<DataHealth, 'logins' | 'unplacedLogins'>,
): string | undefined {
  const u = unplacedLogins(health);
  if (!u) return undefined;
  return `${unplacedShare(u)} could not be placed (no geo data): the place checks (new country, new network owner, impossible travel) could not judge them; run enrich for the week, then make the report again.`;
}

/** The line under "Logins by country" when part of its "unknown" row is sign-ins never looked up. */
export function unplacedCountryLine(
  health: Pick<DataHealth, 'logins' | 'unplacedLogins'>,
): string | undefined {
  const u = unplacedLogins(health);
  if (!u) return undefined;
  return `Unknown includes ${plural(u.unplaced, 'login')} that could not be placed (no geo data); run enrich for the week.`;
}

/**
 * The data-health figure: `0 of 190 logins (0%)`, or `no logins` for a week without any (not `0 of
 * 0 logins (0%)`); undefined for models archived before it was counted.
 */
export function unplacedHealthFigure(
  health: Pick<DataHealth, 'logins' | 'unplacedLogins'>,
): string | undefined {
  if (health.unplacedLogins === undefined) return undefined;
  if (health.unplacedLogins === 0 && !health.logins) return 'no logins';
  const u = unplacedLogins(health) ?? { unplaced: 0, logins: health.logins ?? 0, pct: 0 };
  return `${unplacedShare(u)}${u.unplaced > 0 ? ': run enrich for the week' : ''}`;
}

/**
 * What the suspicious-logins section says of the week's sign-ins naming no user (no user id, or
 * one empty, white space or 0, which suspicious_logins leaves out as the alerts do): no check
 * judged them, and the likeliest cause is Domo renaming or nesting its user fields, or sending 0
 * for none, which the records' `raw` column shows. Undefined when there are none, or the model
 * predates the count.
 */
function withoutUserSentence(health: Pick<DataHealth, 'logins' | 'loginsWithoutUser'>): string | undefined {
  const share = shareOfLogins(health.loginsWithoutUser, health);
  if (!share) return undefined;
  return `${shareText(share)} named no user (no user id, or one empty or 0), so no check could judge them: Domo may have renamed or nested its user fields, or sent none (the events' raw column shows what it sent; docs/ingest.md, "Reading entries").`;
}

/** What the suspicious-logins section says of the week's sign-ins stored without an IP address. */
function withoutIpSentence(health: Pick<DataHealth, 'logins' | 'loginsWithoutIp'>): string | undefined {
  const share = shareOfLogins(health.loginsWithoutIp, health);
  if (!share) return undefined;
  return `${shareText(share)} came without an IP address: the place checks (new country, new network owner, impossible travel) could not judge them.`;
}

/**
 * What the suspicious-logins section says of the week's sign-ins from an address the geo data
 * looked up and could not place: a private or reserved one (only Domo's own recording writes one;
 * an attacker's forwarded-for entry of that kind is passed over), or one unknown to the database.
 */
function withoutCountrySentence(
  health: Pick<DataHealth, 'logins' | 'loginsWithoutCountry'>,
): string | undefined {
  const share = shareOfLogins(health.loginsWithoutCountry, health);
  if (!share) return undefined;
  return `${shareText(share)} came from an address the geo data has no country for (private, reserved or unknown): the place checks (new country, new network owner, impossible travel) could not judge them.`;
}

/**
 * A data-health figure of some of the week's sign-ins (those naming no user, without an
 * address, or from an address without a country): `4 of 4 logins (100%)`; undefined when there are none, so the line is left out.
 */
export const loginShareFigure = (part: number | undefined, health: Pick<DataHealth, 'logins'>) => {
  const share = shareOfLogins(part, health);
  return share && shareText(share);
};

/**
 * The lines under "Logins by country" that say what its "unknown" row holds: sign-ins never looked
 * up (enrich places them), sign-ins without an address (nothing can place them), and sign-ins from
 * an address the geo data has no country for (private, reserved, or unknown to it).
 */
export const unknownCountryLines = (
  health: Pick<DataHealth, 'logins' | 'unplacedLogins' | 'loginsWithoutIp' | 'loginsWithoutCountry'>,
) =>
  [
    unplacedCountryLine(health),
    health.loginsWithoutIp
      ? `Unknown includes ${plural(health.loginsWithoutIp, 'login')} without an IP address.`
      : undefined,
    health.loginsWithoutCountry
      ? `Unknown includes ${plural(health.loginsWithoutCountry, 'login')} from an address the geo data has no country for (private, reserved or unknown).`
      : undefined,
  ].filter((line): line is string => line !== undefined);

/**
 * Users the place checks (new country, new network) could not judge: fewer placed history sign-ins
 * than the bar. Never fewer than those short of any history (a placed one is one of those); a model
 * archived before the placed count gives the latter, as it did.
 */
export const shortPlacedUsers = (history: LoginHistory): number =>
  Math.max(history.shortPlacedHistoryUsers ?? history.shortHistoryUsers, history.shortHistoryUsers);

/**
 * What the suspicious-logins section says of the week's users who had too little history for the
 * new-country, new-network and unusual-hour checks, which never judge them, per check: the place
 * checks count only placed history sign-ins (one without an address, or from a private one, does
 * not count), the hour check all. Undefined when every user had enough, or the model predates the
 * count. Shown instead of a flat "none" (a lake's first weeks would otherwise read as safe ones)
 * or beside the findings.
 */
export function shortHistorySentence(history: LoginHistory | undefined): string | undefined {
  if (!history) return undefined;
  const hour = history.shortHistoryUsers;
  const place = shortPlacedUsers(history);
  if (place <= 0) return undefined;
  const users = `of ${plural(Math.max(history.users, place), 'user')} who signed in`;
  const fewer = `fewer than ${plural(history.minHistoryLogins, 'login')}`;
  const before = `in the ${plural(history.historyDays, 'day')} before`;
  if (place === hour)
    return `${formatCount(hour)} ${users} had too little history (${fewer} ${before}) to be judged by the new-country, new-network and unusual-hour checks.`;
  const placed = `${formatCount(place)} ${users} had too little placed history (${fewer} with a known country ${before}) to be judged by the new-country and new-network checks`;
  if (hour <= 0) return `${placed}.`;
  return `${placed}; ${formatCount(hour)} of them had ${fewer} of any kind, too few for the unusual-hour check as well.`;
}

/**
 * Why the suspicious logins may be fewer than there are: sign-ins naming no user, never placed,
 * without an address or from one without a country, users without enough history. The renderers put the first after "No
 * suspicious logins found, but" when there
 * is no finding, and every one above the findings otherwise.
 */
export const suspiciousCaveats = (
  model: Pick<WeeklyReportModel, 'health' | 'loginHistory'> & {
    totals: Pick<WeeklyReportModel['totals'], 'activeUsers'>;
  },
): string[] =>
  [
    noLoginsAmongActiveUsers(model.health, model.totals.activeUsers.current)
      ? 'no event of the week is a login, so there was nothing to judge (see the note at the top).'
      : undefined,
    withoutUserSentence(model.health),
    unplacedLoginsSentence(model.health),
    withoutIpSentence(model.health),
    withoutCountrySentence(model.health),
    shortHistorySentence(model.loginHistory),
  ].filter((sentence): sentence is string => sentence !== undefined);
