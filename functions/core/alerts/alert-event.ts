/**
 * What the alerts run keeps of the lake's records: the events some detector reads, with the fields
 * they read. A busy hour is ~100,000 records of ~30 columns and a raw entry each (~1.5 KB of JSON),
 * almost all `other`. Decoded whole, each hour held over 100 MB and a run keeps the last three it
 * read, so a 1M-events-a-day instance ran out of its 512 MB on every run and never raised an alert.
 * The sign-ins, failures and lockouts of an hour are a few percent of it, and these fields a small
 * part of each: three busy hours now take ~100 MB. That alone does not make such an instance fit:
 * the login profile it also holds grows with the sign-ins of 30 days and is most of a run's memory
 * at that size (login-profile.ts; docs/alerts.md, "Cost", sizes the function by events a day).
 *
 * A detector that reads another category or field adds it here (the type then lets it compile).
 */
import type { EventRecord } from '../lake/event-record.ts';
import { parseNdjsonLine } from '../lake/ndjson.ts';

/** The fields the detectors, the login profile and the burst records read (see the files' imports). */
export const ALERT_EVENT_FIELDS = [
  'event_id',
  'event_time_ms',
  'category',
  'user_id',
  'user_name',
  'ip_address',
  'ip_country',
  'ip_asn',
  'ip_org',
  'geo_db_version',
] as const satisfies readonly (keyof EventRecord)[];

export type AlertEvent = Pick<EventRecord, (typeof ALERT_EVENT_FIELDS)[number]>;

/**
 * The categories the detectors read: `login` (suspicious sign-ins and the login profile, only with a
 * user id), `login_failed` (bursts, a lockout's evidence) and `lockout`.
 */
export const ALERT_CATEGORIES = ['login', 'login_failed', 'lockout'] as const;

/** The categories' values as JSON writes them, quotes included: `"login"`, ... */
const QUOTED_CATEGORIES = ALERT_CATEGORIES.map((category) => JSON.stringify(category));

/**
 * Whether an NDJSON line may hold a wanted record, without parsing it; false only when it cannot.
 * A JSON string spells the letters and `_` of these values either as themselves or as a `\u`
 * escape, and a quote inside a string is always escaped: so a line whose category is one of them
 * either holds the value with its quotes (`"login"`; inside `raw`, an entry's own `"login"` is
 * `\"login\"`, which does not match) or holds a `\u`. Any other field whose whole value is one of
 * them, or a `\u` escape anywhere, only costs a parse: the record is then checked in full.
 */
export function mayBeAlertEvent(line: string): boolean {
  return (
    QUOTED_CATEGORIES.some((quoted) => line.includes(quoted)) ||
    (line.includes('\\u') && UNICODE_ESCAPE.test(line))
  );
}

/**
 * A `\u` escape of the line itself: a backslash-u after an even run of backslashes. An escape in a
 * string inside a string (`raw` holding Gson's `\u003d`) is `\\u` in the line, no escape of it,
 * and a check for any `\u` parsed nearly every line of an API that escapes its JSON so.
 */
const UNICODE_ESCAPE = /(?<!\\)(?:\\\\)*\\u/;

const wantedCategory = (category: unknown): boolean =>
  (ALERT_CATEGORIES as readonly unknown[]).includes(category);

/** The record's fields the detectors read when it is one they read, else undefined. */
export function alertEventOf(record: EventRecord): AlertEvent | undefined {
  if (!wantedCategory(record.category)) return undefined;
  if (record.category === 'login' && record.user_id === null) return undefined;
  return {
    event_id: record.event_id,
    event_time_ms: record.event_time_ms,
    category: record.category,
    user_id: record.user_id,
    user_name: record.user_name,
    ip_address: record.ip_address,
    // Records written before the geo columns existed lack them: null, as the detectors read them.
    ip_country: record.ip_country ?? null,
    ip_asn: record.ip_asn ?? null,
    ip_org: record.ip_org ?? null,
    geo_db_version: record.geo_db_version ?? null,
  };
}

/**
 * The event of one NDJSON line of an activity object (`source` and `lineNumber` name it in errors)
 * when the detectors read it, else undefined. Lines that cannot hold one are not parsed at all
 * ({@link mayBeAlertEvent}), so a malformed one among them is not reported here.
 */
export function alertEventOfLine(line: string, source: string, lineNumber: number): AlertEvent | undefined {
  if (!mayBeAlertEvent(line)) return undefined;
  return alertEventOf(parseNdjsonLine(line, source, lineNumber) as EventRecord);
}
