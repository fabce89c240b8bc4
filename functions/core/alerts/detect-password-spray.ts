/**
 * `password_spray`: failed logins of `sprayUsers` distinct users from one address within
 * `burstMinutes`; and, since 2026-12-06, of more users from one network or network owner, or from
 * one address over a longer window (spray-groups.ts: the levels, narrowest first, and why). Each
 * level is judged as below, over its own groups; a wider level's window leaves out the failures of
 * the narrower sprays raised in its episode, and raises only on what is left ({@link sprayRaises}). What follows says address for
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
 *
 * A spray recorded that the period still sees going on (no lull since) is noted in `goingOn`, and
 * the checkpoint keeps its record while it lasts: one continuous spray is one alert however long
 * (raised-times.ts, GoingOn).
 */
import { lakeTimestamp } from '../lake/layout.ts';
import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { type Alert, alertId, boundedAddressTexts } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { isPlaced, placedIpList, placeText, plainIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, userKey } from './detection.ts';
import { localClockSpan } from './local-time.ts';
import type { RaisedSprays } from './raised-sprays.ts';
import { type GoingOn, noteGoingOn } from './raised-times.ts';
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
 * What the spray detector reads: a period's input, and the sprays already raised; and where it
 * notes those it sees going on (`goingOn.sprays`: raised-times.ts, noteGoingOn). Kept here rather than in
 * detection.ts's input, which other detectors share; a caller passes it along.
 */
export type SprayInput = DetectionInput & {
  raisedSprays?: Readonly<RaisedSprays>;
  goingOn?: Pick<GoingOn, 'sprays'>;
};

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

/** A narrower level's group a spray was raised of (spray-groups.ts), as the wider levels read it. */
interface SprayGroupRef {
  scope: SprayScope;
  group: string;
}

/** The groups raised at each failure by the levels judged so far, by the raising failure's id. */
type NarrowerRaises = ReadonlyMap<string, readonly SprayGroupRef[]>;

/**
 * A raising window `[left, last]`, and the narrower sprays raised in it or earlier in its episode
 * whose failures it leaves out (`besides`: none for a spray of its own).
 */
interface Raise {
  left: number;
  last: number;
  besides: SprayGroupRef[];
}

const isIn = (event: AlertEvent, groups: readonly SprayGroupRef[]): boolean =>
  groups.some((g) => sprayGroupOf(event, g.scope) === g.group);

/** The failures of `failures[left..last]` of none of `besides`. */
function leftOver(
  failures: readonly AlertEvent[],
  left: number,
  last: number,
  besides: readonly SprayGroupRef[],
) {
  const kept = failures.slice(left, last + 1);
  return besides.length === 0 ? kept : kept.filter((f) => !isIn(f, besides));
}

const refKey = (g: SprayGroupRef): string => `${g.scope} ${g.group}`;

/**
 * The narrower sprays raised among one wider group's failures, as its window slides: those raised
 * at `failures[from..last]` (`from`, `last` never go back), and the distinct users of the window's
 * failures outside their groups, kept as it slides and counted afresh only when those groups
 * change (once a narrower raise enters or leaves): one IP's spray of 5,000 names in 10 minutes
 * counted each window afresh took 23 s.
 */
class NarrowerSprays {
  /** The raising failures' indices, in order, with the groups raised at each. */
  private readonly points: (readonly [number, readonly SprayGroupRef[]])[];
  /** Each failure's groups at the scopes of those raises, as {@link refKey} writes them. */
  private readonly keys: string[][];
  private readonly taken = new Map<string, { ref: SprayGroupRef; count: number }>();
  private lo = 0;
  private hi = 0;
  private version = 0;
  private counted = -1;
  private readonly users = new Map<string, number>();
  private left = 0;
  private next = 0;

  constructor(
    private readonly failures: readonly AlertEvent[],
    narrower: NarrowerRaises,
  ) {
    this.points = failures.flatMap((f, i) => {
      const groups = narrower.get(f.event_id);
      return groups === undefined ? [] : [[i, groups] as const];
    });
    const scopes = [...new Set(this.points.flatMap(([, groups]) => groups.map((g) => g.scope)))];
    this.keys = failures.map((f) => scopes.map((scope) => `${scope} ${sprayGroupOf(f, scope)}`));
  }

  /** The groups raised at `failures[from..last]`, each once. */
  besides(from: number, last: number): SprayGroupRef[] {
    for (; this.hi < this.points.length && (this.points[this.hi]?.[0] ?? 0) <= last; this.hi++)
      this.step(this.hi, 1);
    for (; this.lo < this.hi && (this.points[this.lo]?.[0] ?? 0) < from; this.lo++) this.step(this.lo, -1);
    return this.taken.size === 0 ? [] : [...this.taken.values()].map(({ ref }) => ref);
  }

  /** The distinct users of `failures[left..last]` outside the groups {@link besides} last gave. */
  usersLeft(left: number, last: number): number {
    if (this.counted !== this.version) {
      this.users.clear();
      this.left = left;
      this.next = left;
      this.counted = this.version;
    }
    for (; this.next <= last; this.next++) this.tally(this.next, 1);
    for (; this.left < left; this.left++) this.tally(this.left, -1);
    return this.users.size;
  }

  private step(point: number, by: 1 | -1): void {
    for (const ref of this.points[point]?.[1] ?? []) {
      const key = refKey(ref);
      const count = (this.taken.get(key)?.count ?? 0) + by;
      if (count === 0) this.taken.delete(key);
      else this.taken.set(key, { ref, count });
      if (count === 0 || (count === 1 && by === 1)) this.version++;
    }
  }

  private tally(i: number, by: 1 | -1): void {
    if ((this.keys[i] ?? []).some((key) => this.taken.has(key))) return;
    const user = userKey(this.failures[i] as AlertEvent);
    const count = (this.users.get(user) ?? 0) + by;
    if (count === 0) this.users.delete(user);
    else this.users.set(user, count);
  }
}

/**
 * Where one address's failures (sorted) raise sprays (each {@link Raise}); and each failure's
 * episode (the number of lulls up to it: failures where the window held half the threshold of
 * users or fewer), so two failures are of one episode when no lull lies between. The window
 * leaves out the failures of the narrower sprays raised in it or earlier in its episode, and
 * raises only when what is left has `n` users: a narrower spray's failures were alerted under
 * it; the rest may be another attack, which is alerted (review R-ALERTS2 H1: a probe of one IP
 * hid a 300-address botnet behind it). Until then the window stays armed. Any lull re-arms, but
 * only one at a failure from `sureFrom` on (whose window lies within the view) counts in the
 * episodes: a window cut where the view starts may show a lull that never happened, so it never
 * parts a raise from one recorded (as for bulk exports: detect-bulk-exports.ts).
 */
function sprayRaises(
  failures: readonly AlertEvent[],
  at: { n: number; span: number; narrower: NarrowerRaises; sureFrom: number },
): { raises: Raise[]; episodes: number[] } {
  const { n, span, sureFrom } = at;
  const rearmAt = Math.max(1, Math.floor(n / 2));
  const window = new UsersWindow(failures, span);
  const narrower = new NarrowerSprays(failures, at.narrower);
  const raises: Raise[] = [];
  const episodes: number[] = [];
  let lulls = 0;
  let episodeStart = 0;
  let armed = true;
  failures.forEach((_, i) => {
    window.slideTo(i);
    if (window.distinct <= rearmAt) {
      armed = true;
      if ((failures[i] as AlertEvent).event_time_ms >= sureFrom) lulls++;
      episodeStart = i;
    }
    episodes.push(lulls);
    const besides = narrower.besides(Math.min(window.left, episodeStart), i);
    if (!armed || window.distinct < n) return;
    if (besides.length > 0 && narrower.usersLeft(window.left, i) < n) return;
    raises.push({ left: window.left, last: i, besides });
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

/** The failures of one group in the view, each failure's episode, the view's bounds and window. */
interface SprayView {
  failures: readonly AlertEvent[];
  episodes: readonly number[];
  viewFrom: number;
  toMs: number;
  span: number;
}

/**
 * Whether the spray raised by failure `last` was raised already: a spray of the address was
 * raised in its episode. One raised after the period (by the next hour: a late failure now raises
 * the same spray before this hour ends) counts when its window holds `last` and the episode goes
 * on to the end of the view; one raised before the view (which starts an hour before the period)
 * counts until a lull shows in the view where the window is whole (the first episode): a spray
 * can go on for hours, and the view cannot tell that it stopped.
 */
function repeatsRaised(view: SprayView, last: number, raised: readonly number[]): boolean {
  const { failures, episodes, viewFrom, toMs, span } = view;
  const lastAt = (failures[last] as AlertEvent).event_time_ms;
  return raised.some((at) => {
    if (at < viewFrom) return episodes[last] === 0;
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
 * A spray's group and level, and its failures: those of the raising window, then its episode's,
 * each without those of the narrower sprays it is `besides`.
 */
interface SprayFound {
  level: SprayLevel;
  group: string;
  window: readonly AlertEvent[];
  episode: readonly AlertEvent[];
  besides: readonly SprayGroupRef[];
}

/** A narrower spray as the evidence names it: `IP 45.1.1.1`, `network owner AS16509`. */
function groupText({ scope, group }: SprayGroupRef): string {
  if (scope === 'address') return `IP ${group}`;
  return scope === 'instance' ? 'under names of no user' : sprayGroupText(scope, group);
}

/** `, besides the spray of IP 45.1.1.1` for a spray raised beside narrower ones; else nothing. */
function besidesText(besides: readonly SprayGroupRef[]): string {
  if (besides.length === 0) return '';
  return `, besides the spray${besides.length > 1 ? 's' : ''} of ${besides.map(groupText).join(', ')}`;
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
  const { level, window, episode, besides } = found;
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
    evidence: `failed logins of ${users.length} users (${window.length} failures) within ${level.minutes} minutes (${span}) from ${fromText(found, from.text)}: ${named.join(', ')}${more}${besidesText(besides)}${wentOnText(counted, episode, window.length, timeZone)}`,
    ip_address: last.ip_address,
    event_ids: eventIds,
    spray_key: sprayRecordKey(level, found.group),
    ...addressFields(window),
    ...(from.geoDbVersion === undefined ? {} : { geo_db_version: from.geoDbVersion }),
  };
}

/**
 * The sprays one group raises at `level`, to alert; `raising` gets the groups raised at each
 * raising failure, alerted or not, which the wider levels judged after it read ({@link sprayRaises}).
 */
function groupSprays(
  input: SprayInput,
  at: { level: SprayLevel; group: string; failures: readonly AlertEvent[] },
  narrower: NarrowerRaises,
  raising: Map<string, SprayGroupRef[]>,
): SprayFound[] {
  const { level, group, failures } = at;
  const span = level.minutes * MINUTE_MS;
  // The view: the period and the hour before (detection.ts, `before`).
  const viewFrom = input.fromMs - HOUR_MS;
  const { raises, episodes } = sprayRaises(failures, {
    n: level.users,
    span,
    narrower,
    sureFrom: viewFrom + span,
  });
  const key = sprayRecordKey(level, group);
  const raised = input.raisedSprays?.[key] ?? [];
  const view = { failures, episodes, viewFrom, toMs: input.toMs, span };
  const last = failures.length - 1;
  const lastMs = (failures[last] as AlertEvent).event_time_ms;
  noteGoingOn(
    input.goingOn?.sprays,
    key,
    { lastMs, fromMs: input.fromMs },
    () => raised.length > 0 && repeatsRaised(view, last, raised),
  );
  const found: SprayFound[] = [];
  raises.forEach(({ left, last, besides }, r) => {
    const id = (failures[last] as AlertEvent).event_id;
    raising.set(id, [...(raising.get(id) ?? []), { scope: level.scope, group }]);
    // Raised before the period: followed, not alerted.
    if (!inPeriod(failures[last] as AlertEvent, input)) return;
    if (raised.length > 0 && repeatsRaised(view, last, raised)) return;
    const end = episodeEnd(episodes, last, raises[r + 1]?.last ?? failures.length);
    const window = leftOver(failures, left, last, besides);
    found.push({ level, group, window, episode: leftOver(failures, left, end, besides), besides });
  });
  return found;
}

/**
 * The sprays of every level (spray-groups.ts), narrowest first: a wider one leaves out the
 * failures of the narrower ones raised in its episode before it, and is alerted only when what
 * is left is a spray ({@link sprayRaises}).
 */
function spraysOf(input: SprayInput): Alert[] {
  const { sprayUsers, burstMinutes } = input.settings;
  const failures = [...input.before, ...input.events];
  const narrower = new Map<string, SprayGroupRef[]>();
  const alerts: Alert[] = [];
  for (const level of sprayLevels(sprayUsers, burstMinutes)) {
    const raising = new Map<string, SprayGroupRef[]>();
    for (const [group, list] of byGroup(failures, level.scope)) {
      for (const found of groupSprays(input, { level, group, failures: list }, narrower, raising))
        alerts.push(sprayAlert(input, found));
    }
    for (const [id, groups] of raising) narrower.set(id, [...(narrower.get(id) ?? []), ...groups]);
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
