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
 * their sign-ins of the hour from there ({@link linkKey}). The failures "under names of no user
 * from any address" level names no place a sign-in could come from, and is not judged.
 *
 * The spray is judged over the failures of the hour before the sign-in, which every evaluation
 * reads (`before`), and those of the evaluated period up to one of the level's windows after it
 * ({@link sprayAround}), so the alert of a sign-in is the same however often its hour is
 * evaluated; its id is the sign-in's alone. The failures after the period are not read: a
 * sign-in near the end of its hour, taken before its spray reached the threshold that the next
 * hour's failures reach, is not linked. The narrowest level that sprayed, of a place not the
 * user's, is the one named.
 */

import { lakeTimestamp } from '../lake/layout.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { type Alert, alertId } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { placedIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, userKey } from './detection.ts';
import { clientAddressKey } from './ip-network.ts';
import { localClockSpan, localHhmmWithOffset } from './local-time.ts';
import type { UserHistory } from './login-profile.ts';
import {
  type SprayLevel,
  sprayGroupOf,
  sprayGroupText,
  sprayLevels,
  sprayNetworkOf,
} from './spray-groups.ts';
import { SprayWindows } from './spray-windows.ts';
import { userIdOf } from './user-id.ts';

/** How far back a sign-in's sprays are looked for: the hour every evaluation reads before its period. */
const SPRAY_LOOKBACK_MS = HOUR_MS;

/** A level's failures by their group, each group's in time order, with where they sprayed. */
type Groups = Map<string, SprayWindows>;

function groupsAt(failures: readonly AlertEvent[], level: SprayLevel): Groups {
  const lists = new Map<string, AlertEvent[]>();
  for (const failure of failures) {
    const group = sprayGroupOf(failure, level.scope);
    if (group === null) continue;
    const list = lists.get(group);
    if (list) list.push(failure);
    else lists.set(group, [failure]);
  }
  const span = level.minutes * MINUTE_MS;
  return new Map([...lists].map(([group, list]) => [group, new SprayWindows(list, level.users, span)]));
}

/**
 * A sign-in's spray: the level and group that sprayed, and the group's failures it was judged on
 * (`from` to before `to` of the group's), their users and those of the sign-in's user.
 */
interface Spray {
  level: SprayLevel;
  group: string;
  windows: SprayWindows;
  from: number;
  to: number;
  users: number;
  own: number;
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
    const windows = groups.get(group);
    if (windows === undefined || !windows.sprayedWithin(fromMs, toMs)) continue;
    const spray = { level, group, windows, ...windows.tally(fromMs, toMs, userKey(login)) };
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
const MAX_LISTED_EVENTS = 50;

/** Of the spray's failures, the {@link MAX_LISTED_EVENTS} nearest `atMs`, going out from it. */
function nearest({ windows, from, to }: Spray, atMs: number): AlertEvent[] {
  const { failures } = windows;
  let after = Math.max(from, Math.min(to, windows.after(atMs)));
  let before = after - 1;
  const near: AlertEvent[] = [];
  while (near.length < MAX_LISTED_EVENTS && (before >= from || after < to)) {
    const [b, a] = [before >= from ? failures[before] : undefined, after < to ? failures[after] : undefined];
    const takeBefore =
      a === undefined || (b !== undefined && atMs - b.event_time_ms <= a.event_time_ms - atMs);
    near.push((takeBefore ? b : a) as AlertEvent);
    if (takeBefore) before--;
    else after++;
  }
  return near;
}

/** The ids of `login` and of the {@link MAX_LISTED_EVENTS} of the spray's failures and `again` nearest it. */
function listedIds(login: AlertEvent, spray: Spray, again: readonly AlertEvent[]): string[] {
  const at = login.event_time_ms;
  const near = [...nearest(spray, at), ...again]
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
  const { windows, from: i, to, users, own } = spray;
  const first = windows.failures[i] as AlertEvent;
  const last = windows.failures[to - 1] as AlertEvent;
  const count = to - i;
  const mine = own === 0 ? '' : `; ${own} of those failures ${own === 1 ? 'was' : 'were'} this user's`;
  const from = placedIpList([login]);
  const span = `${localClockSpan(first.event_time_ms, last.event_time_ms, timeZone)} ${timeZone}`;
  const after = to - Math.max(i, Math.min(to, windows.after(login.event_time_ms)));
  const when =
    after === 0
      ? `after ${sprayerText(spray)} failed for ${users} users (${count} failures) in the hour before (${span})`
      : `while ${sprayerText(spray)} failed for ${users} users (${count} failures) around it (${span}; ${after} after it)`;
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
    event_ids: listedIds(login, spray, again),
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
  };
}

/**
 * Whether the place that sprayed is one the user signs in from: the sign-in's address is one of
 * the user's placed history sign-ins', or, for a spray of a network or an owner, the user's
 * history holds that network or owner. A company whose people all sit behind one carrier's CGNAT
 * or one cloud proxy sees their mistypes make an owner's spray, and their sign-ins come from
 * addresses new to them each day: judged by the address alone, 30 mistypes in 10 minutes raised
 * 180 colleagues' sign-ins of the next hour (review R-SPRAY2 H1). The user's networks are cut as
 * the spray's ({@link sprayNetworkOf}: an IPv4 /24, an IPv6 /48, a mapped IPv4 address's /24):
 * until F-SPRAYV6 an IPv6 address of theirs gave no /48, so only their IPv4 networks counted.
 */
function knownPlace(login: AlertEvent, spray: Spray, history: UserHistory): boolean {
  const address = clientAddressKey(login.ip_address);
  if (address !== null && history.addresses.has(address)) return true;
  const { scope } = spray.level;
  if (scope === 'owner') return login.ip_asn !== null && history.owners.has(login.ip_asn);
  if (scope !== 'network') return false;
  return [...history.addresses].some((known) => sprayNetworkOf(known) === spray.group);
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
