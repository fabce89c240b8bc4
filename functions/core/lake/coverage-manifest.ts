import type { Column } from './column.ts';

/**
 * One `coverage/…/*.json` object (a single JSON line): proof that a window was pulled completely,
 * and what was found. Its presence is what "this hour is covered" means to `verify` and to the
 * data-health query.
 */
export interface CoverageManifest {
  window_start_ms: number;
  window_end_ms: number;
  /** UTC `YYYY-MM-DD HH:MM:SS.mmm` of the window start. */
  window_start: string;
  /** Events stored for the window after this pull (the union of every pull). */
  event_count: number;
  quarantined_count: number;
  /** Entries the API returned for this window whose time fell outside it (a time-zone misconfiguration shows here). */
  out_of_window_count: number;
  pages: number;
  requests: number;
  /** sha256 over the sorted event ids stored for the window. */
  content_hash: string;
  /** How many times the window has been pulled completely. */
  fetch_count: number;
  /** Events this pull found that earlier pulls had not (0 on the first pull). */
  late_events: number;
  /** Sum of late_events over every pull. */
  late_events_total: number;
  first_fetched_at: string;
  fetched_at: string;
  code_version: string;
  run_id: string;
  /** Geo database of the last `enrich` of this hour (absent if never re-enriched). */
  geo_db_version?: string;
  /** ISO time of that re-enrichment. */
  enriched_at?: string;
  /**
   * Of the last pull: the entries read (objects with a time, placed in this hour), and per watched
   * field (`actionType`, `eventText`, `objectType`, `objectId`, `userId`, `userName`) how many
   * lacked it, and per key no column reads how many held it (ingest/field-gaps.ts). Absent in
   * manifests written before 2026-12-06, and the two maps when empty. Not table columns: the JSON
   * object carries them, for the ingest's warning and whoever reads the manifest.
   */
  entries_read?: number;
  missing_fields?: Record<string, number>;
  unread_fields?: Record<string, number>;
  /**
   * Events the last pull stored again because Domo changed a value of theirs (the same time, user,
   * action and object as a stored event it no longer serves so: ingest/changed-in-value.ts); not
   * counted in `late_events`. Absent when none.
   */
  changed_in_value?: number;
  /**
   * Entries the last pull left out as events the hour stored in another shape: Domo serves the
   * hour's entries renamed, nested, nulled or with another action, each at the time of a stored
   * event it no longer serves and saying most of what it said (ingest/changed-in-value.ts); not
   * stored again, not counted in `late_events`. Absent when none.
   */
  reshaped?: number;
  /**
   * Events the hour holds that are identical twins of another (ids ending `-1`, `-2`, …:
   * lake/twin-entries.ts). Absent when none, and in manifests written before 2026-12-06.
   */
  twin_entries?: number;
}

export const COVERAGE_COLUMNS: readonly Column[] = [
  { name: 'window_start_ms', glue: 'bigint', comment: 'window start, epoch ms' },
  { name: 'window_end_ms', glue: 'bigint', comment: 'window end (exclusive), epoch ms' },
  { name: 'window_start', glue: 'timestamp', comment: 'window start, UTC' },
  { name: 'event_count', glue: 'int', comment: 'events stored for the window' },
  { name: 'quarantined_count', glue: 'int', comment: 'entries quarantined for the window' },
  {
    name: 'out_of_window_count',
    glue: 'int',
    comment: 'entries returned for the window with a time outside it',
  },
  { name: 'pages', glue: 'int', comment: 'pages read in the last pull' },
  { name: 'requests', glue: 'int', comment: 'HTTP requests in the last pull, retries included' },
  { name: 'content_hash', glue: 'string', comment: 'sha256 over the sorted event ids' },
  { name: 'fetch_count', glue: 'int', comment: 'complete pulls of this window so far' },
  { name: 'late_events', glue: 'int', comment: 'events the last pull found that earlier pulls had not' },
  { name: 'late_events_total', glue: 'int', comment: 'late events found over all pulls' },
  { name: 'first_fetched_at', glue: 'string', comment: 'ISO time of the first complete pull' },
  { name: 'fetched_at', glue: 'string', comment: 'ISO time of the last complete pull' },
  { name: 'code_version', glue: 'string', comment: 'version of the ingest code' },
  { name: 'run_id', glue: 'string', comment: 'ingest run of the last pull' },
  { name: 'geo_db_version', glue: 'string', comment: 'geo database of the last enrich of this hour' },
  { name: 'enriched_at', glue: 'string', comment: 'ISO time of that enrich' },
];
