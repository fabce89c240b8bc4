import { countryDistanceKm } from '../core/geo/great-circle.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../core/time-units.ts';
import { localToUtc, wallTime } from '../core/zoned-time.ts';
import {
  COUNTRY_ZONES,
  freshPrefixIn,
  networksIn,
  SIM_NETWORKS,
  type SimNetwork,
  v4HostIn,
} from './geo-networks.ts';
import { SCRIPTED_BROWSERS } from './instance-vocabulary.ts';
import { ipv4Prefix } from './ip-networks.ts';
import { type LeaverPattern, type PlantedObject, plantLeaver } from './leaver-pattern.ts';
import type { Prng } from './prng.ts';
import { makeEntry, makeLoginEntry, type SessionInfo, type SimEvent } from './sim-event.ts';
import type { SimUser } from './sim-user.ts';

interface PatternBase {
  userId: string;
  userName: string;
  /** The key event: the suspicious login, or the lockout. */
  timeMs: number;
}

/** The geo detections a planted sign-in must raise (suspicious_logins reasons). */
type GeoFindingKind = 'new_country' | 'new_network' | 'impossible_travel';

/** Where a planted sign-in came from, as the shipped geo database places it. */
interface PlantedPlace {
  ipAddress: string;
  country: string;
  asn: number;
  org: string;
}

/**
 * A user with a long history logs in from another network owner (ASN) of their home country (a
 * cloud host or another provider), from a /24 they have not used in the previous 30 days.
 */
export interface NewNetworkPattern extends PatternBase {
  kind: 'new_network';
  evidence: PlantedPlace & { network: string; knownNetworks: string[]; priorActiveDays: number };
  findings: GeoFindingKind[];
}

/**
 * A business trip: the user flies to a country they have not signed in from (the flight takes at
 * least the distance at 800 km/h plus 3 hours, so it is never impossible travel), signs in from a
 * hotel there on two days, then flies home. The first sign-in abroad is a new country and a new
 * network owner.
 */
export interface NewCountryPattern extends PatternBase {
  kind: 'new_country';
  evidence: PlantedPlace & { homeCountry: string; returnMs: number };
  findings: GeoFindingKind[];
}

/**
 * A stolen password: minutes after the user's sign-in at home, someone signs in from a cloud host
 * or VPN exit in a distant country. The user's own next sign-in is the next morning or later.
 */
export interface ImpossibleTravelPattern extends PatternBase {
  kind: 'impossible_travel';
  evidence: PlantedPlace & {
    homeCountry: string;
    previousMs: number;
    distanceKm: number;
    /** What the intruder did to stay in, in time order (admin_changes lists each). */
    adminChanges: PlantedAdminChange[];
  };
  findings: GeoFindingKind[];
}

/**
 * One change the intruder made with the stolen admin's session: an access token of their own, a
 * role raised and a group joined for another account (the accomplice's, or one they also hold).
 */
export interface PlantedAdminChange {
  timeMs: number;
  actionType: string;
  objectType: string;
  objectId: string;
  objectName: string;
}

/** A user who always starts in working hours logs in at about 03:00 local time, from home. */
export interface UnusualHourPattern extends PatternBase {
  kind: 'unusual_hour';
  evidence: { ipAddress: string; timeZone: string; localTime: string; usualStartLocal: string };
}

/** 6-10 failed logins within minutes from one or two foreign IPs, then a lockout. */
export interface LockoutBurstPattern extends PatternBase {
  kind: 'lockout_burst';
  evidence: { failedAttempts: number; ipAddresses: string[]; firstFailureMs: number; lockedOutMs: number };
}

/**
 * A password spray: one address (a cloud host) tries a password or two on many accounts within
 * minutes, each account far under the failed-login burst threshold, so only the number of users it
 * failed on gives it away. `userId`, `userName` and `timeMs` are the spray's last failure's.
 */
export interface PasswordSprayPattern extends PatternBase {
  kind: 'password_spray';
  evidence: { ipAddress: string; userIds: string[]; failures: number; firstFailureMs: number };
}

/** A single mistyped password shortly before a successful login, from the user's own network. */
interface ScatteredFailedLoginPattern extends PatternBase {
  kind: 'failed_login';
  evidence: { ipAddress: string; loginMs: number };
}

export type PlantedPattern =
  | LeaverPattern
  | NewNetworkPattern
  | NewCountryPattern
  | ImpossibleTravelPattern
  | UnusualHourPattern
  | LockoutBurstPattern
  | PasswordSprayPattern
  | ScatteredFailedLoginPattern;

interface PlantContext {
  rng: Prng;
  fromMs: number;
  toMs: number;
  users: SimUser[];
  /** Planted events are appended here. */
  events: SimEvent[];
  /** The first login of each generated workday within the range. */
  dayLogins: { user: SimUser; event: SimEvent }[];
  usedNetworks: Set<string>;
  viewEvent(user: SimUser, timeMs: number, session: SessionInfo): SimEvent;
  /**
   * Where the patterns go (clipped to the range); default {@link plantingWeek}. The demo gives the
   * week it reports, in its time zone: planted elsewhere, its report and alerts found none.
   */
  week?: { startMs: number; endMs: number } | undefined;
  /** Trips and stolen passwords to plant, each for another user (default 1 each). */
  trips: number;
  takeovers: number;
  /** The datasets and regular pages the leaver story exports and shares (none: no leaver). */
  catalogue?: { dataSources: readonly PlantedObject[]; pages: readonly PlantedObject[] };
  /** Data sources the leaver exports; undefined: 4 to 6, drawn (leaver-pattern.ts). */
  leaverExports?: number | undefined;
  /** An admin deactivates the leaver after their story, and their token acts on (opt-in). */
  leaverDeactivated?: boolean | undefined;
}

const SCATTERED_FAILURES = 5;
/**
 * Accounts a spray tries: more than the alerts' default threshold (`sprayUsers`, 10 distinct users
 * within 10 minutes), so the demo raises it; fewer users to try than the least, and none is planted.
 */
const SPRAY_USERS: readonly [number, number] = [12, 16];

/**
 * The fewest users a company needs for a spray to be planted: its fewest accounts besides the users
 * of the other stories (three by history, one trip and one stolen password, as in any company under
 * 300 users: generateInstance's defaults). 17; the demo says when its --users is below it.
 */
export const SPRAY_MIN_USERS = 3 + 1 + 1 + SPRAY_USERS[0];

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Where planted patterns go: the last full ISO week (Monday 00:00 UTC to Monday 00:00 UTC) inside the
 * range, or the range's last seven days when it holds no full week.
 */
export function plantingWeek(fromMs: number, toMs: number): { startMs: number; endMs: number } {
  const day = Math.floor(toMs / DAY_MS);
  const daysSinceMonday = (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
  const endMs = (day - daysSinceMonday) * DAY_MS;
  const startMs = endMs - 7 * DAY_MS;
  if (startMs >= fromMs) return { startMs, endMs };
  return { startMs: Math.max(fromMs, toMs - 7 * DAY_MS), endMs: toMs };
}

/**
 * The first instant, trying the week's days in `dayOrder` (0 = first day of the week), at which the
 * user's wall clock reads `minuteOfDay`, such that `spanMs` after it still lies inside week and range.
 */
function placeLocal(
  ctx: PlantContext,
  week: { startMs: number; endMs: number },
  timeZone: string,
  dayOrder: readonly number[],
  minuteOfDay: number,
  spanMs: number,
): number | undefined {
  const lo = Math.max(ctx.fromMs, week.startMs);
  const hi = Math.min(ctx.toMs, week.endMs);
  for (const offset of dayOrder) {
    const d = new Date(week.startMs + offset * DAY_MS);
    const t =
      localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), minuteOfDay, timeZone) +
      ctx.rng.int(0, 59_999);
    if (t >= lo && t + spanMs < hi) return t;
  }
  return undefined;
}

function office(ctx: PlantContext, user: SimUser, prefix = ipv4Prefix(user.network)): SessionInfo {
  return {
    device: 'desktop',
    browserDetails: user.desktopBrowser,
    ipAddress: `${prefix}.${ctx.rng.int(2, 254)}`,
  };
}

function plantNewNetwork(
  ctx: PlantContext,
  week: WeekRange,
  user: SimUser,
  priorDays: number,
): PlantedPattern[] {
  const minute = Math.min(user.workStartMinute + ctx.rng.int(200, 260), 15 * 60);
  const t = placeLocal(ctx, week, user.timeZone, [2, 1, 3, 4, 0], minute, 30 * MINUTE_MS);
  if (t === undefined) return [];
  const known = new Set(ownNetworks(user).map((n) => n.asn));
  const owner =
    networksIn(user.country).find((n) => n.kind === 'hosting' && !known.has(n.asn)) ??
    networksIn(user.country).find((n) => !known.has(n.asn));
  if (owner === undefined) return [];
  const prefix = freshPrefixIn(ctx.rng, owner, ctx.usedNetworks);
  const session = office(ctx, user, prefix);
  ctx.events.push({ timeMs: t, entry: makeLoginEntry('login', user, session), planted: true });
  let next = t;
  for (let i = ctx.rng.int(2, 5); i > 0; i--) {
    next += ctx.rng.int(20_000, 240_000);
    ctx.events.push(ctx.viewEvent(user, next, session));
  }
  return [
    {
      kind: 'new_network',
      userId: user.userId,
      userName: user.userName,
      timeMs: t,
      evidence: {
        ...placeOf(session.ipAddress, owner),
        network: `${prefix}.0/24`,
        knownNetworks: user.ipv6Network ? [user.network, user.ipv6Network] : [user.network],
        priorActiveDays: priorDays,
      },
      findings: ['new_network'],
    },
  ];
}

function plantUnusualHour(ctx: PlantContext, week: WeekRange, user: SimUser): PlantedPattern[] {
  const minute = 180 + ctx.rng.int(0, 25);
  const t = placeLocal(ctx, week, user.timeZone, [1, 2, 3, 4, 0], minute, 30 * MINUTE_MS);
  if (t === undefined) return [];
  const session = office(ctx, user);
  ctx.events.push({ timeMs: t, entry: makeLoginEntry('login', user, session), planted: true });
  let next = t;
  for (let i = ctx.rng.int(1, 4); i > 0; i--) {
    next += ctx.rng.int(30_000, 300_000);
    ctx.events.push(ctx.viewEvent(user, next, session));
  }
  if (ctx.rng.chance(0.5)) {
    ctx.events.push({
      timeMs: next + ctx.rng.int(MINUTE_MS, 5 * MINUTE_MS),
      entry: makeLoginEntry('logout', user, session),
    });
  }
  const local = wallTime(t, user.timeZone);
  return [
    {
      kind: 'unusual_hour',
      userId: user.userId,
      userName: user.userName,
      timeMs: t,
      evidence: {
        ipAddress: session.ipAddress,
        timeZone: user.timeZone,
        localTime: hhmm(local.hour * 60 + local.minute),
        usualStartLocal: hhmm(user.workStartMinute),
      },
    },
  ];
}

function plantLockoutBurst(ctx: PlantContext, week: WeekRange, user: SimUser): PlantedPattern[] {
  const minute = Math.min(user.workStartMinute + ctx.rng.int(150, 240), 15 * 60);
  const first = placeLocal(ctx, week, user.timeZone, [3, 2, 4, 1, 0], minute, 30 * MINUTE_MS);
  if (first === undefined) return [];
  const ipCount = ctx.rng.int(1, 2);
  const hosts = SIM_NETWORKS.filter((n) => n.kind === 'hosting');
  const ips = Array.from(
    { length: ipCount },
    () => `${freshPrefixIn(ctx.rng, ctx.rng.pick(hosts), ctx.usedNetworks)}.${ctx.rng.int(2, 254)}`,
  );
  const browser = ctx.rng.pick(SCRIPTED_BROWSERS);
  const failures = ctx.rng.int(6, 10);
  let t = first;
  let ipAddress = ips[0] as string;
  for (let i = 0; i < failures; i++) {
    if (i > 0) t += ctx.rng.int(8_000, 45_000);
    ipAddress = ips[i % ipCount] as string;
    ctx.events.push({
      timeMs: t,
      entry: makeLoginEntry('loginFailed', user, { device: 'desktop', browserDetails: browser, ipAddress }),
      planted: true,
    });
  }
  const lockedOutMs = t + ctx.rng.int(500, 3_000);
  ctx.events.push({
    timeMs: lockedOutMs,
    entry: makeLoginEntry('lockout', user, { device: 'desktop', browserDetails: browser, ipAddress }),
    planted: true,
  });
  return [
    {
      kind: 'lockout_burst',
      userId: user.userId,
      userName: user.userName,
      timeMs: lockedOutMs,
      evidence: { failedAttempts: failures, ipAddresses: ips, firstFailureMs: first, lockedOutMs },
    },
  ];
}

function plantScatteredFailures(ctx: PlantContext, exclude: Set<string>): PlantedPattern[] {
  const candidates = ctx.dayLogins.filter(
    (l) => !exclude.has(l.user.userId) && l.event.timeMs - 2 * MINUTE_MS >= ctx.fromMs,
  );
  const chosen: { user: SimUser; event: SimEvent }[] = [];
  const users = new Set<string>();
  for (const login of ctx.rng.sample(candidates, candidates.length)) {
    if (chosen.length >= SCATTERED_FAILURES) break;
    if (users.has(login.user.userId)) continue;
    users.add(login.user.userId);
    chosen.push(login);
  }
  return chosen
    .sort((a, b) => a.event.timeMs - b.event.timeMs)
    .map(({ user, event }) => {
      const timeMs = event.timeMs - ctx.rng.int(15_000, 90_000);
      const session: SessionInfo = {
        device: String(event.entry.device),
        browserDetails: String(event.entry.browserDetails),
        ipAddress: String(event.entry.ipAddress),
      };
      ctx.events.push({ timeMs, entry: makeLoginEntry('loginFailed', user, session), planted: true });
      return {
        kind: 'failed_login' as const,
        userId: user.userId,
        userName: user.userName,
        timeMs,
        evidence: { ipAddress: session.ipAddress, loginMs: event.timeMs },
      };
    });
}

/**
 * A spray at night (UTC) late in the week: one hosting address fails on 12-16 users other than
 * `exclude` (the users of the other stories), one or two attempts each, 5-20 seconds apart: about
 * three to seven minutes, within the alerts' 10-minute window.
 */
function plantPasswordSpray(ctx: PlantContext, week: WeekRange, exclude: Set<string>): PlantedPattern[] {
  const candidates = ctx.users.filter((u) => !exclude.has(u.userId));
  if (candidates.length < SPRAY_USERS[0]) return [];
  const first = placeLocal(ctx, week, 'UTC', [4, 5, 3, 2, 1, 0], ctx.rng.int(60, 300), 10 * MINUTE_MS);
  if (first === undefined) return [];
  const targets = ctx.rng.sample(candidates, Math.min(candidates.length, ctx.rng.int(...SPRAY_USERS)));
  const hosts = SIM_NETWORKS.filter((n) => n.kind === 'hosting');
  const ipAddress = `${freshPrefixIn(ctx.rng, ctx.rng.pick(hosts), ctx.usedNetworks)}.${ctx.rng.int(2, 254)}`;
  const session: SessionInfo = {
    device: 'desktop',
    browserDetails: ctx.rng.pick(SCRIPTED_BROWSERS),
    ipAddress,
  };
  let t = first;
  let failures = 0;
  let last = targets[0] as SimUser;
  for (const user of targets) {
    for (let attempt = ctx.rng.chance(0.3) ? 2 : 1; attempt > 0; attempt--) {
      if (failures > 0) t += ctx.rng.int(5_000, 20_000);
      ctx.events.push({ timeMs: t, entry: makeLoginEntry('loginFailed', user, session), planted: true });
      failures++;
    }
    last = user;
  }
  return [
    {
      kind: 'password_spray',
      userId: last.userId,
      userName: last.userName,
      timeMs: t,
      evidence: { ipAddress, userIds: targets.map((u) => u.userId), failures, firstFailureMs: first },
    },
  ];
}

type WeekRange = { startMs: number; endMs: number };

/**
 * The users a planted story is about: a spray's every account. Not a single mistyped password's
 * (anyone's ordinary day): a company of 10 users has a story or one of those for each.
 */
function storyUsers(p: PlantedPattern): string[] {
  if (p.kind === 'failed_login') return [];
  return p.kind === 'password_spray' ? [p.userId, ...p.evidence.userIds] : [p.userId];
}

/** The networks a user signs in from routinely (all of them are seen every month). */
const ownNetworks = (user: SimUser): SimNetwork[] =>
  [user.officeNetwork, user.mobileNetwork, user.vpnNetwork].filter((n): n is SimNetwork => n !== null);

const placeOf = (ipAddress: string, network: SimNetwork): PlantedPlace => ({
  ipAddress,
  country: network.country,
  asn: network.asn,
  org: network.org,
});

const isLogin = (e: SimEvent): boolean => e.entry.actionType === 'LOGGED_IN';

/**
 * Removes the user's generated events in [fromMs, toMs) (`loginsOnly`: their sign-ins only), so a
 * planted story is not contradicted by routine activity (no sign-in from home during a trip).
 */
function removeOwnEvents(
  ctx: PlantContext,
  user: Pick<SimUser, 'userId'>,
  fromMs: number,
  toMs: number,
  loginsOnly = false,
) {
  let kept = 0;
  for (const e of ctx.events) {
    const drop =
      e.planted !== true &&
      e.entry.userId === user.userId &&
      e.timeMs >= fromMs &&
      e.timeMs < toMs &&
      (!loginsOnly || isLogin(e));
    if (!drop) ctx.events[kept++] = e;
  }
  ctx.events.length = kept;
}

const FLIGHT_KMH = 800;

function plantTrip(ctx: PlantContext, week: WeekRange, user: SimUser): PlantedPattern[] {
  const destinations = Object.keys(COUNTRY_ZONES).filter(
    (c) => c !== user.country && networksIn(c, 'fixed').length > 0,
  );
  const country = ctx.rng.pick(destinations);
  const zone = COUNTRY_ZONES[country] as string;
  const hotel = networksIn(country, 'fixed')[0] as SimNetwork;
  const flightMs = Math.ceil(((countryDistanceKm(user.country, country) ?? 0) / FLIGHT_KMH + 3) * HOUR_MS);
  const minute = 8 * 60 + ctx.rng.int(0, 90);
  const arrive = placeLocal(ctx, week, zone, [2, 1, 3, 0], minute, 2 * DAY_MS);
  if (arrive === undefined) return [];
  const second = arrive + DAY_MS + ctx.rng.int(-30, 30) * MINUTE_MS;
  const last = second + ctx.rng.int(4, 7) * HOUR_MS;
  removeOwnEvents(ctx, user, arrive - flightMs, last + flightMs);
  const prefix = freshPrefixIn(ctx.rng, hotel, ctx.usedNetworks);
  const session = office(ctx, user, prefix);
  for (const t of [arrive, second]) {
    ctx.events.push({ timeMs: t, entry: makeLoginEntry('login', user, session), planted: true });
    let next = t;
    for (let i = ctx.rng.int(2, 5); i > 0; i--) {
      next += ctx.rng.int(MINUTE_MS, 15 * MINUTE_MS);
      ctx.events.push(ctx.viewEvent(user, next, session));
    }
  }
  const findings: GeoFindingKind[] = ['new_country'];
  if (!ownNetworks(user).some((n) => n.asn === hotel.asn)) findings.push('new_network');
  return [
    {
      kind: 'new_country',
      userId: user.userId,
      userName: user.userName,
      timeMs: arrive,
      evidence: {
        ...placeOf(session.ipAddress, hotel),
        homeCountry: user.country,
        returnMs: last + flightMs,
      },
      findings,
    },
  ];
}

function plantTakeover(ctx: PlantContext, week: WeekRange, user: SimUser): PlantedPattern[] {
  const own = ctx.dayLogins
    .filter((l) => l.user.userId === user.userId && l.event.timeMs >= week.startMs)
    .filter((l) => l.event.timeMs + 2 * DAY_MS < Math.min(week.endMs, ctx.toMs));
  if (own.length === 0) return [];
  const previous = ctx.rng.pick(own).event;
  const at = previous.timeMs + ctx.rng.int(20, 90) * MINUTE_MS;
  const hours = (at - previous.timeMs) / HOUR_MS;
  // Far enough to be impossible at 1,000 km/h with a wide margin, near enough that the user's own
  // sign-in next morning (20 hours later at the earliest) is a possible journey back.
  const exits = SIM_NETWORKS.filter((n) => {
    const km = countryDistanceKm(user.country, n.country) ?? 0;
    return (n.kind === 'hosting' || n.kind === 'vpn') && km > 3 * 1000 * hours && km < 15_000;
  });
  if (exits.length === 0) return [];
  const exit = ctx.rng.pick(exits);
  removeOwnEvents(ctx, user, previous.timeMs + 1, at + 20 * HOUR_MS, true);
  const session: SessionInfo = {
    device: 'desktop',
    browserDetails: ctx.rng.pick(SCRIPTED_BROWSERS),
    ipAddress: v4HostIn(ctx.rng, exit),
  };
  ctx.events.push({ timeMs: at, entry: makeLoginEntry('login', user, session), planted: true });
  let next = at;
  for (let i = ctx.rng.int(3, 8); i > 0; i--) {
    next += ctx.rng.int(5 * SECOND_MS, MINUTE_MS);
    ctx.events.push(ctx.viewEvent(user, next, session));
  }
  const adminChanges = plantAdminChanges(ctx, user, session, next);
  const findings: GeoFindingKind[] = ['impossible_travel', 'new_country'];
  if (!ownNetworks(user).some((n) => n.asn === exit.asn)) findings.push('new_network');
  return [
    {
      kind: 'impossible_travel',
      userId: user.userId,
      userName: user.userName,
      timeMs: at,
      evidence: {
        ...placeOf(session.ipAddress, exit),
        homeCountry: user.country,
        previousMs: previous.timeMs,
        distanceKm: Math.round(countryDistanceKm(user.country, exit.country) ?? 0),
        adminChanges,
      },
      findings,
    },
  ];
}

/**
 * The stolen session's changes, after the intruder's views that end at `afterMs`: a token, then
 * another user's role raised and that user added to the admins' group, a minute or two apart. From
 * a stream of the user's own (2026-12-06), so every story draws what it drew before.
 */
function plantAdminChanges(
  ctx: PlantContext,
  user: SimUser,
  session: SessionInfo,
  afterMs: number,
): PlantedAdminChange[] {
  const rng = ctx.rng.fork(`takeover changes ${user.userId}`);
  const others = ctx.users.filter((u) => u.userId !== user.userId);
  if (others.length === 0) return [];
  const raised = rng.pick(others);
  const first = user.userName.split(' ')[0];
  const steps = [
    [
      'CREATED',
      'ACCESS_TOKEN',
      String(rng.int(100_000, 999_999)),
      `${first} automation`,
      'Access token created',
      `${user.userName} created access token ${first} automation.`,
    ],
    [
      'CHANGED',
      'USER',
      raised.userId,
      raised.userName,
      'Changed user role',
      `${user.userName} changed the role of ${raised.userName} from Participant to Admin.`,
    ],
    [
      'ADDED',
      'GROUP',
      String(rng.int(1_000, 9_999)),
      'Admins',
      'Added user to group',
      `${user.userName} added ${raised.userName} to group Admins.`,
    ],
  ] as const;
  let t = afterMs;
  return steps.map(([actionType, objectType, objectId, objectName, eventText, additionalComment]) => {
    t += rng.int(40_000, 150_000);
    const entry = makeEntry({
      user,
      actionType,
      eventText,
      objectType,
      objectId,
      objectName,
      additionalComment,
      session,
    });
    ctx.events.push({ timeMs: t, entry, planted: true });
    return { timeMs: t, actionType, objectType, objectId, objectName };
  });
}

/**
 * Adds the suspicious-login patterns to `ctx.events` and returns what was planted. Users with the
 * longest history before the planting week are chosen, a different user per pattern.
 */
export function plantPatterns(ctx: PlantContext): PlantedPattern[] {
  const week = ctx.week ?? plantingWeek(ctx.fromMs, ctx.toMs);
  const priorDays = new Map<string, Set<number>>();
  for (const { user, event } of ctx.dayLogins) {
    if (event.timeMs >= week.startMs) continue;
    const days = priorDays.get(user.userId) ?? new Set<number>();
    days.add(Math.floor(event.timeMs / DAY_MS));
    priorDays.set(user.userId, days);
  }
  const history = (u: SimUser): number => priorDays.get(u.userId)?.size ?? 0;
  const ranked = ctx.users
    .map((user, index) => ({ user, index }))
    .sort((a, b) => history(b.user) - history(a.user) || a.index - b.index)
    .map((x) => x.user);

  const planted: PlantedPattern[] = [];
  const [newNetworkUser, unusualHourUser, lockoutUser] = ranked;
  if (newNetworkUser) planted.push(...plantNewNetwork(ctx, week, newNetworkUser, history(newNetworkUser)));
  if (unusualHourUser) planted.push(...plantUnusualHour(ctx, week, unusualHourUser));
  if (lockoutUser) planted.push(...plantLockoutBurst(ctx, week, lockoutUser));
  // Trips and stolen passwords go to the next users by history, one each.
  const travellers = ranked.slice(3, 3 + ctx.trips + ctx.takeovers);
  for (const user of travellers.slice(0, ctx.trips)) planted.push(...plantTrip(ctx, week, user));
  for (const user of travellers.slice(ctx.trips)) planted.push(...plantTakeover(ctx, week, user));
  const involved = new Set(ranked.slice(0, 3 + travellers.length).map((u) => u.userId));
  planted.push(...plantScatteredFailures(ctx, involved));
  // Last, so the stories above draw the same numbers as before it was added (2026-12-04).
  planted.push(...plantPasswordSpray(ctx, week, involved));
  // From a stream of its own (2026-12-06), on a user of no other story: every story above draws
  // what it drew before, and a leaver locked out or sprayed would tell another story.
  const others = new Set([...involved, ...planted.flatMap(storyUsers)]);
  planted.push(
    ...plantDeactivatedLeaver(
      ctx,
      week,
      ranked.filter((u) => !others.has(u.userId)),
    ),
  );
  return planted;
}

/**
 * The leaver story on the first of `candidates` (users of no other story) that has a workday in the
 * week; deactivated (opt-in) by the last of them, after which the leaver's routine activity stops.
 */
function plantDeactivatedLeaver(ctx: PlantContext, week: WeekRange, candidates: SimUser[]): PlantedPattern[] {
  const leavers = plantLeaver(
    {
      rng: ctx.rng.fork('leaver'),
      events: ctx.events,
      dayLogins: ctx.dayLogins,
      dataSources: ctx.catalogue?.dataSources ?? [],
      pages: ctx.catalogue?.pages ?? [],
      exports: ctx.leaverExports,
      // The admin: the first user by history in no story, after the leaver drawn there.
      deactivatedBy: ctx.leaverDeactivated ? candidates.at(-1) : undefined,
    },
    candidates,
    Math.max(week.startMs, ctx.fromMs),
    Math.min(week.endMs, ctx.toMs),
  );
  // Domo lets a deactivated user neither sign in nor act: their routine activity ends there, and
  // only the planted token's act remains, what the activity_after_deactivation alert is to catch.
  for (const { userId, evidence } of leavers)
    if (evidence.deactivation)
      removeOwnEvents(ctx, { userId }, evidence.deactivation.atMs, Number.POSITIVE_INFINITY);
  return leavers;
}
