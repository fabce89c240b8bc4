/**
 * Alerts from failed sign-ins (the events functions/queries/failed_logins_and_lockouts.sql counts):
 * - `lockout`: every lockout event, with the user's failed logins of the hour before as evidence;
 * - `failed_login_burst`: `burstFailures` failed logins of one user within `burstMinutes`. The alert
 *   is raised by the failure that brings the count in its trailing window up to the threshold; the
 *   next one only once that count has fallen to half the threshold, so a long attack raises one
 *   alert even when its count keeps dipping under the threshold (a slow script with jitter), and a
 *   new burst after a lull raises another. Before that, `burstFailures` failures in a window from
 *   addresses new since the last burst raise another, at most one per fixed `burstMinutes` window
 *   (counted from the epoch, so the same for every evaluation); within the fixed window of the last
 *   raise, one new address alone reaching the threshold raises one more. A second attack from
 *   elsewhere is thus not hidden behind the first, behind the user's own mistyped burst or behind
 *   devices retrying a stale password, and an attacker rotating addresses is at most two alerts a
 *   window. The attack is followed from the hour before the period (`burstMinutes` is at most 30):
 *   one that stays under the threshold but above half of it for that whole hour may be raised
 *   again, and an attack from many new addresses (none reaching the threshold alone) that starts
 *   within the same fixed window after that and goes on into the period may be raised again too.
 *   Bursts already raised (`raisedBursts`, from the alerts checkpoint) are not sent again under
 *   another id: a late failure that raises or moves a burst makes other failures raise the same
 *   attack's bursts, and one raised in the episode of those already raised (no lull between) by
 *   addresses their windows all held is left out ({@link repeatsRaised}).
 * Failures without a user id, or with one naming no user (`""`, `0`: detection.ts, `userIdOf`),
 * are grouped by the user name they carry, its spellings as one (detection.ts, `nameKey`; the SQL
 * tells them apart), and the evidence names the spellings.
 */

import { lakeTimestamp } from '../lake/layout.ts';
import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { type Alert, alertId, SPRAY_ADDRESS_TEXT_CHARS } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, userKey } from './detection.ts';
import { failureAddress, failureAddressKey, type KeyedAddress } from './ip-network.ts';
import { localClockSpan } from './local-time.ts';
import type { RaisedBurst } from './raised-burst.ts';
import { userIdOf } from './user-id.ts';
import { episodeEnd, wentOnText } from './went-on.ts';

/** An event's address ({@link failureAddress}), as one detection run reads it. */
export type AddressReader = (event: AlertEvent) => KeyedAddress | null;

/**
 * An {@link AddressReader} reading each event once, for one detection run: a user's lockouts each
 * read the failures of the hour before them, mostly the same ones (1,000 lockouts over 6,000
 * failures with 1 KB address texts took 95 s reading them anew each time: review R-NUMBERS2 L4).
 * It holds one entry per event read, no more than the run holds events.
 */
export function addressReader(): AddressReader {
  const read = new Map<AlertEvent, KeyedAddress | null>();
  return (event) => {
    const known = read.get(event);
    if (known !== undefined) return known;
    const address = failureAddress(event.ip_address);
    read.set(event, address);
    return address;
  };
}

/**
 * One address of a user's failures, told apart by {@link failureAddress}'s key: the entries of
 * that key seen (several for an IPv6 /64), the latest event from it, and the latest the geo data
 * placed, whose place is shown (a geo data update may have moved the address).
 */
interface SeenAddress {
  key: string;
  entries: Set<string>;
  latest: AlertEvent;
  placed?: AlertEvent;
}

/** The addresses of `events` (in time order), in the order first seen, and how many had none. */
interface SeenAddresses {
  addresses: SeenAddress[];
  without: number;
}

function distinctIps(events: readonly AlertEvent[], read: AddressReader): SeenAddresses {
  const byKey = new Map<string, SeenAddress>();
  let without = 0;
  for (const event of events) {
    const address = read(event);
    if (address === null) {
      without++;
      continue;
    }
    let seen = byKey.get(address.key);
    if (seen === undefined) {
      seen = { key: address.key, entries: new Set<string>(), latest: event };
      byKey.set(address.key, seen);
    }
    seen.latest = event;
    if (isPlaced(event)) seen.placed = event;
    if (address.entry !== null) seen.entries.add(address.entry);
  }
  return { addresses: [...byKey.values()], without };
}

/** Addresses an evidence line names, and the characters it shows of one. */
const SHOWN_IPS = 20;
const SHOWN_IP_CHARS = 64;

/**
 * An address text as the evidence shows it: one over {@link SPRAY_ADDRESS_TEXT_CHARS} (up to 1 MiB,
 * made up by a client) cut, with its length, so the alert held in the checkpoint stays small.
 */
const shownIp = (ip: string): string =>
  ip.length > SPRAY_ADDRESS_TEXT_CHARS ? `${ip.slice(0, SHOWN_IP_CHARS)}… (${ip.length} characters)` : ip;

/**
 * An address as the evidence names it, and what it says of it: the entry its key names
 * (`5.6.7.8` for `10.0.0.1, …, 5.6.7.8`, where the whole text, cut, hid it: review R-NUMBERS2 M2);
 * an IPv6 /64 seen as several addresses as the /64 and how many (`2a00:1450:4001:81c::/64`, 12
 * addresses), not as one of them; a text without a keyed entry as its latest failure wrote it.
 */
function shownAddress(seen: SeenAddress): { text: string; aside: string } {
  const [entry] = seen.entries;
  if (seen.entries.size > 1) return { text: seen.key, aside: `${seen.entries.size} addresses` };
  return { text: entry ?? shownIp(seen.latest.ip_address ?? ''), aside: '' };
}

/**
 * `IP 3.3.3.3`, `2 IPs 3.3.3.3, 4.4.4.4 and 3 without an address`: failures without an address are
 * counted, not left out, so a burst of four such and one from an address does not read as all from
 * it (review R-NUMBERS2 M1).
 */
const ipList = (ips: readonly string[], without: number): string => {
  if (ips.length === 0) return 'no recorded IP address';
  const more = ips.length > SHOWN_IPS ? ` and ${ips.length - SHOWN_IPS} more` : '';
  const none = without === 0 ? '' : `${more === '' ? '' : ','} and ${without} without an address`;
  return `${ips.length === 1 ? 'IP' : `${ips.length} IPs`} ${ips.slice(0, SHOWN_IPS).join(', ')}${more}${none}`;
};

/**
 * Whether {@link placeText} of `event` says anything, without writing it: asked of every failure
 * of the hour before each lockout.
 */
export const isPlaced = (event: AlertEvent): boolean =>
  (event.ip_country ?? '') !== '' || event.ip_asn !== null;

/** `US, AS7018 AT&T Services`: where the geo data placed `event`'s address; '' when nowhere. */
export function placeText(event: AlertEvent): string {
  const owner = event.ip_asn === null ? '' : `AS${event.ip_asn}${event.ip_org ? ` ${event.ip_org}` : ''}`;
  return [event.ip_country ?? '', owner].filter((part) => part !== '').join(', ');
}

/** What the geo data says of `events`' addresses, and the release that placed the latest of them. */
export interface PlacedIps {
  text: string;
  geoDbVersion: string | undefined;
}

/** {@link ipList} of `events`' addresses without their places (`5 of them from IP 4.4.4.4, new …`). */
export const plainIpList = (events: readonly AlertEvent[], read: AddressReader = addressReader()): string => {
  const { addresses, without } = distinctIps(events, read);
  const shown = addresses.map((seen) => {
    const { text, aside } = shownAddress(seen);
    return aside === '' ? text : `${text} (${aside})`;
  });
  return ipList(shown, without);
};

/**
 * {@link ipList} with each address's country and network owner, as the events' geo columns hold
 * them (the latest placed event's: a geo data update may have moved the address), `IP 198.51.100.7
 * (US, AS7018 AT&T Services)`: an attack from abroad or a hosting network reads at once, without a
 * query (review R-ALERTS L6). Addresses the geo data did not place (private ones, events not yet
 * enriched) are shown bare.
 */
export function placedIpList(
  events: readonly AlertEvent[],
  read: AddressReader = addressReader(),
): PlacedIps {
  const { addresses, without } = distinctIps(events, read);
  const shown = addresses.map((seen) => {
    const { text, aside } = shownAddress(seen);
    const notes = [aside, seen.placed === undefined ? '' : placeText(seen.placed)].filter((n) => n !== '');
    return notes.length === 0 ? text : `${text} (${notes.join('; ')})`;
  });
  // The events come in time order: the last placed one's release is the newest that placed any.
  const versions = addresses
    .flatMap(({ placed }) => (placed === undefined ? [] : [placed]))
    .sort(byTime)
    .flatMap((e) => (e.geo_db_version ? [e.geo_db_version] : []));
  return { text: ipList(shown, without), geoDbVersion: versions.at(-1) };
}

function byUser(events: readonly AlertEvent[], category: AlertEvent['category']): Map<string, AlertEvent[]> {
  const groups = new Map<string, AlertEvent[]>();
  for (const event of events) {
    if (event.category !== category) continue;
    const group = groups.get(userKey(event)) ?? [];
    group.push(event);
    groups.set(userKey(event), group);
  }
  for (const group of groups.values()) group.sort(byTime);
  return groups;
}

/**
 * The spellings of the name `events` carried (no name as an empty one), in the order first seen,
 * when they are about a user without an id ({@link userKey} takes them as one) and there are
 * several; otherwise none.
 */
function nameSpellings(events: readonly AlertEvent[]): string[] {
  if (events.some((e) => userIdOf(e) !== null)) return [];
  const names = [...new Set(events.map((e) => e.user_name ?? ''))];
  return names.length > 1 ? names : [];
}

/** The evidence's words on those spellings, each quoted so its spaces show: `; the name as "a", " A"`. */
const spelledAs = (names: readonly string[]): string =>
  names.length === 0 ? '' : `; the name as ${names.map((name) => JSON.stringify(name)).join(', ')}`;

const alertOf = (
  input: DetectionInput,
  kind: Alert['kind'],
  key: AlertEvent,
  triggering: readonly AlertEvent[],
  evidence: string,
  names: readonly string[] = [],
  geoDbVersion?: string,
): Alert => {
  const eventIds = triggering.map((e) => e.event_id);
  return {
    id: alertId(input.instance, kind, eventIds),
    instance: input.instance,
    kind,
    // No id rather than one naming no user (`0`): the alert reads as the name's, as it is keyed.
    user_id: userIdOf(key),
    user_name: key.user_name,
    event_time: lakeTimestamp(key.event_time_ms),
    event_time_ms: key.event_time_ms,
    evidence,
    ip_address: key.ip_address,
    event_ids: eventIds,
    ...(names.length === 0 ? {} : { user_names: [...names] }),
    ...(geoDbVersion === undefined ? {} : { geo_db_version: geoDbVersion }),
  };
};

function lockoutsOf(input: DetectionInput): Alert[] {
  const failures = byUser([...input.before, ...input.events], 'login_failed');
  const lockouts = input.events.filter((e) => e.category === 'lockout' && inPeriod(e, input)).sort(byTime);
  const read = addressReader();
  return lockouts.map((lockout) => {
    const earlier = (failures.get(userKey(lockout)) ?? []).filter(
      (f) => f.event_time_ms <= lockout.event_time_ms && f.event_time_ms > lockout.event_time_ms - HOUR_MS,
    );
    const from = placedIpList(earlier, read);
    const evidence =
      earlier.length === 0
        ? 'locked out; no failed login of this user in the hour before'
        : `locked out after ${earlier.length} failed login${earlier.length === 1 ? '' : 's'} in the hour before, from ${from.text}`;
    const names = nameSpellings([lockout, ...earlier]);
    const text = `${evidence}${spelledAs(names)}`;
    return alertOf(input, 'lockout', lockout, [lockout], text, names, from.geoDbVersion);
  });
}

/**
 * A burst to raise: `failures[left..last]`, the trailing window of its raising failure; `renewed`
 * holds those of them from addresses new since the previous burst when it was raised while the
 * detector was not re-armed yet (a second attack behind the first or behind background failures).
 */
interface BurstRaise {
  left: number;
  last: number;
  renewed: readonly AlertEvent[] | null;
}

/**
 * The trailing window (t - span, t] over one user's failures, counting those from addresses not
 * yet known (`null`, no recorded address, is one more address). Addresses are told apart by
 * {@link failureAddressKey}: one attacker's `3.3.3.3` and `3.3.3.3, 10.0.0.7` are one address, not
 * a second attack "new since the previous burst" (review R-QUERIES M2).
 */
class FreshWindow {
  left = 0;
  last = -1;
  /** Failures in the window whose address is not in `known`. */
  fresh = 0;
  private known = new Set<string | null>();
  /** `fresh` per address: only the address of the failure entering the window can grow. */
  private readonly perAddress = new Map<string | null, number>();
  /** Each failure's address key, read once: the window looks at each failure twice or more. */
  private readonly keys: readonly (string | null)[];

  constructor(
    private readonly failures: readonly AlertEvent[],
    private readonly span: number,
  ) {
    this.keys = failures.map((f) => failureAddressKey(f.ip_address));
  }

  private keyAt(i: number): string | null {
    return this.keys[i] ?? null;
  }

  get count(): number {
    return this.last - this.left + 1;
  }

  slideTo(last: number): void {
    const at = (i: number) => this.failures[i] as AlertEvent;
    this.last = last;
    this.tally(this.keyAt(last), 1);
    while (at(this.left).event_time_ms <= at(last).event_time_ms - this.span) {
      this.tally(this.keyAt(this.left), -1);
      this.left++;
    }
  }

  /** The window's failures from the address of its last one (0 when that address is known). */
  get freshFromLastAddress(): number {
    return this.perAddress.get(this.keyAt(this.last)) ?? 0;
  }

  private tally(ip: string | null, step: 1 | -1): void {
    if (this.known.has(ip)) return;
    this.fresh += step;
    const count = (this.perAddress.get(ip) ?? 0) + step;
    if (count === 0) this.perAddress.delete(ip);
    else this.perAddress.set(ip, count);
  }

  freshFailures(): AlertEvent[] {
    return this.failures
      .slice(this.left, this.last + 1)
      .filter((_, i) => !this.known.has(this.keyAt(this.left + i)));
  }

  /**
   * Makes every address in the window known, added to those known so far or (`anew`) replacing
   * them. `fresh` then restarts at 0 and stays exact as these failures leave: `known` only grows
   * until the next replacement, which again covers the whole window.
   */
  knowAll(anew: boolean): void {
    if (anew) this.known = new Set();
    for (let i = this.left; i <= this.last; i++) this.known.add(this.keyAt(i));
    this.fresh = 0;
    this.perAddress.clear();
  }
}

/**
 * Where one user's failures raise bursts, `failures` sorted by time and `n` at least 2. Armed (no
 * burst raised since the window last fell to half the threshold), the failure that brings the
 * window's count to `n` raises one. Half, not empty: a client retrying a stale password every few
 * minutes never leaves the window empty; a script hovering near the threshold stays above half and
 * remains one alert. Disarmed, only `n` failures in the window from addresses not in the windows of
 * the bursts raised since (a failure without one counts as one more address) raise another, and only
 * in a later fixed window (`span` long, from the epoch) than the last: background failures above
 * half the threshold (two devices retrying) must not hide a second attack from elsewhere, and an
 * attacker taking a new address for every attempt is then one alert a window, not one every `n`
 * failures. Fixed windows rather than a wait of `span` after the last raise: with the wait, moving
 * one raise (a late failure before it) moved every later one and so changed all their ids, and a
 * recheck re-sent them all. Within the fixed window of the last raise, one new address alone with
 * `n` failures in the window raises once more: an attacker starting minutes after the user's own
 * mistyped burst is named, yet a botnet whose every address makes `n` attempts is at most two
 * alerts a fixed window.
 */
function burstRaises(failures: readonly AlertEvent[], n: number, span: number): BurstRaise[] {
  const rearmAt = Math.max(1, Math.floor(n / 2));
  const window = new FreshWindow(failures, span);
  const raises: BurstRaise[] = [];
  let armed = true;
  // Fixed windows `[k * span, (k + 1) * span)` from the epoch: the same for every evaluation.
  let raisedIn = Number.NEGATIVE_INFINITY;
  /** The fixed window one new address alone last raised a burst in (at most once a window). */
  let concentratedIn = Number.NEGATIVE_INFINITY;
  failures.forEach((failure, i) => {
    window.slideTo(i);
    if (window.count <= rearmAt) armed = true;
    const fixed = Math.floor(failure.event_time_ms / span);
    // Only the address of the failure entering the window can reach `n` alone, so looking at it
    // on each failure finds every such address.
    const renewing =
      !armed &&
      ((window.fresh >= n && fixed > raisedIn) ||
        (window.freshFromLastAddress >= n && fixed > concentratedIn));
    if (!(renewing || (armed && window.count >= n))) return;
    // A second raise in one fixed window, renewed or re-armed, uses up the window's one extra.
    if (fixed === raisedIn) concentratedIn = fixed;
    raises.push({ left: window.left, last: i, renewed: renewing ? window.freshFailures() : null });
    window.knowAll(armed);
    armed = false;
    raisedIn = fixed;
  });
  return raises;
}

/**
 * For each failure, how many failures up to it found their trailing window at half the threshold
 * or fewer, where {@link burstRaises} re-arms: two failures with the same number are in one episode
 * of the user's failures (no lull between them). It depends on the failures alone, not on where
 * bursts were raised, so a late failure changes it only where it lands.
 */
function episodesOf(failures: readonly AlertEvent[], n: number, span: number): number[] {
  const rearmAt = Math.max(1, Math.floor(n / 2));
  const episodes: number[] = [];
  let left = 0;
  let episode = 0;
  failures.forEach((failure, i) => {
    while ((failures[left] as AlertEvent).event_time_ms <= failure.event_time_ms - span) left++;
    if (i - left + 1 <= rearmAt) episode++;
    episodes.push(episode);
  });
  return episodes;
}

/** Where the failure raised at `ms` is among `failures` (sorted), or -1. */
function raisingIndex(failures: readonly AlertEvent[], ms: number): number {
  for (let i = failures.length - 1; i >= 0; i--) {
    const at = (failures[i] as AlertEvent).event_time_ms;
    if (at === ms) return i;
    if (at < ms) return -1;
  }
  return -1;
}

/** One user's failures as one evaluation sees them, with their episodes ({@link episodesOf}). */
interface UserView {
  failures: readonly AlertEvent[];
  episodes: readonly number[];
  /** The end of the period: bursts raised from there on are the next hours' to see. */
  toMs: number;
  span: number;
}

/**
 * Whether the burst raised at `at` is in the episode of the failure `last`: by its raising failure
 * when the view holds it. One raised after the period (by the next hour: a late failure now raises
 * the same attack just before this hour ends) counts when its window holds `last` and the episode
 * goes on to the end of the view; a lull in the few minutes the view does not hold is not seen.
 */
function inEpisodeOf(view: UserView, last: number, at: number): boolean {
  const { failures, episodes, toMs, span } = view;
  const i = raisingIndex(failures, at);
  if (i >= 0) return episodes[i] === episodes[last];
  const raisedAt = (failures[last] as AlertEvent).event_time_ms;
  return at >= toMs && at - span < raisedAt && episodes[failures.length - 1] === episodes[last];
}

/**
 * Whether `raise` repeats bursts already raised for this user: some were raised in its episode
 * and the addresses that raise it (those new since the previous burst when renewed, else its whole
 * window) were all in their windows. A late failure that raises or moves a burst can make another
 * failure of the same attack raise the next one, under another id; sending it would tell the user
 * nothing the earlier alerts did not. A lull or a new address still raises.
 */
function repeatsRaised(raise: BurstRaise, view: UserView, raised: readonly RaisedBurst[]): boolean {
  const named = new Set<string | null>();
  // Keyed as read: a record written before 2026-12-05 holds whole texts (`3.3.3.3, 10.0.0.7`),
  // one written since their keys, which read as themselves.
  for (const [at, ...ips] of raised) {
    if (inEpisodeOf(view, raise.last, at)) for (const ip of ips) named.add(failureAddressKey(ip));
  }
  const raising = raise.renewed ?? view.failures.slice(raise.left, raise.last + 1);
  return named.size > 0 && raising.every((f) => named.has(failureAddressKey(f.ip_address)));
}

function burstAlert(
  input: DetectionInput,
  failures: readonly AlertEvent[],
  raise: BurstRaise & { end: number },
  read: AddressReader,
): Alert {
  const { burstMinutes: minutes, timeZone } = input.settings;
  const failure = failures[raise.last] as AlertEvent;
  const burst = failures.slice(raise.left, raise.last + 1);
  const episode = failures.slice(raise.left, raise.end + 1);
  const wentOn = wentOnText(`${episode.length} failures`, episode, burst.length, timeZone);
  const first = burst[0] as AlertEvent;
  const behind =
    raise.renewed === null
      ? ''
      : // Bracketed: their list may end in "and 2 without an address", which read outside it as
        // two more failures than the count (review R-FINAL).
        `; ${raise.renewed.length} of them new since the previous burst (from ${plainIpList(raise.renewed, read)})`;
  const names = nameSpellings(burst);
  const from = placedIpList(burst, read);
  return alertOf(
    input,
    'failed_login_burst',
    failure,
    burst,
    `${burst.length} failed logins within ${minutes} minutes (${localClockSpan(first.event_time_ms, failure.event_time_ms, timeZone)} ${timeZone}) from ${from.text}${behind}${wentOn}${spelledAs(names)}`,
    names,
    from.geoDbVersion,
  );
}

function burstsOf(input: DetectionInput): Alert[] {
  const n = input.settings.burstFailures;
  const span = input.settings.burstMinutes * MINUTE_MS;
  const alerts: Alert[] = [];
  const read = addressReader();
  for (const [user, failures] of byUser([...input.before, ...input.events], 'login_failed')) {
    const raised = input.raisedBursts?.[user] ?? [];
    const episodes = episodesOf(failures, n, span);
    const view = { failures, episodes, toMs: input.toMs, span };
    const raises = burstRaises(failures, n, span);
    raises.forEach((raise, r) => {
      // Raised before the period: followed, not alerted.
      if (!inPeriod(failures[raise.last] as AlertEvent, input)) return;
      if (raised.length > 0 && repeatsRaised(raise, view, raised)) return;
      const end = episodeEnd(episodes, raise.last, raises[r + 1]?.last ?? failures.length);
      alerts.push(burstAlert(input, failures, { ...raise, end }, read));
    });
  }
  return alerts;
}

/** One alert per lockout, its evidence the user's failures of the hour before. */
export const detectLockouts = declaredDetector(
  { kinds: ['lockout'], reads: ['lockout', 'login_failed'], readsProfile: false, inOldHours: true },
  lockoutsOf,
);

/** Failed-login bursts of one user (`burstFailures` within `burstMinutes`). */
export const detectFailedLoginBursts = declaredDetector(
  { kinds: ['failed_login_burst'], reads: ['login_failed'], readsProfile: false, inOldHours: false },
  burstsOf,
);
