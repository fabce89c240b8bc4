/**
 * What the suspicious-login detections need to know about the past, kept small: for each user, the
 * sign-ins of the last `historyDays` days folded into (hour, local hour of day, country, network
 * owner, count) facts, and per hour the user's last sign-in the geo database placed. That is enough
 * to answer, for any hour H, the weekly report's questions about the history window
 * [H - historyDays, H): how many sign-ins, at which local hours, from which countries and owners,
 * and where the user last was. Its size is bounded by the sign-ins of that window, whatever the age
 * of the lake, so a run's cost does not grow with history. Folding an hour again replaces that
 * hour's facts (re-evaluating an hour after late events never counts a sign-in twice).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';
import { DAY_MS, HOUR_MS } from '../lake/layout.ts';
import { wallTime } from '../zoned-time.ts';

/** [hour index (epoch hours), local hour of day, country or null, network owner (ASN) or null, sign-ins]. */
type Fact = [number, number, string | null, number | null, number];

/** A user's last placed sign-in of one hour: [hour index, time ms, event id, country, IP address]. */
type Last = [number, number, string, string, string | null];

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
  eventId: string;
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
  /** The last placed sign-in, if any. */
  last: LastPlace | undefined;
}

const profileSchema = z.object({
  version: z.literal(2),
  instance: z.string(),
  time_zone: z.string(),
  folded_from_ms: z.number().int(),
  folded_to_ms: z.number().int(),
  users: z.record(
    z.string(),
    z.array(z.tuple([z.number(), z.number(), z.string().nullable(), z.number().nullable(), z.number()])),
  ),
  last: z.record(
    z.string(),
    z.array(z.tuple([z.number(), z.number(), z.string(), z.string(), z.string().nullable()])),
  ),
});

/** (time, event id) order, as the SQL's window functions sort sign-ins. */
const later = (a: { ms: number; id: string }, b: { ms: number; id: string }): boolean =>
  a.ms > b.ms || (a.ms === b.ms && a.id > b.id);

/** Each user's last placed sign-in among `signIns` (those of the hour `hour`). */
function lastPlaces(hour: number, signIns: readonly SignIn[]): Map<string, Last> {
  const lasts = new Map<string, Last>();
  for (const login of signIns) {
    if (login.ip_country === null) continue;
    const last = lasts.get(login.user_id);
    if (!last || later({ ms: login.event_time_ms, id: login.event_id }, { ms: last[1], id: last[2] })) {
      lasts.set(login.user_id, [
        hour,
        login.event_time_ms,
        login.event_id,
        login.ip_country,
        login.ip_address,
      ]);
    }
  }
  return lasts;
}

function addFact(
  history: UserHistory,
  localHour: number,
  country: string | null,
  asn: number | null,
  count: number,
) {
  history.logins += count;
  history.atLocalHour[localHour] = (history.atLocalHour[localHour] ?? 0) + count;
  if (country === null) return;
  history.placedLogins += count;
  history.countries.set(country, (history.countries.get(country) ?? 0) + count);
  if (asn !== null) history.owners.add(asn);
}

export class LoginProfile {
  private readonly users = new Map<string, Fact[]>();
  private readonly lasts = new Map<string, Last[]>();
  private readonly hourUsers = new Map<number, Set<string>>();
  /** Folded hours are [foldedFromMs, foldedToMs); equal when nothing is folded yet. */
  foldedFromMs: number;
  foldedToMs: number;

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
   * Replaces the facts of the hour starting at `hourMs` with `signIns` (those of that hour). Hours
   * are folded contiguously: the next unfolded hour, or one already folded.
   */
  fold(hourMs: number, signIns: readonly SignIn[]): void {
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
    for (const user of this.hourUsers.get(hour) ?? []) {
      this.users.set(
        user,
        (this.users.get(user) ?? []).filter((fact) => fact[0] !== hour),
      );
      this.lasts.set(
        user,
        (this.lasts.get(user) ?? []).filter((last) => last[0] !== hour),
      );
    }
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
    if (hourMs === this.foldedToMs) this.foldedToMs = hourMs + HOUR_MS;
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
      last: undefined,
    };
    const [from, to] = [fromMs / HOUR_MS, toMs / HOUR_MS];
    for (const [hour, localHour, country, asn, count] of this.users.get(user) ?? []) {
      if (hour >= from && hour < to) addFact(history, localHour, country, asn, count);
    }
    for (const [hour, timeMs, eventId, country, ipAddress] of this.lasts.get(user) ?? []) {
      const last = history.last;
      if (hour < from || hour >= to) continue;
      if (!last || later({ ms: timeMs, id: eventId }, { ms: last.timeMs, id: last.eventId })) {
        history.last = { timeMs, eventId, country, ipAddress };
      }
    }
    return history;
  }

  /** Forgets the hours before `beforeMs` (they are out of every history window still needed). */
  prune(beforeMs: number): void {
    if (beforeMs <= this.foldedFromMs) return;
    const before = beforeMs / HOUR_MS;
    for (const [hour, users] of this.hourUsers) {
      if (hour >= before) continue;
      for (const user of users) {
        const kept = (this.users.get(user) ?? []).filter((fact) => fact[0] >= before);
        if (kept.length > 0) this.users.set(user, kept);
        else this.users.delete(user);
        const lasts = (this.lasts.get(user) ?? []).filter((last) => last[0] >= before);
        if (lasts.length > 0) this.lasts.set(user, lasts);
        else this.lasts.delete(user);
      }
      this.hourUsers.delete(hour);
    }
    this.foldedFromMs = Math.min(beforeMs, this.foldedToMs);
  }

  /** Number of facts kept (what the stored profile's size grows with). */
  get size(): number {
    let n = 0;
    for (const facts of this.users.values()) n += facts.length;
    for (const lasts of this.lasts.values()) n += lasts.length;
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
      for (const [user, facts] of Object.entries(parsed.users)) {
        for (const fact of facts) profile.add(user, [...fact]);
      }
      for (const [user, lasts] of Object.entries(parsed.last)) {
        for (const last of lasts) profile.addLast(user, [...last]);
      }
      return profile;
    } catch {
      return undefined;
    }
  }
}
