import type { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import { type Coverage, type HoursHeldEngine, historySpan, hoursHeld, noneHeld } from '../lake/hours-held.ts';
import { DEFAULT_LAG_HOURS } from '../lake/lag-threshold.ts';
import { type Log, type QueryParams, type QueryResult, type QueryRunOptions, silentLog } from '../ports.ts';
import { type AlertSettings, DEFAULT_ALERT_SETTINGS } from '../queries/alert-settings.ts';
import { listItems } from '../queries/list-columns.ts';
import { historyParams, lookbackParams, periodParams, QUERY_DEFAULTS } from '../queries/query-params.ts';
import type { UserActivityCommand } from './dig-into-user.ts';
import { previousWeek, type ReportWeek } from './iso-week.ts';
import { missingRunsOf } from './missing-hours.ts';
import { type QueryRowReader, readRows } from './query-row.ts';
import { queryTimeLimitMs } from './query-time-limit.ts';
import { queryTimer } from './query-timer.ts';
import {
  BULK_DATA_MOVER_ROWS,
  type Change,
  type DataHealth,
  FAILED_LOGIN_ROWS,
  FAILED_NETWORK_ROWS,
  type FailedLoginNetwork,
  holdsNoData,
  LOGIN_AFTER_FAILURES_ROWS,
  PRIVILEGED_CHANGE_ROWS,
  type ReportPeriod,
  SUSPICIOUS_LOGIN_ROWS,
  type UncountedSignIns,
  type UncountedSource,
  type WeeklyReportModel,
  type WeekStatus,
} from './report-model.ts';
import { type OnePerReportQuery, REPORT_QUERIES, type ReportQueryName } from './report-queries.ts';
import { errorLakeDir, leftRunningQueryId, type ReportQueryEngine } from './report-query-engine.ts';
import { type ReportRun, weekNotStarted } from './report-run.ts';
import { describeWeekStatus, localDaysNote } from './week-notes.ts';

/** What to report on and how long the lists are. */
export interface ReportModelOptions {
  instance: string;
  /** The week, the instant the report is made at, and whether that makes it a preview. */
  run: ReportRun;
  /** Length of the top users, cards and pages lists (default 10). */
  topN?: number;
  /** Days of login history suspicious logins are judged against (default 30). */
  historyDays?: number;
  /** A user needs this many history logins before an unusual hour, a new country or a new network owner counts (default 10). */
  minHistoryLogins?: number;
  /** Fastest plausible journey between two sign-ins, km/h (impossible travel; default 1000). */
  maxSpeedKmh?: number;
  /** Queries run at once (default 4; Athena runs them in parallel, DuckDB queues them). */
  concurrency?: number;
  /**
   * Whether security alerts run on the instance (default false): the model then records
   * {@link WeeklyReportModel.securityAlerts}, and the suspicious-logins section says why the
   * alerts can list other logins.
   */
  alertsEnabled?: boolean;
  /**
   * The alerts' own sign-in judging (alerts.historyDays, minHistoryLogins, maxSpeedKmh in cdk.json),
   * which {@link WeeklyReportModel.securityAlerts} states; each absent one is the alerts' default.
   */
  alertJudging?: Partial<AlertJudging>;
  /** How the mail's reader lists a user's events of the week, in the caller's words (dig-into-user.ts). */
  userActivityCommand?: UserActivityCommand;
  /**
   * Where that command runs, in the caller's words, when not just anywhere: `run in a checkout of
   * ...` ({@link WeeklyReportModel.userActivityCommandWhere}).
   */
  userActivityCommandWhere?: string;
  /** Sentences the caller puts first among the notes (such as alarms that reach nobody). */
  notices?: readonly string[];
  /**
   * The failed logins of a user before a sign-in that list it among the sign-ins after failed
   * logins: the alerts' `failuresBeforeLogin` (default 4), so the section lists what they raise.
   */
  failuresBeforeLogin?: number;
  /**
   * The ingest's lag threshold (alarms.lagHours; default 3): the week's last missing hours that
   * ended longer ago than this are a gap, the later ones not in the lake yet (missing-hours.ts).
   */
  ingestLagHours?: number;
  /**
   * The deployment's retention.maxDays: a week older than it is said to be aged out by policy, not
   * empty or the lake's start. Absent: not known (the notes never say so).
   */
  maxDays?: number;
  /**
   * The caller's time limit. No query is started, and every running one is stopped, once less than
   * `reserveMs` is left: the time the caller needs after the queries (to mail the report).
   */
  deadline?: Deadline;
  /** Default 0. */
  reserveMs?: number;
  /** The run is a deliberate resend, so a time failure names the resend that sends the week. */
  resend?: boolean;
  /** Where a failed best-effort query is told (default: nowhere). */
  log?: Log;
}

/** The settings by which the security alerts judge sign-ins, which the report may be told. */
export type AlertJudging = Pick<AlertSettings, 'historyDays' | 'minHistoryLogins' | 'maxSpeedKmh'>;

/** The catalog's defaults, so the mail and `query` agree on what is suspicious; 4 queries at once. */
export const REPORT_DEFAULTS = {
  topN: QUERY_DEFAULTS.limit,
  historyDays: QUERY_DEFAULTS.historyDays,
  minHistoryLogins: QUERY_DEFAULTS.minHistoryLogins,
  maxSpeedKmh: QUERY_DEFAULTS.maxSpeedKmh,
  concurrency: 4,
} as const;

/** Queries one report runs (report-queries.ts): with the concurrency, its waves. */
export const REPORT_QUERY_COUNT = REPORT_QUERIES.length;

/** Wraps tasks so that at most `limit` run at once; order and types of `Promise.all` are kept. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function change(current: number, previous: number): Change {
  const delta = current - previous;
  return { current, previous, delta, pct: previous === 0 ? null : round1((100 * delta) / previous) };
}

function period(week: ReportWeek): ReportPeriod {
  return {
    isoWeek: week.isoWeek,
    startUtc: new Date(week.startMs).toISOString(),
    endUtc: new Date(week.endMs).toISOString(),
    days: week.days,
  };
}

function oneRow(name: string, result: QueryResult): QueryRowReader {
  const [row] = readRows(name, result.rows);
  if (!row || result.rows.length !== 1) {
    throw new Error(`query ${name} must return exactly one row, it returned ${result.rows.length}`);
  }
  return row;
}

function readHealth(result: QueryResult, name: string): DataHealth {
  const r = oneRow(name, result);
  const expectedHours = r.count('expected_hours');
  const coveredHours = r.count('covered_hours');
  return {
    expectedHours,
    coveredHours,
    missingHours: r.count('missing_hours'),
    coveragePct: expectedHours === 0 ? 0 : round1((100 * coveredHours) / expectedHours),
    gapCount: r.count('gap_count'),
    firstMissingHour: r.optionalText('first_missing_hour'),
    lateEvents: r.count('late_events'),
    quarantined: r.count('quarantined'),
    outOfWindow: r.count('out_of_window'),
    events: r.count('events'),
    lastEventTime: r.optionalText('last_event_time'),
    lastFetchedAt: r.optionalText('last_fetched_at'),
    logins: r.count('logins'),
    unplacedLogins: r.count('unplaced_logins'),
    shortHours: r.count('short_hours'),
    shortEvents: r.count('short_events'),
    loginsWithoutUser: r.count('logins_without_user'),
    loginsWithoutIp: r.count('logins_without_ip'),
    extraHours: r.count('extra_hours'),
    extraEvents: r.count('extra_events'),
    loginsWithoutCountry: r.count('logins_without_country'),
    eventsWithoutActionType: r.count('events_without_action_type'),
    leadingMissingHours: r.count('leading_missing_hours'),
    innerGapCount: r.count('inner_gap_count'),
    innerMissingHours: r.count('inner_missing_hours'),
    trailingMissingHours: r.count('trailing_missing_hours'),
    notClosedHours: r.count('not_closed_hours'),
    missingRuns: missingRunsOf(r.optionalText('missing_runs')),
  };
}

const UNCOUNTED_SOURCES: readonly string[] = ['unrecognised', 'quarantined'] satisfies UncountedSource[];
const isUncountedSource = (source: string): source is UncountedSource => UNCOUNTED_SOURCES.includes(source);

/** The week's sign-in events no login figure counts: each source's total, and its action types. */
function readUncountedSignIns(result: QueryResult): UncountedSignIns {
  const uncounted: UncountedSignIns = { unrecognised: 0, quarantined: 0, actionTypes: [] };
  for (const r of readRows('uncounted_sign_ins', result.rows)) {
    const source = r.text('source');
    if (!isUncountedSource(source)) {
      throw new Error(
        `query uncounted_sign_ins returned source "${source}", expected ${UNCOUNTED_SOURCES.join(' or ')}`,
      );
    }
    uncounted[source] = r.count('source_entries');
    if (source === 'quarantined') uncounted.quarantinedEntries = r.count('quarantined_entries');
    uncounted.actionTypes.push({
      source,
      actionType: r.optionalText('action_type'),
      exampleText: r.optionalText('example_text'),
      entries: r.count('entries'),
    });
  }
  return uncounted;
}

/** A best-effort query's failure: the report is made without what it adds. */
interface SkippedQuery {
  skipped: unknown;
}
const isSkipped = (result: QueryResult | SkippedQuery): result is SkippedQuery => 'skipped' in result;

const REASON_CHARS = 120;

/**
 * A failure's reason as a mail may show it: its first line, with addresses and access key ids left
 * out (an engine's message can name a bucket or a signed URL), a file of a local lake named by its
 * key in the lake ({@link errorLakeDir}), clipped, but never inside that key: it is what failed.
 */
export function shortReason(error: unknown): string {
  const line =
    errorMessage(error)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? 'unknown error';
  const lakeDir = errorLakeDir(error);
  const { text, key } = lakeDir === undefined ? { text: line, key: undefined } : inLake(line, lakeDir);
  const plain = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<address>')
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '<key>')
    .replace(/\s+/g, ' ');
  const keyAt = key === undefined ? -1 : plain.indexOf(key);
  const kept = Math.max(REASON_CHARS - 1, keyAt === -1 ? 0 : keyAt + (key?.length ?? 0));
  return plain.length > kept + 1 ? `${plain.slice(0, kept)}…` : plain;
}

/**
 * `line` with each path under the local lake `lakeDir` made its key in the lake (`/home/u/lake/
 * quarantine/instance=acme/…` is `quarantine/instance=acme/…`), and the first such key.
 */
function inLake(line: string, lakeDir: string): { text: string; key: string | undefined } {
  const root = lakeDir.replace(/[\\/]+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A lake at the file system's root: every path would read as in it.
  if (root === '') return { text: line, key: undefined };
  let key: string | undefined;
  // A path runs to white space or a quote, less the punctuation that ends the message's clause.
  const text = line.replace(
    new RegExp(`${root}[\\\\/]([^\\s"']+?)(?=[:;,.]*(?:[\\s"']|$))`, 'g'),
    (_, path: string) => {
      const inside = path.replaceAll('\\', '/');
      key ??= inside;
      return inside;
    },
  );
  return { text, key };
}

/** The model's uncounted sign-in events, or why they were not checked (told to the log too). */
function uncountedOf(
  result: QueryResult | SkippedQuery,
  log: Log,
  ref: { instance: string; isoWeek: string },
): Pick<WeeklyReportModel, 'uncountedSignIns' | 'uncountedSignInsNotChecked'> {
  if (!isSkipped(result)) return { uncountedSignIns: readUncountedSignIns(result) };
  log.warn('uncounted_sign_ins failed: the report goes out without its count of uncounted sign-in events', {
    ...ref,
    error: errorMessage(result.skipped),
  });
  const running = leftRunningQueryId(result.skipped);
  // The reason is cut to a line; a query left running must still say so, or it bills unseen.
  const stopIt = running ? ` (still running: stop query execution ${running} in the Athena console)` : '';
  return { uncountedSignInsNotChecked: `${shortReason(result.skipped)}${stopIt}` };
}

/**
 * The geo databases that placed the week's sign-ins: every country row's (`logins_by_country`
 * lists them comma-separated), distinct, in name order.
 */
function geoDbVersionsOf(rows: readonly QueryRowReader[]): string[] {
  const versions = new Set<string>();
  for (const row of rows) {
    for (const version of row.optionalText('geo_db_versions')?.split(', ') ?? []) {
      if (version !== '') versions.add(version);
    }
  }
  return [...versions].sort();
}

/**
 * The week's failed logins: the rows the query returned (at most `FAILED_LOGIN_ROWS`), how
 * many there were in all, and the figures of the failures without a user id, which every row
 * carries.
 */
function failedLoginsOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'failedLogins' | 'failedLoginUsers' | 'failedLoginsWithoutUser'> {
  const rows = readRows('failed_logins_and_lockouts', result.rows);
  const [first] = rows;
  const names = first?.count('no_user_names') ?? 0;
  return {
    failedLogins: rows.map((r) => ({
      userId: r.optionalText('user_id'),
      userName: r.optionalText('user_name'),
      failedAttempts: r.count('failed_attempts'),
      lockouts: r.count('lockouts'),
      distinctIps: r.count('distinct_ips'),
      ipAddresses: listItems(r.optionalText('ips')),
      firstFailure: r.optionalText('first_failure'),
      lastFailure: r.optionalText('last_failure'),
      lastLockout: r.optionalText('last_lockout'),
    })),
    failedLoginUsers: first?.count('total_rows') ?? 0,
    ...(first && names > 0
      ? {
          failedLoginsWithoutUser: {
            names,
            failedAttempts: first.count('no_user_failures'),
            addresses: first.count('no_user_ips'),
            firstFailure: first.optionalText('no_user_first_failure'),
            lastFailure: first.optionalText('no_user_last_failure'),
          },
        }
      : {}),
  };
}

/** The addresses that failed for many users (at most the query's 1,000), and how many there were. */
function failedLoginAddressesOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'failedLoginAddresses' | 'failedLoginAddressCount'> {
  const rows = readRows('failed_logins_by_ip', result.rows);
  return {
    failedLoginAddressCount: rows[0]?.count('total_rows') ?? 0,
    failedLoginAddresses: rows.map((r) => ({
      ipAddress: r.text('ip_address'),
      users: r.count('users'),
      failedAttempts: r.count('failed_attempts'),
      firstFailure: r.text('first_failure'),
      lastFailure: r.text('last_failure'),
      country: r.optionalText('country'),
      asn: r.optionalNumber('asn'),
      org: r.optionalText('org'),
    })),
  };
}

/** The networks, owners and names of no user that failed for many users, of each kind the first. */
function failedLoginNetworksOf(result: QueryResult): Pick<WeeklyReportModel, 'failedLoginNetworks'> {
  const rows = readRows('failed_logins_by_network', result.rows);
  return {
    failedLoginNetworks: rows.map((r) => ({
      kind: r.text('kind') as FailedLoginNetwork['kind'],
      group: r.text('grp'),
      org: r.optionalText('org'),
      users: r.count('users'),
      failedAttempts: r.count('failed_attempts'),
      addresses: r.count('addresses'),
      signIns: r.count('sign_ins'),
      signedInUsers: r.count('signed_in_users'),
      kindRows: r.count('kind_rows'),
    })),
  };
}

/**
 * The week's suspicious logins: the rows the query returned (at most `SUSPICIOUS_LOGIN_ROWS`), and
 * how many findings and logins there were in all, which every row carries.
 */
function suspiciousLoginsOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'suspiciousLogins' | 'suspiciousTotals'> {
  const rows = readRows('suspicious_logins', result.rows);
  const [first] = rows;
  return {
    suspiciousLogins: rows.map((r) => ({
      eventTime: r.text('event_time'),
      userId: r.optionalText('user_id'),
      userName: r.optionalText('user_name'),
      reason: r.text('reason'),
      ipAddress: r.optionalText('ip_address'),
      country: r.optionalText('country'),
      asn: r.optionalNumber('asn'),
      org: r.optionalText('org'),
      network: r.optionalText('network'),
      localHour: r.optionalNumber('local_hour'),
      evidence: r.optionalText('evidence'),
      userReasonFindings: r.count('user_reason_rows'),
    })),
    suspiciousTotals: {
      findings: first?.count('total_rows') ?? 0,
      logins: first?.count('total_logins') ?? 0,
    },
  };
}

/** The week's sign-ins after failed logins (at most the query's max_rows), and how many there were. */
function loginsAfterFailuresOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'loginsAfterFailures' | 'loginsAfterFailuresTotal'> {
  const rows = readRows('login_after_failures', result.rows);
  return {
    loginsAfterFailures: rows.map((r) => ({
      eventTime: r.text('event_time'),
      userId: r.optionalText('user_id'),
      userName: r.optionalText('user_name'),
      ipAddress: r.optionalText('ip_address'),
      failedAttempts: r.count('failed_attempts'),
      lockouts: r.count('lockouts'),
      firstFailure: r.optionalText('first_failure'),
      lastFailure: r.optionalText('last_failure'),
      fromFailingIp: r.flag('from_failing_ip'),
      userRows: r.count('user_rows'),
    })),
    loginsAfterFailuresTotal: rows[0]?.count('total_rows') ?? 0,
  };
}

/** The week's users who moved data beyond their usual (the first {@link BULK_DATA_MOVER_ROWS}), and how many. */
function bulkDataMoversOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'bulkDataMovers' | 'bulkDataMoversTotal'> {
  const rows = readRows('bulk_data_movement', result.rows);
  return {
    bulkDataMovers: rows.slice(0, BULK_DATA_MOVER_ROWS).map((r) => ({
      userId: r.text('user_id'),
      userName: r.optionalText('user_name'),
      finding: r.text('finding'),
      moves: r.count('moves'),
      exports: r.count('exports'),
      shares: r.count('shares'),
      datasetExports: r.count('dataset_exports'),
      objects: r.count('objects'),
      historyMoves: r.count('history_moves'),
      historyEvents: r.count('history_events'),
      baselineMoves: r.optionalNumber('baseline_moves') ?? 0,
      firstTime: r.text('first_time'),
      lastTime: r.text('last_time'),
    })),
    bulkDataMoversTotal: rows.length,
  };
}

/**
 * How much of the history before the week the lake holds, from the coverage manifests alone as
 * `query bulk_data_movement` notes it (history-notes.ts). Undefined when the engine runs no SQL
 * (the test fakes) or the ask fails: a caveat's query must not cost the week its report.
 */
async function historyCoverage(
  engine: ReportQueryEngine,
  params: QueryParams,
  options: QueryRunOptions,
): Promise<Coverage | undefined> {
  if (engine.runSql === undefined) return undefined;
  try {
    return await hoursHeld(engine as HoursHeldEngine, historySpan(params), options);
  } catch {
    return undefined;
  }
}

/** The week's changes to who may do what (at most the query's max_rows), and how many there were. */
function privilegedChangesOf(
  result: QueryResult,
): Pick<WeeklyReportModel, 'privilegedChanges' | 'privilegedChangesTotal'> {
  const rows = readRows('admin_changes', result.rows);
  const twinsOf = (r: QueryRowReader) => {
    const twins = r.count('twins');
    return twins > 0 ? { twins } : {};
  };
  return {
    privilegedChanges: rows.map((r) => ({
      eventTime: r.text('event_time'),
      userId: r.optionalText('user_id'),
      userName: r.optionalText('user_name'),
      // Who acted as the user, when someone did: the mail named the user alone (review R-INSIDER H1).
      actorId: r.optionalText('actor_id'),
      actorName: r.optionalText('actor_name'),
      actionType: r.optionalText('action_type'),
      objectType: r.optionalText('object_type'),
      objectId: r.optionalText('object_id'),
      objectName: r.optionalText('object_name'),
      comment: r.optionalText('additional_comment'),
      ipAddress: r.optionalText('ip_address'),
      ...twinsOf(r),
    })),
    privilegedChangesTotal: rows[0]?.count('total_rows') ?? 0,
  };
}

function statusOf(run: ReportRun, health: DataHealth): WeekStatus {
  if (holdsNoData(health)) return 'empty';
  if (run.preview) return 'in-progress';
  return health.coveredHours < health.expectedHours ? 'partial' : 'complete';
}

/** The options' settings, each its default when not given. */
const settingsOf = (options: ReportModelOptions) => ({
  failuresBeforeLogin: options.failuresBeforeLogin ?? QUERY_DEFAULTS.failuresBeforeLogin,
  ingestLagHours: options.ingestLagHours ?? DEFAULT_LAG_HOURS,
  topN: options.topN ?? REPORT_DEFAULTS.topN,
  historyDays: options.historyDays ?? REPORT_DEFAULTS.historyDays,
  minHistoryLogins: options.minHistoryLogins ?? REPORT_DEFAULTS.minHistoryLogins,
  maxSpeedKmh: options.maxSpeedKmh ?? REPORT_DEFAULTS.maxSpeedKmh,
});

/**
 * What the report says of the security alerts: the alerts' history beside the report's, and their
 * other judging only where it differs from the report's (the one difference a reader then needs).
 */
function securityAlertsOf(
  options: ReportModelOptions,
  report: Pick<ReturnType<typeof settingsOf>, 'historyDays' | 'minHistoryLogins' | 'maxSpeedKmh'>,
): Pick<WeeklyReportModel, 'securityAlerts'> {
  if (!options.alertsEnabled) return {};
  const alerts = { ...DEFAULT_ALERT_SETTINGS, ...options.alertJudging };
  const differs = (key: 'minHistoryLogins' | 'maxSpeedKmh') =>
    alerts[key] === report[key] ? {} : { [key]: { alerts: alerts[key], report: report[key] } };
  return {
    securityAlerts: {
      historyDays: report.historyDays,
      alertHistoryDays: alerts.historyDays,
      ...differs('minHistoryLogins'),
      ...differs('maxSpeedKmh'),
    },
  };
}

/**
 * Computes the weekly report of one instance from the query catalog: the week against the week
 * before, the top lists, the suspicious and failed logins, and the data health of both weeks.
 * Pure apart from the engine: the same inputs give the same model.
 *
 * @throws Error when the week has not started at `nowMs`, or a query breaks the catalog contract.
 */
export async function buildReportModel(
  engine: ReportQueryEngine,
  options: ReportModelOptions,
): Promise<WeeklyReportModel> {
  const { instance, run: reportRun } = options;
  const { week, nowMs } = reportRun;
  const settings = settingsOf(options);
  const { failuresBeforeLogin, ingestLagHours, topN, historyDays, minHistoryLogins } = settings;
  if (nowMs < week.startMs) throw weekNotStarted(week);
  const prev = previousWeek(week);
  const current = { ...periodParams(instance, week.startMs, week.endMs) };
  const before = { ...periodParams(instance, prev.startMs, prev.endMs) };
  const extra = {
    limit: String(topN),
    // The week before in the report zone (not "the same length earlier"): across a DST change the
    // two differ by an hour, and the totals compare with this same week.
    prev_from_dt: before.from_dt,
    prev_from_ts: before.from_ts,
    ...historyParams(week.startMs, historyDays),
    time_zone: week.timeZone,
    min_history_logins: String(minHistoryLogins),
    max_speed_kmh: String(settings.maxSpeedKmh),
    // The rows the report holds of suspicious_logins; its totals count them all.
    max_rows: String(SUSPICIOUS_LOGIN_ROWS),
  };

  let bytesScanned = 0;
  const concurrency = Math.max(1, options.concurrency ?? REPORT_DEFAULTS.concurrency);
  const limit = limiter(concurrency);
  const timer = queryTimer({ ...options, isoWeek: week.isoWeek, preview: reportRun.preview });
  // Read once, as the queries start: every query gets the same share of the caller's time.
  const timeoutMs = queryTimeLimitMs({
    timeLeftMs: options.deadline?.timeLeftMs() ?? Number.POSITIVE_INFINITY,
    reserveMs: options.reserveMs ?? 0,
    queries: REPORT_QUERY_COUNT,
    concurrency,
  });
  const runOptions = (signal: AbortSignal) => ({ signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  /** One query in its turn, timed, its scanned bytes counted. */
  const scan = <R extends QueryResult | SkippedQuery>(
    name: string,
    query: (signal: AbortSignal) => Promise<R>,
  ) =>
    limit(async () => {
      const result = await timer.run(name, query);
      if (!isSkipped(result)) bytesScanned += result.bytesScanned ?? 0;
      return result;
    });
  const run = (name: ReportQueryName, values: QueryParams) =>
    scan(name, (signal) => engine.run(name, values, runOptions(signal)));
  // A caveat's query: its failure (an unreadable quarantine object, a missing permission, the
  // engine's limit on one query's time) must not cost the week its report, so it is caught before
  // the timer stops the other queries. Being stopped (the report's own time running out, another
  // query failing) still fails it like the rest.
  const runBestEffort = (name: ReportQueryName, values: QueryParams) =>
    scan(name, async (signal): Promise<QueryResult | SkippedQuery> => {
      try {
        return await engine.run(name, values, runOptions(signal));
      } catch (error) {
        if (signal.aborted) throw error;
        return { skipped: error };
      }
    });
  const now = { ...current, ...extra };
  const [
    totals,
    prevTotals,
    daily,
    users,
    cards,
    pages,
    suspicious,
    failed,
    failedByIp,
    failedByNetwork,
    health,
    prevHealth,
    countries,
    history,
    uncounted,
    afterFailures,
    adminChanges,
    bulkMovers,
  ] = await timer.during(() =>
    // One run for each entry of REPORT_QUERIES (report-queries.ts), in its order: the type check
    // holds the two to one length.
    Promise.all([
      run('period_totals', current),
      run('period_totals', before),
      run('daily_activity', now),
      run('most_active_users', now),
      run('trending_cards', now),
      run('popular_pages', now),
      run('suspicious_logins', now),
      run('failed_logins_and_lockouts', { ...now, max_rows: String(FAILED_LOGIN_ROWS) }),
      run('failed_logins_by_ip', current),
      run('failed_logins_by_network', { ...current, limit: String(FAILED_NETWORK_ROWS) }),
      run('data_health', current),
      run('data_health', before),
      run('logins_by_country', current),
      run('login_history', now),
      runBestEffort('uncounted_sign_ins', current),
      // The alerts' threshold, so the section lists what they raise; the hour before the week too,
      // so a sign-in early on Monday counts the failures just before it.
      run('login_after_failures', {
        ...current,
        ...lookbackParams(week.startMs),
        failures_before_login: String(failuresBeforeLogin),
        max_rows: String(LOGIN_AFTER_FAILURES_ROWS),
      }),
      // Each actor's gravest first, as the mail ranks them: read in time, a week of over 1,000
      // routine changes before an intruder's role raise left it unread, and unranked.
      run('admin_changes', {
        ...current,
        // Its local_time, in the report's zone (the report reads event_time).
        time_zone: week.timeZone,
        max_rows: String(PRIVILEGED_CHANGE_ROWS),
        keep_rows: 'gravest',
      }),
      // Against the same history the suspicious logins are judged by.
      run('bulk_data_movement', now),
    ] satisfies OnePerReportQuery<Promise<unknown>>),
  );

  // bulk_data_movement judges each user against their own history: over one the lake holds none of,
  // it finds nobody, which must not read as nobody moving much. Timed as the queries are, so it
  // neither starts nor runs into the time kept to mail the report; given up, it notes nothing.
  const historyHeld =
    bulkMovers.rows.length === 0
      ? await timer
          .during(() =>
            timer.run('coverage of the history', (signal) =>
              historyCoverage(engine, now, runOptions(signal)),
            ),
          )
          .catch(() => undefined)
      : undefined;
  // What the mail and the metrics say the report cost: the check's scan is part of it.
  bytesScanned += historyHeld?.bytesScanned ?? 0;
  const bulkDataNoHistory = noneHeld(historyHeld);

  const t = oneRow('period_totals', totals);
  const p = oneRow('period_totals', prevTotals);
  const weekHealth = readHealth(health, 'data_health');
  const previousHealth = readHealth(prevHealth, 'data_health');
  const status = statusOf(reportRun, weekHealth);

  const h = oneRow('login_history', history);
  const loginHistory = {
    users: h.count('users'),
    shortHistoryUsers: h.count('short_history_users'),
    shortPlacedHistoryUsers: h.count('short_placed_history_users'),
    minHistoryLogins,
    historyDays,
  };
  const countryRows = readRows('logins_by_country', countries.rows);
  const dayRows = readRows('daily_activity', daily.rows);
  const byDay = new Map(dayRows.map((r) => [r.text('day'), r]));
  const daysNote = localDaysNote({
    isoWeek: week.isoWeek,
    timeZone: week.timeZone,
    weekDays: week.days,
    dayRows: dayRows.map((r) => ({ day: r.text('day'), events: r.count('events') })),
    totalEvents: t.count('events'),
    compareTotal: !reportRun.preview,
  });
  return {
    schemaVersion: 1,
    instance,
    timeZone: week.timeZone,
    week: period(week),
    previousWeek: period(prev),
    generatedAt: new Date(nowMs).toISOString(),
    ingestLagHours,
    ...(options.maxDays === undefined ? {} : { maxDays: options.maxDays }),
    status,
    notes: [
      ...(options.notices ?? []),
      ...describeWeekStatus({
        run: reportRun,
        status,
        health: weekHealth,
        previousHealth,
        activeUsers: t.count('active_users'),
        ingestLagHours,
        ...(options.maxDays === undefined ? {} : { maxDays: options.maxDays }),
      }),
      ...(daysNote ? [daysNote] : []),
    ],
    totals: {
      events: change(t.count('events'), p.count('events')),
      activeUsers: change(t.count('active_users'), p.count('active_users')),
      logins: change(t.count('logins'), p.count('logins')),
      failedLogins: change(t.count('failed_logins'), p.count('failed_logins')),
      lockouts: change(t.count('lockouts'), p.count('lockouts')),
      distinctObjects: t.count('distinct_objects'),
    },
    daily: week.days.map((day) => {
      const r = byDay.get(day);
      return {
        day,
        events: r?.count('events') ?? 0,
        activeUsers: r?.count('active_users') ?? 0,
        logins: r?.count('logins') ?? 0,
        failedLogins: r?.count('failed_logins') ?? 0,
        lockouts: r?.count('lockouts') ?? 0,
        coveredHours: r?.count('covered_hours') ?? 0,
        shortHours: r?.count('short_hours') ?? 0,
        shortEvents: r?.count('short_events') ?? 0,
      };
    }),
    topUsers: readRows('most_active_users', users.rows).map((r) => ({
      userId: r.optionalText('user_id'),
      userName: r.optionalText('user_name'),
      events: r.count('events'),
      distinctObjects: r.count('distinct_objects'),
      activeDays: r.count('active_days'),
      logins: r.count('logins'),
      lastSeen: r.optionalText('last_seen'),
    })),
    topCards: readRows('trending_cards', cards.rows).map((r) => ({
      cardId: r.optionalText('card_id'),
      cardName: r.optionalText('card_name'),
      views: r.count('views'),
      previousViews: r.count('previous_views'),
      change: r.count('change'),
      changePct: r.optionalNumber('change_pct') === null ? null : round1(r.count('change_pct')),
    })),
    topPages: readRows('popular_pages', pages.rows).map((r) => ({
      pageId: r.optionalText('page_id'),
      pageName: r.optionalText('page_name'),
      views: r.count('views'),
      viewers: r.count('viewers'),
    })),
    ...suspiciousLoginsOf(suspicious),
    loginsByCountry: countryRows.map((r) => ({
      country: r.optionalText('country'),
      logins: r.count('logins'),
      users: r.count('users'),
    })),
    geoDbVersions: geoDbVersionsOf(countryRows),
    loginHistory,
    ...securityAlertsOf(options, settings),
    ...(options.userActivityCommand
      ? {
          userActivityCommand: options.userActivityCommand({
            instance,
            week: period(week),
            timeZone: week.timeZone,
          }),
          ...(options.userActivityCommandWhere
            ? { userActivityCommandWhere: options.userActivityCommandWhere }
            : {}),
        }
      : {}),
    ...failedLoginsOf(failed),
    ...failedLoginAddressesOf(failedByIp),
    ...failedLoginNetworksOf(failedByNetwork),
    ...loginsAfterFailuresOf(afterFailures),
    ...privilegedChangesOf(adminChanges),
    ...bulkDataMoversOf(bulkMovers),
    ...(bulkDataNoHistory ? { bulkDataNoHistory: true as const } : {}),
    failuresBeforeLogin,
    ...uncountedOf(uncounted, options.log ?? silentLog, { instance, isoWeek: week.isoWeek }),
    health: weekHealth,
    previousHealth,
    bytesScanned,
  };
}
