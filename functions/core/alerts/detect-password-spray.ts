/**
 * `password_spray`: failed logins of `sprayUsers` distinct users from one address within
 * `burstMinutes`; and, since 2026-12-06, of more users from one network or network owner, or from
 * one address over a longer window (spray-groups.ts: the levels, narrowest first, and why). Each
 * level is judged as below, over its own groups; a wider level's spray is not alerted where a
 * narrower one was raised at its failures ({@link narrowerRaised}). What follows says address for
 * the group. A spray tries a few passwords on many accounts, each staying under the per-user
 * burst threshold: 40 users with 2 failures each from one address in 10 minutes raised nothing
 * (review R-ALERTS). Users are told apart as the other failure detectors tell them ({@link userKey}:
 * the id, else, without one or with one naming no user (`0`), the name in all its spellings),
 * addresses as failed_logins_by_ip.sql groups them (ip-network.ts, addressKey: the key of the list's first
 * entry suspicious_logins.sql would key, wherever it stands, else the whole text), so a spray
 * whose port, proxy hop, junk or non-public first entry or IPv4-mapped spelling, or IPv6 address
 * within its /64, changes with each attempt is one address; failures without an address are no
 * one address and are left out. The raised sprays of
 * the alerts checkpoint are keyed alike (raised-sprays.ts): one recorded before 2026-12-05 under
 * a whole list's text, an address with its port or a whole IPv6 address (now its /64) no longer
 * matches its spray, which a recheck shifting it (a late failure) may then send once more, within
 * the recheck hours after the upgrade.
 *
 * As for bursts, the failure that brings the distinct users of its trailing window up to the
 * threshold raises the alert, and the next one from that address only once the window's distinct
 * users fell to half the threshold or fewer: a long spray is one alert, a new one after a lull
 * another. The spray is followed from the hour before the period (a window is at most 60 minutes:
 * `burstMinutes` at most 30, the slow one 60); one raised there is not alerted again. Its id is that of the window's failures, as every alert's.
 *
 * Sprays already raised (`raisedSprays`, from the alerts checkpoint: raised-sprays.ts) are not
 * sent again under another id: a late failure of one more user, found by a recheck, makes an
 * earlier failure raise the same spray (review R-ALERTS2). A late failure only adds users to the
 * windows of the failures already there, so it opens no lull at any of them and mostly merges
 * episodes (failures with no lull between: the window never fell to half the threshold); each
 * episode raises once, and one that holds a spray already raised is that spray
 * ({@link repeatsRaised}). A new spray after a lull still goes out. But the late failure is itself
 * a point where the window is judged, and can open a lull there: one of a user its window already
 * holds, in a gap where the window has thinned to just over half the threshold, has one user fewer
 * than the failure after it, so an episode can split in two and the failures after it raise a
 * second spray, sent (test/core/alerts/detect-password-spray-late-split.test.ts).
 */
import { lakeTimestamp } from '../lake/layout.ts';
import { type Alert, alertId, boundedAddressTexts } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { isPlaced, placedIpList, placeText, plainIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, userKey } from './detection.ts';
import { localClockSpan } from './local-time.ts';
import type { RaisedSprays } from './raised-sprays.ts';
import {
  type SprayLevel,
  type SprayScope,
  sprayGroupOf,
  sprayGroupText,
  sprayLevels,
  sprayRecordKey,
} from './spray-groups.ts';
import { userIdOf } from './user-id.ts';
import { episodeEnd, wentOnText } from './went-on.ts';

/**
 * What the spray detector reads: a period's input, and the sprays already raised. Kept here
 * rather than in detection.ts's input, which other detectors share; a caller passes it along.
 */
export type SprayInput = DetectionInput & { raisedSprays?: Readonly<RaisedSprays> };

const MINUTE_MS = 60_000;

/** Users the evidence names before `and N more`: enough to see the pattern, short enough to read. */
const NAMED_USERS = 5;

/** The failures by their group at `scope` (spray-groups.ts), each group's in time order. */
function byGroup(events: readonly AlertEvent[], scope: SprayScope): Map<string, AlertEvent[]> {
  const groups = new Map<string, AlertEvent[]>();
  for (const event of events) {
    const key = event.category === 'login_failed' ? sprayGroupOf(event, scope) : null;
    if (key === null) continue;
    const group = groups.get(key) ?? [];
    group.push(event);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.sort(byTime);
  return groups;
}

/** The trailing window (t - span, t] over one address's failures, counting its distinct users. */
class UsersWindow {
  left = 0;
  private readonly users = new Map<string, number>();

  constructor(
    private readonly failures: readonly AlertEvent[],
    private readonly span: number,
  ) {}

  get distinct(): number {
    return this.users.size;
  }

  slideTo(last: number): void {
    const at = (i: number) => this.failures[i] as AlertEvent;
    this.tally(at(last), 1);
    while (at(this.left).event_time_ms <= at(last).event_time_ms - this.span) {
      this.tally(at(this.left), -1);
      this.left++;
    }
  }

  private tally(event: AlertEvent, step: 1 | -1): void {
    const key = userKey(event);
    const count = (this.users.get(key) ?? 0) + step;
    if (count === 0) this.users.delete(key);
    else this.users.set(key, count);
  }
}

/**
 * Where one address's failures (sorted) raise sprays: `[left, last]` of each raising window; and
 * each failure's episode (the number of lulls up to it: failures where the window held half the
 * threshold of users or fewer), so two failures are of one episode when no lull lies between.
 */
function sprayRaises(
  failures: readonly AlertEvent[],
  n: number,
  span: number,
): { raises: [number, number][]; episodes: number[] } {
  const rearmAt = Math.max(1, Math.floor(n / 2));
  const window = new UsersWindow(failures, span);
  const raises: [number, number][] = [];
  const episodes: number[] = [];
  let lulls = 0;
  let armed = true;
  failures.forEach((_, i) => {
    window.slideTo(i);
    if (window.distinct <= rearmAt) {
      armed = true;
      lulls++;
    }
    episodes.push(lulls);
    if (!armed || window.distinct < n) return;
    raises.push([window.left, i]);
    armed = false;
  });
  return { raises, episodes };
}

/** The index of the last failure at `ms`, or -1. */
function failureAt(failures: readonly AlertEvent[], ms: number): number {
  for (let i = failures.length - 1; i >= 0; i--) {
    const at = (failures[i] as AlertEvent).event_time_ms;
    if (at === ms) return i;
    if (at < ms) return -1;
  }
  return -1;
}

/**
 * Whether the spray raised by failure `last` was raised already: a spray of the address was
 * raised in its episode. One raised after the period (by the next hour: a late failure now raises
 * the same spray before this hour ends) counts when its window holds `last` and the episode goes
 * on to the end of the view; one raised before the view is not judged (the view starts an hour
 * before the period, and a spray is at most 30 minutes long).
 */
function repeatsRaised(
  view: { failures: readonly AlertEvent[]; episodes: readonly number[]; toMs: number; span: number },
  last: number,
  raised: readonly number[],
): boolean {
  const { failures, episodes, toMs, span } = view;
  const lastAt = (failures[last] as AlertEvent).event_time_ms;
  return raised.some((at) => {
    const i = failureAt(failures, at);
    if (i >= 0) return episodes[i] === episodes[last];
    return at >= toMs && at - span < lastAt && episodes[failures.length - 1] === episodes[last];
  });
}

/** The users of `failures` as shown: each one's first name as Domo gave it, else its id. */
function usersNamed(failures: readonly AlertEvent[]): string[] {
  const shown = new Map<string, string>();
  for (const f of failures) {
    if (!shown.has(userKey(f)))
      shown.set(userKey(f), f.user_name || (userIdOf(f) === null ? '?' : `user ${f.user_id}`));
  }
  return [...shown.values()];
}

/**
 * The distinct address texts of `failures`, newest first, as many as the alert keeps
 * ({@link boundedAddressTexts}); `partial` when it leaves any out.
 */
function addressTexts(failures: readonly AlertEvent[]): { texts: string[]; partial: boolean } {
  const texts = new Set<string>();
  for (let i = failures.length - 1; i >= 0; i--) {
    const text = (failures[i] as AlertEvent).ip_address;
    if (text !== null) texts.add(text);
  }
  return boundedAddressTexts(texts);
}

/** The alert's address texts: none when the raising failure's text is all (the query reads it). */
function addressFields(
  failures: readonly AlertEvent[],
): Pick<Alert, 'ip_addresses' | 'ip_addresses_partial'> {
  const { texts, partial } = addressTexts(failures);
  if (partial) return { ip_addresses: texts, ip_addresses_partial: true };
  return texts.length > 1 ? { ip_addresses: texts } : {};
}

/**
 * Whether a spray of a narrower level (`narrower`: their raising failures) was raised in the
 * raising window `[left, last]` or earlier in the episode of `failures[last]` (the window too: a
 * wider group, its threshold higher, is still in a lull while the narrower spray starts). Its
 * failures were alerted under that address (or network), and one more alert for the same episode
 * would tell nothing new. One raised later in the episode does not hold back the wider one.
 */
function narrowerRaised(
  view: { failures: readonly AlertEvent[]; episodes: readonly number[] },
  [left, last]: [number, number],
  narrower: ReadonlySet<string>,
): boolean {
  const { failures, episodes } = view;
  for (let i = last; i >= 0 && (i >= left || episodes[i] === episodes[last]); i--) {
    if (narrower.has((failures[i] as AlertEvent).event_id)) return true;
  }
  return false;
}

/** A spray's group and level, and its failures: those of the raising window, then its episode's. */
interface SprayFound {
  level: SprayLevel;
  group: string;
  window: readonly AlertEvent[];
  episode: readonly AlertEvent[];
}

/**
 * Whom the spray came from: its address, placed (`IP 5.6.7.8 (US, AS7018 AT&T Services)`); of a
 * network or an owner, that group placed by its latest placed failure, then its addresses bare,
 * so 30 addresses of one owner do not repeat its name 30 times.
 */
function fromText(found: SprayFound, placedIps: string): string {
  if (found.level.scope === 'address') return placedIps;
  // Of any address, the latest placed one's place is no place of the spray's.
  const placed = found.level.scope === 'instance' ? undefined : found.window.findLast(isPlaced);
  const place = placed === undefined ? '' : ` (${placeText(placed)})`;
  return `${sprayGroupText(found.level.scope, found.group)}${place}, ${plainIpList(found.window)}`;
}

function sprayAlert(input: DetectionInput, found: SprayFound): Alert {
  const { timeZone } = input.settings;
  const { level, window, episode } = found;
  const first = window[0] as AlertEvent;
  const last = window[window.length - 1] as AlertEvent;
  const users = usersNamed(window);
  const named = users.slice(0, NAMED_USERS).map((name) => JSON.stringify(name));
  const more = users.length > NAMED_USERS ? ` and ${users.length - NAMED_USERS} more` : '';
  const from = placedIpList(window);
  const eventIds = window.map((e) => e.event_id);
  const span = `${localClockSpan(first.event_time_ms, last.event_time_ms, timeZone)} ${timeZone}`;
  const counted = `${usersNamed(episode).length} users (${episode.length} failures)`;
  return {
    id: alertId(input.instance, 'password_spray', eventIds),
    instance: input.instance,
    kind: 'password_spray',
    user_id: null,
    user_name: null,
    event_time: lakeTimestamp(last.event_time_ms),
    event_time_ms: last.event_time_ms,
    evidence: `failed logins of ${users.length} users (${window.length} failures) within ${level.minutes} minutes (${span}) from ${fromText(found, from.text)}: ${named.join(', ')}${more}${wentOnText(counted, episode, window.length, timeZone)}`,
    ip_address: last.ip_address,
    event_ids: eventIds,
    ...addressFields(window),
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
  };
}

/**
 * The sprays one group raises at `level`, to alert; `raising` gets the raising failure of each,
 * alerted or not, which the wider levels judged after it read ({@link narrowerRaised}).
 */
function groupSprays(
  input: SprayInput,
  at: { level: SprayLevel; group: string; failures: readonly AlertEvent[] },
  narrower: ReadonlySet<string>,
  raising: string[],
): SprayFound[] {
  const { level, group, failures } = at;
  const span = level.minutes * MINUTE_MS;
  const { raises, episodes } = sprayRaises(failures, level.users, span);
  const raised = input.raisedSprays?.[sprayRecordKey(level, group)] ?? [];
  const view = { failures, episodes, toMs: input.toMs, span };
  const found: SprayFound[] = [];
  raises.forEach(([left, last], r) => {
    raising.push((failures[last] as AlertEvent).event_id);
    // Raised before the period: followed, not alerted.
    if (!inPeriod(failures[last] as AlertEvent, input)) return;
    if (raised.length > 0 && repeatsRaised(view, last, raised)) return;
    if (narrowerRaised(view, [left, last], narrower)) return;
    const end = episodeEnd(episodes, last, raises[r + 1]?.[1] ?? failures.length);
    const window = failures.slice(left, last + 1);
    found.push({ level, group, window, episode: failures.slice(left, end + 1) });
  });
  return found;
}

/**
 * The sprays of every level (spray-groups.ts), narrowest first: a wider one is not alerted where a
 * narrower one was raised in its episode before it.
 */
function spraysOf(input: SprayInput): Alert[] {
  const { sprayUsers, burstMinutes } = input.settings;
  const failures = [...input.before, ...input.events];
  const narrower = new Set<string>();
  const alerts: Alert[] = [];
  for (const level of sprayLevels(sprayUsers, burstMinutes)) {
    const raising: string[] = [];
    for (const [group, list] of byGroup(failures, level.scope)) {
      for (const found of groupSprays(input, { level, group, failures: list }, narrower, raising))
        alerts.push(sprayAlert(input, found));
    }
    for (const id of raising) narrower.add(id);
  }
  return alerts;
}

/**
 * Failed logins of `sprayUsers` users from one address within `burstMinutes`, and of more from one
 * network, network owner, or under names of no user, or over 60 minutes (spray-groups.ts).
 */
export const detectPasswordSprays = declaredDetector(
  { kinds: ['password_spray'], reads: ['login_failed'], readsProfile: false, inOldHours: false },
  spraysOf,
);
