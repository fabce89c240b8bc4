import { localToUtc, wallTime } from '../core/zoned-time.ts';
import { SCRIPTED_BROWSERS } from './instance-vocabulary.ts';
import { freshIpv4Prefix, ipv4Prefix } from './ip-networks.ts';
import type { Prng } from './prng.ts';
import { makeLoginEntry, type SessionInfo, type SimEvent } from './sim-event.ts';
import type { SimUser } from './synthetic-instance.ts';

interface PatternBase {
  userId: string;
  userName: string;
  /** The key event: the suspicious login, or the lockout. */
  timeMs: number;
}

/** A user with a long history logs in from an IPv4 /24 they have not used in the previous 30 days. */
export interface NewNetworkPattern extends PatternBase {
  kind: 'new_network';
  evidence: { ipAddress: string; network: string; knownNetworks: string[]; priorActiveDays: number };
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

/** A single mistyped password shortly before a successful login, from the user's own network. */
export interface ScatteredFailedLoginPattern extends PatternBase {
  kind: 'failed_login';
  evidence: { ipAddress: string; loginMs: number };
}

export type PlantedPattern =
  | NewNetworkPattern
  | UnusualHourPattern
  | LockoutBurstPattern
  | ScatteredFailedLoginPattern;

export interface PlantContext {
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
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SCATTERED_FAILURES = 5;

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
  user: SimUser,
  dayOrder: readonly number[],
  minuteOfDay: number,
  spanMs: number,
): number | undefined {
  const lo = Math.max(ctx.fromMs, week.startMs);
  const hi = Math.min(ctx.toMs, week.endMs);
  for (const offset of dayOrder) {
    const d = new Date(week.startMs + offset * DAY_MS);
    const t =
      localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), minuteOfDay, user.timeZone) +
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
  const t = placeLocal(ctx, week, user, [2, 1, 3, 4, 0], minute, 30 * MINUTE_MS);
  if (t === undefined) return [];
  const prefix = freshIpv4Prefix(ctx.rng, ctx.usedNetworks);
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
        ipAddress: session.ipAddress,
        network: `${prefix}.0/24`,
        knownNetworks: user.ipv6Network ? [user.network, user.ipv6Network] : [user.network],
        priorActiveDays: priorDays,
      },
    },
  ];
}

function plantUnusualHour(ctx: PlantContext, week: WeekRange, user: SimUser): PlantedPattern[] {
  const minute = 180 + ctx.rng.int(0, 25);
  const t = placeLocal(ctx, week, user, [1, 2, 3, 4, 0], minute, 30 * MINUTE_MS);
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
      timeMs: next + ctx.rng.int(60_000, 300_000),
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
  const first = placeLocal(ctx, week, user, [3, 2, 4, 1, 0], minute, 30 * MINUTE_MS);
  if (first === undefined) return [];
  const ipCount = ctx.rng.int(1, 2);
  const ips = Array.from(
    { length: ipCount },
    () => `${freshIpv4Prefix(ctx.rng, ctx.usedNetworks)}.${ctx.rng.int(2, 254)}`,
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

type WeekRange = { startMs: number; endMs: number };

/**
 * Adds the suspicious-login patterns to `ctx.events` and returns what was planted. Users with the
 * longest history before the planting week are chosen, a different user per pattern.
 */
export function plantPatterns(ctx: PlantContext): PlantedPattern[] {
  const week = plantingWeek(ctx.fromMs, ctx.toMs);
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
  const involved = new Set(ranked.slice(0, 3).map((u) => u.userId));
  planted.push(...plantScatteredFailures(ctx, involved));
  return planted;
}
