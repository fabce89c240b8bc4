/**
 * An evidence bundle of one alert: the alert found in the alerts archive by its id, and the case
 * its bundle takes (the user's events around it, or, for an alert naming no user, the events of
 * the hours around it from its address, network or owner: {@link alertAddressCase}). The archive is keyed by the UTC date of the alert's event
 * (`alerts/instance=<i>/dt=<date>/<id>.json`), and an id is a hash that says no time: the lookup
 * reads the key of each day it is given, a bounded list ({@link alertSearchDays}), never the whole
 * archive.
 */
import { failureAddress } from '../alerts/ip-network.ts';
import { sprayGroupOfAlert } from '../alerts/spray-groups.ts';
import { readCheckpoint } from '../lake/checkpoint.ts';
import { coverageKeys } from '../lake/coverage.ts';
import { alertKey, alertsPrefix } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';
import { DAY_MS, floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { AddressCase } from './evidence-hours.ts';
import { ndjsonRecord } from './ndjson-record.ts';

/** An alert's id as the alerts function writes it: 32 lower-case hex digits. */
export const ALERT_ID = /^[0-9a-f]{32}$/;

/**
 * Days before today (UTC) whose archive an id is looked for in when no date is given: an alert
 * mailed today is of an event of today or of the days before (a late event, a run catching up),
 * and an on-call answers a mail within a month. An older one needs its date.
 */
export const ALERT_SEARCH_DAYS = 31;

/** Whole UTC days either side of the alert's day a user's bundle takes: the alerts' own dig-further span. */
export const ALERT_USER_DAYS = 1;

/**
 * Hours either side of the alert's hour a bundle by address or by name takes, for an alert naming
 * no user (a password spray, a lockout or burst of no user id): a spray's failures lie within 60
 * minutes of the raising one, a lockout's within the hour before it, a sign-in after a spray within
 * the hour after, and a few hours show what the address or the name did around them.
 */
export const ALERT_ADDRESS_HOURS = 3;

/** An alert as the archive holds it: its object's key and bytes, and the fields the bundle uses. */
export interface ArchivedAlert {
  key: string;
  /** The archive object, exactly as stored: the bundle holds these bytes. */
  body: Uint8Array;
  id: string;
  kind: string;
  user_id: string | null;
  user_name: string | null;
  /** UTC, `YYYY-MM-DD HH:MM:SS.mmm`, as archived. */
  event_time: string;
  event_time_ms: number;
  ip_address: string | null;
  /** Why it was raised, as archived: a journey's evidence gives its departure ({@link journeyDepartureMs}). */
  evidence: string;
  /** A spray's group and level (`NET 178.62.10.0/24`), as archived; null for other kinds and older sprays. */
  spray_key: string | null;
  /** The triggering events (the archive's comma-separated `event_ids`), each once, in its order. */
  event_ids: string[];
  /** The expected-activity rule that quieted it (archived, never sent); null for an alert sent. */
  quieted_by: string | null;
}

const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * The UTC days whose archive an alert is looked for in, most likely first: with its date, that
 * day and the one either side (a mail gives the time in the report's time zone, whose date may be
 * the UTC day before or after); without, today and the {@link ALERT_SEARCH_DAYS} days before.
 */
export function alertSearchDays(nowMs: number, dateMs?: number): number[] {
  if (dateMs !== undefined) {
    const day = startOfDay(dateMs);
    return [day, day - DAY_MS, day + DAY_MS];
  }
  const today = startOfDay(nowMs);
  return Array.from({ length: ALERT_SEARCH_DAYS + 1 }, (_, i) => today - i * DAY_MS);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The archive object at `key` as an alert of `id`, or an error saying why it is none. */
export function archivedAlertOf(key: string, body: Uint8Array, id: string): ArchivedAlert {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    record = parsed as Record<string, unknown>;
  } catch {
    throw new Error(`${key}: not an alert the alerts function archived (not one JSON object)`);
  }
  const ms = record.event_time_ms;
  const missing = [
    record.id === id ? undefined : 'id',
    typeof record.kind === 'string' ? undefined : 'kind',
    typeof ms === 'number' && Number.isSafeInteger(ms) ? undefined : 'event_time_ms',
    typeof record.event_ids === 'string' ? undefined : 'event_ids',
  ].filter((field) => field !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `${key}: not an alert the alerts function archived (its ${missing.join(', ')} not as written)`,
    );
  }
  return {
    key,
    body,
    id,
    kind: record.kind as string,
    user_id: text(record.user_id),
    user_name: text(record.user_name),
    event_time: text(record.event_time) ?? new Date(ms as number).toISOString(),
    event_time_ms: ms as number,
    ip_address: text(record.ip_address),
    evidence: text(record.evidence) ?? '',
    spray_key: text(record.spray_key),
    // Each id once, as check.py counts them: a repeated one counted twice failed an honest bundle.
    event_ids: [...new Set((record.event_ids as string).split(',').filter((eventId) => eventId !== ''))],
    quieted_by: text(record.quieted_by),
  };
}

/** Where the lookup found the alert, or why it did not. */
export type AlertLookup =
  | { found: ArchivedAlert }
  /** `archive`: whether the instance's archive holds any alert at all. `days`: the days read. */
  | { found?: undefined; archive: boolean; days: readonly number[] };

/**
 * The alert of `id` in the archive of `instance`, read at its key for each of `days` in turn (one
 * read a day, none listed); when it is in none, whether the archive holds any alert (one key
 * listed), so that a lake whose archive is gone (never copied, expired) is told from an id of
 * another day.
 */
export async function findArchivedAlert(
  store: ObjectStore,
  instance: string,
  id: string,
  days: readonly number[],
): Promise<AlertLookup> {
  for (const day of days) {
    const key = alertKey(instance, day, id);
    const object = await store.get(key);
    if (object !== undefined) return { found: archivedAlertOf(key, object.body, id) };
  }
  const keys = store.list(alertsPrefix(instance), { pageSize: 1 })[Symbol.asyncIterator]();
  const first = await keys.next();
  await keys.return?.();
  return { archive: first.done !== true, days };
}

/**
 * Why the bundle of `alert` cannot take its user, or undefined when it can (an id without white
 * space, or none): a user's bundle selects the events whose id is the one given, and an id is
 * given without white space (evidence-command.ts refuses it in a user given by hand). An alert's
 * id with white space (an event stored so) was trimmed until 2026-12-07: the bundle was of
 * another id than the alert's, silently; one of white space alone was read as no user, and the
 * bundle took every event.
 */
export function alertUserRefusal(alert: Pick<ArchivedAlert, 'user_id'>): string | undefined {
  const userId = alert.user_id;
  if (userId === null || (userId !== '' && !/\s/.test(userId))) return undefined;
  return `user ${JSON.stringify(userId)} is an id ${userId.trim() === '' ? 'of white space alone' : 'with white space in it'}: a bundle of a user takes an id without white space, as one given by hand (trimmed, it would be of another id than the alert's)`;
}

/** The case a bundle of the alert takes: whole UTC hours, and the user, the address or the name it names. */
export interface AlertCase {
  fromMs: number;
  toMs: number;
  userId?: string;
  address?: AddressCase;
  userName?: string;
}

/**
 * The kinds whose alert of no user id is keyed by the name its failures carry (detection.ts,
 * userKey), not by an address: its bundle is by that name.
 */
const KEYED_BY_NAME: ReadonlySet<string> = new Set(['lockout', 'failed_login_burst']);

/**
 * The name a bundle of the alert takes (its user name as archived; none archived: `''`, failures
 * with neither id nor name), or undefined for an alert of a user or of a kind keyed otherwise.
 */
export const alertNameCase = (
  alert: Pick<ArchivedAlert, 'kind' | 'user_id' | 'user_name'>,
): string | undefined =>
  alert.user_id === null && KEYED_BY_NAME.has(alert.kind) ? (alert.user_name ?? '') : undefined;

/** The fields of an archived alert its case is made of. */
export type AlertCaseFields = Pick<
  ArchivedAlert,
  'kind' | 'user_id' | 'user_name' | 'event_time_ms' | 'evidence' | 'ip_address' | 'spray_key'
>;

/**
 * The address case of an alert naming no user: a spray's group as the detector judged it (its
 * `spray_key`: the address, the /24 or /48, the network owner, or every failure under a name of no
 * user; a spray archived before the key, read back from its evidence), any other kind's address
 * (its `ip_address`, keyed as a spray's failures are: the client entry, without port or proxy
 * hops); undefined when it names none (`unknown`, no address).
 */
export function alertAddressCase(
  alert: Pick<ArchivedAlert, 'kind' | 'evidence' | 'ip_address' | 'spray_key'>,
): AddressCase | undefined {
  if (alert.kind === 'password_spray') {
    const spray = sprayGroupOfAlert({
      evidence: alert.evidence,
      ip_address: alert.ip_address,
      ...(alert.spray_key === null ? {} : { spray_key: alert.spray_key }),
    });
    return spray === null ? undefined : { scope: spray.scope, group: spray.group };
  }
  const key = failureAddress(alert.ip_address)?.key;
  return key === undefined ? undefined : { scope: 'address', group: key };
}

/** A journey's evidence: `… km in 1234 min; previous login …` (detect-suspicious-logins.ts). */
const JOURNEY_MINUTES = / km in (\d+) min; previous login /;

/**
 * An impossible journey's departure (the user's previous sign-in, in the other country), at the
 * latest: its evidence gives the minutes between the two sign-ins, rounded, so a minute earlier
 * than the arrival less those is before it. Undefined for another kind, or evidence not so worded.
 * With `maxSpeedKmh` at 100 the departure may be 8 days before the arrival.
 */
export function journeyDepartureMs(
  alert: Pick<ArchivedAlert, 'kind' | 'evidence' | 'event_time_ms'>,
): number | undefined {
  if (alert.kind !== 'impossible_travel') return undefined;
  const minutes = JOURNEY_MINUTES.exec(alert.evidence)?.[1];
  return minutes === undefined ? undefined : alert.event_time_ms - (Number(minutes) + 1) * MINUTE_MS;
}

/**
 * The case of an alert's bundle: for an alert of a user, their events (as query user_activity
 * selects them) from the UTC day before the alert's day (or, for an impossible journey, the day of
 * its departure when earlier: {@link journeyDepartureMs}) to the end of the day after it; for one
 * of no user, the events of the alert's hour and the {@link ALERT_ADDRESS_HOURS} hours either side:
 * a lockout's or burst's under its name ({@link alertNameCase}: until 2026-12-07 those from its key
 * event's address, so its failures from other addresses were left out), any other's from its
 * address, network or owner ({@link alertAddressCase}). Never past
 * `lakeEndMs`, the end of the hours the lake has pulled (an alert of today: the day after is not
 * over, and an hour not pulled fails the bundle's check), but always to the end of the alert's own
 * hour. An alert whose user no bundle can take ({@link alertUserRefusal}), or naming neither a user
 * nor an address, throws.
 */
export function alertCase(alert: AlertCaseFields, lakeEndMs: number): AlertCase {
  const hour = floorHour(alert.event_time_ms);
  const end = (toMs: number) => Math.min(toMs, Math.max(floorHour(lakeEndMs), hour + HOUR_MS));
  const refusal = alertUserRefusal(alert);
  if (refusal !== undefined) throw new Error(`the alert's ${refusal}`);
  const userId = alert.user_id ?? undefined;
  if (userId !== undefined) {
    const day = startOfDay(alert.event_time_ms);
    const departure = journeyDepartureMs(alert);
    return {
      fromMs: Math.min(day - ALERT_USER_DAYS * DAY_MS, departure === undefined ? day : startOfDay(departure)),
      toMs: end(day + (ALERT_USER_DAYS + 1) * DAY_MS),
      userId,
    };
  }
  const around = {
    fromMs: hour - ALERT_ADDRESS_HOURS * HOUR_MS,
    toMs: end(hour + (ALERT_ADDRESS_HOURS + 1) * HOUR_MS),
  };
  const userName = alertNameCase(alert);
  if (userName !== undefined) return { ...around, userName };
  const address = alertAddressCase(alert);
  if (address === undefined) {
    throw new Error(
      `the alert names neither a user nor an address (its address ${JSON.stringify(alert.ip_address)})`,
    );
  }
  return { ...around, address };
}

/**
 * The end of the hours the lake of `instance` has pulled, for the bundle of `alert`: its ingest
 * checkpoint's watermark; with none (a copy of some days of the deployed lake, which holds no
 * `state/`; a lake filled by ranges), the end of the last hour of the alert's period with a
 * coverage manifest (its days listed, at most three), or the start of the current hour when none
 * has one. Until 2026-12-07 a copy took the current hour: the hours from the deployed lake's
 * watermark to the bundle's making, never pulled, failed check.py of an alert of today or yesterday.
 */
export async function pulledEnd(
  store: ObjectStore,
  instance: string,
  nowMs: number,
  alert: AlertCaseFields,
): Promise<number> {
  const stored = await readCheckpoint(store, instance);
  if (stored !== undefined) return stored.checkpoint.watermark_ms;
  const widest = alertCase(alert, Number.MAX_SAFE_INTEGER);
  let last: number | undefined;
  for await (const { windowStartMs } of coverageKeys(store, instance, widest.fromMs, widest.toMs)) {
    last = windowStartMs;
  }
  return last === undefined ? floorHour(nowMs) : last + HOUR_MS;
}

/** The alert's triggering events the bundle's lines hold, tallied as the lines are written. */
export class AlertEventTally {
  private readonly wanted: ReadonlySet<string>;
  private readonly seen = new Set<string>();

  constructor(eventIds: readonly string[]) {
    this.wanted = new Set(eventIds);
  }

  /** Lines of events.ndjson, as the lake stores them. */
  add(lines: readonly string[]): void {
    this.addRecords(lines.map(ndjsonRecord));
  }

  /** The same lines parsed ({@link ndjsonRecord}), for a caller that parsed them already. */
  addRecords(records: readonly (Readonly<Record<string, unknown>> | undefined)[]): void {
    for (const record of records) {
      if (this.seen.size === this.wanted.size) return;
      const id = record?.event_id;
      if (typeof id === 'string' && this.wanted.has(id)) this.seen.add(id);
    }
  }

  /** How many of the alert's events the lines held, and those they did not (in the alert's order). */
  result(): { in_bundle: number; not_in_bundle: string[] } {
    return { in_bundle: this.seen.size, not_in_bundle: [...this.wanted].filter((id) => !this.seen.has(id)) };
  }
}
