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
import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';
import { DAY_MS, HOUR_MS } from '../lake/layout.ts';
import { wallTime } from '../zoned-time.ts';
import { addressKey } from './ip-network.ts';

/** [hour index (epoch hours), local hour of day, country or null, network owner (ASN) or null, sign-ins]. */
type Fact = [number, number, string | null, number | null, number];

/** A user's last placed sign-in of one hour: [hour index, time ms, country, IP address]. */
type Last = [number, number, string, string | null];

/**
 * The addresses of one user's placed sign-ins ({@link addressKey}), each with the hour indexes it was signed in
 * from: each address once, however many hours it was seen in (most users use a few addresses every
 * day), and per hour, so folding an hour again or pruning drops exactly that hour's.
 */
type Seen = Map<string, number[]>;

/**
 * How a user's {@link Seen} is stored: per address, `[address, first, ...gaps]`, its hours ascending
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
}

/** Where a user last signed in from (a sign-in the geo database placed). */
export interface LastPlace {
  timeMs: number;
  country: string;
  ipAddress: string | null;
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
   * The addresses of the placed sign-ins ({@link addressKey}): a sign-in from one of them is no new
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

/** `[address, first hour, ...gaps]`: the gaps at least 1, so an edited file cannot move a use back in time. */
const isStoredSeen = (entry: unknown): boolean =>
  Array.isArray(entry) &&
  typeof entry[0] === 'string' &&
  entry.every((item, i) => i === 0 || (Number.isSafeInteger(item) && (i === 1 || item >= 1)));

/** Whether `value` is stored addresses: per user, a {@link StoredSeen}. */
function isStoredAddresses(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((seen) => Array.isArray(seen) && seen.every(isStoredSeen));
}

/**
 * An object keyed by user id, read as its [user, value] entries. Not `z.record`: it drops a
 * `__proto__` key (so the parsed object's prototype cannot be replaced), and a user id is free text
 * from the activity log like any other, so that user's history would vanish on every load.
 */
const byUserId = <T extends z.ZodType>(value: T) =>
  z.preprocess(
    (stored) =>
      typeof stored === 'object' && stored !== null && !Array.isArray(stored)
        ? Object.entries(stored)
        : undefined,
    z.array(z.tuple([z.string(), value])),
  );

const profileSchema = z.object({
  version: z.literal(2),
  instance: z.string(),
  time_zone: z.string(),
  folded_from_ms: z.number().int(),
  folded_to_ms: z.number().int(),
  users: byUserId(
    z.array(z.tuple([z.number(), z.number(), z.string().nullable(), z.number().nullable(), z.number()])),
  ),
  // [hour, time, country, address]; a profile stored before also held the sign-in's event id
  // (after the time), which made a fifth of the 64-hex ids of every user's hours: it is dropped.
  last: byUserId(
    z.array(
      z.union([
        z.tuple([z.number(), z.number(), z.string(), z.string().nullable()]),
        z
          .tuple([z.number(), z.number(), z.string(), z.string(), z.string().nullable()])
          .transform(([hour, timeMs, , country, ip]): Last => [hour, timeMs, country, ip]),
      ]),
    ),
  ),
  // Added within version 2 (optional: a profile stored before them still reads; an older reader
  // ignores them): per hour index, the version of the object folded; the next digest to read.
  folded_objects: z.record(z.string().regex(/^\d+$/), z.string()).optional(),
  digest_next: z.number().int().nonnegative().optional(),
  // Added within version 2 as well: per user, the placed addresses signed in from and their hours
  // (StoredSeen). A profile stored without them has its folded hours' versions dropped, so each hour
  // is folded again; so has one with only their unreleased first form (`addresses`, [hour, address]
  // pairs: several times the size, and unplaced sign-ins' included), which is ignored.
  // Checked in place, not parsed into a copy: with a new address per sign-in (IPv6 privacy
  // addresses) they are the profile's largest part, and a copy would be held at load's peak.
  address_hours: z.custom<Record<string, StoredSeen>>(isStoredAddresses).optional(),
});

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
    lasts.set(user, [hour, login.event_time_ms, login.ip_country as string, login.ip_address]);
  }
  return lasts;
}

/** Each user's distinct addresses of placed sign-ins among `signIns` ({@link addressKey}). */
function addressesOf(signIns: readonly SignIn[]): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const login of signIns) {
    const address = addressKey(login.ip_address);
    if (address === null || login.ip_country === null) continue;
    pairs.set(JSON.stringify([login.user_id, address]), [login.user_id, address]);
  }
  return [...pairs.values()];
}

/** Keeps, of `user`'s entries in `lists` (each starting with its hour index), those of the hours `keep` accepts. */
function keepOf<T extends readonly [number, ...unknown[]]>(
  lists: Map<string, T[]>,
  user: string,
  keep: (hour: number) => boolean,
): void {
  const kept = (lists.get(user) ?? []).filter((entry) => keep(entry[0]));
  if (kept.length > 0) lists.set(user, kept);
  else lists.delete(user);
}

/** Keeps, of `user`'s addresses in `seen`, the hours `keep` accepts, and the addresses left with any. */
function keepSeen(seen: Map<string, Seen>, user: string, keep: (hour: number) => boolean): void {
  const addresses = seen.get(user);
  if (addresses === undefined) return;
  for (const [address, hours] of addresses) {
    const kept = hours.filter(keep);
    if (kept.length > 0) addresses.set(address, kept);
    else addresses.delete(address);
  }
  if (addresses.size === 0) seen.delete(user);
}

/** A user's addresses as stored ({@link StoredSeen}), hours counted from `base`. */
function storedSeen(addresses: Seen, base: number): StoredSeen {
  return [...addresses].map(([address, hours]) => {
    const sorted = [...hours].sort((a, b) => a - b);
    return [address, ...sorted.map((hour, i) => hour - (i === 0 ? base : (sorted[i - 1] as number)))];
  });
}

const earliest = (ms: number | undefined, hourMs: number): number =>
  ms === undefined ? hourMs : Math.min(ms, hourMs);

function addFact(history: UserHistory, [hour, localHour, country, asn, count]: Fact) {
  history.logins += count;
  history.atLocalHour[localHour] = (history.atLocalHour[localHour] ?? 0) + count;
  history.firstHourMs = earliest(history.firstHourMs, hour * HOUR_MS);
  if (country === null) return;
  history.placedLogins += count;
  history.firstPlacedHourMs = earliest(history.firstPlacedHourMs, hour * HOUR_MS);
  history.countries.set(country, (history.countries.get(country) ?? 0) + count);
  if (asn !== null) history.owners.add(asn);
}

export class LoginProfile {
  private readonly users = new Map<string, Fact[]>();
  private readonly lasts = new Map<string, Last[]>();
  private readonly seen = new Map<string, Seen>();
  private readonly hourUsers = new Map<number, Set<string>>();
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
    for (const user of this.hourUsers.get(hour) ?? []) this.keepHours(user, (h) => h !== hour);
    this.hourUsers.delete(hour);
    const counts = new Map<string, Fact>();
    for (const login of signIns) {
      const localHour = wallTime(login.event_time_ms, this.timeZone).hour;
      const key = JSON.stringify([login.user_id, localHour, login.ip_country, login.ip_asn]);
      const fact = counts.get(key) ?? [hour, localHour, login.ip_country, login.ip_asn, 0];
      fact[4] += 1;
      if (!counts.has(key)) this.add(login.user_id, fact);
      counts.set(key, fact);
    }
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

  private add(user: string, fact: Fact): void {
    const facts = this.users.get(user) ?? [];
    facts.push(fact);
    this.users.set(user, facts);
    this.touch(user, fact[0]);
  }

  private addLast(user: string, last: Last): void {
    const lasts = this.lasts.get(user) ?? [];
    lasts.push(last);
    this.lasts.set(user, lasts);
    this.touch(user, last[0]);
  }

  private addSeen(user: string, address: string, hour: number): void {
    const addresses = this.seen.get(user) ?? new Map<string, number[]>();
    const hours = addresses.get(address);
    if (hours === undefined) addresses.set(address, [hour]);
    else hours.push(hour);
    this.seen.set(user, addresses);
    this.touch(user, hour);
  }

  /** Keeps, of a user's facts, last places and addresses, those of the hours `keep` accepts. */
  private keepHours(user: string, keep: (hour: number) => boolean): void {
    keepOf(this.users, user, keep);
    keepOf(this.lasts, user, keep);
    keepSeen(this.seen, user, keep);
  }

  private touch(user: string, hour: number): void {
    const users = this.hourUsers.get(hour) ?? new Set<string>();
    users.add(user);
    this.hourUsers.set(hour, users);
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
    for (const fact of this.users.get(user) ?? []) {
      if (fact[0] >= from && fact[0] < to) addFact(history, fact);
    }
    for (const [address, hours] of this.seen.get(user) ?? []) {
      if (hours.some((hour) => hour >= from && hour < to)) history.addresses.add(address);
    }
    history.last = this.lastPlace(user, from, to);
    return history;
  }

  /** A user's last placed sign-in in the hours [from, to) (hour indexes). */
  private lastPlace(user: string, from: number, to: number): LastPlace | undefined {
    let last: LastPlace | undefined;
    for (const [hour, timeMs, country, ipAddress] of this.lasts.get(user) ?? []) {
      if (hour < from || hour >= to) continue;
      if (!last || timeMs > last.timeMs) last = { timeMs, country, ipAddress };
    }
    return last;
  }

  /** Forgets the hours before `beforeMs` (they are out of every history window still needed). */
  prune(beforeMs: number): void {
    if (beforeMs <= this.foldedFromMs) return;
    const before = beforeMs / HOUR_MS;
    for (const [hour, users] of this.hourUsers) {
      if (hour >= before) continue;
      for (const user of users) this.keepHours(user, (h) => h >= before);
      this.hourUsers.delete(hour);
    }
    this.forgetVersions([...this.versions.keys()].filter((hour) => hour < before).map((h) => h * HOUR_MS));
    this.foldedFromMs = Math.min(beforeMs, this.foldedToMs);
  }

  /**
   * Reads the stored addresses and versions. Without addresses (a profile stored before they were
   * kept) the hours' facts are incomplete: their versions are left unknown, so each is folded again.
   */
  private restoreAddresses(
    addresses: Record<string, StoredSeen> | undefined,
    versions: Record<string, string> | undefined,
  ): void {
    if (addresses === undefined) return;
    const base = this.baseHour;
    for (const [user, stored] of Object.entries(addresses)) {
      for (const [address, ...gaps] of stored) {
        let hour = base;
        for (const gap of gaps) {
          hour += gap;
          this.addSeen(user, address, hour);
        }
      }
    }
    for (const [hour, version] of Object.entries(versions ?? {})) this.versions.set(Number(hour), version);
  }

  /** The hour index stored address hours count from: that of the first folded hour. */
  private get baseHour(): number {
    return Math.floor(this.foldedFromMs / HOUR_MS);
  }

  /** Number of facts kept (what the stored profile's size grows with). */
  get size(): number {
    let n = 0;
    for (const facts of this.users.values()) n += facts.length;
    for (const lasts of this.lasts.values()) n += lasts.length;
    for (const addresses of this.seen.values()) for (const hours of addresses.values()) n += hours.length;
    return n;
  }

  encode(): Uint8Array {
    const json = JSON.stringify({
      version: 2,
      instance: this.instance,
      time_zone: this.timeZone,
      folded_from_ms: this.foldedFromMs,
      folded_to_ms: this.foldedToMs,
      users: Object.fromEntries(this.users),
      last: Object.fromEntries(this.lasts),
      folded_objects: Object.fromEntries(this.versions),
      address_hours: Object.fromEntries(
        [...this.seen].map(([user, addresses]) => [user, storedSeen(addresses, this.baseHour)]),
      ),
      ...(this.digestNext === undefined ? {} : { digest_next: this.digestNext }),
    });
    const zipped = gzipSync(Buffer.from(json, 'utf8'));
    return new Uint8Array(zipped.buffer, zipped.byteOffset, zipped.byteLength);
  }

  /**
   * Reads a stored profile; undefined when it is unreadable, of an older version (version 1 had no
   * places) or was built for another instance or time zone (the caller then rebuilds it from the
   * lake, which is always possible).
   */
  static decode(body: Uint8Array, instance: string, timeZone: string): LoginProfile | undefined {
    try {
      const parsed = profileSchema.parse(JSON.parse(gunzipSync(body).toString('utf8')));
      if (parsed.instance !== instance || parsed.time_zone !== timeZone) return undefined;
      const profile = new LoginProfile(instance, timeZone, parsed.folded_from_ms);
      profile.foldedToMs = parsed.folded_to_ms;
      for (const [user, facts] of parsed.users) {
        for (const fact of facts) profile.add(user, [...fact]);
      }
      for (const [user, lasts] of parsed.last) {
        for (const last of lasts) profile.addLast(user, [...last]);
      }
      profile.restoreAddresses(parsed.address_hours, parsed.folded_objects);
      profile.digestNext = parsed.digest_next;
      return profile;
    } catch {
      return undefined;
    }
  }
}
