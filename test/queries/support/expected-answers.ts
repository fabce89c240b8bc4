/**
 * The answer of every catalog query, computed in plain TypeScript from the lake's records: the
 * independent side of the known-answer tests. Nothing here runs SQL or reuses the queries' logic;
 * it follows the contract (each query's section of docs/queries.md, "The queries") with loops and
 * maps.
 */

import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectLoginsAfterFailures } from '../../../functions/core/alerts/detect-login-after-failures.ts';
import { detectLoginsAfterSprays } from '../../../functions/core/alerts/detect-login-after-spray.ts';
import { signInsOf } from '../../../functions/core/alerts/evaluate-hours.ts';
import { addressKey, failureAddressKey } from '../../../functions/core/alerts/ip-network.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { sprayGroupOf } from '../../../functions/core/alerts/spray-groups.ts';
import { userIdOf } from '../../../functions/core/alerts/user-id.ts';
import { COUNTRY_POINTS } from '../../../functions/core/geo/country-points.ts';
import { isPublicIpv4 } from '../../../functions/core/geo/ip-address.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import type { QueryRow } from '../../../functions/core/ports.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../functions/core/queries/alert-settings.ts';
import { FAILED_ADDRESS_ROWS, FAILED_LOGIN_ROWS } from '../../../functions/core/report/report-model.ts';
import { sqlUpper } from '../../../functions/core/sql-upper.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { LOGIN_ACTIONS } from '../../../functions/simulator/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const parseTs = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

/** Byte-order comparison of ASCII-ish strings, nulls last (the engines' default ordering). */
const cmp = (a: string | null, b: string | null): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
};

export interface Period {
  instance: string;
  fromMs: number;
  toMs: number;
}

const inPeriod = (e: EventRecord, from: number, to: number) =>
  e.event_time_ms >= from && e.event_time_ms < to;

/** The latest non-null value of `field` by (time, event id): how the queries name users, cards, pages. */
function latest(events: readonly EventRecord[], field: 'user_name' | 'object_name'): string | null {
  let best: EventRecord | undefined;
  for (const e of events) {
    if (e[field] === null) continue;
    if (
      !best ||
      e.event_time_ms > best.event_time_ms ||
      (e.event_time_ms === best.event_time_ms && e.event_id > best.event_id)
    ) {
      best = e;
    }
  }
  return best ? best[field] : null;
}

function groupBy<T, K>(events: readonly T[], key: (e: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const e of events) {
    const k = key(e);
    const list = groups.get(k);
    if (list) list.push(e);
    else groups.set(k, [e]);
  }
  return groups;
}

const objectKey = (e: EventRecord): string | undefined =>
  e.object_id === null ? undefined : `${e.object_type ?? ''}:${e.object_id}`;

const distinct = <T>(values: Iterable<T | undefined | null>): number =>
  new Set([...values].filter((v) => v !== undefined && v !== null)).size;

/** The user ids of `events` that name a user ({@link namesUser}): how the queries count users. */
const usersOf = (events: readonly EventRecord[]): string[] => events.map((e) => e.user_id).filter(namesUser);

export function mostActiveUsers(
  all: readonly EventRecord[],
  p: Period,
  limit: number,
  timeZone = 'UTC',
): QueryRow[] {
  const events = all.filter((e) => inPeriod(e, p.fromMs, p.toMs) && namesUser(e.user_id));
  const rows = [...groupBy(events, (e) => e.user_id as string)].map(([userId, list]) => ({
    user_id: userId,
    user_name: latest(list, 'user_name'),
    events: list.length,
    distinct_objects: distinct(list.map(objectKey)),
    active_days: distinct(list.map((e) => localParts(e.event_time_ms, timeZone).date)),
    logins: list.filter((e) => e.category === 'login').length,
    last_seen: ts(Math.max(...list.map((e) => e.event_time_ms))),
  }));
  rows.sort((a, b) => b.events - a.events || cmp(a.user_id, b.user_id));
  return rows.slice(0, limit);
}

function views(all: readonly EventRecord[], objectType: string, from: number, to: number) {
  return all.filter(
    (e) =>
      inPeriod(e, from, to) &&
      sqlUpper(e.object_type ?? '') === objectType &&
      sqlUpper(e.action_type ?? '') === 'VIEWED' &&
      e.object_id !== null,
  );
}

export function trendingCards(all: readonly EventRecord[], p: Period, limit: number): QueryRow[] {
  const length = p.toMs - p.fromMs;
  const cards = groupBy(views(all, 'CARD', p.fromMs - length, p.toMs), (e) => e.object_id as string);
  const rows = [...cards]
    .map(([cardId, list]) => {
      const current = list.filter((e) => e.event_time_ms >= p.fromMs).length;
      const previous = list.length - current;
      const change = current - previous;
      return {
        card_id: cardId,
        card_name: latest(list, 'object_name'),
        views: current,
        previous_views: previous,
        change,
        change_pct: previous === 0 ? null : (100 * change) / previous,
        rank: 0,
      };
    })
    .filter((row) => row.views > 0)
    .sort((a, b) => b.views - a.views || cmp(a.card_id, b.card_id));
  rows.forEach((row, i) => {
    row.rank = i + 1;
  });
  return rows.slice(0, limit);
}

export function popularPages(all: readonly EventRecord[], p: Period, limit: number): QueryRow[] {
  const pages = groupBy(views(all, 'PAGE', p.fromMs, p.toMs), (e) => e.object_id as string);
  return [...pages]
    .map(([pageId, list]) => ({
      page_id: pageId,
      page_name: latest(list, 'object_name'),
      views: list.length,
      viewers: distinct(usersOf(list)),
    }))
    .sort((a, b) => b.views - a.views || cmp(a.page_id, b.page_id))
    .slice(0, limit)
    .map((row, i) => ({ ...row, rank: i + 1 }));
}

export function failedLoginsAndLockouts(all: readonly EventRecord[], p: Period): QueryRow[] {
  const failures = all.filter(
    (e) => inPeriod(e, p.fromMs, p.toMs) && (e.category === 'login_failed' || e.category === 'lockout'),
  );
  // An id naming no one ({@link namesUser}) is none: such failures are grouped by the name typed.
  const groups = groupBy(failures, (e) => (namesUser(e.user_id) ? `id:${e.user_id}` : `name:${e.user_name}`));
  const maxTime = (list: EventRecord[]) =>
    list.length === 0 ? null : ts(Math.max(...list.map((e) => e.event_time_ms)));
  const ipsOf = (list: EventRecord[]) =>
    distinct(list.map((e) => (e.ip_address === null ? null : sprayKeyOf(e.ip_address) || null)));
  // The first 3 keys in text order (all ASCII: code units order them as SQL does), unit-separated.
  const firstIpsOf = (list: EventRecord[]) => {
    const keys = [...new Set(list.map((e) => (e.ip_address === null ? '' : sprayKeyOf(e.ip_address))))]
      .filter((k) => k !== '')
      .sort();
    return keys.length === 0 ? null : keys.slice(0, 3).join('\u001f');
  };
  // Every row carries the count of all rows and the figures of the failures without a user id.
  const noUser = failures.filter((e) => !namesUser(e.user_id));
  const noUserFailed = noUser.filter((e) => e.category === 'login_failed');
  const figures = {
    total_rows: groups.size,
    no_user_names: [...groups.keys()].filter((k) => k.startsWith('name:')).length,
    no_user_failures: noUserFailed.length,
    no_user_ips: ipsOf(noUser),
    no_user_first_failure:
      noUserFailed.length === 0 ? null : ts(Math.min(...noUserFailed.map((e) => e.event_time_ms))),
    no_user_last_failure: maxTime(noUserFailed),
  };
  return [...groups.values()]
    .map((list) => {
      const failed = list.filter((e) => e.category === 'login_failed');
      const lockouts = list.filter((e) => e.category === 'lockout');
      return {
        user_id: namesUser(list[0]?.user_id ?? null) ? (list[0]?.user_id ?? null) : null,
        user_name: latest(list, 'user_name'),
        failed_attempts: failed.length,
        lockouts: lockouts.length,
        // One client however its list is written: the key failed_logins_by_ip groups by; an
        // address of white space only (key '') is none.
        distinct_ips: ipsOf(list),
        ips: firstIpsOf(list),
        first_failure: failed.length === 0 ? null : ts(Math.min(...failed.map((e) => e.event_time_ms))),
        last_failure: maxTime(failed),
        last_lockout: maxTime(lockouts),
        ...figures,
      };
    })
    .sort(
      (a, b) =>
        b.lockouts - a.lockouts ||
        b.failed_attempts - a.failed_attempts ||
        cmp(a.user_id, b.user_id) ||
        cmp(a.user_name, b.user_name),
    )
    .slice(0, FAILED_LOGIN_ROWS);
}

/** The latest failure (by time, event id) whose `field` is set: where the row says the address is. */
function latestWith(
  events: readonly EventRecord[],
  field: 'ip_country' | 'ip_asn' | 'ip_address',
): EventRecord | undefined {
  let best: EventRecord | undefined;
  for (const e of events) {
    if (e[field] === null || e[field] === undefined) continue;
    const key = `${String(e.event_time_ms).padStart(15, '0')}${e.event_id}`;
    const bestKey = best ? `${String(best.event_time_ms).padStart(15, '0')}${best.event_id}` : '';
    if (!best || key > bestKey) best = e;
  }
  return best;
}

/**
 * Addresses whose failed sign-ins name at least 5 distinct users (the id, or the name when the id
 * names no one: {@link namesUser}).
 */
export function failedLoginsByIp(all: readonly EventRecord[], p: Period): QueryRow[] {
  const failures = all.filter(
    (e) => inPeriod(e, p.fromMs, p.toMs) && e.category === 'login_failed' && e.ip_address !== null,
  );
  const userKey = (e: EventRecord) =>
    namesUser(e.user_id) ? `id ${e.user_id}` : e.user_name !== null ? `name ${e.user_name}` : null;
  const key = (e: EventRecord) => sprayKeyOf(e.ip_address ?? '');
  return [...groupBy(failures, key)]
    .filter(([ip]) => ip !== '')
    .map(([ip, list]) => {
      const placed = latestWith(list, 'ip_country');
      const owned = latestWith(list, 'ip_asn');
      const times = list.map((e) => e.event_time_ms);
      return {
        ip,
        ip_address: latestWith(list, 'ip_address')?.ip_address ?? null,
        users: distinct(list.map(userKey)),
        failed_attempts: list.length,
        first_failure: ts(times.reduce((a, b) => Math.min(a, b))),
        last_failure: ts(times.reduce((a, b) => Math.max(a, b))),
        country: placed?.ip_country ?? null,
        asn: owned?.ip_asn ?? null,
        org: owned?.ip_org ?? null,
      };
    })
    .filter((r) => r.users >= 5)
    .sort((a, b) => b.users - a.users || b.failed_attempts - a.failed_attempts || cmp(a.ip, b.ip))
    .map(({ ip, ...row }, _, all) => ({ ...row, total_rows: all.length }))
    .slice(0, FAILED_ADDRESS_ROWS);
}

const localFormats = new Map<string, Intl.DateTimeFormat>();
/** Parts already read, by zone and instant: the same sign-ins are read again for every period and zone. */
const localPartsRead = new Map<string, Map<number, LocalParts>>();

interface LocalParts {
  date: string;
  hour: number;
  minute: number;
  second: number;
  /** The zone's offset then, `-04:00` (`+00:00` for none), from the formatter's `GMT-04:00`. */
  offset: string;
}

/** ` -04:00` after a local time of the evidence, nothing in UTC (which names its offset itself). */
const offsetAfter = (parts: LocalParts, timeZone: string): string =>
  timeZone === 'UTC' || timeZone === 'Etc/UTC' ? '' : ` ${parts.offset}`;

/** Wall-clock parts of an instant in an IANA zone, from the platform's zone data (not SQL). */
export function localParts(ms: number, timeZone: string): LocalParts {
  let read = localPartsRead.get(timeZone);
  if (!read) {
    read = new Map();
    localPartsRead.set(timeZone, read);
  }
  let parts = read.get(ms);
  if (!parts) {
    parts = formatLocalParts(ms, timeZone);
    read.set(ms, parts);
  }
  // A copy: a caller may change what it is given.
  return { ...parts };
}

function formatLocalParts(ms: number, timeZone: string): LocalParts {
  // Building a formatter costs ~100 times formatting with one: the 1,000-user geo test reads ~38,000 logins.
  let format = localFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    localFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    offset: get('timeZoneName').replace(/^GMT$/, 'GMT+00:00').slice('GMT'.length),
  };
}

export function dailyActivity(
  all: readonly EventRecord[],
  manifests: readonly CoverageManifest[],
  p: Period,
  timeZone: string,
): QueryRow[] {
  const events = all.filter((e) => inPeriod(e, p.fromMs, p.toMs));
  const byDay = groupBy(events, (e) => localParts(e.event_time_ms, timeZone).date);
  // Covered hours count on the local day their window starts in; a day with either gets a row.
  const coveredByDay = new Map<string, Set<number>>();
  for (const m of manifests) {
    if (m.window_start_ms < p.fromMs || m.window_start_ms >= p.toMs) continue;
    const day = localParts(m.window_start_ms, timeZone).date;
    coveredByDay.set(day, (coveredByDay.get(day) ?? new Set()).add(m.window_start_ms));
  }
  // Whole covered hours holding fewer events than their manifests counted, by the day they start in.
  const shortByDay = new Map<string, number[]>();
  for (const m of manifests) {
    if (m.window_start_ms < p.fromMs || m.window_start_ms + HOUR > p.toMs) continue;
    const gone = m.event_count - events.filter((e) => e.window_start_ms === m.window_start_ms).length;
    if (gone <= 0) continue;
    const day = localParts(m.window_start_ms, timeZone).date;
    shortByDay.set(day, [...(shortByDay.get(day) ?? []), gone]);
  }
  const days = [...new Set([...byDay.keys(), ...coveredByDay.keys()])];
  return days
    .map((day) => {
      const list = byDay.get(day) ?? [];
      return {
        day,
        events: list.length,
        active_users: distinct(usersOf(list)),
        logins: list.filter((e) => e.category === 'login').length,
        failed_logins: list.filter((e) => e.category === 'login_failed').length,
        lockouts: list.filter((e) => e.category === 'lockout').length,
        covered_hours: coveredByDay.get(day)?.size ?? 0,
        short_hours: shortByDay.get(day)?.length ?? 0,
        short_events: (shortByDay.get(day) ?? []).reduce((sum, gone) => sum + gone, 0),
      };
    })
    .sort((a, b) => cmp(a.day, b.day));
}

export function periodTotals(all: readonly EventRecord[], p: Period): QueryRow[] {
  const events = all.filter((e) => inPeriod(e, p.fromMs, p.toMs));
  return [
    {
      events: events.length,
      active_users: distinct(usersOf(events)),
      logins: events.filter((e) => e.category === 'login').length,
      failed_logins: events.filter((e) => e.category === 'login_failed').length,
      lockouts: events.filter((e) => e.category === 'lockout').length,
      distinct_objects: distinct(events.map(objectKey)),
    },
  ];
}

/**
 * The /24 (IPv4, also IPv4-mapped IPv6) or /48 (IPv6) of an address, written the way the query
 * writes it (`a.b.c.0/24`, hextets without leading zeros then `::/48`), or null when the address
 * is missing or not an address (every group 1-4 hex digits, a dotted quad of octets 0-255 only
 * last), and for the unspecified and loopback addresses: IPv4 0.0.0.0/8 and 127.0.0.0/8, IPv6
 * 0:0:0::/48 (`::`, `::1`). A straightforward expand-then-cut parser.
 */
export function networkOf(address: string | null): string | null {
  if (address === null) return null;
  const client = clientEntryOf(address);
  if (client.list && client.key === null) return null;
  return entryNetworkOf(client.entry);
}

/** {@link networkOf} of one entry, whitespace, brackets and port gone. */
function entryNetworkOf(ip: string): string | null {
  if (!ip.includes(':') || ip.startsWith('::ffff:')) {
    const v4 = v4Network(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
    if (v4 !== undefined || !ip.includes(':')) return v4 ?? null;
  }
  const groups = expandedGroups(ip);
  if (groups === undefined) return null;
  const mapped = mappedNetwork(groups);
  if (mapped !== undefined) return mapped;
  const first = groups.slice(0, 3);
  if (first.every((g) => Number.parseInt(g, 16) === 0)) return null;
  return `${first.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
}

/** The /24 of a dotted quad as written (null for 0.x and 127.x), undefined when it is not one. */
function v4Network(text: string): string | null | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
  return ['0', '127'].includes(String(Number(octets[0]))) ? null : `${octets.slice(0, 3).join('.')}.0/24`;
}

/** An IPv6 address's eight groups as written (a dotted quad kept as one string), or undefined. */
function expandedGroups(ip: string): string[] | undefined {
  if (!/^[0-9a-f:.]+$/.test(ip)) return undefined;
  const count = (part: string) => (part === '' ? [] : part.split(':'));
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = count(halves[0] ?? '');
  const tail = count(halves[1] ?? '');
  const all = [...head, ...tail];
  const hex = (g: string) => /^[0-9a-f]{1,4}$/.test(g);
  // Only the very last group may be a dotted quad, standing for two hextets.
  const last = halves.length === 1 || tail.length > 0 ? (all[all.length - 1] ?? '') : '';
  const quad = last.includes('.');
  if (quad && v4Network(last) === undefined) return undefined;
  if (!all.every((g, i) => hex(g) || (quad && i === all.length - 1))) return undefined;
  const width = (groups: string[]) => groups.length + (groups.some((g) => g.includes('.')) ? 1 : 0);
  if (halves.length === 1) return width(head) === 8 ? head : undefined;
  const zeros = 8 - width(head) - width(tail);
  if (zeros < 1) return undefined;
  return [...head, ...Array<string>(zeros).fill('0'), ...tail];
}

/**
 * The /24 of an IPv4-mapped address's expanded groups (five zeros, ffff, then a dotted quad or two
 * hex groups), or undefined for any other address; null for a mapped 0.x or 127.x.
 */
function mappedNetwork(groups: readonly string[]): string | null | undefined {
  const zero = (g: string | undefined) => g !== undefined && /^0{1,4}$/.test(g);
  if (!groups.slice(0, 5).every(zero) || groups[5] !== 'ffff') return undefined;
  const rest = groups.slice(6);
  if (rest.length === 1) return v4Network(rest[0] ?? '');
  if (rest.length !== 2) return undefined;
  const [high, low] = rest.map((g) => Number.parseInt(g, 16)) as [number, number];
  return v4Network(`${high >> 8}.${high & 255}.${low >> 8}.0`);
}

export interface SuspiciousOptions {
  timeZone: string;
  historyFromMs: number;
  minHistoryLogins: number;
  /** Default 1000. */
  maxSpeedKmh?: number;
}

/** The options `standardParams` gives the query for a period starting at `fromMs`: 30 days of history, 10 logins, 1,000 km/h. */
export const standardSuspiciousOptions = (fromMs: number, timeZone = 'UTC'): SuspiciousOptions => ({
  timeZone,
  historyFromMs: fromMs - 30 * DAY,
  minHistoryLogins: 10,
  maxSpeedKmh: 1000,
});

/** Haversine distance between two countries' reference points, km (undefined without a point). */
function distanceKm(from: string, to: string): number | undefined {
  const a = COUNTRY_POINTS[from];
  const b = COUNTRY_POINTS[to];
  if (!a || !b) return undefined;
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const h =
    Math.sin(rad(b[0] - a[0]) / 2) ** 2 +
    Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const hhmm = (hour: number, minute: number) =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** The most frequent country of `logins` (ties: smallest code) and how often it appears. */
function topCountry(logins: readonly EventRecord[]): [string, number] {
  const counts = new Map<string, number>();
  for (const e of logins) counts.set(e.ip_country as string, (counts.get(e.ip_country as string) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]))[0] as [string, number];
}

/**
 * The client entry of an address text, read entry by entry (docs/queries.md "Geo columns"): A-Z
 * lower-cased, split at commas, each entry without the ASCII whitespace around it; empty entries
 * and private or reserved IPv4 addresses (written without leading zeros, maybe with a port; the
 * geo lookup's own isPublicIpv4 says which) are passed over unless last; `[v6]`, `[v6]:port` and
 * `a.b.c.d:port` read as their address. Its key: a public IPv4 address (also as `::ffff:a.b.c.d`),
 * or an IPv6 address of 2000::/3 written with four digits first, not 6to4, Teredo or documentation.
 */
export function clientEntryOf(address: string): { entry: string; key: string | null; list: boolean } {
  const entries = address.replace(/[A-Z]/g, (c) => c.toLowerCase()).split(',');
  let i = 0;
  while (i < entries.length - 1 && passedOver(entries[i] as string)) i++;
  const entry = stripped(addressText(entries[i] as string));
  return { entry, key: keyOf(entry), list: entries.length > 1 };
}

/**
 * The address failures are grouped by (failed_logins_by_ip, the alerts' password_spray): the key
 * of the first entry of the list that has one, wherever it stands (each entry read as the client
 * entry is: without whitespace, IPv6 brackets and port); else the whole text without the ASCII
 * white space around it, A-Z lower-cased; '' (no address) for a text without a dot or a colon.
 */
export function sprayKeyOf(address: string): string {
  for (const raw of address.replace(/[A-Z]/g, (c) => c.toLowerCase()).split(',')) {
    const key = keyOf(stripped(addressText(raw)));
    if (key !== null) return key.includes(':') ? network64Of(key) : key;
  }
  return withoutAddress(address) ? '' : addressText(address);
}

/**
 * Whether a sign-in or failure came without an address: none, or a text no address can be
 * written as, one without a dot or a colon (`""`, `unknown`, `-`, white space).
 */
export function withoutAddress(address: string | null): boolean {
  return address === null || !/[.:]/.test(address);
}

/** An IPv6 key's /64 (`2a00:1450:4001:81c::/64`): its first four groups as numbers, in hex. */
function network64Of(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const heads = head.split(':');
  const tails = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...heads, ...Array(8 - heads.length - tails.length).fill('0'), ...tails];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

const ASCII_SPACE = /[ \t\n\r\f]/;
const isPortText = (t: string) => /^[0-9]{1,5}$/.test(t) && Number(t) <= 65535;

/** `[v6]`, `[v6]:port` and `a.b.c.d:port` as their address; anything else as it is. */
function stripped(entry: string): string {
  const close = entry.startsWith('[') ? entry.indexOf(']') : -1;
  const rest = entry.slice(close + 1);
  // Brackets hold an IPv6 address only (the geo lookup reads `[80.150.1.2]` as none).
  const inside = entry.slice(1, close);
  if (
    close > 0 &&
    inside.includes(':') &&
    (rest === '' || (rest.startsWith(':') && isPortText(rest.slice(1))))
  ) {
    return entry.slice(1, close);
  }
  const parts = entry.split(':');
  return parts.length === 2 && isPortText(parts[1] as string) ? (parts[0] as string) : entry;
}

/** A dotted quad without leading zeros, as a number; undefined for anything else. */
function canonicalV4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255)) {
    return undefined;
  }
  return octets.reduce((n, o) => n * 256 + Number(o), 0);
}

function passedOver(raw: string): boolean {
  const entry = addressText(raw);
  // No address is written without a dot or a colon (`unknown`, junk): the geo lookup passes over it.
  if (!/[.:]/.test(entry)) return true;
  if (ASCII_SPACE.test(entry) || entry.startsWith('[')) return false;
  const v4 = canonicalV4(stripped(entry));
  return v4 !== undefined && !isPublicIpv4(v4);
}

function keyOf(entry: string): string | null {
  const text = entry.startsWith('::ffff:') ? entry.slice(7) : entry;
  const v4 = canonicalV4(text);
  if (v4 !== undefined) return isPublicIpv4(v4) ? text : null;
  if (!/^[23][0-9a-f]{3}:[0-9a-f:]*$/.test(entry) || !hexGroupsOnly(entry)) return null;
  const [first, second] = entry.split(':');
  if (first === '2002' || first === '3fff') return null;
  if (first === '2001' && (/^0*$/.test(second ?? '') || /^0?db8$/.test(second ?? ''))) return null;
  return entry;
}

/** Eight hex groups of 1-4 digits, or fewer with one `::` standing for at least one zero group. */
function hexGroupsOnly(ip: string): boolean {
  const halves = ip.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!groups.flat().every((g) => /^[0-9a-f]{1,4}$/.test(g))) return false;
  const count = groups.flat().length;
  return halves.length === 1 ? count === 8 : count <= 7;
}

/** Whether two sign-ins are from the same address: their client entries' keys are one. */
const sameAddress = (a: string | null, b: string | null): boolean => {
  const key = a === null ? null : clientEntryOf(a).key;
  return key !== null && b !== null && key === clientEntryOf(b).key;
};
const addressText = (a: string) =>
  a
    .replace(/^[ \t\n\r\f]+/, '')
    .replace(/[ \t\n\r\f]+$/, '')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());

/** What one user's logins before the period say is usual for them. */
interface UsualLogins {
  history: EventRecord[];
  placedHistory: EventRecord[];
  countries: Set<string | null>;
  owners: Set<number | string | null>;
  knownOwners: number;
  atHour: Map<number, number>;
  /** Whether the user signed in from this address before the period (no new place, whatever it is placed in now). */
  knownAddress(address: string | null): boolean;
}

function usualLogins(mine: readonly EventRecord[], p: Period, o: SuspiciousOptions): UsualLogins {
  const history = mine.filter((e) => e.event_time_ms < p.fromMs);
  const placedHistory = history.filter((e) => e.ip_country !== null);
  const owners = new Set(placedHistory.filter((e) => e.ip_asn !== null).map((e) => e.ip_asn));
  const atHour = new Map<number, number>();
  for (const e of history) {
    const hour = localParts(e.event_time_ms, o.timeZone).hour;
    atHour.set(hour, (atHour.get(hour) ?? 0) + 1);
  }
  return {
    history,
    placedHistory,
    countries: new Set(placedHistory.map((e) => e.ip_country)),
    owners,
    knownOwners: owners.size,
    atHour,
    // Placed ones only: an unplaced sign-in (a geo outage) was never judged.
    knownAddress: (address) => placedHistory.some((e) => sameAddress(e.ip_address, address)),
  };
}

type Finding = (reason: string, evidence: string) => QueryRow;

const findingOf =
  (e: EventRecord, localHour: number): Finding =>
  (reason, evidence) => ({
    event_time: ts(e.event_time_ms),
    user_id: e.user_id,
    user_name: e.user_name,
    reason,
    ip_address: e.ip_address,
    country: e.ip_country,
    asn: e.ip_asn,
    org: e.ip_org,
    network: networkOf(e.ip_address),
    local_hour: localHour,
    evidence,
  });

/**
 * How much history `logins` (the placed history for the place findings, all of it for an unusual
 * hour) cover: the window (`30 days`, `whole`) when the first falls in the window's first day, else
 * whole days (or hours) from that sign-in's UTC hour to the period's start, `of history`.
 */
function historySpan(
  logins: readonly EventRecord[],
  p: Period,
  days: number,
): { text: string; whole: boolean } {
  const first = Math.min(...logins.map((e) => e.event_time_ms));
  const hours = Math.floor((p.fromMs - (first - (first % HOUR))) / HOUR);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} of history`;
  if (hours > (days - 1) * 24) return { text: `${days} days`, whole: true };
  return { text: hours >= 24 ? unit(Math.floor(hours / 24), 'day') : unit(hours, 'hour'), whole: false };
}

function newCountry(e: EventRecord, u: UsualLogins, o: SuspiciousOptions, span: () => string, row: Finding) {
  if (u.countries.has(e.ip_country) || u.placedHistory.length < o.minHistoryLogins) return undefined;
  u.countries.add(e.ip_country);
  if (u.knownAddress(e.ip_address)) return undefined;
  const [top, topLogins] = topCountry(u.placedHistory);
  return row(
    'new_country',
    `first login from ${e.ip_country} in ${span()}; previous: ${top} (${topLogins} login${topLogins === 1 ? '' : 's'})`,
  );
}

/** A new owner needs a known one and, as a new country, `minHistoryLogins` placed history sign-ins. */
function newNetwork(e: EventRecord, u: UsualLogins, o: SuspiciousOptions, span: () => string, row: Finding) {
  if (e.ip_asn === null || u.knownOwners === 0 || u.placedHistory.length < o.minHistoryLogins)
    return undefined;
  if (u.owners.has(e.ip_asn)) return undefined;
  u.owners.add(e.ip_asn);
  if (u.knownAddress(e.ip_address)) return undefined;
  const net = networkOf(e.ip_address);
  const known = `${u.knownOwners} owner${u.knownOwners === 1 ? '' : 's'} known`;
  return row(
    'new_network',
    `first login from network owner AS${e.ip_asn} (${e.ip_org ?? 'unknown'}) in ${span()}; ${known}${net === null ? '' : `; network ${net}`}`,
  );
}

/** The previous sign-in is written on the clock of `timeZone`, as every other local time. */
function impossibleTravel(
  e: EventRecord,
  previous: EventRecord | undefined,
  speed: number,
  timeZone: string,
  row: Finding,
) {
  if (!previous || previous.ip_country === e.ip_country) return undefined;
  if (sameAddress(previous.ip_address, e.ip_address)) return undefined;
  const km = distanceKm(previous.ip_country as string, e.ip_country as string);
  const hours = (e.event_time_ms - previous.event_time_ms) / HOUR;
  if (km === undefined || km <= speed * hours) return undefined;
  const before = localParts(previous.event_time_ms, timeZone);
  return row(
    'impossible_travel',
    `${previous.ip_country} to ${e.ip_country}: ${Math.round(km)} km in ${Math.round(hours * 60)} min; previous login ${before.date} ${hhmm(before.hour, before.minute)}${offsetAfter(before, timeZone)} ${timeZone} from ${previous.ip_address ?? '?'}`,
  );
}

/** Its evidence says how much history there was, as the place findings' does, from the first history sign-in of any kind. */
function unusualHour(
  local: LocalParts,
  u: UsualLogins,
  o: SuspiciousOptions,
  span: { text: string; whole: boolean },
  row: Finding,
) {
  let near = 0;
  for (let offset = -2; offset <= 2; offset++) near += u.atHour.get((local.hour + offset + 24) % 24) ?? 0;
  const hh = (hour: number) => String((hour + 24) % 24).padStart(2, '0');
  if (u.history.length < o.minHistoryLogins || near * 20 > u.history.length) return undefined;
  const history = span.whole ? `the previous ${span.text}` : span.text;
  return row(
    'unusual_hour',
    `login at ${hhmm(local.hour, local.minute)}${offsetAfter(local, o.timeZone)} ${o.timeZone}; ${near} of ${u.history.length} logins in ${history} ${near === 1 ? 'was' : 'were'} in the hours ${hh(local.hour - 2)}:00 to ${hh(local.hour + 2)}:59`,
  );
}

/** One user's findings in the period, in the order the checks run. */
function userFindings(
  mine: readonly EventRecord[],
  p: Period,
  o: SuspiciousOptions,
  days: number,
): QueryRow[] {
  const u = usualLogins(mine, p, o);
  const span = () => historySpan(u.placedHistory, p, days).text;
  const speed = o.maxSpeedKmh ?? 1000;
  const rows: (QueryRow | undefined)[] = [];
  let previous: EventRecord | undefined;
  for (const e of mine) {
    const placed = e.ip_country !== null;
    const inWeek = e.event_time_ms >= p.fromMs;
    const local = localParts(e.event_time_ms, o.timeZone);
    const row = findingOf(e, local.hour);
    if (inWeek && placed) {
      rows.push(
        newCountry(e, u, o, span, row),
        newNetwork(e, u, o, span, row),
        impossibleTravel(e, previous, speed, o.timeZone, row),
      );
    }
    if (placed) previous = e;
    if (inWeek && u.history.length > 0)
      rows.push(unusualHour(local, u, o, historySpan(u.history, p, days), row));
  }
  return rows.filter((r): r is QueryRow => r !== undefined);
}

/** Whether an id names a user: Domo writes 0 for none; white space (ASCII) around it is none too. */
export const namesUser = (id: string | null): id is string =>
  id !== null && !['', '0'].includes(id.replace(/[ \t\n\r\f]/g, ''));

export function suspiciousLogins(all: readonly EventRecord[], p: Period, o: SuspiciousOptions): QueryRow[] {
  const logins = all
    .filter((e) => e.category === 'login' && namesUser(e.user_id))
    .filter((e) => inPeriod(e, o.historyFromMs, p.toMs))
    .sort((a, b) => a.event_time_ms - b.event_time_ms || cmp(a.event_id, b.event_id));
  const days = Math.floor((p.fromMs - o.historyFromMs) / DAY);
  const rows = [...groupBy(logins, (e) => e.user_id as string).values()].flatMap((mine) =>
    userFindings(mine, p, o, days),
  );
  const byTime = (a: QueryRow, b: QueryRow) =>
    cmp(a.event_time as string, b.event_time as string) ||
    cmp(a.user_id as string, b.user_id as string) ||
    cmp(a.reason as string, b.reason as string);
  rows.sort(byTime);
  // The first of each user's rows of each reason, then the seconds, and so on; in all, at most 1,000.
  const nth = new Map<QueryRow, number>();
  const kinds = groupBy(rows, (r) => `${r.user_id} ${r.reason}`);
  for (const kind of kinds.values()) {
    for (const [i, r] of kind.entries()) nth.set(r, i);
  }
  const seen = new Set(rows.map((r) => JSON.stringify([r.event_time, r.user_id, r.ip_address])));
  return rows
    .sort((a, b) => (nth.get(a) ?? 0) - (nth.get(b) ?? 0) || byTime(a, b))
    .slice(0, 1000)
    .map((r) => ({
      ...r,
      user_reason_rows: kinds.get(`${r.user_id} ${r.reason}`)?.length ?? 0,
      total_rows: rows.length,
      total_logins: seen.size,
    }));
}

/**
 * The period's users with a sign-in, and those of them with fewer than `minHistoryLogins` sign-ins
 * from `historyFromMs` to the period's start (the ones suspicious_logins' unusual-hour check skips),
 * and those with fewer placed ones (the ones its new-country and new-network checks skip).
 */
export function loginHistory(
  all: readonly EventRecord[],
  p: Period,
  o: Pick<SuspiciousOptions, 'historyFromMs' | 'minHistoryLogins'>,
): QueryRow[] {
  const logins = all.filter((e) => e.category === 'login' && namesUser(e.user_id));
  const users = new Set(logins.filter((e) => inPeriod(e, p.fromMs, p.toMs)).map((e) => e.user_id));
  const history = new Map<string | null, number>();
  const placed = new Map<string | null, number>();
  for (const e of logins.filter((l) => inPeriod(l, o.historyFromMs, p.fromMs))) {
    history.set(e.user_id, (history.get(e.user_id) ?? 0) + 1);
    if (e.ip_country !== null) placed.set(e.user_id, (placed.get(e.user_id) ?? 0) + 1);
  }
  // The place checks judge only placed history, and never a user without any.
  const short = [...users].filter((u) => (history.get(u) ?? 0) < o.minHistoryLogins);
  const placedShort = [...users].filter((u) => {
    const n = placed.get(u) ?? 0;
    return n === 0 || n < o.minHistoryLogins;
  });
  return [
    { users: users.size, short_history_users: short.length, short_placed_history_users: placedShort.length },
  ];
}

/**
 * data_health's missing hours apart: those not ended at `nowMs`, and the ended ones before the
 * first covered hour (all when none is), after the last, and between two covered hours.
 */
function missingApart(expected: readonly number[], covered: ReadonlySet<number>, nowMs: number) {
  const nowHour = Math.floor(nowMs / HOUR) * HOUR;
  const starts = expected.filter((h) => covered.has(h));
  const first = starts[0] ?? Number.POSITIVE_INFINITY;
  const last = starts.at(-1) ?? Number.POSITIVE_INFINITY;
  const ended = expected.filter((h) => !covered.has(h) && h < nowHour);
  const inner = ended.filter((h) => h > first && h < last);
  // Runs of ended missing hours, the first 3 in time order, each as `2026-11-17T03:00Z/PT2H`.
  const runs = ended
    .filter((h, i) => i === 0 || ended[i - 1] !== h - HOUR)
    .map((start) => {
      let hours = 1;
      while (ended.includes(start + hours * HOUR)) hours++;
      return `${new Date(start).toISOString().slice(0, 16)}Z/PT${hours}H`;
    });
  return {
    missing_runs: runs.length === 0 ? null : runs.slice(0, 3).join('\u001f'),
    not_closed_hours: expected.filter((h) => !covered.has(h) && h >= nowHour).length,
    leading_missing_hours: ended.filter((h) => h < first).length,
    trailing_missing_hours: ended.filter((h) => h > last && last !== Number.POSITIVE_INFINITY).length,
    inner_gap_count: inner.filter((h, i) => i === 0 || inner[i - 1] !== h - HOUR).length,
    inner_missing_hours: inner.length,
  };
}

export function dataHealth(
  all: readonly EventRecord[],
  manifests: readonly CoverageManifest[],
  p: Period,
): QueryRow[] {
  // Every hour overlapping the period, an hour cut by its start or end too.
  const firstHour = Math.floor(p.fromMs / HOUR) * HOUR;
  const covered = manifests.filter((m) => m.window_start_ms >= firstHour && m.window_start_ms < p.toMs);
  const coveredStarts = new Set(covered.map((m) => m.window_start_ms));
  const expected: number[] = [];
  for (let h = firstHour; h < p.toMs; h += HOUR) expected.push(h);
  const missing = expected.filter((h) => !coveredStarts.has(h));
  const gaps = missing.filter((h, i) => i === 0 || missing[i - 1] !== h - HOUR).length;
  const events = all.filter((e) => inPeriod(e, p.fromMs, p.toMs));
  const sum = (field: 'late_events_total' | 'quarantined_count' | 'out_of_window_count') =>
    covered.reduce((total, m) => total + m[field], 0);
  const fetched = covered.map((m) => Date.parse(m.fetched_at));
  const logins = events.filter((e) => e.category === 'login');
  // The whole of those hours' events, whatever part of them is in the period.
  const hourEvents = all.filter((e) => inPeriod(e, firstHour, Math.ceil(p.toMs / HOUR) * HOUR));
  const storedIn = (start: number) => hourEvents.filter((e) => e.window_start_ms === start).length;
  const differences = covered.map((m) => m.event_count - storedIn(m.window_start_ms));
  const short = differences.filter((gone) => gone > 0);
  // Hours holding more than their manifest counted, or events of another hour than their own (by
  // event_time; counted on the manifest when their object has one in the period, over its count
  // or not): objects the ingest did not write.
  const ownHour = (e: EventRecord) =>
    Math.floor(Date.parse(`${e.event_time.replace(' ', 'T')}Z`) / HOUR) * HOUR;
  const misfiledIn = new Map<number | null, number>();
  for (const e of hourEvents) {
    if (e.window_start_ms === ownHour(e)) continue;
    const window = e.window_start_ms ?? null;
    misfiledIn.set(window, (misfiledIn.get(window) ?? 0) + 1);
  }
  const extra = [
    ...covered.map((m) => {
      const misfiled = misfiledIn.get(m.window_start_ms) ?? 0;
      return Math.max(storedIn(m.window_start_ms) - m.event_count, misfiled, 0);
    }),
    ...[...misfiledIn].filter(([window]) => window === null || !coveredStarts.has(window)).map(([, n]) => n),
  ].filter((added) => added > 0);
  return [
    {
      expected_hours: expected.length,
      covered_hours: coveredStarts.size,
      missing_hours: expected.length - coveredStarts.size,
      gap_count: gaps,
      first_missing_hour: missing.length === 0 ? null : ts(missing[0] as number),
      late_events: sum('late_events_total'),
      quarantined: sum('quarantined_count'),
      out_of_window: sum('out_of_window_count'),
      events: events.length,
      last_event_time: events.length === 0 ? null : ts(Math.max(...events.map((e) => e.event_time_ms))),
      last_fetched_at: fetched.length === 0 ? null : ts(Math.max(...fetched)),
      logins: logins.length,
      // Never looked up: an address, and no geo database version (a record without the key too).
      unplaced_logins: logins.filter(
        (e) => !withoutAddress(e.ip_address) && (e.geo_db_version ?? null) === null,
      ).length,
      short_hours: short.length,
      short_events: short.reduce((sum, gone) => sum + gone, 0),
      logins_without_user: logins.filter((e) => !namesUser(e.user_id)).length,
      logins_without_ip: logins.filter((e) => withoutAddress(e.ip_address)).length,
      extra_hours: extra.length,
      extra_events: extra.reduce((sum, added) => sum + added, 0),
      // Looked up, and no country: private, reserved, or unknown to the database.
      logins_without_country: logins.filter(
        (e) =>
          !withoutAddress(e.ip_address) &&
          (e.geo_db_version ?? null) !== null &&
          (e.ip_country ?? null) === null,
      ).length,
      // No action type (none, or ASCII white space only): the category rules had nothing to read.
      events_without_action_type: events.filter(
        (e) => (e.action_type ?? '').replace(/[ \t\n\r\f]/g, '') === '',
      ).length,
      ...missingApart(expected, coveredStarts, Date.now()),
    },
  ];
}

/** Whether the simulator served a sign-in event: by its action type, or a bare string by its text. */
function servedSignIn(served: unknown, action: string | null): boolean {
  const names = Object.values(LOGIN_ACTIONS);
  if (action !== null) return names.some((a) => a.actionType === action);
  return typeof served === 'string' && names.some((a) => served.startsWith(`${a.eventText} by `));
}

/**
 * uncounted_sign_ins over a simulated lake, from what the simulator is known to send rather than
 * from the query's patterns: it names every sign-in event as the built-in rules know it
 * (LOGIN_ACTIONS), so no stored event is an unrecognised one; a quarantined entry is a sign-in
 * event when it is an object with one of those action types, or a bare string starting with one of
 * their texts (the simulator's `<eventText> by <user> at <ms>`), and a bare number is none.
 */
export function uncountedSignIns(quarantined: readonly QuarantineRecord[], p: Period): QueryRow[] {
  const groups = new Map<string | null, { entries: number; texts: string[] }>();
  let inPeriod = 0;
  for (const q of quarantined) {
    if (q.window_start_ms < p.fromMs || q.window_start_ms >= p.toMs) continue;
    inPeriod += 1;
    const served: unknown = JSON.parse(q.raw);
    const entry = typeof served === 'object' && served !== null ? (served as Record<string, unknown>) : {};
    const action = typeof entry.actionType === 'string' ? entry.actionType : null;
    if (!servedSignIn(served, action)) continue;
    const group = groups.get(action) ?? { entries: 0, texts: [] };
    group.entries += 1;
    if (typeof entry.eventText === 'string') group.texts.push(entry.eventText);
    groups.set(action, group);
  }
  const total = [...groups.values()].reduce((sum, g) => sum + g.entries, 0);
  return [...groups]
    .sort(([a, ga], [b, gb]) => gb.entries - ga.entries || cmp(a, b))
    .slice(0, 10)
    .map(([action, g]) => ({
      source: 'quarantined',
      action_type: action,
      example_text: g.texts.sort()[0] ?? null,
      entries: g.entries,
      source_entries: total,
      quarantined_entries: inPeriod,
    }));
}

/** Sign-ins of the period per country of the address, most first; versions distinct, in name order. */
export function loginsByCountry(all: readonly EventRecord[], p: Period): QueryRow[] {
  const logins = all.filter((e) => inPeriod(e, p.fromMs, p.toMs) && e.category === 'login');
  return [...groupBy(logins, (e) => e.ip_country)]
    .map(([country, events]) => {
      const versions = [...new Set(events.map((e) => e.geo_db_version))].filter((v) => v !== null).sort(cmp);
      return {
        country,
        logins: events.length,
        users: distinct(usersOf(events)),
        geo_db_versions: versions.length === 0 ? null : versions.join(', '),
      };
    })
    .sort((a, b) => b.logins - a.logins || cmp(a.country, b.country));
}

/**
 * The 200 latest events of a one-instance lake from the UTC day `fromDt` on (the partition `dt`
 * is the UTC date of the event's hour), newest first, ties by event id.
 */
export function latestEvents(all: readonly EventRecord[], instance: string, fromDt: string): QueryRow[] {
  return all
    .filter((e) => date(e.event_time_ms) >= fromDt)
    .sort((a, b) => b.event_time_ms - a.event_time_ms || cmp(a.event_id, b.event_id))
    .slice(0, 200)
    .map((e) => ({
      instance,
      event_time: ts(e.event_time_ms),
      user_name: e.user_name,
      action_type: e.action_type,
      object_type: e.object_type,
      object_name: e.object_name,
      category: e.category,
      ip_address: e.ip_address,
      user_id: e.user_id,
    }));
}

export { parseTs };

/**
 * login_after_failures: the alert detector's own answer over the period with the hour before it
 * (its `before`), each alert as the query's row. The SQL takes the detector's rule in turns
 * (docs/queries.md); its twin test plants the cases that need them.
 */
export function loginAfterFailures(all: readonly EventRecord[], p: Period): QueryRow[] {
  const byId = new Map(all.map((e) => [e.event_id, e]));
  const alerts = detectLoginsAfterFailures({
    instance: p.instance,
    fromMs: p.fromMs,
    toMs: p.toMs,
    events: all.filter((e) => e.event_time_ms >= p.fromMs && e.event_time_ms < p.toMs),
    before: all.filter((e) => e.event_time_ms >= p.fromMs - HOUR_MS && e.event_time_ms < p.fromMs),
    profile: new LoginProfile(p.instance, 'UTC'),
    settings: DEFAULT_ALERT_SETTINGS,
  });
  const rows = alerts.map((alert) => {
    const login = byId.get(alert.event_ids.at(-1) as string) as EventRecord;
    const failed = alert.event_ids.slice(0, -1).map((id) => byId.get(id) as EventRecord);
    const keys = new Set(failed.map((e) => failureAddressKey(e.ip_address)));
    const key = failureAddressKey(login.ip_address);
    return {
      event_time: login.event_time,
      user_id: alert.user_id,
      user_name: login.user_name,
      ip_address: login.ip_address,
      failed_attempts: failed.filter((e) => e.category === 'login_failed').length,
      lockouts: failed.filter((e) => e.category === 'lockout').length,
      first_failure: failed[0]?.event_time ?? null,
      last_failure: failed.at(-1)?.event_time ?? null,
      from_failing_ip: key !== null && keys.has(key),
      event_id: login.event_id,
    };
  });
  // The counts the SQL adds for its row cap: the week's rows, and the user's.
  const userRows = (id: unknown) => rows.filter((r) => r.user_id === id).length;
  return rows
    .map((r) => ({ ...r, user_rows: userRows(r.user_id), total_rows: rows.length }))
    .sort(
      (a, b) =>
        a.event_time.localeCompare(b.event_time) ||
        String(a.user_id).localeCompare(String(b.user_id)) ||
        a.event_id.localeCompare(b.event_id),
    );
}

/**
 * failed_logins_by_network: the alerts' own groups (spray-groups.ts, sprayGroupOf) of the period's
 * failures and sign-ins, those naming at least 5 users, `limit` of each kind.
 */
export function failedLoginsByNetwork(all: readonly EventRecord[], p: Period, limit: number): QueryRow[] {
  const events = all.filter(
    (e) => inPeriod(e, p.fromMs, p.toMs) && (e.category === 'login' || e.category === 'login_failed'),
  );
  const userKey = (e: EventRecord) =>
    userIdOf(e) !== null ? `id ${e.user_id}` : e.user_name !== null ? `name ${e.user_name}` : null;
  const groups = new Map<string, EventRecord[]>();
  for (const e of events) {
    const keys = [
      `network ${sprayGroupOf(e, 'network') ?? ''}`,
      `owner ${sprayGroupOf(e, 'owner') ?? ''}`,
      e.category === 'login_failed' && userIdOf(e) === null ? 'no_user any address' : '',
    ].filter((k) => k !== '' && !k.endsWith(' '));
    for (const k of keys) groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const kinds = ['network', 'owner', 'no_user'];
  const rows = [...groups].map(([key, list]) => {
    const kind = key.slice(0, key.indexOf(' '));
    const failed = list.filter((e) => e.category === 'login_failed');
    const signIns = list.filter((e) => e.category === 'login' && userIdOf(e) !== null);
    const orgs = list.map((e) => e.ip_org).filter((o): o is string => o !== null);
    const times = failed.map((e) => e.event_time_ms);
    return {
      kind,
      grp: key.slice(key.indexOf(' ') + 1),
      org: kind === 'owner' && orgs.length > 0 ? orgs.reduce((a, b) => (cmp(a, b) >= 0 ? a : b)) : null,
      users: distinct(failed.map(userKey)),
      failed_attempts: failed.length,
      addresses: distinct(failed.map((e) => sprayKeyOf(e.ip_address ?? '')).filter((k) => k !== '')),
      first_failure: times.length === 0 ? null : ts(Math.min(...times)),
      last_failure: times.length === 0 ? null : ts(Math.max(...times)),
      sign_ins: signIns.length,
      signed_in_users: distinct(signIns.map(userIdOf)),
    };
  });
  return kinds.flatMap((kind) => {
    const ofKind = rows
      .filter((r) => r.kind === kind && r.users >= 5)
      .sort((a, b) => b.users - a.users || b.failed_attempts - a.failed_attempts || cmp(a.grp, b.grp));
    return ofKind.slice(0, limit).map((r) => ({ ...r, kind_rows: ofKind.length }));
  });
}

/** A login_after_spray alert as the query's row, read back from its evidence and events. */
function sprayRowOf(alert: Alert, events: readonly EventRecord[], instance: string): QueryRow {
  const login = events.find((e) => alertId(instance, alert.kind, [e.event_id]) === alert.id) as EventRecord;
  const place = / (?:after|while) (?:that IP|network (\S+)|network owner (\S+)) failed/.exec(alert.evidence);
  const ids = new Set(alert.event_ids);
  const again = events.filter((e) => e.category === 'login' && ids.has(e.event_id) && e !== login);
  return {
    event_time: login.event_time,
    user_id: alert.user_id,
    user_name: login.user_name,
    ip_address: login.ip_address,
    level: place?.[1] ? 'network' : place?.[2] ? 'owner' : 'address',
    grp: place?.[1] ?? place?.[2] ?? addressKey(login.ip_address),
    failed_attempts: Number(/ \((\d+) failures\)/.exec(alert.evidence)?.[1]),
    failures_after: Number(/; (\d+) after it\)/.exec(alert.evidence)?.[1] ?? 0),
    more_sign_ins: Number(/; (\d+) more sign-ins? of the user/.exec(alert.evidence)?.[1] ?? 0),
    last_sign_in: again.at(-1)?.event_time ?? null,
    event_id: login.event_id,
  };
}

/**
 * login_after_spray: the alert detector's own answer, evaluated hour by hour over the period with
 * the login profile folded from the history's start, each alert as the query's row. Its evidence
 * names a network or an owner; "that IP" is read as the fast level of the address (the twin test,
 * login-after-spray-twin.test.ts, compares the slow one too).
 */
export function loginAfterSpray(all: readonly EventRecord[], p: Period): QueryRow[] {
  const events = [...all].sort((a, b) => a.event_time_ms - b.event_time_ms);
  const of = (from: number) => events.filter((e) => inPeriod(e, from, from + HOUR_MS)) as AlertEvent[];
  const profile = new LoginProfile(p.instance, 'UTC');
  const rows: QueryRow[] = [];
  for (let hour = p.fromMs - DEFAULT_ALERT_SETTINGS.historyDays * DAY_MS; hour < p.toMs; hour += HOUR_MS) {
    const alerts =
      hour < p.fromMs
        ? []
        : detectLoginsAfterSprays({
            instance: p.instance,
            fromMs: hour,
            toMs: hour + HOUR_MS,
            events: of(hour),
            before: of(hour - HOUR_MS),
            profile,
            settings: DEFAULT_ALERT_SETTINGS,
          });
    profile.fold(hour, signInsOf(of(hour)));
    rows.push(...alerts.map((alert) => sprayRowOf(alert, events, p.instance)));
  }
  return rows.sort(
    (a, b) =>
      String(a.event_time).localeCompare(String(b.event_time)) ||
      String(a.user_id).localeCompare(String(b.user_id)) ||
      String(a.event_id).localeCompare(String(b.event_id)),
  );
}
