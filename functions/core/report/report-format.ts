/**
 * How the report writes numbers, changes and times, shared by the HTML, the text and the subject
 * so that all three say the same thing. English, grouping commas, times in the report's zone.
 */

import { HOUR_MS } from '../lake/layout.ts';
import { clip } from '../mail/clip.ts';
import { visibleText } from '../visible-text.ts';
import { noneThisWeek } from './comparable-weeks.ts';
import { formatCount, plural } from './number-format.ts';
import {
  type DataHealth,
  type LoginHistory,
  noLoginsAmongActiveUsers,
  type UncountedSignIns,
  type UncountedSource,
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
 * What the suspicious-logins section says of the week's sign-ins stored without a user id: no
 * check judged them, and the likeliest cause is Domo renaming or nesting its user fields, which
 * the records' `raw` column shows. Undefined when there are none, or the model predates the count.
 */
function withoutUserSentence(health: Pick<DataHealth, 'logins' | 'loginsWithoutUser'>): string | undefined {
  const share = shareOfLogins(health.loginsWithoutUser, health);
  if (!share) return undefined;
  return `${shareText(share)} came without a user id, so no check could judge them: Domo may have renamed or nested its user fields (the events' raw column shows what it sent; docs/ingest.md, "Reading entries").`;
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
 * A data-health figure of some of the week's sign-ins (those without a user id, without an
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

/** The parts of the model the sentences on uncounted sign-in events read. */
type UncountedModel = Pick<WeeklyReportModel, 'status' | 'week' | 'uncountedSignIns'> & {
  health: Pick<DataHealth, 'quarantined'>;
};

/** How many action types a sentence names, and how long each may be: the rest is in the archive. */
const NAMED_ACTION_TYPES = 3;
const ACTION_TYPE_CHARS = 48;
const EXAMPLE_TEXT_CHARS = 60;

/** A Domo string on one line, as the sentences quote it ({@link visibleText}, white space collapsed). */
const quoted = (text: string, max: number): string =>
  clip(visibleText(text).replace(/\s+/g, ' ').trim(), max);

/**
 * The action types of one source's uncounted sign-in events, the most frequent first:
 * ` (by actionType: AUTHENTICATION_FAILED ×5, none ×2 (text "Login attempt failed"), and 3 more entries)`: the rest counted by entry, not by action type.
 * Empty when the model lists none of them.
 */
function actionTypesOf(uncounted: UncountedSignIns, source: UncountedSource): string {
  const rows = uncounted.actionTypes.filter((a) => a.source === source);
  const shown = rows.slice(0, NAMED_ACTION_TYPES);
  if (shown.length === 0) return '';
  // A no-break space keeps each count with its name when the sentence wraps.
  const named = shown.map((a) => {
    const times = `\u00a0×${formatCount(a.entries)}`;
    const name = a.actionType === null ? '' : quoted(a.actionType, ACTION_TYPE_CHARS);
    if (name !== '') return `${name}${times}`;
    const example = a.exampleText === null ? '' : quoted(a.exampleText, EXAMPLE_TEXT_CHARS);
    return `none${times}${example === '' ? '' : ` (text "${example}")`}`;
  });
  const others = uncounted[source] - shown.reduce((sum, a) => sum + a.entries, 0);
  if (others > 0) named.push(`and ${plural(others, 'more entry', 'more entries')}`);
  return ` (by actionType: ${named.join(', ')})`;
}

/**
 * What the failed-logins section says of the week's quarantined entries: a failed login or a
 * lockout Domo sent in a shape the ingest cannot read is among them, not in the list, so "none"
 * would pass such a week for a quiet one; how many of them look like sign-in events, and by which
 * action type, when the model counted them. Undefined when nothing was quarantined, or the lake
 * holds nothing of the week (which "No data for this week." says already).
 */
export function quarantinedSentence(model: UncountedModel): string | undefined {
  const signIns = model.uncountedSignIns?.quarantined ?? 0;
  // Counted from the manifests, the sign-ins and entries from the entries themselves: a manifest
  // removed since leaves more entries, so "all of which" holds only against the larger count.
  const quarantined = Math.max(
    model.health.quarantined,
    signIns,
    model.uncountedSignIns?.quarantinedEntries ?? 0,
  );
  if (quarantined <= 0 || model.status === 'empty') return undefined;
  // Told, not warned: most weeks quarantine a few entries that are no sign-in at all (a bare
  // number, a view with a bad time), and a red note every week teaches readers to skip it.
  const hour = (iso: string, round: (n: number) => number) =>
    `${new Date(round(Date.parse(iso) / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13)}:00Z`;
  let which = '';
  if (model.uncountedSignIns && signIns > 0) {
    const share =
      signIns === quarantined
        ? quarantined === 1
          ? 'which looks like a sign-in event'
          : 'all of which look like sign-in events'
        : `${formatCount(signIns)} of which ${signIns === 1 ? 'looks like a sign-in event' : 'look like sign-in events'}`;
    which = `, ${share}${actionTypesOf(model.uncountedSignIns, 'quarantined')}`;
  }
  return `Not counted here: ${plural(quarantined, 'entry', 'entries')} of the week could not be read (quarantined${byManifests(model.health.quarantined, quarantined)})${which}; a failed login or lockout among them would be missing from this section. Their reasons: the quarantine table, or verify over ${hour(model.week.startUtc, Math.floor)} to ${hour(model.week.endUtc, Math.ceil)}.`;
}

/**
 * Why the sentence's count is larger than the data health's: that one is the hours' manifests',
 * and the quarantine holds entries they do not count (a manifest removed or rewritten since),
 * which `verify` reports as a mismatch. Without it the mail gave two counts of one thing.
 */
const byManifests = (manifests: number, entries: number): string =>
  entries > manifests
    ? `; ${formatCount(manifests)} by the hours' manifests, as data health counts them: verify reports the difference`
    : '';

/**
 * What the failed-logins section says of the week's sign-in events the category rules did not
 * recognise (stored as `other`): how many, by which action types, and how to count them. Told like
 * the quarantine: a name that reads like a sign-in and is none shows here every week. Undefined
 * when there are none, or the model predates the count.
 */
export function unrecognisedSignInsSentence(
  model: Pick<WeeklyReportModel, 'status' | 'uncountedSignIns'>,
): string | undefined {
  const uncounted = model.uncountedSignIns;
  if (!uncounted || uncounted.unrecognised <= 0 || model.status === 'empty') return undefined;
  const one = uncounted.unrecognised === 1;
  const [look, them, are, names] = one
    ? ['looks like a sign-in event', 'it', 'it is a sign-in, failed sign-in or lockout', 'its name']
    : ['look like sign-in events', 'them', 'they are sign-ins, failed sign-ins or lockouts', 'their names'];
  return `Not counted here: ${plural(uncounted.unrecognised, 'entry', 'entries')} of the week ${look} but the category rules did not recognise ${them}${actionTypesOf(uncounted, 'unrecognised')}, so no login figure counts ${them}; if ${are}, add ${names} to the category rules and re-categorise the week with enrich (docs/ingest.md, "Categories").`;
}

/**
 * What the failed-logins section says of the week's entries it could not count (quarantined, or
 * sign-in events the rules did not recognise), in that order: instead of a flat "none", or above
 * the users it lists.
 */
export const notCountedSentences = (model: UncountedModel): string[] =>
  [quarantinedSentence(model), unrecognisedSignInsSentence(model)].filter(
    (sentence): sentence is string => sentence !== undefined,
  );

/**
 * What the failed-logins section says when it lists no one: "none" plainly, or, with entries of
 * the week it could not count, none among the entries read and what was not counted.
 */
export function noFailedLoginsSentence(model: UncountedModel & Parameters<typeof noneThisWeek>[0]): string {
  const notCounted = notCountedSentences(model);
  return notCounted.length > 0
    ? `No failed logins or lockouts among the entries read. ${notCounted.join(' ')}`
    : noneThisWeek(model, 'No failed logins or lockouts this week.');
}

/**
 * The data-health figure of the week's uncounted sign-in events: `7 not recognised, 5 quarantined`,
 * or `not checked (reason)` when their query failed; undefined when there are none, or the model
 * predates the count.
 */
export function uncountedSignInsFigure(
  model: Pick<WeeklyReportModel, 'uncountedSignIns' | 'uncountedSignInsNotChecked'>,
): string | undefined {
  if (model.uncountedSignInsNotChecked !== undefined)
    return `not checked (${model.uncountedSignInsNotChecked})`;
  const uncounted = model.uncountedSignIns;
  if (!uncounted || uncounted.unrecognised + uncounted.quarantined <= 0) return undefined;
  return `${formatCount(uncounted.unrecognised)} not recognised, ${formatCount(uncounted.quarantined)} quarantined`;
}

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
 * Why the suspicious logins may be fewer than there are: sign-ins without a user id, never placed,
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
