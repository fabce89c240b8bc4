/**
 * A security alert: one finding of a detector over the hours the ingest saved, with the events that
 * triggered it. Its id is derived from those events' ids only, so however often an hour is
 * evaluated again (retries, re-runs, lookback re-pulls) the same finding has the same id, and the
 * send-once machinery (alert-checkpoint.ts) can recognise it.
 */
import { createHash } from 'node:crypto';
import type { Column } from '../lake/column.ts';
import type { ChangeKind } from '../privileged-change-kind.ts';
import type { AlertAddress } from './alert-addresses.ts';

/**
 * What the detectors find. `new_country`, `new_network` (a new network owner), `impossible_travel`
 * and `unusual_hour` are the weekly report's suspicious logins (same definitions); `lockout` and
 * `failed_login_burst` and `password_spray` (many users failing from one address) come from the
 * failed-login events; `login_after_failures` is a sign-in right after such failures or a lockout,
 * `login_after_spray` a sign-in from where a password spray came in the hour before;
 * `privileged_change` is any change to who may do what (the events `query admin_changes` lists);
 * `bulk_export` is one user exporting many objects within an hour (off unless `exportBurst` is
 * set; the exports `query bulk_data_movement` counts); `activity_after_deactivation` is a sign-in,
 * privileged change or export in the name of a user deactivated or deleted earlier
 * (deactivation-forms.ts; `query activity_after_deactivation`).
 */
export const ALERT_KINDS = [
  'lockout',
  'failed_login_burst',
  'password_spray',
  'login_after_failures',
  'login_after_spray',
  'impossible_travel',
  'new_country',
  'new_network',
  'unusual_hour',
  'privileged_change',
  'bulk_export',
  'activity_after_deactivation',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  /**
   * 32 hex characters: sha256 over instance, kind and the sorted triggering event ids (a
   * privileged change Domo served twice: its first copy's id alone, detect-privileged-changes.ts).
   */
  id: string;
  instance: string;
  kind: AlertKind;
  user_id: string | null;
  user_name: string | null;
  /** UTC `YYYY-MM-DD HH:MM:SS.mmm` of the key event (the lockout, the login, the burst's last failure). */
  event_time: string;
  event_time_ms: number;
  /** One line saying why, in the words of the weekly report for the suspicious logins. */
  evidence: string;
  ip_address: string | null;
  /** The triggering events, as stored in `activity_log` (for digging further). */
  event_ids: string[];
  /**
   * The geo database that placed the sign-in of a place alert (`new_country`, `new_network`,
   * `impossible_travel`): its `geo_db_version`, which the message dates. For a `lockout` or
   * `failed_login_burst`, the one that placed the latest of the failures whose addresses its
   * evidence places. Absent from `unusual_hour`, from a lockout or burst with no address placed,
   * and from alerts taken in before it was recorded.
   */
  geo_db_version?: string;
  /**
   * For `impossible_travel`, the geo database that placed the journey's departure (the user's
   * previous sign-in), when known: it may be another than the arrival's (a sign-in enriched before
   * a geo data update), and the message then names both.
   */
  departure_geo_db_version?: string;
  /**
   * For an alert about failures without a user id, every spelling of the name its events carried
   * when there were several (detection.ts, `nameKey`): the query to dig further matches them all.
   * Archived since 2026-12-06 ({@link AlertRecord.user_names}).
   */
  user_names?: string[];
  /**
   * For a `password_spray`, the texts its failures wrote their address in when there were
   * several (a port or proxy hop changing with each attempt; ip-network.ts, addressKey), newest
   * first, as many as {@link boundedAddressTexts} keeps: the query to dig further matches them all,
   * not only `ip_address` (the raising failure's). Present too when a text was dropped, maybe
   * empty then. Archived since 2026-12-06 ({@link AlertRecord.ip_addresses}).
   */
  ip_addresses?: string[];
  /** True when the spray wrote texts of its address that {@link Alert.ip_addresses} leaves out. */
  ip_addresses_partial?: boolean;
  /**
   * For a `password_spray`, the key the alerts checkpoint records it under (spray-groups.ts,
   * sprayRecordKey: `NET 178.62.10.0/24`, `OWNER AS14061`, `ANY any address`, `SLOW 5.6.7.8`, an
   * address key): its group and level as data, not read back from the evidence. Absent from
   * sprays taken in before 2026-12-06, whose evidence says them. Archived since 2026-12-06.
   */
  spray_key?: string;
  /**
   * Every address text of the sign-ins a sign-in alert counts (the sign-in, and a journey's
   * departure), each with the country its event was placed in: what the expected-activity list's
   * `ip` and `country` must all hold (alert-addresses.ts). Absent from failure alerts, and from
   * alerts taken in before it was recorded: no such rule matches them. Not archived; left out of the checkpoint once the alert is taken in.
   */
  addresses?: AlertAddress[];
  /**
   * For a `privileged_change` done by one user acting as another (Domo's actor: an admin acting for
   * the user), who acted; absent when nobody else did. `user_id` is the user acted as. The evidence
   * names them too; an expected-activity rule quiets such an alert only when it names both.
   */
  actor_id?: string;
  actor_name?: string;
  /**
   * For a `bulk_export`, true when any export its raising window counts was done acting as another
   * user (the doer, `user_id`, is then the actor): no expected-activity rule quiets it, since a rule
   * for the doer's own scheduled exports must not quiet a pull of other users' data made as them
   * (docs/decisions.md, 2026-12-07). Absent otherwise. Not archived: the evidence says it.
   */
  acting_as_others?: true;
  /**
   * For a `privileged_change`, its kind by what it did, as the weekly report ranks it
   * (privileged-change-kind.ts, `kindOfChange`): a message lists the gravest first
   * (privileged-change-order.ts). Absent from alerts taken in before 2026-12-06, which rank as
   * `other`. Not archived: the evidence says what was changed.
   */
  change_kind?: ChangeKind;
  /** True when {@link Alert.addresses} had to leave some out: no `ip` or `country` rule matches then. */
  addresses_partial?: true;
  /**
   * The expected-activity rule that quieted the alert (`rule 2 ("office VPN"): <reason>`): taken in
   * and archived, never sent. Absent from alerts sent.
   */
  quieted_by?: string;
}

/**
 * Address texts a spray's alert keeps ({@link Alert.ip_addresses}): enough for the query to dig
 * further to find the spray's events however its port or hop changed, few enough that a spray
 * changing its text with each attempt keeps the checkpoint and the query small.
 */
const SPRAY_ADDRESS_TEXTS = 20;
/**
 * The longest text kept, and the characters of all kept: an address text may be up to 1 MiB, and
 * a hidden character is spelled `chr(9) ||` in the query (~10 times as long). 30 failures of 4,000
 * tabs each made the query 805 KB (Athena takes 262,144 bytes) and each alert 329 KB, held in the
 * checkpoint's archive and in each channel's outbox (review R-SPRAYKEY2). An address with a port
 * and a few proxy hops is well under 256 characters.
 */
export const SPRAY_ADDRESS_TEXT_CHARS = 256;
const SPRAY_ADDRESS_CHARS = 2_048;

/**
 * Of `texts` (distinct, newest first), those a spray's alert keeps: none over
 * {@link SPRAY_ADDRESS_TEXT_CHARS}, at most {@link SPRAY_ADDRESS_TEXTS} and
 * {@link SPRAY_ADDRESS_CHARS} characters in all; `partial` when any was left out.
 */
export function boundedAddressTexts(texts: Iterable<string>): { texts: string[]; partial: boolean } {
  const kept: string[] = [];
  let chars = 0;
  let partial = false;
  for (const text of texts) {
    const fits = text.length <= SPRAY_ADDRESS_TEXT_CHARS && chars + text.length <= SPRAY_ADDRESS_CHARS;
    if (!fits || kept.length === SPRAY_ADDRESS_TEXTS) {
      partial = true;
      continue;
    }
    kept.push(text);
    chars += text.length;
  }
  return { texts: kept, partial };
}

/**
 * `alert` with its address texts bounded as {@link boundedAddressTexts} bounds them: what the
 * detector raises, and what the checkpoint reads (an alert an earlier release kept may hold longer
 * ones).
 */
export function withBoundedAddressTexts<A extends Alert>(alert: A): A {
  if (alert.ip_addresses === undefined) return alert;
  const { texts, partial } = boundedAddressTexts(alert.ip_addresses);
  if (!partial) return alert;
  return { ...alert, ip_addresses: texts, ip_addresses_partial: true };
}

/** What `alerts --format json` lists for each alert (the archive holds a few more fields). */
export const publicAlert = (alert: Alert) => ({
  id: alert.id,
  instance: alert.instance,
  kind: alert.kind,
  user_id: alert.user_id,
  user_name: alert.user_name,
  event_time: alert.event_time,
  evidence: alert.evidence,
  ip_address: alert.ip_address,
});

/** The stable id of a finding of `kind` triggered by `eventIds` in `instance`. */
export function alertId(instance: string, kind: AlertKind, eventIds: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`${instance}\n${kind}\n`);
  for (const id of [...eventIds].sort()) hash.update(`${id}\n`);
  return hash.digest('hex').slice(0, 32);
}

/** One line of `alerts/instance=<i>/dt=<d>/<id>.json`: the alert and when it was found. */
export interface AlertRecord
  extends Omit<
    Alert,
    | 'event_ids'
    | 'geo_db_version'
    | 'departure_geo_db_version'
    | 'user_names'
    | 'ip_addresses'
    | 'ip_addresses_partial'
    | 'spray_key'
    | 'addresses'
    | 'addresses_partial'
    | 'quieted_by'
    | 'actor_id'
    | 'actor_name'
    | 'acting_as_others'
    | 'change_kind'
  > {
  /** Comma-separated, so every JSON SerDe reads it as one string column. */
  event_ids: string;
  detected_at: string;
  run_id: string;
  /**
   * Null when the alert carries none (it names no place, or was taken in before it was recorded); a
   * line archived before the key was written reads as null too: the JSON SerDes read a missing key
   * as null.
   */
  geo_db_version: string | null;
  /** An impossible journey's departure's geo database, when known; null otherwise, as above. */
  departure_geo_db_version: string | null;
  /** The expected-activity rule that quieted the alert (not sent); null for an alert sent, and for older lines. */
  quieted_by: string | null;
  /**
   * A spray's group and level ({@link Alert.spray_key}); null for other kinds, sprays taken in
   * before it was kept, and lines archived before 2026-12-06. The evidence names the group in
   * words; an analyst counting sprays per network needs it as data.
   */
  spray_key: string | null;
  /** Every spelling of the name of an alert about failures without a user id; null when one, or for older lines. */
  user_names: string[] | null;
  /**
   * A spray's address texts ({@link Alert.ip_addresses}, at most {@link SPRAY_ADDRESS_TEXTS});
   * null for other kinds and older lines. Without them the archive held only the raising
   * failure's text, and a spray whose port changed with each attempt was found again only
   * through its `event_ids`.
   */
  ip_addresses: string[] | null;
}

/** The archived form of an alert, its keys in column order. */
export const alertRecord = (alert: Alert, detectedAtMs: number, runId: string): AlertRecord => ({
  id: alert.id,
  instance: alert.instance,
  kind: alert.kind,
  user_id: alert.user_id,
  user_name: alert.user_name,
  event_time: alert.event_time,
  event_time_ms: alert.event_time_ms,
  evidence: alert.evidence,
  ip_address: alert.ip_address,
  event_ids: alert.event_ids.join(','),
  detected_at: new Date(detectedAtMs).toISOString(),
  run_id: runId,
  geo_db_version: alert.geo_db_version ?? null,
  departure_geo_db_version: alert.departure_geo_db_version ?? null,
  quieted_by: alert.quieted_by ?? null,
  spray_key: alert.spray_key ?? null,
  user_names: alert.user_names ?? null,
  ip_addresses: alert.ip_addresses ?? null,
});

/**
 * The comment of the `alerts` table's `dt`: the lake tables' says "of the window", and an alert's
 * is its key event's day (archive-alerts.ts), whenever it was found.
 */
export const ALERTS_DT_COMMENT =
  "UTC date of event_time (an alert found days later is filed under its event's day), YYYY-MM-DD; bound it in every query (dt BETWEEN '2026-11-23' AND '2026-11-29'): Athena then reads only those days, else every day stored";

/**
 * Columns of the Glue table `alerts`, in file order. `instance` is not among them though each line
 * carries it: it is a partition column (from the path), and Athena refuses every query of a table
 * that names a column twice (HIVE_INVALID_METADATA); the JSON SerDe skips the key.
 */
export const ALERT_COLUMNS: readonly Column[] = [
  { name: 'id', glue: 'string', comment: 'stable alert id (sha256 of instance, kind and event ids)' },
  {
    name: 'kind',
    glue: 'string',
    // Every kind, so the table's description follows a new one.
    comment: `${ALERT_KINDS.slice(0, -1).join(', ')} or ${ALERT_KINDS.at(-1)}`,
  },
  { name: 'user_id', glue: 'string', comment: 'the user the alert is about' },
  { name: 'user_name', glue: 'string', comment: 'their name as the triggering event carried it' },
  // Which times are UTC and which local: the evidence is the one column on the alerts' clock.
  {
    name: 'event_time',
    glue: 'timestamp',
    comment:
      "time of the key event (the sign-in, a window's last failure) in UTC, stored without a zone: bound it with TIMESTAMP '2026-11-27 00:00:00'; local time: at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')",
  },
  { name: 'event_time_ms', glue: 'bigint', comment: 'the same instant, epoch milliseconds (UTC)' },
  {
    name: 'evidence',
    glue: 'string',
    comment:
      "why the alert was raised. Its times are local: on the clock of report.timeZone at the run that found it, with the offset and zone (14:02 to 14:06 -05:00 America/New_York; 14:02 UTC in UTC); activity_after_deactivation's are UTC",
  },
  { name: 'ip_address', glue: 'string', comment: 'client IP of the key event' },
  { name: 'event_ids', glue: 'string', comment: 'the triggering activity_log event ids, comma-separated' },
  {
    name: 'detected_at',
    glue: 'string',
    comment:
      "when the alert was first found, UTC, as ISO 8601 text (2026-11-27T14:20:05.123Z): compare it as text, detected_at >= '2026-11-27'; local: at_timezone(from_iso8601_timestamp(detected_at), 'Europe/Paris')",
  },
  { name: 'run_id', glue: 'string', comment: 'alerts run that found it' },
  {
    name: 'geo_db_version',
    glue: 'string',
    comment:
      'geo database that placed the places the alert names; null when it names none, and for older alerts',
  },
  {
    name: 'departure_geo_db_version',
    glue: 'string',
    comment: "geo database that placed an impossible journey's departure, when known; else null",
  },
  {
    name: 'quieted_by',
    glue: 'string',
    comment:
      'the expected-activity rule that quieted the alert (archived, not sent) and its reason; null when sent',
  },
  {
    name: 'spray_key',
    glue: 'string',
    comment:
      "a password spray's group and level (NET 178.62.10.0/24, OWNER AS14061, SLOW 5.6.7.8, an address)",
  },
  {
    name: 'user_names',
    glue: 'array<string>',
    comment: 'every spelling of the name of an alert about failures without a user id, when several',
  },
  {
    name: 'ip_addresses',
    glue: 'array<string>',
    comment: "a password spray's address texts as its failures wrote them, newest first (at most 20)",
  },
];
