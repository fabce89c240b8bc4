import { beforeAll, describe, expect, it } from 'vitest';
import { countryDistanceKm } from '../../functions/core/geo/great-circle.ts';
import { zoneOffsetMs } from '../../functions/core/zoned-time.ts';
import { SIM_NETWORKS } from '../../functions/simulator/geo-networks.ts';
import { networkOf } from '../../functions/simulator/ip-networks.ts';
import { plantingWeek } from '../../functions/simulator/planted-patterns.ts';
import { LOGIN_ACTIONS, type SimEvent } from '../../functions/simulator/sim-event.ts';
import { generateInstance, type SyntheticInstance } from '../../functions/simulator/synthetic-instance.ts';

const DAY = 86_400_000;
// Three weeks ending on a Monday: the last full week is the range's last seven days.
const toMs = Date.parse('2026-11-23T00:00:00Z');
const fromMs = toMs - 21 * DAY;

const DOCUMENTED_FIELDS = [
  'actionType',
  'actorId',
  'actorName',
  'additionalComment',
  'browserDetails',
  'device',
  'eventText',
  'ipAddress',
  'objectId',
  'objectName',
  'objectType',
  'userId',
  'userName',
  'userType',
];

const field = (e: SimEvent, name: string): string => String(e.entry[name]);

const v4Number = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
function inBlock(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const start = v4Number(base);
  return v4Number(ip) >= start && v4Number(ip) < start + 2 ** (32 - Number(bits));
}

// Zone offsets only change on hour boundaries, so one Intl look-up per zone and hour is enough.
const offsets = new Map<string, number>();
function localDate(timeMs: number, zone: string): Date {
  const hour = Math.floor(timeMs / 3_600_000) * 3_600_000;
  const key = `${zone}@${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(hour, zone);
    offsets.set(key, offset);
  }
  return new Date(timeMs + offset);
}
const localHour = (e: SimEvent, zone: string): number => {
  const d = localDate(e.timeMs, zone);
  return d.getUTCHours() + d.getUTCMinutes() / 60;
};

/** Views per card: in all, in the first week (before `firstWeekEnd`) and the last (from `lastWeekStart`). */
function cardViews(
  events: readonly SimEvent[],
  firstWeekEnd: number,
  lastWeekStart: number,
): Map<string, { first: number; last: number; total: number }> {
  const views = new Map<string, { first: number; last: number; total: number }>();
  for (const e of events) {
    if (e.entry.actionType !== 'VIEWED' || e.entry.objectType !== 'CARD') continue;
    const v = views.get(field(e, 'objectId')) ?? { first: 0, last: 0, total: 0 };
    v.total++;
    if (e.timeMs < firstWeekEnd) v.first++;
    if (e.timeMs >= lastWeekStart) v.last++;
    views.set(field(e, 'objectId'), v);
  }
  return views;
}

describe('generateInstance', () => {
  let inst: SyntheticInstance;
  beforeAll(() => {
    inst = generateInstance({ seed: 'lake-test', fromMs, toMs });
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const short = { fromMs: toMs - 4 * DAY, toMs, users: 8 };
    const a = generateInstance({ seed: 7, ...short });
    const b = generateInstance({ seed: 7, ...short });
    const c = generateInstance({ seed: 8, ...short });
    expect(b).toEqual(a);
    expect(JSON.stringify(c.events)).not.toBe(JSON.stringify(a.events));
  });

  it('makes a few tens of thousands of events for three weeks of 40 users, ascending and in range', () => {
    expect(inst.users).toHaveLength(40);
    expect(inst.cards).toHaveLength(150);
    expect(inst.pages).toHaveLength(30);
    expect(inst.events.length).toBeGreaterThan(15_000);
    expect(inst.events.length).toBeLessThan(60_000);
    const outOfOrder = inst.events.filter(
      (e, i) => i > 0 && e.timeMs < (inst.events[i - 1] as SimEvent).timeMs,
    );
    expect(outOfOrder).toEqual([]);
    expect((inst.events[0] as SimEvent).timeMs).toBeGreaterThanOrEqual(fromMs);
    expect((inst.events.at(-1) as SimEvent).timeMs).toBeLessThan(toMs);
  });

  it('scales with eventsPerUserDay', () => {
    const range = { seed: 1, fromMs: toMs - 7 * DAY, toMs, users: 10, plantPatterns: false };
    const few = generateInstance({ ...range, eventsPerUserDay: 10 }).events.length;
    const many = generateInstance({ ...range, eventsPerUserDay: 80 }).events.length;
    expect(many).toBeGreaterThan(few * 3);
  });

  it('with eventsPerUserDay 0, only signs in: what else happens is the views of phone and VPN sessions', () => {
    const range = { seed: 1, fromMs: toMs - 7 * DAY, toMs, users: 10, plantPatterns: false };
    const quiet = generateInstance({ ...range, eventsPerUserDay: 0 }).events;
    const kinds = new Set(quiet.map((e) => e.entry.actionType));
    expect([...kinds].sort()).toEqual(['LOGGED_IN', 'LOGGED_OUT', 'VIEWED']);
    // Each side session is a sign-in followed by two to six views.
    const signIns = quiet.filter((e) => e.entry.actionType === 'LOGGED_IN').length;
    const views = quiet.filter((e) => e.entry.actionType === 'VIEWED').length;
    expect(views).toBeLessThanOrEqual(6 * signIns);
    const usual = generateInstance({ ...range, eventsPerUserDay: 10 }).events;
    expect(quiet.length).toBeLessThan(usual.length / 2);
  });

  it('emits Domo-shaped entries without time, with the documented field types', () => {
    const expectedKeys = DOCUMENTED_FIELDS.join(',');
    const misshapen = inst.events.filter(
      (e) =>
        Object.keys(e.entry).sort().join(',') !== expectedKeys ||
        typeof e.entry.userId !== 'string' ||
        typeof e.entry.objectId !== 'string' ||
        typeof e.entry.actorId !== 'number' ||
        e.entry.userType !== 'USER',
    );
    expect(misshapen).toEqual([]);
    const ids = inst.events.map((e) => field(e, 'objectId'));
    expect(ids.some((id) => /^-\d+$/.test(id))).toBe(true);
    expect(ids.some((id) => /^\d+$/.test(id))).toBe(true);
    expect(
      ids.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    const proxied = inst.events.filter((e) => e.entry.actorId !== 0);
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied.filter((e) => field(e, 'actorName') === '')).toEqual([]);
    const devices = inst.events.map((e) => field(e, 'device'));
    expect(devices.filter((d) => d === 'desktop').length).toBeGreaterThan(devices.length * 0.8);
    expect(devices).toContain('mobile');
    expect(inst.events.some((e) => field(e, 'ipAddress').includes(':'))).toBe(true);
  });

  it('has a realistic action mix dominated by views', () => {
    const kinds = new Map<string, number>();
    for (const e of inst.events) {
      const key = `${field(e, 'actionType')} ${field(e, 'objectType')}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    const views = (kinds.get('VIEWED CARD') ?? 0) + (kinds.get('VIEWED PAGE') ?? 0);
    expect(views).toBeGreaterThan(inst.events.length * 0.7);
    for (const key of [
      'CREATED CARD',
      'UPDATED CARD',
      'DELETED CARD',
      'SHARED CARD',
      'CREATED PAGE',
      'UPDATED PAGE',
      'SHARED PAGE',
      'CREATED DATA_SOURCE',
      'UPDATED DATA_SOURCE',
      'SHARED DATA_SOURCE',
      'EXECUTED DATAFLOW_TYPE',
      'LOGGED_IN USER',
      'LOGGED_OUT USER',
    ]) {
      expect(kinds.get(key), key).toBeGreaterThan(0);
    }
    const viewedCard = inst.events.find(
      (e) => e.entry.actionType === 'VIEWED' && e.entry.objectType === 'CARD',
    );
    expect(viewedCard?.entry.eventText).toBe('Viewed card');
    const viewedPage = inst.events.find(
      (e) => e.entry.actionType === 'VIEWED' && e.entry.objectType === 'PAGE',
    );
    expect(viewedPage?.entry.eventText).toBe('Viewed page');
  });

  it('uses exactly the documented login-type strings, with the user as the object', () => {
    const byAction = new Map(
      Object.values(LOGIN_ACTIONS).map((a) => [a.actionType as string, a.eventText as string]),
    );
    expect([...byAction]).toEqual([
      ['LOGGED_IN', 'Logged in'],
      ['LOGGED_OUT', 'Logged out'],
      ['LOGIN_FAILED', 'Failed login attempt'],
      ['LOCKED_OUT', 'User locked out'],
    ]);
    const seen = new Set<string>();
    for (const e of inst.events) {
      const action = field(e, 'actionType');
      if (!byAction.has(action)) continue;
      seen.add(action);
      expect(e.entry.eventText).toBe(byAction.get(action));
      expect(e.entry.objectType).toBe('USER');
      expect(e.entry.objectId).toBe(e.entry.userId);
      expect(e.entry.objectName).toBe(e.entry.userName);
    }
    expect([...seen].sort()).toEqual(['LOCKED_OUT', 'LOGGED_IN', 'LOGGED_OUT', 'LOGIN_FAILED']);
  });

  it('skews popularity and makes some cards trend up in later weeks', () => {
    const views = cardViews(inst.events, fromMs + 7 * DAY, toMs - 7 * DAY);
    const totals = [...views.values()].map((v) => v.total).sort((a, b) => b - a);
    const median = totals[Math.floor(totals.length / 2)] as number;
    expect(totals[0]).toBeGreaterThan(median * 10);
    const trending = inst.cards.filter((c) => c.trending);
    expect(trending.length).toBeGreaterThan(0);
    for (const card of trending) {
      const v = views.get(card.cardId) ?? { first: 0, last: 0, total: 0 };
      expect(v.last).toBeGreaterThan(v.first * 3);
    }
  });

  it('has users work mostly on weekdays, starting each workday with a login in their working hours', () => {
    const weekend = inst.events.filter((e) => [0, 6].includes(new Date(e.timeMs).getUTCDay()));
    expect(weekend.length).toBeLessThan(inst.events.length * 0.15);
    // Planted sign-ins keep other clocks: 03:00 at home, working hours abroad, an attacker's.
    const zoneOf = new Map(inst.users.map((u) => [u.userId, u.timeZone]));
    const offHours = inst.events.filter((e) => {
      if (e.entry.actionType !== 'LOGGED_IN' || e.planted === true) return false;
      const hour = localHour(e, zoneOf.get(field(e, 'userId')) as string);
      return hour < 6.5 || hour >= 20;
    });
    expect(offHours).toEqual([]);
    // Every user's first event of a local day is a login.
    const firstOfDay = new Map<string, SimEvent>();
    for (const e of inst.events) {
      const user = field(e, 'userId');
      const key = `${user}/${localDate(e.timeMs, zoneOf.get(user) as string)
        .toISOString()
        .slice(0, 10)}`;
      if (!firstOfDay.has(key) && e.entry.actorId === 0) firstOfDay.set(key, e);
    }
    const starts = [...firstOfDay.values()].filter((e) => e.timeMs > fromMs + DAY);
    const loginStarts = starts.filter((e) => ['LOGGED_IN', 'LOGIN_FAILED'].includes(field(e, 'actionType')));
    expect(loginStarts.length).toBeGreaterThan(starts.length * 0.97);
  });

  it('gives every user a home country, an office /24, and sometimes a phone carrier and a VPN they really use', () => {
    const zones = new Set(inst.users.map((u) => u.timeZone));
    expect(zones.size).toBeGreaterThan(3);
    expect(inst.users.some((u) => u.ipv6Network !== null)).toBe(true);
    expect(inst.users.some((u) => u.mobileNetwork !== null && u.ipv6Network === null)).toBe(true);
    expect(inst.users.some((u) => u.vpnNetwork !== null)).toBe(true);
    for (const u of inst.users) {
      expect(u.officeNetwork.country).toBe(u.country);
      expect(inBlock(u.network.replace('.0/24', '.1'), u.officeNetwork.v4)).toBe(true);
    }
    const users = new Map(inst.users.map((u) => [u.userId, u]));
    const own = (userId: string, ip: string): boolean => {
      const u = users.get(userId);
      if (!u) return false;
      if (ip.includes(':')) return networkOf(ip) === u.ipv6Network;
      return (
        networkOf(ip) === u.network ||
        (u.mobileNetwork !== null && inBlock(ip, u.mobileNetwork.v4)) ||
        (u.vpnNetwork !== null && inBlock(ip, u.vpnNetwork.v4))
      );
    };
    const plantedUsers = new Set(inst.planted.map((p) => p.userId));
    // A spray's address tries other people's accounts: foreign to each of them, and planted.
    const sprayIps = new Set(
      inst.planted.flatMap((p) => (p.kind === 'password_spray' ? [p.evidence.ipAddress] : [])),
    );
    // Apart from proxied actions, only the planted patterns' sessions come from foreign networks.
    const foreign = inst.events.filter(
      (e) =>
        e.entry.actorId === 0 &&
        !plantedUsers.has(field(e, 'userId')) &&
        !sprayIps.has(field(e, 'ipAddress')) &&
        !own(field(e, 'userId'), field(e, 'ipAddress')),
    );
    expect(foreign).toEqual([]);
    // Phones behind carrier-grade NAT change /24 all the time: why the new-network rule is by owner.
    const phonePrefixes = new Set(
      inst.events
        .filter((e) => e.entry.device === 'mobile' && !field(e, 'ipAddress').includes(':'))
        .map((e) => networkOf(field(e, 'ipAddress'))),
    );
    expect(phonePrefixes.size).toBeGreaterThan(20);
  });

  describe('planted patterns', () => {
    const week = plantingWeek(fromMs, toMs);
    const loginsOf = (userId: string): SimEvent[] =>
      inst.events.filter((e) => e.entry.userId === userId && e.entry.actionType === 'LOGGED_IN');

    it('places them in the last full week', () => {
      expect(week).toEqual({ startMs: toMs - 7 * DAY, endMs: toMs });
      const kinds = inst.planted.map((p) => p.kind);
      expect(kinds).toContain('new_network');
      expect(kinds).toContain('unusual_hour');
      expect(kinds).toContain('lockout_burst');
      expect(kinds).toContain('password_spray');
      expect(kinds).toContain('leaver');
      for (const p of inst.planted.filter((x) => x.kind !== 'failed_login')) {
        expect(p.timeMs).toBeGreaterThanOrEqual(week.startMs);
        expect(p.timeMs).toBeLessThan(week.endMs);
      }
      expect(kinds).toContain('new_country');
      expect(kinds).toContain('impossible_travel');
      // One user per story; a spray's accounts are anyone else's.
      const stories = inst.planted.filter((p) => p.kind !== 'failed_login' && p.kind !== 'password_spray');
      expect(new Set(stories.map((p) => p.userId)).size).toBe(6);
    });

    it('leaver: in a session of their own, a user creates a token, exports datasets and shares pages', () => {
      const p = inst.planted.find((x) => x.kind === 'leaver');
      if (p?.kind !== 'leaver') throw new Error('leaver not planted');
      const spray = inst.planted.find((x) => x.kind === 'password_spray');
      const others = inst.planted.filter((x) => x !== p && x.kind !== 'failed_login');
      expect(others.map((x) => x.userId)).not.toContain(p.userId);
      expect(spray?.kind === 'password_spray' && spray.evidence.userIds).not.toContain(p.userId);
      const mine = (action: string, type: string) =>
        inst.events.filter(
          (e) => e.entry.userId === p.userId && e.entry.actionType === action && e.entry.objectType === type,
        );
      const token = mine('CREATED', 'ACCESS_TOKEN').find((e) => e.timeMs === p.timeMs);
      expect(token?.entry).toMatchObject({
        eventText: 'Access token created',
        objectId: p.evidence.token.id,
      });
      expect(p.evidence.exports.length).toBeGreaterThanOrEqual(4);
      expect(p.evidence.shares.length).toBeGreaterThanOrEqual(3);
      // Nobody else exports a whole dataset: the exports are the leaver's own, all planted.
      expect(
        inst.events.filter((e) => e.entry.actionType === 'EXPORTED' && e.entry.objectType === 'DATA_SOURCE'),
      ).toHaveLength(p.evidence.exports.length);
      expect(
        mine('SHARED', 'PAGE')
          .filter((e) => e.planted)
          .map((e) => e.entry.objectId),
      ).toEqual(p.evidence.shares.map((s) => s.id));
      // All within the week, from the address of one of the user's own sign-ins that day.
      const last = p.evidence.shares.at(-1)?.timeMs ?? 0;
      expect(p.timeMs).toBeGreaterThanOrEqual(week.startMs);
      expect(last - p.timeMs).toBeLessThan(60 * 60_000);
      expect(
        loginsOf(p.userId).some((e) => e.entry.ipAddress === p.evidence.ipAddress && e.timeMs < p.timeMs),
      ).toBe(true);
    });

    it('new_network: a long-standing user logs in from a /24 unused by them in the previous 30 days', () => {
      const p = inst.planted.find((x) => x.kind === 'new_network');
      if (p?.kind !== 'new_network') throw new Error('new_network not planted');
      const login = inst.events.find((e) => e.timeMs === p.timeMs && e.entry.userId === p.userId);
      expect(login?.entry.actionType).toBe('LOGGED_IN');
      expect(login?.entry.ipAddress).toBe(p.evidence.ipAddress);
      expect(networkOf(p.evidence.ipAddress)).toBe(p.evidence.network);
      const earlier = inst.events.filter(
        (e) => e.entry.userId === p.userId && e.timeMs < p.timeMs && e.timeMs >= p.timeMs - 30 * DAY,
      );
      const earlierDays = new Set(earlier.map((e) => Math.floor(e.timeMs / DAY)));
      expect(earlierDays.size).toBeGreaterThanOrEqual(10);
      expect(p.evidence.priorActiveDays).toBeGreaterThanOrEqual(10);
      expect(earlier.some((e) => networkOf(field(e, 'ipAddress')) === p.evidence.network)).toBe(false);
      expect(p.evidence.knownNetworks).not.toContain(p.evidence.network);
    });

    it('unusual_hour: a working-hours user logs in at about 03:00 local time from home', () => {
      const p = inst.planted.find((x) => x.kind === 'unusual_hour');
      if (p?.kind !== 'unusual_hour') throw new Error('unusual_hour not planted');
      const user = inst.users.find((u) => u.userId === p.userId);
      expect(user?.timeZone).toBe(p.evidence.timeZone);
      const login = inst.events.find((e) => e.timeMs === p.timeMs && e.entry.userId === p.userId);
      expect(login?.entry.actionType).toBe('LOGGED_IN');
      expect(networkOf(p.evidence.ipAddress)).toBe(user?.network);
      const hour = localHour(login as SimEvent, p.evidence.timeZone);
      expect(hour).toBeGreaterThanOrEqual(3);
      expect(hour).toBeLessThan(3.5);
      expect(p.evidence.localTime.startsWith('03:')).toBe(true);
      const others = loginsOf(p.userId).filter((e) => e.timeMs !== p.timeMs);
      expect(others.length).toBeGreaterThan(5);
      for (const e of others) expect(localHour(e, p.evidence.timeZone)).toBeGreaterThanOrEqual(6.5);
    });

    it('lockout_burst: 6-10 failed logins within minutes from one or two IPs, ending in a lockout', () => {
      const p = inst.planted.find((x) => x.kind === 'lockout_burst');
      if (p?.kind !== 'lockout_burst') throw new Error('lockout_burst not planted');
      const burst = inst.events.filter(
        (e) =>
          e.entry.userId === p.userId &&
          e.timeMs >= p.evidence.firstFailureMs &&
          e.timeMs <= p.evidence.lockedOutMs &&
          ['LOGIN_FAILED', 'LOCKED_OUT'].includes(field(e, 'actionType')),
      );
      const failures = burst.filter((e) => e.entry.actionType === 'LOGIN_FAILED');
      expect(failures.length).toBe(p.evidence.failedAttempts);
      expect(failures.length).toBeGreaterThanOrEqual(6);
      expect(failures.length).toBeLessThanOrEqual(10);
      expect(burst.at(-1)?.entry.actionType).toBe('LOCKED_OUT');
      expect(burst.at(-1)?.timeMs).toBe(p.timeMs);
      expect(p.evidence.lockedOutMs - p.evidence.firstFailureMs).toBeLessThan(10 * 60_000);
      const ips = new Set(failures.map((e) => field(e, 'ipAddress')));
      expect(ips.size).toBeGreaterThanOrEqual(1);
      expect(ips.size).toBeLessThanOrEqual(2);
      expect([...ips].sort()).toEqual([...p.evidence.ipAddresses].sort());
    });

    it('password_spray: one hosting address fails on 12-16 other users, once or twice each, within 10 minutes', () => {
      const p = inst.planted.find((x) => x.kind === 'password_spray');
      if (p?.kind !== 'password_spray') throw new Error('password_spray not planted');
      const failures = inst.events.filter(
        (e) => e.entry.actionType === 'LOGIN_FAILED' && e.entry.ipAddress === p.evidence.ipAddress,
      );
      expect(failures.length).toBe(p.evidence.failures);
      expect(failures[0]?.timeMs).toBe(p.evidence.firstFailureMs);
      expect(failures.at(-1)?.timeMs).toBe(p.timeMs);
      expect(failures.at(-1)?.entry.userId).toBe(p.userId);
      expect(p.timeMs - p.evidence.firstFailureMs).toBeLessThan(10 * 60_000);
      const users = new Set(failures.map((e) => field(e, 'userId')));
      expect([...users].sort()).toEqual([...p.evidence.userIds].sort());
      expect(users.size).toBeGreaterThanOrEqual(12);
      expect(users.size).toBeLessThanOrEqual(16);
      // Each account far under the failed-login burst threshold (5), none of another story's users.
      for (const user of users)
        expect(failures.filter((e) => e.entry.userId === user).length).toBeLessThanOrEqual(2);
      const stories = new Set(
        inst.planted.filter((x) => x.kind !== 'failed_login' && x !== p).map((x) => x.userId),
      );
      expect([...users].filter((u) => stories.has(u))).toEqual([]);
      const host = SIM_NETWORKS.find((n) => n.kind === 'hosting' && inBlock(p.evidence.ipAddress, n.v4));
      expect(host).toBeDefined();
    });

    it('new_country: a trip abroad, with flights long enough that it is never impossible travel', () => {
      const p = inst.planted.find((x) => x.kind === 'new_country');
      if (p?.kind !== 'new_country') throw new Error('new_country not planted');
      expect(p.evidence.country).not.toBe(p.evidence.homeCountry);
      expect(p.findings).toEqual(['new_country', 'new_network']);
      const logins = loginsOf(p.userId);
      const abroad = logins.filter((e) => e.planted === true);
      expect(abroad.map((e) => field(e, 'ipAddress'))).toEqual([p.evidence.ipAddress, p.evidence.ipAddress]);
      expect(abroad[0]?.timeMs).toBe(p.timeMs);
      const km = countryDistanceKm(p.evidence.homeCountry, p.evidence.country) as number;
      const before = logins.filter((e) => e.timeMs < p.timeMs).at(-1) as SimEvent;
      const after = logins.find((e) => e.timeMs > (abroad[1] as SimEvent).timeMs) as SimEvent;
      expect(p.timeMs - before.timeMs).toBeGreaterThan((km / 1000) * 3_600_000);
      expect(after.timeMs - (abroad[1] as SimEvent).timeMs).toBeGreaterThan((km / 1000) * 3_600_000);
    });

    it('impossible_travel: minutes after a sign-in at home, one from a distant cloud host or VPN exit', () => {
      const p = inst.planted.find((x) => x.kind === 'impossible_travel');
      if (p?.kind !== 'impossible_travel') throw new Error('impossible_travel not planted');
      expect(p.findings.slice(0, 2)).toEqual(['impossible_travel', 'new_country']);
      const logins = loginsOf(p.userId);
      const i = logins.findIndex((e) => e.timeMs === p.timeMs);
      expect(logins[i - 1]?.timeMs).toBe(p.evidence.previousMs);
      const hours = (p.timeMs - p.evidence.previousMs) / 3_600_000;
      expect(hours).toBeLessThanOrEqual(1.5);
      expect(p.evidence.distanceKm).toBeGreaterThan(3 * 1000 * hours);
      // The user's own next sign-in leaves time for the journey back: one alert, not two.
      const next = logins[i + 1];
      if (next) expect(next.timeMs - p.timeMs).toBeGreaterThanOrEqual(20 * 3_600_000);
    });

    it('adds a few scattered single failed logins, each followed by a successful login', () => {
      const singles = inst.planted.filter((x) => x.kind === 'failed_login');
      expect(singles.length).toBeGreaterThanOrEqual(3);
      for (const p of singles) {
        if (p.kind !== 'failed_login') continue;
        const failed = inst.events.find((e) => e.timeMs === p.timeMs && e.entry.userId === p.userId);
        expect(failed?.entry.actionType).toBe('LOGIN_FAILED');
        const login = inst.events.find((e) => e.timeMs === p.evidence.loginMs && e.entry.userId === p.userId);
        expect(login?.entry.actionType).toBe('LOGGED_IN');
        expect(login?.entry.ipAddress).toBe(p.evidence.ipAddress);
      }
      const allFailures = inst.events.filter((e) => e.entry.actionType === 'LOGIN_FAILED').length;
      const burst = inst.planted.find((x) => x.kind === 'lockout_burst');
      const spray = inst.planted.find((x) => x.kind === 'password_spray');
      expect(allFailures).toBe(
        singles.length +
          (burst?.kind === 'lockout_burst' ? burst.evidence.failedAttempts : 0) +
          (spray?.kind === 'password_spray' ? spray.evidence.failures : 0),
      );
    });

    it('plants nothing, and no failed logins or lockouts, when plantPatterns is false', () => {
      const clean = generateInstance({
        seed: 'lake-test',
        fromMs: toMs - 10 * DAY,
        toMs,
        users: 12,
        plantPatterns: false,
      });
      expect(clean.planted).toEqual([]);
      expect(clean.events.some((e) => ['LOGIN_FAILED', 'LOCKED_OUT'].includes(field(e, 'actionType')))).toBe(
        false,
      );
    });

    it('falls back to the last seven days when the range holds no full week', () => {
      const from = Date.parse('2026-11-18T00:00:00Z');
      const to = Date.parse('2026-11-21T12:00:00Z');
      expect(plantingWeek(from, to)).toEqual({ startMs: from, endMs: to });
      const short = generateInstance({ seed: 3, fromMs: from, toMs: to, users: 6 });
      for (const p of short.planted) {
        expect(p.timeMs).toBeGreaterThanOrEqual(from);
        expect(p.timeMs).toBeLessThan(to);
      }
    });
  });

  it('rejects an empty range and bad counts with a clear message', () => {
    expect(() => generateInstance({ seed: 1, fromMs: toMs, toMs })).toThrow(/fromMs < toMs/);
    expect(() => generateInstance({ seed: 1, fromMs, toMs, users: 0 })).toThrow(
      /users must be a positive integer/,
    );
  });
});
