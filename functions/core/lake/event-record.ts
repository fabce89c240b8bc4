import type { EventCategory } from '../domo/event-category.ts';
import type { Column } from './column.ts';

/**
 * One line of `activity_log/…/*.ndjson.gz` (DESIGN §3.1). Every field is always present; fields the
 * source did not send are null. Partition columns (`instance`, `dt`) come from the object key.
 */
export interface EventRecord {
  event_id: string;
  /** UTC `YYYY-MM-DD HH:MM:SS.mmm`: the one format Athena's SerDes, Trino and DuckDB all read as a timestamp. */
  event_time: string;
  event_time_ms: number;
  time_raw: string;
  action_type: string | null;
  event_text: string | null;
  object_type: string | null;
  object_id: string | null;
  object_name: string | null;
  user_id: string | null;
  user_name: string | null;
  user_type: string | null;
  actor_id: string | null;
  actor_name: string | null;
  actor_type: string | null;
  additional_comment: string | null;
  ip_address: string | null;
  device: string | null;
  browser_details: string | null;
  category: EventCategory;
  raw: string;
  window_start_ms: number;
  window_end_ms: number;
  ingested_at: string;
  run_id: string;
  /** ISO 3166-1 alpha-2 country of ip_address; null for no, private or unknown addresses and for records written before enrichment. */
  ip_country: string | null;
  /** Autonomous system number of ip_address's network. */
  ip_asn: number | null;
  /** The owner of that network (AS organisation). */
  ip_org: string | null;
  /** The geo database the three columns above came from; null when no lookup was made. */
  geo_db_version: string | null;
}

/**
 * "X did the event", as data_movement.sql and bulk_data_movement.sql pick the doer: the actor when
 * their `actor_named` holds (its text word for word), else the user. Equal to their doer for every
 * X that names a user.
 */
const DONE_BY_X =
  "CASE WHEN translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), '') NOT IN ('', '0') THEN actor_id ELSE user_id END = X";

/** Column order of the Glue table and of the DuckDB view; the writer emits keys in this order too. */
export const EVENT_COLUMNS: readonly Column[] = [
  // What a hunter writing their own SQL in the console trips on, said where they read it: how to
  // count entries, bound a time, match an action or an address and read raw (review HUNT M2).
  {
    name: 'event_id',
    glue: 'string',
    comment:
      "sha256 of the canonical raw entry, -n for the n-th identical twin in its hour; entries, twins once: count(DISTINCT split_part(event_id, '-', 1))",
  },
  {
    name: 'event_time',
    glue: 'timestamp',
    comment:
      "event time, UTC, stored without a zone: bound it with TIMESTAMP '2026-11-27 00:00:00' (a text bound fails on Athena); local time: at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')",
  },
  { name: 'event_time_ms', glue: 'bigint', comment: 'event time, epoch milliseconds' },
  { name: 'time_raw', glue: 'string', comment: 'the time value as Domo sent it' },
  {
    name: 'action_type',
    glue: 'string',
    comment:
      "Domo actionType as sent, e.g. VIEWED, EXPORTED, SHARED, DELETED, CREATED, LOGGED_IN, LOGIN_FAILED; match it in any case, upper(action_type) = 'EXPORTED', as the saved queries do",
  },
  { name: 'event_text', glue: 'string', comment: 'Domo eventText, e.g. Viewed page' },
  {
    name: 'object_type',
    glue: 'string',
    comment:
      'Domo objectType, e.g. PAGE (a dashboard), CARD, DATA_SOURCE (a dataset), ACCESS_TOKEN, USER (a sign-in)',
  },
  { name: 'object_id', glue: 'string', comment: 'object id as a string (numeric, negative or UUID)' },
  { name: 'object_name', glue: 'string', comment: 'object name' },
  // An admin acting as someone else is in actor_id, the user acted as in user_id (Domo's fields,
  // the simulator's and docs/queries.md's reading): "acting user" on user_id read as the admin
  // (review R-ANALYST3 L1). "What X did" was user_id = X OR actor_id = X, which also takes what an
  // admin did as X: the doer is the actor when there is one, as data_movement counts (review HUNT L1).
  // "Done by X" is data_movement.sql's doer, its actor_named test word for word: an actor of white
  // space or " 0 " names nobody there, and the event is the user's (test/queries/doer-comment.test.ts).
  // Too long for user_id's 255 characters beside the rest, it stands in actor_id's.
  {
    name: 'user_id',
    glue: 'string',
    comment:
      "id of the user the event was done as: who did it, unless actor_id names someone acting for them. X's events, by or as X: user_id = X OR actor_id = X; done by X: see actor_id. Empty, white space or 0: nobody",
  },
  { name: 'user_name', glue: 'string', comment: 'name of user_id at the time' },
  { name: 'user_type', glue: 'string', comment: 'type of user_id, e.g. USER' },
  {
    name: 'actor_id',
    glue: 'string',
    comment: `id of the user who acted as user_id, on their behalf (an admin); "0" when nobody did. Done by X: ${DONE_BY_X}`,
  },
  { name: 'actor_name', glue: 'string', comment: 'name of actor_id; empty when nobody did' },
  { name: 'actor_type', glue: 'string', comment: 'type of actor_id' },
  { name: 'additional_comment', glue: 'string', comment: 'Domo additionalComment' },
  {
    name: 'ip_address',
    glue: 'string',
    comment:
      "client IP address as sent: one address or a forwarded-for list, client first ('80.150.1.2, 10.0.0.4'), so ip_address = 'a' misses lists; the saved query address_activity matches every entry",
  },
  { name: 'device', glue: 'string', comment: 'device type' },
  { name: 'browser_details', glue: 'string', comment: 'user agent' },
  { name: 'category', glue: 'string', comment: 'login, login_failed, lockout, logout or other' },
  {
    name: 'raw',
    glue: 'string',
    comment:
      "the entry as Domo served it, JSON text, fields no column reads included: read one with json_extract_scalar(raw, '$.authenticationMethod'), null when absent",
  },
  { name: 'window_start_ms', glue: 'bigint', comment: 'start of the hour window this record was pulled in' },
  { name: 'window_end_ms', glue: 'bigint', comment: 'end (exclusive) of that window' },
  {
    name: 'ingested_at',
    glue: 'string',
    comment:
      'UTC, ISO 8601 text (2026-11-27T13:15:02.117Z): start of the ingest run that first stored the record',
  },
  { name: 'run_id', glue: 'string', comment: 'ingest run that first wrote the record' },
  {
    name: 'ip_country',
    glue: 'string',
    comment:
      "ISO 3166-1 alpha-2 country of ip_address's client entry (of a list, the left-most public one, which the client can forge), from the geo database; null when private, unknown or not looked up: ip_country IS DISTINCT FROM 'US' keeps those, <> drops them",
  },
  { name: 'ip_asn', glue: 'bigint', comment: 'autonomous system number of ip_address (geo database)' },
  { name: 'ip_org', glue: 'string', comment: 'owner of that network, the AS organisation (geo database)' },
  {
    name: 'geo_db_version',
    glue: 'string',
    comment: 'geo database the ip_ columns came from; null if no lookup was made',
  },
];
