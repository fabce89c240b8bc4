/**
 * Which records of the lake the alerts run keeps, and their fields (alert-event.ts): the events of
 * the categories some detector declares it reads (detect-hour.ts, `DETECTORS`) or the login
 * profile folds. Derived, so a detector of a new category is kept as soon as it declares it: set by
 * hand, the list dropped every other category before any detector saw it (review R-CONTRIB H3).
 */
import type { EventCategory } from '../domo/event-category.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { parseNdjsonLine } from '../lake/ndjson.ts';
import { type AlertEvent, CHANGE_EVENT_FIELDS, readsByCategory, readsEvent } from './alert-event.ts';
import { DETECTORS } from './detect-hour.ts';
import { EXPORTED_LINE, isExport } from './export-events.ts';
import { isPrivilegedChange, PRIVILEGED_OBJECT_LINE } from './privileged-objects.ts';

/**
 * What a run reads beyond what the detectors always read: the exports (`other` events whose
 * action is `EXPORTED`) only when `exportBurst` turns their alert on. Off, their lines are never
 * parsed, and one parsed for another reason is not kept: the run's memory is what it was before
 * the alert existed (docs/alerts.md, "Cost").
 */
export interface KeptReads {
  exports: boolean;
}

/** What a run of these settings reads ({@link KeptReads}). */
export const keptReadsOf = (settings: { exportBurst: number }): KeptReads => ({
  exports: settings.exportBurst > 0,
});

/** Reads no export: the alert is off by default. */
export const DEFAULT_KEPT_READS: KeptReads = { exports: false };

/** What the login profile folds: the sign-ins with a user id (evaluate-hours.ts, `signInsOf`). */
const PROFILE_READS: readonly EventCategory[] = ['login'];

/**
 * The categories kept: today `login` (suspicious sign-ins and the login profile, only with a user
 * id), `login_failed` (bursts, sprays, a lockout's evidence), `lockout`, and of `other` only the
 * privileged changes (alert-event.ts, readsByCategory); the exports, of any category, only when
 * asked ({@link KeptReads}).
 */
export const ALERT_CATEGORIES: readonly EventCategory[] = [
  ...new Set([...PROFILE_READS, ...DETECTORS.flatMap((detector) => detector.reads)]),
];

/**
 * The categories' values as JSON writes them, quotes included: `"login"`, ... `other` is not
 * looked for: nearly every line holds it, and only its privileged changes are read, which the
 * line's object type tells ({@link PRIVILEGED_OBJECT_LINE}).
 */
const QUOTED_CATEGORIES = ALERT_CATEGORIES.filter((category) => category !== 'other').map((category) =>
  JSON.stringify(category),
);

/** Whether the privileged changes are read: some detector reads `other`. */
const READS_PRIVILEGED = ALERT_CATEGORIES.includes('other');

/**
 * Whether an NDJSON line may hold a wanted record, without parsing it; false only when it cannot.
 * A JSON string spells the letters and `_` of these values either as themselves or as a `\u`
 * escape, and a quote inside a string is always escaped: so a line whose category is one of them
 * either holds the value with its quotes (`"login"`; inside `raw`, an entry's own `"login"` is
 * `\"login\"`, which does not match) or holds a `\u`. Any other field whose whole value is one of
 * them, or a `\u` escape anywhere, only costs a parse: the record is then checked in full. An
 * `other` event is parsed only when its `object_type` is a privileged one whole, any letter case
 * ({@link PRIVILEGED_OBJECT_LINE}), or, when `reads.exports`, its action is `EXPORTED`
 * ({@link EXPORTED_LINE}; an export of any category: a category rule may file one elsewhere):
 * declaring all of `other` ran the function out of memory.
 */
export function mayBeAlertEvent(line: string, reads: KeptReads = DEFAULT_KEPT_READS): boolean {
  return (
    QUOTED_CATEGORIES.some((quoted) => line.includes(quoted)) ||
    (READS_PRIVILEGED && PRIVILEGED_OBJECT_LINE.test(line)) ||
    (READS_PRIVILEGED && reads.exports && EXPORTED_LINE.test(line)) ||
    (line.includes('\\u') && UNICODE_ESCAPE.test(line))
  );
}

/**
 * Whether a run of `reads` keeps `record`: when a detector reads it by its category, and an export
 * of any category (alert-event.ts, readsEvent) only when `reads.exports` asks for the exports.
 */
const kept = (record: EventRecord, reads: KeptReads): boolean =>
  readsByCategory(ALERT_CATEGORIES, record) || (reads.exports && readsEvent(ALERT_CATEGORIES, record));

/**
 * The change fields an export keeps: those the bulk export detector reads (detect-bulk-exports.ts),
 * not Domo's texts (`event_text`, `additional_comment`), which a privileged change's evidence
 * quotes and an export's never does: an account exporting all day would hold them for each export
 * of the three hours a run keeps.
 */
const EXPORT_FIELDS: ReadonlySet<ChangeField> = new Set([
  'action_type',
  'object_type',
  'object_id',
  'object_name',
  'actor_id',
  'actor_name',
] as const satisfies readonly ChangeField[]);

/** Which change fields `record` keeps: a privileged change's all, an export's (when read) its own. */
function keptChangeField(record: EventRecord, reads: KeptReads): (field: ChangeField) => boolean {
  if (isPrivilegedChange(record)) return () => true;
  if (reads.exports && isExport(record)) return (field) => EXPORT_FIELDS.has(field);
  return () => false;
}

/**
 * A `\u` escape of the line itself: a backslash-u after an even run of backslashes. An escape in a
 * string inside a string (`raw` holding Gson's `\u003d`) is `\\u` in the line, no escape of it,
 * and a check for any `\u` parsed nearly every line of an API that escapes its JSON so.
 */
const UNICODE_ESCAPE = /(?<!\\)(?:\\\\)*\\u/;

/**
 * The record's fields the detectors read when it is one they read (and `reads` keeps), else
 * undefined.
 */
export function alertEventOf(
  record: EventRecord,
  reads: KeptReads = DEFAULT_KEPT_READS,
): AlertEvent | undefined {
  if (!kept(record, reads)) return undefined;
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
    ...changeFields(record, keptChangeField(record, reads)),
  };
}

type ChangeField = (typeof CHANGE_EVENT_FIELDS)[number];
type ChangeFields = Pick<AlertEvent, ChangeField>;

/** What a privileged change or an export keeps beyond a sign-in's: null where `keep` says not. */
function changeFields(record: EventRecord, keep: (field: ChangeField) => boolean): ChangeFields {
  return Object.fromEntries(
    CHANGE_EVENT_FIELDS.map((field) => [field, keep(field) ? (record[field] ?? null) : null]),
  ) as ChangeFields;
}

/**
 * The event of one NDJSON line of an activity object (`source` and `lineNumber` name it in errors)
 * when the detectors read it, else undefined. Lines that cannot hold one are not parsed at all
 * ({@link mayBeAlertEvent}), so a malformed one among them is not reported here.
 */
export function alertEventOfLine(
  line: string,
  source: string,
  lineNumber: number,
  reads: KeptReads = DEFAULT_KEPT_READS,
): AlertEvent | undefined {
  if (!mayBeAlertEvent(line, reads)) return undefined;
  return alertEventOf(parseNdjsonLine(line, source, lineNumber) as EventRecord, reads);
}
