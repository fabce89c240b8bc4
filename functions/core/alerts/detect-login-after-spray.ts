/**
 * `login_after_spray`: a user's sign-in from an address, network or network owner that sprayed in
 * the hour before it or as it signed in: its failed logins then reached a password spray's users, at one of
 * the spray's levels (spray-groups.ts: `sprayUsers` users from the address within `burstMinutes`,
 * three times as many from its /24 or /48 or its owner, twice as many from the address over the
 * hour). A spray says accounts were tried; only a sign-in from where it came says one of them was
 * taken, and the taken account has often no failure of its own (the password was right the first
 * time), so `login_after_failures`, which counts the user's own, said nothing (review R-ANALYST M2).
 *
 * Not raised for a sign-in from a place the user signs in from ({@link knownPlace}): an address
 * among the user's placed history sign-ins (the login profile's, as the new-place kinds read them:
 * {@link UserHistory.addresses}), or, where the spray is a network's or an owner's, that network or
 * owner among theirs. The office's shared address, where a busy morning's mistypes of five people
 * make a spray, would otherwise raise every colleague's sign-in of the next hour; an attacker's
 * address is new to the account it took; a colleague new to the office still raises, once for
 * their sign-ins of the hour from there ({@link linkKey}). The failures "under names of no user from any address" level names no place a sign-in
 * could come from, and is not judged.
 *
 * The spray is judged over the failures of the hour before the sign-in, which every evaluation
 * reads (`before`), and those of the evaluated period up to one of the level's windows after it
 * ({@link sprayAround}), so the alert of a sign-in is the same however often its hour is
 * evaluated; its id is the sign-in's alone. The failures after the period are not read: a
 * sign-in near the end of its hour, taken before its spray reached the threshold that the next
 * hour's failures reach, is not linked. The narrowest level that sprayed, of a place not the
 * user's, is the one named.
 */

import { DAY_MS, HOUR_MS, lakeTimestamp } from '../lake/layout.ts';
import { type Alert, alertId } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { placedIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, userKey } from './detection.ts';
import { clientAddressKey } from './ip-network.ts';
import { localClockSpan, localHhmmWithOffset } from './local-time.ts';
import type { UserHistory } from './login-profile.ts';
import { networkOfKey, type SprayLevel, sprayGroupOf, sprayGroupText, sprayLevels } from './spray-groups.ts';
import { userIdOf } from './user-id.ts';

/** How far back a sign-in's sprays are looked for: the hour every evaluation reads before its period. */
export const SPRAY_LOOKBACK_MS = HOUR_MS;

const MINUTE_MS = 60_000;

/** A level's failures by their group, each group's in time order. */
type Groups = Map<string, AlertEvent[]>;

function groupsAt(failures: readonly AlertEvent[], level: SprayLevel): Groups {
  const groups: Groups = new Map();
  for (const failure of failures) {
    const group = sprayGroupOf(failure, level.scope);
    if (group === null) continue;
    const list = groups.get(group);
    if (list) list.push(failure);
    else groups.set(group, [failure]);
  }
  return groups;
}

/** Whether some window of `minutes` within `failures` (in time order) holds `users` distinct users. */
function sprayed(failures: readonly AlertEvent[], level: SprayLevel): boolean {
  const span = level.minutes * MINUTE_MS;
  const users = new Map<string, number>();
  let left = 0;
  for (const failure of failures) {
    users.set(userKey(failure), (users.get(userKey(failure)) ?? 0) + 1);
    for (; (failures[left] as AlertEvent).event_time_ms <= failure.event_time_ms - span; left++) {
      const key = userKey(failures[left] as AlertEvent);
      const count = (users.get(key) ?? 0) - 1;
      if (count === 0) users.delete(key);
      else users.set(key, count);
    }
    if (users.size >= level.users) return true;
  }
  return false;
}

/** A sign-in's spray: the level and group that sprayed, and the group's failures it was judged on. */
interface Spray {
  level: SprayLevel;
  group: string;
  failures: AlertEvent[];
}

/**
 * The narrowest spray the sign-in's address, network or owner made in the hour before it or in a
 * window of the level's that holds it: the failures up to a window's length after it count too (a
 * window ending before then began before the sign-in). A spray's tool signs in as it goes, and the
 * account it takes is as likely the fourth of its list as the fortieth: judged on the failures
 * before the sign-in alone, 15 users tried from one address in five minutes, the fourth getting
 * in, raised the spray and no sign-in (review R-SPRAY2 M1). The failures at the sign-in's instant
 * count, whichever Domo wrote first. A level whose place is the user's ({@link knownPlace}) is
 * passed over for the next: a network of the user's that sprayed hid the slow spray of the
 * address itself, new to the user, judged after it (review R-SPRAY2). The user's history is read
 * only once a level sprayed.
 */
function sprayAround(
  login: AlertEvent,
  levels: readonly [SprayLevel, Groups][],
  history: () => UserHistory,
): Spray | undefined {
  const fromMs = login.event_time_ms - SPRAY_LOOKBACK_MS;
  for (const [level, groups] of levels) {
    const group = sprayGroupOf(login, level.scope);
    if (group === null) continue;
    const toMs = login.event_time_ms + level.minutes * MINUTE_MS;
    const failures = (groups.get(group) ?? []).filter(
      (f) => f.event_time_ms > fromMs && f.event_time_ms < toMs,
    );
    if (!sprayed(failures, level)) continue;
    const spray = { level, group, failures };
    if (!knownPlace(login, spray, history())) return spray;
  }
  return undefined;
}

/** `that IP`, `network 52.1.3.0/24`, `network owner AS14618`: who failed, as the evidence names it. */
function sprayerText({ level, group }: Spray): string {
  const { scope } = level;
  return scope === 'address' ? 'that IP' : sprayGroupText(scope, group);
}

/**
 * The failures and later sign-ins an alert lists in `event_ids`, at most: all of a flood were
 * listed in each of its sign-ins' alerts, 20,000 failures of one owner's hour in each of 2,000
 * (2.6 GB of ids for the alerts checkpoint to hold; review R-SPRAY2 H2). The evidence counts
 * them all; the ids are those nearest the sign-in, where the spray met it.
 */
export const MAX_LISTED_EVENTS = 50;

/** The ids of `login` and of the {@link MAX_LISTED_EVENTS} of `events` nearest it, in time order. */
function listedIds(login: AlertEvent, events: readonly AlertEvent[]): string[] {
  const at = login.event_time_ms;
  const near = [...events]
    .sort((a, b) => Math.abs(a.event_time_ms - at) - Math.abs(b.event_time_ms - at) || byTime(a, b))
    .slice(0, MAX_LISTED_EVENTS);
  return [...near, login].sort(byTime).map((e) => e.event_id);
}

/** `; 2 more sign-ins of the user from there by 02:40 UTC`, or nothing. */
function againText(again: readonly AlertEvent[], timeZone: string): string {
  const last = again.at(-1);
  if (last === undefined) return '';
  const count = again.length === 1 ? '1 more sign-in' : `${again.length} more sign-ins`;
  return `; ${count} of the user from there by ${localHhmmWithOffset(last.event_time_ms, timeZone)}`;
}

function alertOf(input: DetectionInput, { login, spray, again }: Linked): Alert {
  const { timeZone } = input.settings;
  const { failures } = spray;
  const first = failures[0] as AlertEvent;
  const last = failures.at(-1) as AlertEvent;
  const users = new Set(failures.map(userKey)).size;
  const own = failures.filter((f) => userKey(f) === userKey(login)).length;
  const mine = own === 0 ? '' : `; ${own} of those failures ${own === 1 ? 'was' : 'were'} this user's`;
  const from = placedIpList([login]);
  const span = `${localClockSpan(first.event_time_ms, last.event_time_ms, timeZone)} ${timeZone}`;
  const after = failures.filter((f) => f.event_time_ms > login.event_time_ms).length;
  const when =
    after === 0
      ? `after ${sprayerText(spray)} failed for ${users} users (${failures.length} failures) in the hour before (${span})`
      : `while ${sprayerText(spray)} failed for ${users} users (${failures.length} failures) around it (${span}; ${after} after it)`;
  return {
    // The sign-in's id alone: a late failure changes the evidence, not which alert it is.
    id: alertId(input.instance, 'login_after_spray', [login.event_id]),
    instance: input.instance,
    kind: 'login_after_spray',
    user_id: userIdOf(login),
    user_name: login.user_name,
    event_time: lakeTimestamp(login.event_time_ms),
    event_time_ms: login.event_time_ms,
    evidence: `signed in from ${from.text} ${when}, a password spray${mine}${againText(again, timeZone)}`,
    ip_address: login.ip_address,
    event_ids: listedIds(login, [...failures, ...again]),
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
  };
}

/**
 * Whether the place that sprayed is one the user signs in from: the sign-in's address is one of
 * the user's placed history sign-ins', or, for a spray of a network or an owner, the user's
 * history holds that network or owner. A company whose people all sit behind one carrier's CGNAT
 * or one cloud proxy sees their mistypes make an owner's spray, and their sign-ins come from
 * addresses new to them each day: judged by the address alone, 30 mistypes in 10 minutes raised
 * 180 colleagues' sign-ins of the next hour (review R-SPRAY2 H1).
 */
function knownPlace(login: AlertEvent, spray: Spray, history: UserHistory): boolean {
  const address = clientAddressKey(login.ip_address);
  if (address !== null && history.addresses.has(address)) return true;
  const { scope } = spray.level;
  if (scope === 'owner') return login.ip_asn !== null && history.owners.has(login.ip_asn);
  if (scope !== 'network') return false;
  return [...history.addresses].some((known) => networkOfKey(known) === spray.group);
}

/** A linked sign-in, and the user's later ones of the period from its address, linked too. */
interface Linked {
  login: AlertEvent;
  spray: Spray;
  again: AlertEvent[];
}

/**
 * The user and address a linked sign-in is folded by: a newcomer to the office signing in from
 * browser, phone and app, or a taken account used all hour, is one finding, and was an alert per
 * sign-in (review R-SPRAY2 L1). Only within the period, so the alerts of an hour do not depend on
 * what the run of the hour before raised.
 */
const linkKey = (user: string, login: AlertEvent): string =>
  JSON.stringify([user, clientAddressKey(login.ip_address) ?? login.ip_address]);

function loginsAfterSprays(input: DetectionInput): Alert[] {
  const { settings, profile, fromMs } = input;
  const all = [...input.before, ...input.events].sort(byTime);
  const failures = all.filter((e) => e.category === 'login_failed');
  const levels = sprayLevels(settings.sprayUsers, settings.burstMinutes)
    .filter((level) => level.scope !== 'instance')
    .map((level) => [level, groupsAt(failures, level)] as [SprayLevel, Groups]);
  const historyFromMs = fromMs - settings.historyDays * DAY_MS;
  const linked = new Map<string, Linked>();
  for (const login of all) {
    const user = userIdOf(login);
    if (login.category !== 'login' || user === null || !inPeriod(login, input)) continue;
    let history: UserHistory | undefined;
    const spray = sprayAround(login, levels, () => {
      history ??= profile.history(user, historyFromMs, fromMs);
      return history;
    });
    if (spray === undefined) continue;
    const first = linked.get(linkKey(user, login));
    if (first) first.again.push(login);
    else linked.set(linkKey(user, login), { login, spray, again: [] });
  }
  return [...linked.values()].map((link) => alertOf(input, link));
}

/** Sign-ins from an address, network or owner that made a password spray in the hour before. */
export const detectLoginsAfterSprays = declaredDetector(
  {
    kinds: ['login_after_spray'],
    reads: ['login', 'login_failed'],
    readsProfile: true,
    inOldHours: false,
  },
  loginsAfterSprays,
);
