/**
 * What the suspicious-login detections need to know about the past, kept small: for each user, the
 * sign-ins of the last `historyDays` days folded into (hour, local hour of day, country, network
 * owner, count) facts, and per hour the user's last sign-in the geo database placed. That is enough
 * to answer, for any hour H, the weekly report's questions about the history window
 * [H - historyDays, H): how many sign-ins, at which local hours, from which countries, owners and
 * addresses, and where the user last was. Its size is bounded by the sign-ins of that window, whatever the age
 * of the lake, so a run's cost does not grow with history. Folding an hour again replaces that
 * hour's facts (re-evaluating an hour after late events never counts a sign-in twice).
 *
 * It also remembers what it read: per folded hour, the version of the activity object folded (a
 * prefix of its SHA-256, what the lake's digest chain records for every write), and how far it has
 * read that chain. An hour rewritten since it was folded (`enrich` filling the geo columns, a
 * re-pull finding late events) shows in the chain with another version and is folded again
 * ({@link LoginProfile.staleHours}); a profile stored before versions were kept has none, so each
 * of its hours is folded again once.
 */
import { createGunzip, gzipSync } from 'node:zlib';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import { wallTime } from '../zoned-time.ts';
import { clientAddressKey } from './ip-network.ts';
import { JsonObjectEntries } from './json-object-entries.ts';

/**
 * A user's last placed sign-in of one hour: [hour index, time ms, country, IP address, the geo
 * database that placed it (null when unknown)].
 */
type Last = [number, number, string, string | null, string | null];

/**
 * How a user's addresses are stored: per address, `[address, first, ...gaps]`, its hours ascending
 * as the first one's offset from the profile's first hour, then each one's gap from the one before
 * (an address used daily is mostly `24`s, which gzip stores in next to nothing). An array rather
 * than an object keyed by address: an address is free text (a forwarded-for list can hold anything,
 * `__proto__` included).
 */
type StoredSeen = [string, ...number[]][];

/** A sign-in, as the detections read it from an activity_log record. */
export interface SignIn {
  event_id: string;
  user_id: string;
  event_time_ms: number;
  ip_address: string | null;
  ip_country: string | null;
  ip_asn: number | null;
  /** The geo database that placed it; absent or null when unknown. */
  geo_db_version?: string | null;
}

/** Where a user last signed in from (a sign-in the geo database placed). */
export interface LastPlace {
  timeMs: number;
  country: string;
  ipAddress: string | null;
  /**
   * The geo database that placed it, which a journey from there names beside the arrival's: absent
   * when unknown (a record without one, or a profile stored before 2026-12-04).
   */
  geoDbVersion?: string;
}

/** One user's history before an instant, as suspicious_logins.sql aggregates it. */
export interface UserHistory {
  logins: number;
  /** Sign-ins at each local hour of day (index 0-23). */
  atLocalHour: number[];
  /** Sign-ins with a country, per country. */
  countries: Map<string, number>;
  /** Sign-ins with a country. */
  placedLogins: number;
  /** Network owners (ASNs) of the placed sign-ins. */
  owners: Set<number>;
  /**
   * The addresses of the placed sign-ins ({@link clientAddressKey}): a sign-in from one of them is no new
   * place, whatever the geo database says of it now (an update moves blocks between countries and
   * owners, and the history keeps what the older one said). Not those of unplaced sign-ins: one the
   * geo database could not place (an outage, no geo columns) was never judged, so it vouches for
   * nothing, and an attacker's later sign-in from its address must still be a new place.
   */
  addresses: Set<string>;
  /** The last placed sign-in, if any. */
  last: LastPlace | undefined;
  /** Start of the hour of the first sign-in, if any: how much history there is (a young lake has less than the window). */
  firstHourMs: number | undefined;
  /** Start of the hour of the first placed sign-in, if any. */
  firstPlacedHourMs: number | undefined;
}

/**
 * One user's part of the profile, in flat arrays rather than an array per fact: at 1M events a day
 * (~29,000 users, ~890,000 sign-ins in the window, 2.7M facts) an array per fact, with the parsed
 * copies the load made of them, held ~940 MB; these hold ~30 bytes per fact.
 */
interface UserLog {
  /** Per fact: hour index, local hour of day, place (index into the profile's places), sign-ins. */
  facts: number[];
  /**
   * Per hour with a placed sign-in, its last one: hour index, time ms, and its country and geo
   * database as one index into the profile's (country, release) pairs, which are few.
   */
  lasts: number[];
  /** Of the same: the IP address. */
  lastAddresses: (string | null)[];
  /** Per address ({@link clientAddressKey}) of placed sign-ins and hour it was used in: the hour index. */
  seenHours: number[];
  /** Of the same: the address. */
  seenAddresses: string[];
}

const FACT = 4;
/** Items per last place in {@link UserLog.lasts}. */
const LAST = 3;

/** `[address, first hour, ...gaps]`: the gaps at least 1, so an edited file cannot move a use back in time. */
const isStoredSeen = (entry: unknown): entry is [string, ...number[]] =>
  Array.isArray(entry) &&
  typeof entry[0] === 'string' &&
  entry.every((item, i) => i === 0 || (Number.isSafeInteger(item) && (i === 1 || item >= 1)));

// Finite: JSON.parse reads 1e400 as Infinity, which stored again is null.
const isNumber = (value: unknown): value is number => Number.isFinite(value);
const isNullOr =
  <T>(is: (value: unknown) => value is T) =>
  (value: unknown): value is T | null =>
    value === null || is(value);
const isString = (value: unknown): value is string => typeof value === 'string';
// Made once: the checks run for every stored fact (~2.7M a load at 1M events a day).
const isStringOrNull = isNullOr(isString);
const isNumberOrNull = isNullOr(isNumber);

/** A stored fact: [hour index, local hour, country or null, network owner or null, sign-ins]. */
type StoredFact = [number, number, string | null, number | null, number];

const isStoredFact = (fact: unknown): fact is StoredFact =>
  Array.isArray(fact) &&
  fact.length === 5 &&
  isNumber(fact[0]) &&
  isNumber(fact[1]) &&
  isStringOrNull(fact[2]) &&
  isNumberOrNull(fact[3]) &&
  isNumber(fact[4]);

/**
 * A stored last place: [hour, time, country, address], then, when known, the index of its geo
 * database in the profile's `geo_releases` (`releases`); a number, so this form and the one before
 * 2026-12-01 cannot be taken for each other: that one also held the sign-in's event id (after the
 * time), which made a fifth of the 64-hex ids of every user's hours, and is read with it dropped.
 */
function storedLast(last: unknown, releases: readonly unknown[]): Last | undefined {
  if (!Array.isArray(last) || !isNumber(last[0]) || !isNumber(last[1])) return undefined;
  if (last.length === 4 && isString(last[2]) && isStringOrNull(last[3]))
    return [last[0], last[1], last[2], last[3], null];
  if (last.length !== 5) return undefined;
  if (isString(last[2]) && isStringOrNull(last[3]) && Number.isSafeInteger(last[4])) {
    const release = releases[last[4]];
    return isString(release) ? [last[0], last[1], last[2], last[3], release] : undefined;
  }
  if (isString(last[2]) && isString(last[3]) && isStringOrNull(last[4]))
    return [last[0], last[1], last[3], last[4], null];
  return undefined;
}

/** (time, event id) order, as the SQL's window functions sort sign-ins. */
const later = (a: SignIn, b: SignIn): boolean =>
  a.event_time_ms > b.event_time_ms || (a.event_time_ms === b.event_time_ms && a.event_id > b.event_id);

/**
 * Each user's last placed sign-in among `signIns` (those of the hour `hour`). Its event id breaks
 * ties of time here, within the hour; it is not stored: the hours of stored sign-ins never overlap,
 * so their times alone order them.
 */
function lastPlaces(hour: number, signIns: readonly SignIn[]): Map<string, Last> {
  const latest = new Map<string, SignIn>();
  for (const login of signIns) {
    if (login.ip_country === null) continue;
    const last = latest.get(login.user_id);
    if (!last || later(login, last)) latest.set(login.user_id, login);
  }
  const lasts = new Map<string, Last>();
  for (const [user, login] of latest) {
    const release = login.geo_db_version ?? null;
    lasts.set(user, [hour, login.event_time_ms, login.ip_country as string, login.ip_address, release]);
  }
  return lasts;
}

/** Each user's distinct addresses of placed sign-ins among `signIns` ({@link clientAddressKey}). */
function addressesOf(signIns: readonly SignIn[]): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const login of signIns) {
    const address = clientAddressKey(login.ip_address);
    if (address === null || login.ip_country === null) continue;
    pairs.set(JSON.stringify([login.user_id, address]), [login.user_id, address]);
  }
  return [...pairs.values()];
}

/**
 * Keeps, of the entries of `stride` items of `values` (and of `others`, in step, one item per
 * entry), those whose index `keep` accepts.
 */
function keepEntries<T, U>(values: T[], stride: number, keep: (i: number) => boolean, others?: U[]): void {
  let kept = 0;
  for (let n = 0; n * stride < values.length; n++) {
    if (!keep(n * stride)) continue;
    for (let k = 0; k < stride; k++) values[kept * stride + k] = values[n * stride + k] as T;
    if (others) others[kept] = others[n] as U;
    kept++;
  }
  values.length = kept * stride;
  if (others) others.length = kept;
}

/** A user's addresses as stored ({@link StoredSeen}), hours counted from `base`. */
function storedSeen(log: UserLog, base: number): StoredSeen {
  const byAddress = new Map<string, number[]>();
  log.seenAddresses.forEach((address, i) => {
    const hours = byAddress.get(address);
    if (hours === undefined) byAddress.set(address, [log.seenHours[i] as number]);
    else hours.push(log.seenHours[i] as number);
  });
  return [...byAddress].map(([address, hours]) => {
    const sorted = hours.sort((a, b) => a - b);
    return [address, ...sorted.map((hour, i) => hour - (i === 0 ? base : (sorted[i - 1] as number)))];
  });
}

const earliest = (ms: number | undefined, hourMs: number): number =>
  ms === undefined ? hourMs : Math.min(ms, hourMs);

/**
 * Stored text is written and gzipped this many characters at a time, each piece a gzip member of
 * its own (gunzip reads concatenated members as one text, as RFC 1952 says): the whole text was
 * 62 MB at 1M events a day, held as a string and again as bytes.
 */
const PIECE_CHARS = 1 << 20;

/** Text gzipped a piece at a time ({@link PIECE_CHARS}). */
class GzipPieces {
  private readonly zipped: Buffer[] = [];
  private pending: string[] = [];
  private chars = 0;

  write(text: string): void {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= PIECE_CHARS) this.flush();
  }

  bytes(): Uint8Array {
    this.flush();
    const all = Buffer.concat(this.zipped);
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }

  private flush(): void {
    if (this.chars === 0) return;
    this.zipped.push(gzipSync(Buffer.from(this.pending.join(''), 'utf8')));
    this.pending = [];
    this.chars = 0;
  }
}

/** The members of a stored profile whose value is an object keyed by user (or by hour). */
const SECTIONS = new Set(['users', 'last', 'folded_objects', 'address_hours']);

/**
 * Bytes of text gunzipped and decoded at a time when reading: the whole text (62 MB at 1M events a
 * day) is never held at once.
 */
const READ_BYTES = 1 << 20;

export class LoginProfile {
  private readonly logs = new Map<string, UserLog>();
  /**
   * Per hour index, the users with anything of that hour (a user may be listed more than once);
   * undefined until an hour already folded is folded again. A run mostly folds new hours and
   * prunes (a pass over every user, done once), and the index was a fifth of the profile's memory.
   */
  private hourUsers: Map<number, string[]> | undefined;
  /** The (country, network owner) pairs facts refer to, by index, and the index of each. */
  private readonly placeCountries: (string | null)[] = [];
  private readonly placeOwners: (number | null)[] = [];
  private readonly placeIndexes = new Map<string | null, Map<number | null, number>>();
  /**
   * The (country, geo database) pairs of last places ({@link UserLog.lasts}), by index, and the
   * index of each.
   */
  private readonly lastCountries: string[] = [];
  private readonly lastReleases: (string | null)[] = [];
  private readonly lastIndexes = new Map<string, Map<string | null, number>>();
  /** One copy of each country and address string (most users use a few addresses every day). */
  private readonly strings = new Map<string, string>();
  /** Per hour index, the version of the activity object its facts were folded from (absent: unknown). */
  private readonly versions = new Map<number, string>();
  /** Folded hours are [foldedFromMs, foldedToMs); equal when nothing is folded yet. */
  foldedFromMs: number;
  foldedToMs: number;
  /** The next digest of the lake's chain to read for rewritten hours; undefined before the first look. */
  digestNext: number | undefined;

  constructor(
    readonly instance: string,
    readonly timeZone: string,
    startMs = 0,
  ) {
    this.foldedFromMs = startMs;
    this.foldedToMs = startMs;
  }

  get empty(): boolean {
    return this.foldedToMs === this.foldedFromMs;
  }

  /** Whether the history window [hourMs - days, hourMs) is fully folded (or reaches before `floorMs`). */
  covers(hourMs: number, days: number, floorMs: number): boolean {
    const from = Math.max(hourMs - days * DAY_MS, floorMs);
    return !this.empty && this.foldedFromMs <= from && this.foldedToMs >= hourMs;
  }

  /**
   * Replaces the facts of the hour starting at `hourMs` with `signIns` (those of that hour), read
   * from the object of version `version` (unknown without it: the hour is then stale). Hours are
   * folded contiguously: the next unfolded hour, or one already folded.
   */
  fold(hourMs: number, signIns: readonly SignIn[], version?: string): void {
    if (this.empty) {
      this.foldedFromMs = hourMs;
      this.foldedToMs = hourMs;
    }
    if (hourMs < this.foldedFromMs || hourMs > this.foldedToMs) {
      throw new RangeError(
        `login profile folds hours in order: ${new Date(hourMs).toISOString()} is outside ${new Date(this.foldedFromMs).toISOString()}..${new Date(this.foldedToMs).toISOString()}`,
      );
    }
    const hour = hourMs / HOUR_MS;
    if (hourMs < this.foldedToMs) {
      const hourUsers = this.indexHours();
      for (const user of new Set(hourUsers.get(hour))) this.keepHours(user, (h) => h !== hour);
      hourUsers.delete(hour);
    }
    const counts = new Map<string, [string, number, string | null, number | null, number]>();
    for (const login of signIns) {
      const localHour = wallTime(login.event_time_ms, this.timeZone).hour;
      const key = JSON.stringify([login.user_id, localHour, login.ip_country, login.ip_asn]);
      const fact = counts.get(key) ?? [login.user_id, localHour, login.ip_country, login.ip_asn, 0];
      fact[4] += 1;
      counts.set(key, fact);
    }
    for (const [user, localHour, country, asn, count] of counts.values())
      this.addFact(user, hour, localHour, country, asn, count);
    for (const [user, last] of lastPlaces(hour, signIns)) this.addLast(user, last);
    for (const [user, address] of addressesOf(signIns)) this.addSeen(user, address, hour);
    if (version === undefined) this.versions.delete(hour);
    else this.versions.set(hour, version);
    if (hourMs === this.foldedToMs) this.foldedToMs = hourMs + HOUR_MS;
  }

  /** The version of the object the hour starting at `hourMs` was folded from, if known. */
  versionOf(hourMs: number): string | undefined {
    return this.versions.get(hourMs / HOUR_MS);
  }

  /**
   * The folded hours (their start, ascending) to fold again: those whose object's version in
   * `current` (by hour start; an hour not in it is taken as unchanged) differs from the one folded,
   * and those folded without a known version.
   */
  staleHours(current: ReadonlyMap<number, string>): number[] {
    const stale: number[] = [];
    for (let hourMs = this.foldedFromMs; hourMs < this.foldedToMs; hourMs += HOUR_MS) {
      const folded = this.versionOf(hourMs);
      const now = current.get(hourMs);
      if (folded === undefined || (now !== undefined && now !== folded)) stale.push(hourMs);
    }
    return stale;
  }

  /** Makes the given folded hours (by start), or all, stale: what they were folded from is unknown. */
  forgetVersions(hoursMs?: Iterable<number>): void {
    if (hoursMs === undefined) this.versions.clear();
    else for (const hourMs of hoursMs) this.versions.delete(hourMs / HOUR_MS);
  }

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private place(country: string | null, asn: number | null): number {
    const owners = this.placeIndexes.get(country) ?? new Map<number | null, number>();
    this.placeIndexes.set(country, owners);
    const known = owners.get(asn);
    if (known !== undefined) return known;
    const index = this.placeCountries.length;
    this.placeCountries.push(country === null ? null : this.intern(country));
    this.placeOwners.push(asn);
    owners.set(asn, index);
    return index;
  }

  private lastPlaceIndex(country: string, release: string | null): number {
    const releases = this.lastIndexes.get(country) ?? new Map<string | null, number>();
    this.lastIndexes.set(country, releases);
    const known = releases.get(release);
    if (known !== undefined) return known;
    const index = this.lastCountries.length;
    this.lastCountries.push(this.intern(country));
    this.lastReleases.push(release === null ? null : this.intern(release));
    releases.set(release, index);
    return index;
  }

  private log(user: string): UserLog {
    const known = this.logs.get(user);
    if (known !== undefined) return known;
    const log: UserLog = { facts: [], lasts: [], lastAddresses: [], seenHours: [], seenAddresses: [] };
    this.logs.set(user, log);
    return log;
  }

  private addFact(
    user: string,
    hour: number,
    localHour: number,
    country: string | null,
    asn: number | null,
    count: number,
  ): void {
    this.log(user).facts.push(hour, localHour, this.place(country, asn), count);
    this.touch(user, hour);
  }

  private addLast(user: string, [hour, timeMs, country, ip, release]: Last): void {
    const log = this.log(user);
    log.lasts.push(hour, timeMs, this.lastPlaceIndex(country, release));
    log.lastAddresses.push(ip === null ? null : this.intern(ip));
    this.touch(user, hour);
  }

  private addSeen(user: string, address: string, hour: number): void {
    const log = this.log(user);
    log.seenHours.push(hour);
    log.seenAddresses.push(this.intern(address));
    this.touch(user, hour);
  }

  /** Keeps, of a user's facts, last places and addresses, those of the hours `keep` accepts. */
  private keepHours(user: string, keep: (hour: number) => boolean): void {
    const log = this.logs.get(user);
    if (log === undefined) return;
    keepEntries(log.facts, FACT, (i) => keep(log.facts[i] as number));
    keepEntries(log.lasts, LAST, (i) => keep(log.lasts[i] as number), log.lastAddresses);
    keepEntries(log.seenHours, 1, (i) => keep(log.seenHours[i] as number), log.seenAddresses);
    if (log.facts.length + log.lasts.length + log.seenHours.length === 0) this.logs.delete(user);
  }

  /** The index of users by hour ({@link hourUsers}), built now if it was not. */
  private indexHours(): Map<number, string[]> {
    if (this.hourUsers !== undefined) return this.hourUsers;
    this.hourUsers = new Map();
    for (const [user, log] of this.logs) {
      for (let i = 0; i < log.facts.length; i += FACT) this.touch(user, log.facts[i] as number);
      for (let i = 0; i < log.lasts.length; i += LAST) this.touch(user, log.lasts[i] as number);
      for (const hour of log.seenHours) this.touch(user, hour);
    }
    return this.hourUsers;
  }

  private touch(user: string, hour: number): void {
    if (this.hourUsers === undefined) return;
    const users = this.hourUsers.get(hour);
    if (users === undefined) this.hourUsers.set(hour, [user]);
    else if (users[users.length - 1] !== user) users.push(user);
  }

  /** A user's sign-ins in [fromMs, toMs). */
  history(user: string, fromMs: number, toMs: number): UserHistory {
    const history: UserHistory = {
      logins: 0,
      atLocalHour: new Array<number>(24).fill(0),
      countries: new Map(),
      placedLogins: 0,
      owners: new Set(),
      addresses: new Set(),
      last: undefined,
      firstHourMs: undefined,
      firstPlacedHourMs: undefined,
    };
    const [from, to] = [fromMs / HOUR_MS, toMs / HOUR_MS];
    const log = this.logs.get(user);
    if (log === undefined) return history;
    const { facts } = log;
    for (let i = 0; i < facts.length; i += FACT) {
      const hour = facts[i] as number;
      if (hour < from || hour >= to) continue;
      const [localHour, place, count] = [
        facts[i + 1] as number,
        facts[i + 2] as number,
        facts[i + 3] as number,
      ];
      history.logins += count;
      history.atLocalHour[localHour] = (history.atLocalHour[localHour] ?? 0) + count;
      history.firstHourMs = earliest(history.firstHourMs, hour * HOUR_MS);
      const country = this.placeCountries[place] ?? null;
      if (country === null) continue;
      history.placedLogins += count;
      history.firstPlacedHourMs = earliest(history.firstPlacedHourMs, hour * HOUR_MS);
      history.countries.set(country, (history.countries.get(country) ?? 0) + count);
      const asn = this.placeOwners[place] ?? null;
      if (asn !== null) history.owners.add(asn);
    }
    log.seenHours.forEach((hour, i) => {
      if (hour >= from && hour < to) history.addresses.add(log.seenAddresses[i] as string);
    });
    history.last = this.lastPlace(log, from, to);
    return history;
  }

  /** A user's last placed sign-in in the hours [from, to) (hour indexes). */
  private lastPlace(log: UserLog, from: number, to: number): LastPlace | undefined {
    let latest = -1;
    for (let i = 0; i < log.lasts.length; i += LAST) {
      const hour = log.lasts[i] as number;
      if (hour < from || hour >= to) continue;
      if (latest < 0 || (log.lasts[i + 1] as number) > (log.lasts[latest + 1] as number)) latest = i;
    }
    if (latest < 0) return undefined;
    const place = log.lasts[latest + 2] as number;
    const release = this.lastReleases[place] ?? null;
    return {
      timeMs: log.lasts[latest + 1] as number,
      country: this.lastCountries[place] as string,
      ipAddress: log.lastAddresses[latest / LAST] ?? null,
      ...(release === null ? {} : { geoDbVersion: release }),
    };
  }

  /** Forgets the hours before `beforeMs` (they are out of every history window still needed). */
  prune(beforeMs: number): void {
    if (beforeMs <= this.foldedFromMs) return;
    const before = beforeMs / HOUR_MS;
    if (this.hourUsers === undefined) {
      for (const user of [...this.logs.keys()]) this.keepHours(user, (h) => h >= before);
    } else {
      const users = new Set<string>();
      for (const [hour, hourUsers] of this.hourUsers) {
        if (hour >= before) continue;
        for (const user of hourUsers) users.add(user);
        this.hourUsers.delete(hour);
      }
      for (const user of users) this.keepHours(user, (h) => h >= before);
    }
    this.forgetVersions([...this.versions.keys()].filter((hour) => hour < before).map((h) => h * HOUR_MS));
    this.foldedFromMs = Math.min(beforeMs, this.foldedToMs);
  }

  /** The hour index stored address hours count from: that of the first folded hour. */
  private get baseHour(): number {
    return Math.floor(this.foldedFromMs / HOUR_MS);
  }

  /** Number of facts kept (what the stored profile's size grows with). */
  get size(): number {
    let n = 0;
    for (const log of this.logs.values())
      n += log.facts.length / FACT + log.lasts.length / LAST + log.seenHours.length;
    return n;
  }

  /** Number of users with anything kept. */
  get users(): number {
    return this.logs.size;
  }

  /**
   * The geo databases of the last places still held, in the order the stored sections meet them:
   * the (country, release) pairs are never dropped within a run, so pruned hours' releases would
   * otherwise be stored, and a profile stored again after loading would list them in another order.
   */
  private releasesInUse(): string[] {
    const releases = new Set<string>();
    for (const log of this.logs.values()) {
      for (let i = 2; i < log.lasts.length; i += LAST) {
        const release = this.lastReleases[log.lasts[i] as number];
        if (release != null) releases.add(release);
      }
    }
    return [...releases];
  }

  /**
   * The profile as stored: one gzip JSON object (version 2), written and compressed a piece at a
   * time ({@link GzipPieces}), as every version since the places reads it.
   */
  encode(): Uint8Array {
    const out = new GzipPieces();
    const json = JSON.stringify;
    out.write(
      `{"version":2,"instance":${json(this.instance)},"time_zone":${json(this.timeZone)},"folded_from_ms":${json(this.foldedFromMs)},"folded_to_ms":${json(this.foldedToMs)}`,
    );
    // Before the sections, so that a reader knows each last place's geo database as it reads it;
    // left out when none is known, and the profile is written as before.
    const releases = this.releasesInUse();
    const releaseIndex = new Map(releases.map((release, i) => [release, i]));
    if (releases.length > 0) out.write(`,"geo_releases":${json(releases)}`);
    const section = (name: string, stored: (log: UserLog) => unknown[]): void => {
      out.write(`,${json(name)}:{`);
      let first = true;
      for (const [user, log] of this.logs) {
        const value = stored(log);
        if (value.length === 0) continue;
        out.write(`${first ? '' : ','}${json(user)}:${json(value)}`);
        first = false;
      }
      out.write('}');
    };
    section('users', (log) => {
      const facts: unknown[] = [];
      for (let i = 0; i < log.facts.length; i += FACT) {
        const place = log.facts[i + 2] as number;
        facts.push([
          log.facts[i],
          log.facts[i + 1],
          this.placeCountries[place],
          this.placeOwners[place],
          log.facts[i + 3],
        ]);
      }
      return facts;
    });
    section('last', (log) => {
      const lasts: unknown[] = [];
      for (let i = 0; i < log.lasts.length; i += LAST) {
        const place = log.lasts[i + 2] as number;
        const [country, release] = [this.lastCountries[place], this.lastReleases[place] ?? null];
        const stored = [log.lasts[i], log.lasts[i + 1], country, log.lastAddresses[i / LAST]];
        lasts.push(release === null ? stored : [...stored, releaseIndex.get(release)]);
      }
      return lasts;
    });
    out.write(`,"folded_objects":${json(Object.fromEntries(this.versions))}`);
    section('address_hours', (log) => storedSeen(log, this.baseHour));
    if (this.digestNext !== undefined) out.write(`,"digest_next":${json(this.digestNext)}`);
    out.write('}');
    return out.bytes();
  }

  /**
   * Reads a stored profile; undefined when it is unreadable, of an older version (version 1 had no
   * places) or was built for another instance or time zone (the caller then rebuilds it from the
   * lake, which is always possible); so is one that is not gzip or is cut short. Gunzipped and
   * read a piece of text at a time, one user's entry at a time ({@link JsonObjectEntries}).
   */
  static async decode(
    body: Uint8Array,
    instance: string,
    timeZone: string,
  ): Promise<LoginProfile | undefined> {
    try {
      return await LoginProfile.read(body, instance, timeZone);
    } catch {
      return undefined;
    }
  }

  private static async read(
    body: Uint8Array,
    instance: string,
    timeZone: string,
  ): Promise<LoginProfile | undefined> {
    const profile = new LoginProfile(instance, timeZone);
    const header = new Map<string, unknown>();
    const versions = new Map<number, string>();
    // Address hours count from the first folded hour: those read before it is known wait for it.
    const addresses: [string, StoredSeen][] = [];
    const sections = new Set<string>();
    let foreign = false;
    const mismatch = (key: string, value: unknown): boolean =>
      (key === 'instance' && value !== instance) || (key === 'time_zone' && value !== timeZone);
    const invalid = (): never => {
      throw new Error('not a stored login profile');
    };
    // A key given twice (a hand-edited file) is no profile this tool wrote: unreadable, not merged.
    // What is kept tells whether a user's entry was read; only entries that kept nothing (encode
    // writes none) are remembered apart, so a profile of 1M users costs no set of 1M keys.
    const emptyEntries = new Set<string>();
    const once = (section: string, key: string, kept: number | undefined, empty: boolean): void => {
      if ((kept ?? 0) > 0) invalid();
      if (!empty && emptyEntries.size === 0) return;
      const id = JSON.stringify([section, key]);
      if (emptyEntries.has(id)) invalid();
      if (empty) emptyEntries.add(id);
    };
    const restoreSeen = (user: string, stored: StoredSeen): void => {
      once(
        'address_hours',
        user,
        profile.logs.get(user)?.seenHours.length,
        stored.every((seen) => seen.length === 1),
      );
      const base = profile.baseHour;
      for (const [address, ...gaps] of stored) {
        let hour = base;
        for (const gap of gaps) {
          hour += gap;
          profile.addSeen(user, address, hour);
        }
      }
    };
    // Per section, how one user's (or hour's) entry is read; any other is ignored, as `addresses`
    // (the unreleased first form of address_hours).
    const readers: Record<string, (key: string, value: unknown) => void> = {
      users(user, facts) {
        if (!Array.isArray(facts) || !facts.every(isStoredFact)) invalid();
        once('users', user, profile.logs.get(user)?.facts.length, (facts as StoredFact[]).length === 0);
        for (const [hour, localHour, country, asn, count] of facts as StoredFact[])
          profile.addFact(user, hour, localHour, country, asn, count);
      },
      last(user, lasts) {
        if (!Array.isArray(lasts)) invalid();
        once('last', user, profile.logs.get(user)?.lasts.length, (lasts as unknown[]).length === 0);
        const releases = header.get('geo_releases') ?? [];
        if (!Array.isArray(releases)) invalid();
        for (const item of lasts as unknown[])
          profile.addLast(user, storedLast(item, releases as unknown[]) ?? invalid());
      },
      folded_objects(hour, version) {
        if (!/^\d+$/.test(hour) || !isString(version)) invalid();
        once('folded_objects', hour, versions.has(Number(hour)) ? 1 : 0, false);
        versions.set(Number(hour), version as string);
      },
      address_hours(user, stored) {
        if (!Array.isArray(stored) || !stored.every(isStoredSeen)) invalid();
        if (header.has('folded_from_ms')) restoreSeen(user, stored as StoredSeen);
        else addresses.push([user, stored as StoredSeen]);
      },
    };
    const reader = new JsonObjectEntries({
      member(key, value) {
        if (SECTIONS.has(key) || header.has(key) || sections.has(key)) invalid();
        if (mismatch(key, value)) foreign = true;
        if (key === 'folded_from_ms' && Number.isInteger(value)) profile.foldedFromMs = value as number;
        header.set(key, value);
      },
      section(name) {
        if (header.has(name) || sections.has(name)) invalid();
        sections.add(name);
      },
      entry(section, key, value) {
        // Own sections only: a profile's text may name a section `__proto__` or `toString`.
        if (!foreign && Object.hasOwn(readers, section)) readers[section]?.(key, value);
      },
    });
    const gunzip = createGunzip({ chunkSize: READ_BYTES });
    const decoder = new TextDecoder('utf-8');
    gunzip.end(body);
    try {
      for await (const bytes of gunzip) {
        reader.push(decoder.decode(bytes as Buffer, { stream: true }));
        if (foreign) return undefined;
      }
    } finally {
      gunzip.destroy();
    }
    reader.push(decoder.decode());
    reader.end();
    const [foldedFrom, foldedTo, digestNext] = ['folded_from_ms', 'folded_to_ms', 'digest_next'].map((key) =>
      header.get(key),
    );
    if (
      header.get('version') !== 2 ||
      !isString(header.get('instance')) ||
      !isString(header.get('time_zone')) ||
      !Number.isInteger(foldedFrom) ||
      !Number.isInteger(foldedTo) ||
      (digestNext !== undefined && !(Number.isInteger(digestNext) && (digestNext as number) >= 0)) ||
      !sections.has('users') ||
      !sections.has('last')
    )
      return undefined;
    profile.foldedToMs = foldedTo as number;
    for (const [user, stored] of addresses) restoreSeen(user, stored);
    // Without addresses (a profile stored before they were kept) the hours' facts are incomplete:
    // their versions are left unknown, so each is folded again.
    if (sections.has('address_hours'))
      for (const [hour, version] of versions) profile.versions.set(hour, version);
    profile.digestNext = digestNext as number | undefined;
    return profile;
  }
}
