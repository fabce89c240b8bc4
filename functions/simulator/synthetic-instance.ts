import { DAY_MS, MINUTE_MS } from '../core/time-units.ts';
import { localToUtc } from '../core/zoned-time.ts';
import {
  freshPrefixIn,
  networkIn,
  networksIn,
  type SimNetwork,
  v4HostIn,
  v6NetworkIn,
  ZONE_COUNTRIES,
} from './geo-networks.ts';
import {
  CARD_DIMENSIONS,
  CARD_METRICS,
  DATA_SOURCE_SUBJECTS,
  DEPARTMENTS,
  DESKTOP_BROWSERS,
  FIRST_NAMES,
  LAST_NAMES,
  MOBILE_BROWSERS,
  PAGE_KINDS,
  SPECIAL_PAGES,
  TIME_ZONES,
} from './instance-vocabulary.ts';
import { ipv4Prefix, ipv6Host } from './ip-networks.ts';
import { type PlantedPattern, plantPatterns } from './planted-patterns.ts';
import { Prng, type Seed } from './prng.ts';
import { makeEntry, makeLoginEntry, type SessionInfo, type SimEvent } from './sim-event.ts';
import type { SimUser, UserRole } from './sim-user.ts';

interface GenerateOptions {
  seed: Seed;
  /** Events are generated in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Default 40. */
  users?: number;
  /** Default 150. */
  cards?: number;
  /** Default 30, the four built-in pages with negative ids included. */
  pages?: number;
  /** Plant the suspicious-login patterns and scattered failed logins. Default true. */
  plantPatterns?: boolean;
  /** Where the patterns go (see PlantContext's `week`); default the last full ISO week. */
  plantingWeek?: { startMs: number; endMs: number };
  /**
   * Mean events of an average user on a workday, sign-ins excluded. Default 60. 0 makes a company
   * that only signs in and out (its phone and VPN sessions still view a few pages).
   */
  eventsPerUserDay?: number;
  /**
   * Planted trips abroad (new country) and stolen passwords used from afar (impossible travel).
   * Default: one of each per 200 and 500 users, at least one.
   */
  trips?: number;
  takeovers?: number;
  /**
   * Data sources the leaver exports (at most the catalogue's 20). Default: 4 to 6, drawn (the
   * demo's seed draws 4, under the least `exportBurst`, 5); a number plants a pull of that many
   * for the bulk export alert (opt-in: the default data, and so the demo's, stay as they were).
   */
  leaverExports?: number;
  /**
   * An admin deactivates the leaver an hour after their story, and the leaver's token acts in their
   * name later that day, for the `activity_after_deactivation` alert (opt-in; the demo's is on).
   */
  leaverDeactivated?: boolean;
}

interface SimPage {
  pageId: string;
  title: string;
  /** Views of it grow over the range. */
  trending: boolean;
}

interface SimCard {
  cardId: string;
  title: string;
  pageId: string;
  trending: boolean;
}

export interface SyntheticInstance {
  users: SimUser[];
  cards: SimCard[];
  pages: SimPage[];
  /** Ascending by time, all within [fromMs, toMs). */
  events: SimEvent[];
  planted: PlantedPattern[];
}

type ActionKind =
  | 'viewCard'
  | 'viewPage'
  | 'updateCard'
  | 'createCard'
  | 'deleteCard'
  | 'shareCard'
  | 'exportCard'
  | 'createPage'
  | 'updatePage'
  | 'sharePage'
  | 'deletePage'
  | 'createDataSource'
  | 'updateDataSource'
  | 'shareDataSource'
  | 'deleteDataSource'
  | 'executeDataflow'
  | 'createToken'
  | 'deleteToken'
  | 'viewActivityLog';

/** Relative weights per role: [Admin, Editor, Participant]. Views dominate, as in a real instance. */
const ACTION_WEIGHTS: Record<ActionKind, [number, number, number]> = {
  viewCard: [46, 46, 50],
  viewPage: [38, 38, 42],
  updateCard: [3, 3, 0.3],
  createCard: [1, 1, 0.1],
  deleteCard: [0.4, 0.4, 0.05],
  shareCard: [1, 1, 0.3],
  exportCard: [0.6, 0.6, 0.4],
  createPage: [0.3, 0.3, 0],
  updatePage: [1, 1, 0.1],
  sharePage: [0.6, 0.6, 0.1],
  deletePage: [0.1, 0.1, 0],
  createDataSource: [0.3, 0.3, 0],
  updateDataSource: [1, 1, 0],
  shareDataSource: [0.3, 0.3, 0],
  deleteDataSource: [0.1, 0.1, 0],
  executeDataflow: [1.5, 1.5, 0.1],
  createToken: [0.15, 0.05, 0],
  deleteToken: [0.08, 0.03, 0],
  viewActivityLog: [0.4, 0, 0],
};

const ACTION_KINDS = Object.keys(ACTION_WEIGHTS) as ActionKind[];
const ROLE_INDEX: Record<UserRole, 0 | 1 | 2> = { Admin: 0, Editor: 1, Participant: 2 };

function cumulative(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((w) => {
    total += w;
    return total;
  });
}

interface NamedObject {
  id: string;
  name: string;
}

/** Mutable state of one generation run. */
interface Generation {
  rng: Prng;
  fromMs: number;
  toMs: number;
  users: SimUser[];
  cards: SimCard[];
  pages: SimPage[];
  cardWeights: number[];
  pageWeights: number[];
  dataSources: NamedObject[];
  dataflows: NamedObject[];
  /** Objects each user created and may later delete, by kind. */
  created: Map<string, NamedObject[]>;
  tablesByDay: Map<number, { cards: number[]; pages: number[] }>;
  usedIds: Set<string>;
  usedNetworks: Set<string>;
  events: SimEvent[];
  /** Each workday's first sign-in, for scattering failed logins in front of some. */
  dayLogins: { user: SimUser; event: SimEvent }[];
}

function uniqueNumericId(g: Generation, min: number, max: number): string {
  for (;;) {
    const id = String(g.rng.int(min, max));
    if (!g.usedIds.has(id)) {
      g.usedIds.add(id);
      return id;
    }
  }
}

/** A phone's own IPv6 /48 in its carrier's block (for 60% of phones on carriers with IPv6), or null. */
function phoneIpv6(rng: Prng, carrier: SimNetwork | null, used: Set<string>): string | null {
  if (carrier?.v6 === undefined || !rng.chance(0.6)) return null;
  let network: string;
  do network = v6NetworkIn(rng, carrier);
  while (used.has(network));
  used.add(network);
  return network;
}

function makeUsers(g: Generation, count: number): SimUser[] {
  const rng = g.rng.fork('users');
  const names = rng.sample(
    FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`)),
    count,
  );
  for (let i = names.length; i < count; i++) names.push(`User ${i + 1}`);
  const zoneTable = cumulative(TIME_ZONES.map((z) => z.weight));
  const usedV6 = new Set<string>();
  return names.map((userName, i) => {
    const role: UserRole =
      i < Math.max(1, Math.round(count * 0.08)) ? 'Admin' : rng.chance(0.3) ? 'Editor' : 'Participant';
    const timeZone = (TIME_ZONES[rng.pickCumulative(zoneTable)] as { zone: string }).zone;
    const country = ZONE_COUNTRIES[timeZone] ?? 'US';
    const officeNetwork = rng.pick(networksIn(country, 'fixed'));
    const mobileNetwork = rng.chance(0.45) ? rng.pick(networksIn(country, 'mobile')) : null;
    const ipv6Network = phoneIpv6(rng, mobileNetwork, usedV6);
    const vpn = networkIn(country, 'vpn');
    const skew = rng.next();
    return {
      userId: uniqueNumericId(g, 1_000_000_000, 2_147_483_647),
      userName,
      role,
      timeZone,
      country,
      network: `${freshPrefixIn(rng, officeNetwork, g.usedNetworks)}.0/24`,
      officeNetwork,
      mobileNetwork,
      ipv6Network,
      vpnNetwork: vpn !== undefined && rng.chance(0.15) ? vpn : null,
      workStartMinute: rng.int(450, 585),
      workMinutes: rng.int(450, 570),
      activity: 0.4 + 1.8 * skew * skew,
      usesMobile: mobileNetwork !== null,
      desktopBrowser: rng.pick(DESKTOP_BROWSERS),
      mobileBrowser: rng.pick(MOBILE_BROWSERS),
    };
  });
}

/** Zipf-like popularity over a shuffled catalogue; `trendingRanks` picks which ranks grow over time. */
function popularity(rng: Prng, count: number, exponent: number): number[] {
  const ranks = rng.sample(
    Array.from({ length: count }, (_, i) => i),
    count,
  );
  return ranks.map((rank) => 1 / (rank + 1) ** exponent);
}

function pickTrending(rng: Prng, weights: number[], count: number, skipTop: number): Set<number> {
  const byWeight = weights.map((w, i) => ({ w, i })).sort((a, b) => b.w - a.w || a.i - b.i);
  const pool = byWeight.slice(Math.min(skipTop, Math.max(0, byWeight.length - count)));
  return new Set(
    rng.sample(pool.slice(0, Math.max(count, Math.floor(pool.length / 2))), count).map((x) => x.i),
  );
}

function makeCatalogue(g: Generation, pageCount: number, cardCount: number): void {
  const rng = g.rng.fork('catalogue');
  const specials = SPECIAL_PAGES.slice(0, Math.min(SPECIAL_PAGES.length, pageCount));
  const titles = rng.sample(
    DEPARTMENTS.flatMap((d) => PAGE_KINDS.map((k) => `${d} ${k}`)),
    pageCount - specials.length,
  );
  const regularPages = titles.map((title, i) => ({
    pageId: uniqueNumericId(g, 100_000_000, 1_999_999_999),
    title: title ?? `Page ${i + 1}`,
  }));
  g.pageWeights = popularity(rng, specials.length + regularPages.length, 1);
  // The Overview page is where everyone lands.
  if (specials.length > 0) g.pageWeights[0] = Math.max(...g.pageWeights) * 1.5;
  const trendingPages = pickTrending(rng, g.pageWeights, Math.min(2, regularPages.length), 4);
  g.pages = [...specials, ...regularPages].map((p, i) => ({ ...p, trending: trendingPages.has(i) }));

  const cardTitles = rng.sample(
    CARD_METRICS.flatMap((m) => CARD_DIMENSIONS.map((d) => `${m} ${d}`)),
    cardCount,
  );
  for (let i = cardTitles.length; i < cardCount; i++) cardTitles.push(`Metric ${i + 1}`);
  const homePages = regularPages.length > 0 ? regularPages : specials;
  g.cardWeights = popularity(rng, cardCount, 1.1);
  const trendingCards = pickTrending(rng, g.cardWeights, Math.min(4, cardCount), 20);
  g.cards = cardTitles.map((title, i) => ({
    cardId: uniqueNumericId(g, 100_000_000, 1_999_999_999),
    title,
    pageId: homePages.length > 0 ? rng.pick(homePages).pageId : '-100000',
    trending: trendingCards.has(i),
  }));

  g.dataSources = DATA_SOURCE_SUBJECTS.flatMap((subject) => [
    { id: rng.uuid(), name: subject },
    { id: rng.uuid(), name: `${subject} (Daily Snapshot)` },
  ]);
  g.dataflows = DATA_SOURCE_SUBJECTS.map((subject) => ({
    id: String(rng.int(100, 9_999)),
    name: `Transform ${subject}`,
  }));
}

/** Trending objects gain up to 30x their base weight by the end of the range. */
function trendFactor(progress: number): number {
  return 1 + 29 * progress * progress;
}

function tablesForDay(g: Generation, timeMs: number): { cards: number[]; pages: number[] } {
  const day = Math.floor(timeMs / DAY_MS);
  let tables = g.tablesByDay.get(day);
  if (!tables) {
    const progress = Math.min(
      1,
      Math.max(0, (day * DAY_MS - g.fromMs) / Math.max(DAY_MS, g.toMs - g.fromMs)),
    );
    const factor = trendFactor(progress);
    tables = {
      cards: cumulative(g.cards.map((c, i) => (g.cardWeights[i] as number) * (c.trending ? factor : 1))),
      pages: cumulative(g.pages.map((p, i) => (g.pageWeights[i] as number) * (p.trending ? factor : 1))),
    };
    g.tablesByDay.set(day, tables);
  }
  return tables;
}

function pickCard(g: Generation, timeMs: number): SimCard {
  return g.cards[g.rng.pickCumulative(tablesForDay(g, timeMs).cards)] as SimCard;
}

function pickPage(g: Generation, timeMs: number, regularOnly = false): SimPage {
  for (let attempt = 0; attempt < 20; attempt++) {
    const page = g.pages[g.rng.pickCumulative(tablesForDay(g, timeMs).pages)] as SimPage;
    if (!regularOnly || !page.pageId.startsWith('-')) return page;
  }
  return g.pages[g.pages.length - 1] as SimPage;
}

function remember(g: Generation, user: SimUser, kind: string, object: NamedObject): void {
  const key = `${user.userId}/${kind}`;
  const list = g.created.get(key) ?? [];
  list.push(object);
  g.created.set(key, list);
}

function forget(g: Generation, user: SimUser, kind: string): NamedObject | undefined {
  return g.created.get(`${user.userId}/${kind}`)?.pop();
}

interface Described {
  actionType: string;
  eventText: string;
  objectType: string;
  objectId: string;
  objectName: string;
  verb: string;
  noun: string;
}

/** What the user did, as entry fields; deletions without an earlier creation degrade to updates. */
function describeAction(g: Generation, user: SimUser, kind: ActionKind, timeMs: number): Described {
  const rng = g.rng;
  const on = (
    actionType: string,
    objectType: string,
    noun: string,
    object: NamedObject,
    eventText = `${actionType.charAt(0)}${actionType.slice(1).toLowerCase()} ${noun}`,
  ): Described => ({
    actionType,
    eventText,
    objectType,
    objectId: object.id,
    objectName: object.name,
    verb: actionType.toLowerCase(),
    noun,
  });
  const card = (): NamedObject => {
    const c = pickCard(g, timeMs);
    return { id: c.cardId, name: c.title };
  };
  const page = (regularOnly = false): NamedObject => {
    const p = pickPage(g, timeMs, regularOnly);
    return { id: p.pageId, name: p.title };
  };
  const newNumeric = (name: string): NamedObject => ({
    id: uniqueNumericId(g, 100_000_000, 1_999_999_999),
    name,
  });
  switch (kind) {
    case 'viewCard':
      return on('VIEWED', 'CARD', 'card', card());
    case 'viewPage':
      return on('VIEWED', 'PAGE', 'page', page());
    case 'updateCard':
      return on('UPDATED', 'CARD', 'card', card());
    case 'shareCard':
      return on('SHARED', 'CARD', 'card', card());
    case 'exportCard':
      return on('EXPORTED', 'CARD', 'card', card());
    case 'createCard': {
      const created = newNumeric(`${rng.pick(CARD_METRICS)} ${rng.pick(CARD_DIMENSIONS)} (draft)`);
      remember(g, user, 'card', created);
      return on('CREATED', 'CARD', 'card', created);
    }
    case 'deleteCard': {
      const target = forget(g, user, 'card');
      return target ? on('DELETED', 'CARD', 'card', target) : on('UPDATED', 'CARD', 'card', card());
    }
    case 'createPage': {
      const created = newNumeric(`${rng.pick(DEPARTMENTS)} Scratchpad`);
      remember(g, user, 'page', created);
      return on('CREATED', 'PAGE', 'page', created);
    }
    case 'updatePage':
      return on('UPDATED', 'PAGE', 'page', page(true));
    case 'sharePage':
      return on('SHARED', 'PAGE', 'page', page(true));
    case 'deletePage': {
      const target = forget(g, user, 'page');
      return target ? on('DELETED', 'PAGE', 'page', target) : on('UPDATED', 'PAGE', 'page', page(true));
    }
    case 'createDataSource': {
      const created = { id: rng.uuid(), name: `${rng.pick(DATA_SOURCE_SUBJECTS)} (upload)` };
      remember(g, user, 'dataSource', created);
      return on('CREATED', 'DATA_SOURCE', 'data source', created);
    }
    case 'updateDataSource':
      return on('UPDATED', 'DATA_SOURCE', 'data source', rng.pick(g.dataSources));
    case 'shareDataSource':
      return on('SHARED', 'DATA_SOURCE', 'data source', rng.pick(g.dataSources));
    case 'deleteDataSource': {
      const target = forget(g, user, 'dataSource');
      return target
        ? on('DELETED', 'DATA_SOURCE', 'data source', target)
        : on('UPDATED', 'DATA_SOURCE', 'data source', rng.pick(g.dataSources));
    }
    case 'executeDataflow':
      return on('EXECUTED', 'DATAFLOW_TYPE', 'DataFlow', rng.pick(g.dataflows), 'Executed DataFlow');
    case 'createToken': {
      const created = {
        id: String(rng.int(100_000, 999_999)),
        name: `${user.userName.split(' ')[0]} automation`,
      };
      remember(g, user, 'token', created);
      return on('CREATED', 'ACCESS_TOKEN', 'access token', created, 'Access token created');
    }
    case 'deleteToken': {
      const target = forget(g, user, 'token');
      return target
        ? on('DELETED', 'ACCESS_TOKEN', 'access token', target, 'Access token deleted')
        : on('VIEWED', 'CARD', 'card', card());
    }
    case 'viewActivityLog':
      return on(
        'VIEWED',
        'ACTIVITY_LOG',
        'activity log',
        { id: '0', name: 'Activity Log' },
        'Viewed activity log',
      );
  }
}

function officeSession(g: Generation, user: SimUser): SessionInfo {
  return {
    device: 'desktop',
    browserDetails: user.desktopBrowser,
    ipAddress: `${ipv4Prefix(user.network)}.${g.rng.int(2, 254)}`,
  };
}

/** A phone session: the user's IPv6 /48, else any address of the carrier (carrier-grade NAT). */
function mobileSession(g: Generation, user: SimUser, carrier: SimNetwork): SessionInfo {
  return {
    device: 'mobile',
    browserDetails: user.mobileBrowser,
    ipAddress: user.ipv6Network ? ipv6Host(g.rng, user.ipv6Network) : v4HostIn(g.rng, carrier),
  };
}

/** A laptop session through the VPN: any address of the exit's block. */
function vpnSession(g: Generation, user: SimUser, vpn: SimNetwork): SessionInfo {
  return { device: 'desktop', browserDetails: user.desktopBrowser, ipAddress: v4HostIn(g.rng, vpn) };
}

/** A sign-in from `session` at some point of the working day, and a few views after it. */
function sideSession(
  g: Generation,
  user: SimUser,
  dayStart: number,
  lengthMs: number,
  session: SessionInfo,
): void {
  const rng = g.rng;
  let t = dayStart + rng.int(60, Math.max(61, Math.round((lengthMs * 0.8) / MINUTE_MS))) * MINUTE_MS;
  g.events.push({ timeMs: t, entry: makeLoginEntry('login', user, session) });
  for (let i = rng.int(2, 6); i > 0; i--) {
    t += rng.int(10_000, 180_000);
    g.events.push(viewEvent(g, user, t, session));
  }
}

const roleTables = [0, 1, 2].map((r) => cumulative(ACTION_KINDS.map((k) => ACTION_WEIGHTS[k][r] as number)));

/** One ordinary (non-login) event by `user`, sometimes performed by an admin acting for them. */
function activityEvent(
  g: Generation,
  user: SimUser,
  timeMs: number,
  session: SessionInfo,
  kind?: ActionKind,
): SimEvent {
  const chosen =
    kind ?? (ACTION_KINDS[g.rng.pickCumulative(roleTables[ROLE_INDEX[user.role]] as number[])] as ActionKind);
  const d = describeAction(g, user, chosen, timeMs);
  let actor: SimUser | null = null;
  let eventSession = session;
  if (g.rng.chance(0.003)) {
    const admins = g.users.filter((u) => u.role === 'Admin' && u.userId !== user.userId);
    if (admins.length > 0) {
      actor = g.rng.pick(admins);
      // A proxied action comes from the admin's machine, not the user's.
      eventSession = officeSession(g, actor);
    }
  }
  const who = actor ? `${actor.userName} (on behalf of ${user.userName})` : user.userName;
  return {
    timeMs,
    entry: makeEntry({
      user,
      actor,
      actionType: d.actionType,
      eventText: d.eventText,
      objectType: d.objectType,
      objectId: d.objectId,
      objectName: d.objectName,
      additionalComment: `${who} ${d.verb} ${d.noun} ${d.objectName}.`,
      session: eventSession,
    }),
  };
}

/** A plain view of a card or page. */
function viewEvent(g: Generation, user: SimUser, timeMs: number, session: SessionInfo): SimEvent {
  return activityEvent(g, user, timeMs, session, g.rng.chance(0.55) ? 'viewCard' : 'viewPage');
}

/**
 * How many events a user's day holds. A company asked for no activity signs in and out only (the
 * geo tests' thousand users); any other mean gives every day at least two.
 */
function activityCount(rng: Prng, meanEvents: number, activity: number, weekend: boolean): number {
  if (meanEvents === 0) return 0;
  return Math.max(2, Math.round(meanEvents * activity * rng.float(0.7, 1.3) * (weekend ? 0.2 : 1)));
}

function generateDay(
  g: Generation,
  user: SimUser,
  date: { year: number; month: number; day: number },
  weekend: boolean,
  firstActiveDay: boolean,
  meanEvents: number,
): void {
  const rng = g.rng;
  const startMinute = user.workStartMinute + rng.int(-25, 25);
  const dayStart =
    localToUtc(date.year, date.month, date.day, startMinute, user.timeZone) + rng.int(0, 59_999);
  const lengthMs = weekend
    ? rng.int(45, 180) * MINUTE_MS
    : Math.round(user.workMinutes * MINUTE_MS * rng.float(0.85, 1.15));
  if (dayStart + lengthMs + DAY_MS < g.fromMs || dayStart - DAY_MS > g.toMs) return;

  const office = officeSession(g, user);
  const login: SimEvent = { timeMs: dayStart, entry: makeLoginEntry('login', user, office) };
  g.events.push(login);
  g.dayLogins.push({ user, event: login });

  const count = activityCount(rng, meanEvents, user.activity, weekend);
  const times = Array.from({ length: count }, () => dayStart + rng.int(30_000, lengthMs)).sort(
    (a, b) => a - b,
  );
  for (const t of times) g.events.push(activityEvent(g, user, t, office));

  if (!weekend && rng.chance(0.35)) {
    const again = dayStart + Math.round(lengthMs * rng.float(0.4, 0.55));
    g.events.push({ timeMs: again, entry: makeLoginEntry('login', user, office) });
  }
  // Each network a user owns shows up on their first day, and then on about every other day, so
  // that a month never passes without it: routine use is never "new".
  if (user.mobileNetwork && (firstActiveDay || rng.chance(0.5))) {
    sideSession(g, user, dayStart, lengthMs, mobileSession(g, user, user.mobileNetwork));
  }
  if (user.vpnNetwork && (firstActiveDay || rng.chance(0.4))) {
    sideSession(g, user, dayStart, lengthMs, vpnSession(g, user, user.vpnNetwork));
  }
  if (rng.chance(0.4)) {
    const last = times[times.length - 1] ?? dayStart;
    g.events.push({
      timeMs: last + rng.int(1, 15) * MINUTE_MS,
      entry: makeLoginEntry('logout', user, office),
    });
  }
}

function generateActivity(g: Generation, meanEvents: number): void {
  const firstDay = Math.floor(g.fromMs / DAY_MS) - 1;
  const lastDay = Math.floor((g.toMs - 1) / DAY_MS) + 1;
  for (const user of g.users) {
    let seenActiveDay = false;
    for (let day = firstDay; day <= lastDay; day++) {
      const d = new Date(day * DAY_MS);
      const weekday = d.getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      if (!g.rng.chance(weekend ? 0.05 : 0.9)) continue;
      const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      const before = g.events.length;
      generateDay(g, user, date, weekend, !seenActiveDay, meanEvents);
      // Only a day that produced in-range events counts as the user's first.
      if (!seenActiveDay) {
        seenActiveDay = g.events.slice(before).some((e) => e.timeMs >= g.fromMs && e.timeMs < g.toMs);
      }
    }
  }
}

/**
 * A deterministic synthetic Domo instance: users with home zones and networks, a catalogue with
 * skewed and trending popularity, a realistic mix of activity on workdays, and (by default) planted
 * suspicious-login patterns recorded in `planted`.
 */
export function generateInstance(options: GenerateOptions): SyntheticInstance {
  const { fromMs, toMs } = options;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(`generateInstance needs fromMs < toMs (got ${fromMs} and ${toMs})`);
  }
  const userCount = options.users ?? 40;
  const cardCount = options.cards ?? 150;
  const pageCount = options.pages ?? 30;
  const meanEvents = options.eventsPerUserDay ?? 60;
  for (const [name, value] of Object.entries({ users: userCount, cards: cardCount, pages: pageCount })) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`generateInstance: ${name} must be a positive integer`);
  }
  if (!(meanEvents >= 0)) throw new RangeError('generateInstance: eventsPerUserDay must be >= 0');

  const rng = new Prng(options.seed);
  const g: Generation = {
    rng,
    fromMs,
    toMs,
    users: [],
    cards: [],
    pages: [],
    cardWeights: [],
    pageWeights: [],
    dataSources: [],
    dataflows: [],
    created: new Map(),
    tablesByDay: new Map(),
    usedIds: new Set(),
    usedNetworks: new Set(),
    events: [],
    dayLogins: [],
  };
  g.users = makeUsers(g, userCount);
  makeCatalogue(g, pageCount, cardCount);
  g.rng = rng.fork('activity');
  generateActivity(g, meanEvents);

  let planted: PlantedPattern[] = [];
  if (options.plantPatterns ?? true) {
    g.rng = rng.fork('planted');
    planted = plantPatterns({
      rng: g.rng,
      fromMs,
      toMs,
      users: g.users,
      events: g.events,
      dayLogins: g.dayLogins.filter((l) => l.event.timeMs >= fromMs && l.event.timeMs < toMs),
      usedNetworks: g.usedNetworks,
      viewEvent: (user, timeMs, session) => viewEvent(g, user, timeMs, session),
      week: options.plantingWeek,
      trips: options.trips ?? Math.max(1, Math.round(userCount / 200)),
      takeovers: options.takeovers ?? Math.max(1, Math.round(userCount / 500)),
      leaverExports: options.leaverExports,
      leaverDeactivated: options.leaverDeactivated,
      catalogue: {
        dataSources: g.dataSources,
        // Regular pages only: the special ones (Overview, Shared, ...) are everyone's already.
        pages: g.pages.filter((p) => !p.pageId.startsWith('-')).map((p) => ({ id: p.pageId, name: p.title })),
      },
    });
  }

  const events = g.events
    .filter((e) => e.timeMs >= fromMs && e.timeMs < toMs)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.timeMs - b.e.timeMs || a.i - b.i)
    .map((x) => x.e);
  return { users: g.users, cards: g.cards, pages: g.pages, events, planted };
}
