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
 * A detector that reads another field adds it here (the type then lets it compile); the categories
 * kept are those the detectors declare they read (detection.ts, `DetectorTraits`; kept-events.ts).
 * Declaring `other` would keep nearly every record again: `other` is read only when it is a
 * privileged change (privileged-objects.ts), and the text check of a line looks for those object
 * types before parsing it (kept-events.ts, `mayBeAlertEvent`).
 */
import type { EventCategory } from '../domo/event-category.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { isExport } from './export-events.ts';
import { isPrivilegedChange } from './privileged-objects.ts';
import { userIdOf } from './user-id.ts';

/**
 * The fields of a privileged change or an export the detectors of them read
 * (detect-privileged-changes.ts, detect-bulk-exports.ts), kept for `other` events and, when
 * the exports are read, for an export of any category: null for the other sign-ins, failures and
 * lockouts (kept-events.ts), which would otherwise hold them for every one of the three hours a
 * run holds.
 */
export const CHANGE_EVENT_FIELDS = [
  'action_type',
  'event_text',
  'object_type',
  'object_id',
  'object_name',
  'actor_id',
  'actor_name',
  'additional_comment',
] as const satisfies readonly (keyof EventRecord)[];

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
  ...CHANGE_EVENT_FIELDS,
] as const satisfies readonly (keyof EventRecord)[];

export type AlertEvent = Pick<EventRecord, (typeof ALERT_EVENT_FIELDS)[number]>;

type ReadFields = Pick<AlertEvent, 'category' | 'user_id' | 'object_type' | 'action_type'>;

/**
 * Whether a reader of `categories` reads `event` by its category: one of them, and never a `login`
 * without a user id, null or one naming no user (`""`, `0`: user-id.ts): the suspicious-login
 * detectors and the login profile key sign-ins by the id, and those made one pseudo-user of whoever
 * signed in so. Of `other`, only the privileged changes (privileged-objects.ts): the rest is nearly
 * every record of a busy hour, which no detector reads.
 */
export const readsByCategory = (categories: readonly EventCategory[], event: ReadFields): boolean =>
  categories.includes(event.category) &&
  !(event.category === 'login' && userIdOf(event) === null) &&
  (event.category !== 'other' || isPrivilegedChange(event));

/**
 * Whether a reader of `categories` reads `event`: by its category ({@link readsByCategory}), or,
 * for a reader of `other`, an export whatever its category (export-events.ts; read from the lake
 * only when `exportBurst` turns their alert on: kept-events.ts). bulk_data_movement.sql counts an
 * `EXPORTED` event whatever its category, and a category rule may file one under another (a rule
 * of `logout` written too wide): read by category, such exports raised nothing the SQL counted.
 */
export const readsEvent = (categories: readonly EventCategory[], event: ReadFields): boolean =>
  readsByCategory(categories, event) || (categories.includes('other') && isExport(event));
