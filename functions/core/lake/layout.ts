/**
 * Where everything lives in the lake, as pure functions of (instance, time). The writer, the
 * readers, `verify`, the DuckDB views and the Glue tables (infra) all derive their paths from here,
 * so they cannot drift apart.
 */

import { floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';

/** The lake's tables and the top-level folder each one lives under. */
export const TABLE_PREFIXES = {
  activity_log: 'activity_log',
  coverage: 'coverage',
  quarantine: 'quarantine',
} as const;
export type LakeTable = keyof typeof TABLE_PREFIXES;

const INSTANCE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Instance names become path segments and Athena enum values, so they are kept to a safe alphabet. */
/** Whether `name` is one an instance may have (see {@link assertInstanceName}). */
export const isInstanceName = (name: string): boolean => INSTANCE_PATTERN.test(name);

export function assertInstanceName(instance: string): string {
  if (!isInstanceName(instance)) {
    throw new Error(
      `instance name "${instance}" is not valid: use 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit`,
    );
  }
  return instance;
}

/** `YYYY-MM-DD` of an epoch-ms time, in UTC. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `YYYY-MM-DDTHH` of an epoch-ms time, in UTC: the name of an hour window. */
const utcHour = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

/** Epoch ms of a lake timestamp (`YYYY-MM-DD HH:MM:SS.mmm`, UTC), or NaN if it is not one. */
export const parseLakeTimestamp = (text: string): number =>
  Date.parse(`${text.trim().replace(' ', 'T').replace(/Z?$/, '')}Z`);

/** UTC `YYYY-MM-DD HH:MM:SS.mmm`, the lake's timestamp text. */
export function lakeTimestamp(ms: number): string {
  const into = ms - lastHour.startMs;
  if (into >= 0 && into < HOUR_MS && Number.isInteger(ms)) {
    const minutes = Math.floor(into / MINUTE_MS);
    const seconds = Math.floor(into / 1000) % 60;
    const millis = into % 1000;
    return `${lastHour.prefix}${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`;
  }
  const text = new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  if (Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000_MS) {
    lastHour = { startMs: floorHour(ms), prefix: text.slice(0, 14) };
  }
  return text;
}

/**
 * The hour of the last timestamp written (its `YYYY-MM-DD HH:`): an hour's records are written one
 * after another, and building each through a Date and its ISO text cost more than the rest of the
 * record's columns together.
 */
let lastHour = { startMs: Number.NaN, prefix: '' };
const YEAR_10000_MS = Date.UTC(10_000, 0, 1);
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

const partition = (table: LakeTable, instance: string, windowStartMs: number): string =>
  `${TABLE_PREFIXES[table]}/instance=${assertInstanceName(instance)}/dt=${utcDate(windowStartMs)}/`;

/** The one object holding every event of the hour window starting at `windowStartMs`. */
export const activityKey = (instance: string, windowStartMs: number): string =>
  `${partition('activity_log', instance, windowStartMs)}${utcHour(windowStartMs)}.ndjson.gz`;

/** The coverage manifest of that window. */
export const coverageKey = (instance: string, windowStartMs: number): string =>
  `${partition('coverage', instance, windowStartMs)}${utcHour(windowStartMs)}.json`;

/**
 * The quarantined entries of that window. Keyed by window (not by run, as DESIGN §1 first sketched)
 * so that re-pulling a window merges its bad entries instead of quarantining them once per run.
 */
export const quarantineKey = (instance: string, windowStartMs: number): string =>
  `${partition('quarantine', instance, windowStartMs)}${utcHour(windowStartMs)}.ndjson.gz`;

/** Prefix of one instance's ingest state (its checkpoint, its Domo customer): what only its ingest writes. */
export const statePrefix = (instance: string): string => `state/instance=${assertInstanceName(instance)}/`;

export const checkpointKey = (instance: string): string => `${statePrefix(instance)}checkpoint.json`;

/**
 * The Domo customer an instance's lake is bound to: created once, before the first entry is stored,
 * and never rewritten by a run (lake/customer-binding.ts).
 */
/**
 * An operator-written note that the instance was removed from the deployment: `status` shows it
 * retired instead of late for ever (review R-MSP M3). No run writes or reads it.
 */
export const retiredMarkerKey = (instance: string): string => `${statePrefix(instance)}retired.json`;
/**
 * An operator-written note of hours skipped on purpose (a watermark moved on with its
 * `repull_from_ms`): `status` names them instead of paging for them (lake/skipped-hours.ts). No run
 * writes or reads it.
 */
export const skippedHoursKey = (instance: string): string => `${statePrefix(instance)}skipped-hours.json`;
export const customerBindingKey = (instance: string): string => `${statePrefix(instance)}domo-customer.json`;

/**
 * Prefix of one instance's digest chain: what each ingest run wrote, with hashes, each digest
 * naming the one before it. Written create-only by that instance's ingest, never rewritten.
 */
export const digestPrefix = (instance: string): string => `digest/instance=${assertInstanceName(instance)}/`;

/** Digest number `sequence` of an instance; zero-padded so the keys list in chain order. */
export const digestKey = (instance: string, sequence: number): string =>
  `${digestPrefix(instance)}${String(sequence).padStart(10, '0')}.json`;

/** Parses a digest key back into its sequence number, or undefined if the key is not one. */
export function digestSequenceFromKey(key: string): number | undefined {
  const match = /^digest\/instance=[a-z0-9][a-z0-9_-]{0,62}\/(\d{10})\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/**
 * The top-level folders an ingest run writes, each holding `instance=<name>/` folders: what marks a
 * directory as a lake before anything is written into it. Taken from the prefixes above, so a new
 * table or state folder cannot be left out.
 */
export const INGEST_FOLDERS: readonly string[] = [
  ...Object.values(TABLE_PREFIXES),
  ...[statePrefix, digestPrefix].map((prefix) => prefix('main').split('/')[0] as string),
];

/** Prefix of one instance's archived weekly reports and their sent-markers. */
export const reportsPrefix = (instance: string): string =>
  `reports/instance=${assertInstanceName(instance)}/`;

/** Marker written (create-only) before a weekly report is mailed, so a retry never mails it twice. */
export const reportSentKey = (instance: string, isoWeek: string): string =>
  `${reportsPrefix(instance)}${isoWeek}.sent.json`;

/**
 * Marker of the correction of a week mailed with hours missing (report/week-correction.ts):
 * claimed before the correction is mailed, so a retry or a run beside it never mails it twice.
 */
export const reportCorrectionKey = (instance: string, isoWeek: string): string =>
  `${reportsPrefix(instance)}${isoWeek}.correction.json`;

export const reportKey = (instance: string, isoWeek: string, ext: 'html' | 'txt' | 'json' | 'eml'): string =>
  `${reportsPrefix(instance)}${isoWeek}.${ext}`;

/** Prefix of every partition of a table for one instance, for listing. */
export const tableInstancePrefix = (table: LakeTable, instance: string): string =>
  `${TABLE_PREFIXES[table]}/instance=${assertInstanceName(instance)}/`;

/** Prefix of one day partition of a table for one instance, for listing. */
export const tableDayPrefix = (table: LakeTable, instance: string, dayStartMs: number): string =>
  partition(table, instance, dayStartMs);

/** Parses a window object key back into its window start, or undefined if the key is not one. */
export function windowStartFromKey(key: string): number | undefined {
  // The file's name is the hour's in its own day's folder (`\1`).
  const match = /\/dt=(\d{4}-\d{2}-\d{2})\/(\1T\d{2})\.(?:ndjson\.gz|json)$/.exec(key);
  return match ? hourNameStart(match[2] as string) : undefined;
}

/**
 * Epoch ms of the hour a `YYYY-MM-DDTHH` name gives (UTC, as {@link utcHour} names a window), or
 * undefined for no such hour: what every reader of a key's hour parses it with.
 */
export function hourNameStart(name: string): number | undefined {
  const ms = Date.parse(`${name}:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** File suffix of each table's objects: Athena picks the codec from it, DuckDB globs on it. */
export const TABLE_FILE_SUFFIX: Record<LakeTable, string> = {
  activity_log: '.ndjson.gz',
  coverage: '.json',
  quarantine: '.ndjson.gz',
};

/**
 * Athena partition-projection `storage.location.template` for a table, given the lake root URI
 * (`s3://bucket/prefix/`). Built from the same partition shape the keys above use.
 */
export const projectionLocationTemplate = (table: LakeTable, lakeRootUri: string): string =>
  `${lakeRootUri.replace(/\/?$/, '/')}${TABLE_PREFIXES[table]}/instance=\${instance}/dt=\${dt}/`;

/** Partition keys every table has, in path order; `dt` is a string `YYYY-MM-DD`. */
export const PARTITION_KEYS = [
  // A mistyped name is no error: the enum projection answers it with no partition (review HUNT L4).
  {
    name: 'instance',
    glue: 'string',
    comment:
      "Domo instance name from the deploy configuration, e.g. 'main'; a name not deployed answers no rows, not an error",
  },
  // A console user reads this beside the column: without a dt condition Athena scans every day
  // stored (review R-ANALYST3 L2).
  {
    name: 'dt',
    glue: 'string',
    comment:
      "UTC date of the window, YYYY-MM-DD; bound it in every query (dt BETWEEN '2026-11-23' AND '2026-11-29'): Athena then reads only those days, else every day stored",
  },
] as const;

export const DT_FORMAT_JAVA = 'yyyy-MM-dd';

/** Prefix of one instance's archived security alerts (the Glue table `alerts`), by UTC date of the event. */
export const alertsPrefix = (instance: string): string => `alerts/instance=${assertInstanceName(instance)}/`;

/** One archived alert: `alerts/instance=<i>/dt=<UTC date of its event>/<id>.json`, a single JSON line. */
export const alertKey = (instance: string, eventTimeMs: number, id: string): string =>
  `${alertsPrefix(instance)}dt=${utcDate(eventTimeMs)}/${id}.json`;

/** Athena projection template of the `alerts` table, the same partition shape as the keys above. */
export const alertsLocationTemplate = (lakeRootUri: string): string =>
  `${lakeRootUri.replace(/\/?$/, '/')}alerts/instance=\${instance}/dt=\${dt}/`;

/**
 * Prefix of one instance's alerting state: the alerts checkpoint (send-once bookkeeping), the
 * login profile (sign-in history the detections need) and the users seen deactivated (user-states.ts). Only the alerts function writes here.
 */
export const alertsStatePrefix = (instance: string): string =>
  `alerts-state/instance=${assertInstanceName(instance)}/`;

export const alertsStateKey = (
  instance: string,
  name: 'checkpoint.json' | 'login-profile.json.gz' | 'user-states.json',
): string => `${alertsStatePrefix(instance)}${name}`;

/**
 * Every top-level folder of a lake: the ingest's ({@link INGEST_FOLDERS}) and the deployed report
 * and alert functions' (`reports/`, `alerts/`, `alerts-state/`), each holding `instance=<name>/`
 * folders. Taken from the prefixes, as INGEST_FOLDERS is.
 */
export const LAKE_FOLDERS: readonly string[] = [
  ...INGEST_FOLDERS,
  ...[reportsPrefix, alertsPrefix, alertsStatePrefix].map((prefix) => prefix('main').split('/')[0] as string),
];
