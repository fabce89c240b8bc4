import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openDuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { FileMailer } from '../../adapters/file-mailer.ts';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { makeDirectory } from '../../adapters/make-directory.ts';
import { PRIVATE_FILE_MODE } from '../../adapters/private-mode.ts';
import { Deadline } from '../../core/deadline.ts';
import { errorMessage } from '../../core/error-message.ts';
import { DEFAULT_LAG_HOURS } from '../../core/lake/lag-threshold.ts';
import { reportsPrefix } from '../../core/lake/layout.ts';
import { type Log, type QueryEngine, type QueryRunOptions, silentLog } from '../../core/ports.ts';
import { ALERT_SETTING_LIMITS, DEFAULT_ALERT_SETTINGS } from '../../core/queries/alert-settings.ts';
import { type AlertJudging, REPORT_DEFAULTS } from '../../core/report/build-report-model.ts';
import { changesNotComparable } from '../../core/report/comparable-weeks.ts';
import type { UserActivityCommand } from '../../core/report/dig-into-user.ts';
import { unplacedLogins } from '../../core/report/health-sentences.ts';
import { currentWeek, lastFullWeek, type ReportWeek, reportWeek } from '../../core/report/iso-week.ts';
import { formatChange, formatCount, plural } from '../../core/report/number-format.ts';
import { ReportPreviewError, ReportSendError } from '../../core/report/report-errors.ts';
import type { WeeklyReportModel } from '../../core/report/report-model.ts';
import { reportModelJson } from '../../core/report/report-model-json.ts';
import { REPORT_QUERY_ROWS, type ReportQueryEngine } from '../../core/report/report-query-engine.ts';
import { suspiciousFigure } from '../../core/report/report-subject.ts';
import type { WeeklyReportOutcome } from '../../core/report/send-weekly-report.ts';
import { sendWeeklyReports, type WeeklyReportsRun } from '../../core/report/send-weekly-reports.ts';
import { formatDayRange } from '../../core/report/time-format.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { withEngineInterrupts } from '../engine-interrupts.ts';
import {
  type CommandEngine,
  ENGINE_HELP,
  ENGINE_OPTIONS,
  type EngineValues,
  openEngineTarget,
} from '../engine-target.ts';
import { fitProse } from '../fit-prose.ts';
import { jsonOutput } from '../json-output.ts';
import { type LakeOption, parseLakeOption } from '../lake-target.ts';
import { lockNoticeTo } from '../lock-notice.ts';
import { firstMissingDirectory, removeMadeDirectories } from '../made-directories.ts';
import {
  assertDirectoryOption,
  type OptionSpec,
  optionValue,
  parseMailAddress,
  parseMailAddressList,
  parseOptions,
  parseTimeZone,
  parseWholeNumber,
} from '../options.ts';
import { assertOutNotALake } from '../out-not-a-lake.ts';
import { assertOutOutsideLake, type OutWrites } from '../out-outside-lake.ts';
import { showingWhile } from '../phase-status.ts';
import { replacedReportNote, reportInstanceIn } from '../replaced-report.ts';
import { alertSettingOption } from '../setting-option.ts';
import { UsageError } from '../usage-error.ts';
import { engineWords, userActivityCommand } from '../user-activity-command.ts';
import { maxDaysOption } from '../verify-max-days.ts';

const DEFAULT_OUT = './out';
const DEFAULT_FROM = 'Domo activity <domo-activity@example.com>';
const DEFAULT_TO = 'admins@example.com';

/** The alerts' sign-in judging a deployed report's note states, by its option (the `alerts` command's, prefixed). */
const JUDGING_FLAGS = {
  historyDays: 'alerts-history-days',
  minHistoryLogins: 'alerts-min-history-logins',
  maxSpeedKmh: 'alerts-max-speed-kmh',
} as const satisfies Record<keyof AlertJudging, string>;
const JUDGING_KEYS = Object.keys(JUDGING_FLAGS) as (keyof AlertJudging)[];
const rangeOf = (key: keyof AlertJudging): string => ALERT_SETTING_LIMITS[key].slice(0, 2).join(' to ');

export const reportHelp = `Usage: domo-activity-lake report [options]

Builds the weekly report from the lake with DuckDB (or, with --athena, from the
deployed lake on Athena), the way the report Lambda does, and writes it into a
directory instead of mailing it: report.html (open it in a browser), report.txt
(the plain-text alternative), report.eml (the complete mail; a mail client opens
it) and report.json (the report model). Nothing is sent. It runs the report
Lambda's code: the week's archive and sent-marker go under <out>/reports/ (the
lake is only read: an --out that is the lake, inside it, or another lake is
refused), and each run writes the report again (a deliberate resend).

Options:
  --week <YYYY-Www>        ISO week to report, e.g. 2026-W47 (default: the last
                           full week)
  --time-zone <zone>       IANA zone whose Monday-to-Monday weeks are reported
                           (default UTC)
  --instance <name>        instance in the lake (default: the lake's only
                           instance; on Athena, the deployed one)
  --out <dir>              where the files go (default: ${DEFAULT_OUT})
  --mail-from <address>    From of report.eml (default:
                           ${DEFAULT_FROM})
  --mail-to <address>      To of report.eml (default: ${DEFAULT_TO});
                           repeatable, or several in one value separated by
                           commas
  --top <n>                length of the top users, cards and pages lists, in
                           the mail too (default ${REPORT_DEFAULTS.topN}; 1 to 100)
  --alerts-enabled         security alerts run on this instance (alerts.enabled
                           when deployed): the suspicious logins then say why
                           the alerts can list other logins, as the deployed
                           report does (default: not said)
  --alerts-history-days <n>
                           with --alerts-enabled, the alerts' own judging,
                           which the note states as the deployed report's
                           does: alerts.historyDays (default ${DEFAULT_ALERT_SETTINGS.historyDays}, ${rangeOf('historyDays')})
  --alerts-min-history-logins <n>
                           ...alerts.minHistoryLogins (default ${DEFAULT_ALERT_SETTINGS.minHistoryLogins}, ${rangeOf('minHistoryLogins')})
  --alerts-max-speed-kmh <n>
                           ...alerts.maxSpeedKmh (default ${DEFAULT_ALERT_SETTINGS.maxSpeedKmh}, ${rangeOf('maxSpeedKmh')})
  --failures-before-login <n>
                           failed logins of a user in the hour before a
                           sign-in of theirs that list it among the sign-ins
                           after failed logins (default ${DEFAULT_ALERT_SETTINGS.failuresBeforeLogin}, as the alerts'
                           alerts.failuresBeforeLogin; ${ALERT_SETTING_LIMITS.failuresBeforeLogin[0]} to ${ALERT_SETTING_LIMITS.failuresBeforeLogin[1]})
  --lag-hours <n>          the week's last missing hours that ended longer ago
                           than this are a gap, the later ones not in the lake
                           yet (default ${DEFAULT_LAG_HOURS}, as alarms.lagHours; 1 to 168)
  --max-days <n>           the deployment's retention.maxDays, as verify takes
                           it: a week older than it is said to be aged out by
                           policy, not empty or the lake's start (default: none)
  --json                   print the report model as JSON instead of the summary
                           (as report.json: times in UTC with their zone,
                           2026-11-17T09:00:00.000Z)
${ENGINE_HELP}
Ctrl-C (or SIGTERM, or SIGHUP: the terminal closed) stops the report's
queries, says what it stopped and exits 130 (143, 129); with --athena it stops
them in Athena too (left alone they would run on, and bill).
`;

const spec = {
  week: { type: 'string' },
  'time-zone': { type: 'string', default: 'UTC' },
  out: { type: 'string', default: DEFAULT_OUT },
  'mail-from': { type: 'string', default: DEFAULT_FROM },
  'mail-to': { type: 'string', multiple: true },
  top: { type: 'string' },
  'alerts-enabled': { type: 'boolean', default: false },
  'alerts-history-days': { type: 'string' },
  'alerts-min-history-logins': { type: 'string' },
  'alerts-max-speed-kmh': { type: 'string' },
  'failures-before-login': { type: 'string' },
  'lag-hours': { type: 'string' },
  'max-days': { type: 'string' },
  json: { type: 'boolean', default: false },
  ...ENGINE_OPTIONS,
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const reportOptions: OptionSpec = spec;

interface LocalReportOptions {
  /** The lake directory DuckDB reads, unless `engine` is given (then the caller closes it). */
  lakeDir?: string;
  engine?: QueryEngine;
  outDir: string;
  instance: string;
  timeZone: string;
  /** `YYYY-Www`; default the last full week before `nowMs`. */
  week?: string;
  nowMs: number;
  from: string;
  to: readonly string[];
  topN?: number;
  /** Whether security alerts run on the instance (the deployed report's `alerts.enabled`); default false. */
  alertsEnabled?: boolean;
  /** The alerts' own sign-in judging the note states, with `alertsEnabled`; each absent one its default. */
  alertJudging?: Partial<AlertJudging>;
  /** The alerts' failuresBeforeLogin the sign-ins after failed logins are listed by; default 4. */
  failuresBeforeLogin?: number;
  /** The lag threshold the week's last missing hours are judged by (alarms.lagHours); default 3. */
  ingestLagHours?: number;
  /** retention.maxDays: a week older than it is aged out by policy; default none. */
  maxDays?: number;
  /** The command the report names to list a user's events (user-activity-command.ts); none when absent. */
  userActivityCommand?: UserActivityCommand;
  log?: Log;
  /** Told when a write into `outDir` waits for a key's write lock or breaks one (see lock-notice.ts). */
  onLockNotice?: (line: string) => void;
}

export interface LocalReport {
  model: WeeklyReportModel;
  subject: string;
  paths: { html: string; txt: string; eml: string; json: string };
  htmlBytes: number;
}

/**
 * Builds one week's report and writes it as files (used by `report` and `demo`): the report
 * Lambda's use case with local adapters. The file mailer writes report.html/.txt/.eml into the
 * out directory, which also holds, as the lake does for the Lambda, the archive and sent-marker
 * under `reports/` (the lake itself is only read). Every run is a deliberate resend, so the files
 * are written again each time, still through the week's claim.
 */
export async function writeLocalReport(options: LocalReportOptions): Promise<LocalReport> {
  const engine =
    options.engine ??
    (await openDuckDbEngine({ lakeDir: options.lakeDir ?? DEFAULT_LAKE, maxRows: REPORT_QUERY_ROWS }));
  const clock = { now: () => options.nowMs };
  const mailer = new FileMailer({ dir: options.outDir, clock });
  // Made first, so a directory that cannot be made is said as such, not as a failed claim of the
  // week; and removed again at once if this made it (the writes make it again): the queries take a
  // while, and a Ctrl-C, which ends the process there, left an empty --out behind, as did a failed
  // query, where ingest removes a lake directory it made for nothing.
  const made = await makeDirectory(mailer.dir);
  removeMadeDirectories(made);
  // An --out that is there already keeps it, but not the folders the week's marker write makes
  // under it (reports/instance=<i>/): removed on a failure as the --out this run made would be.
  const reportsMade = firstMissingDirectory(mailer.dir, reportsPrefix(options.instance));
  const json = join(mailer.dir, 'report.json');
  let outcome: WeeklyReportOutcome;
  try {
    const run = await sendWeeklyReports(
      [options.instance],
      new Deadline(),
      {
        engine,
        store: new FsObjectStore(mailer.dir, { onLockNotice: options.onLockNotice }),
        mailer,
        clock,
        log: options.log ?? silentLog,
      },
      {
        timeZone: options.timeZone,
        from: options.from,
        to: options.to,
        resend: true,
        ...(options.week === undefined ? {} : { week: options.week }),
        ...(options.topN === undefined ? {} : { topN: options.topN }),
        alertsEnabled: options.alertsEnabled === true,
        ...(options.alertJudging ? { alertJudging: options.alertJudging } : {}),
        ...(options.failuresBeforeLogin === undefined
          ? {}
          : { failuresBeforeLogin: options.failuresBeforeLogin }),
        ...(options.ingestLagHours === undefined ? {} : { ingestLagHours: options.ingestLagHours }),
        ...(options.maxDays === undefined ? {} : { maxDays: options.maxDays }),
        ...(options.userActivityCommand ? { userActivityCommand: options.userActivityCommand } : {}),
      },
    );
    outcome = localOutcome(run, mailer.dir);
    // As --json prints it: the file is read in a terminal too (cat, less).
    await writeFile(json, jsonOutput(reportModelJson(outcome.model)), {
      encoding: 'utf8',
      mode: PRIVATE_FILE_MODE,
    });
  } catch (error) {
    // A write that failed (a full disk) left the folders it made on the way, empty: removed as the
    // ingest removes a lake it made, so long as they hold no file (one written stays, with them).
    if (reportsMade !== undefined) removeMadeDirectories([reportsMade]);
    removeMadeDirectories(made);
    throw error;
  } finally {
    if (!options.engine) await engine.close?.();
  }
  return {
    model: outcome.model,
    subject: outcome.subject,
    paths: { ...mailer.paths, json },
    htmlBytes: outcome.htmlBytes,
  };
}

/** The one instance's written report, or its failure worded for the command line. */
function localOutcome(
  run: WeeklyReportsRun,
  outDir: string,
): Exclude<WeeklyReportOutcome, { status: 'skipped' }> {
  const failure = run.failures[0];
  if (failure) {
    const { error } = failure;
    const message =
      error instanceof ReportSendError
        ? localWriteFailure(error, outDir)
        : error instanceof ReportPreviewError
          ? localPreviewFailure(error, outDir)
          : errorMessage(error);
    throw new Error(message, { cause: error });
  }
  const outcome = run.outcomes[0];
  if (!outcome) throw new Error('the report run returned no outcome');
  if (outcome.status === 'skipped') {
    throw new Error(
      `another report command is writing ${outcome.isoWeek} of ${outcome.instance} into ${outDir} right now; run it again once that one is done`,
    );
  }
  return outcome;
}

/** What each step of the week's report writes here, where the Lambda claims, archives and mails. */
const LOCAL_STEP: Record<ReportSendError['step'], string> = {
  claim: "writing the week's marker under reports/",
  archive: 'archiving the report under reports/',
  mail: 'writing report.html, .txt and .eml',
};

/**
 * A failed write of the week's report in this command's terms. The core words it for the report
 * Lambda (nothing mailed, a resend, a run for this week, S3): here every run writes the week anew
 * and takes over any marker an earlier one left, so running it again is the fix once the cause is.
 * A week another command writing into the same --out took over meanwhile is that one's.
 */
export function localWriteFailure(error: ReportSendError, outDir: string): string {
  const { instance, isoWeek } = error.week;
  const head = `the report ${isoWeek} of ${instance} was not written into ${outDir}`;
  if (error.markerState === 'taken-over') {
    return `${head}: another report command writing into the same --out took the week over meanwhile; its files are the week's`;
  }
  if (error.markerState === 'unread') {
    return `${head}: the week's marker under reports/ changed meanwhile and could not be read again (another report command writing into the same --out?); run this one again once no other is running`;
  }
  const reason = errorMessage(error.cause ?? error);
  return `${head}: ${LOCAL_STEP[error.step]} failed (${reason}); once that is fixed, run the command again: each run writes the report anew`;
}

/**
 * A failed preview of a week in this command's terms: the core words it for the Lambda ("could not
 * be mailed", the event that mails it again); here the files were not written, and a run again
 * writes them, a preview still until the week ends. A preview that could not be made (a query, a
 * damaged lake) never reached the files: --out is not what to look at then.
 */
export function localPreviewFailure(error: ReportPreviewError, outDir: string): string {
  const { instance, isoWeek } = error.week;
  const reason = errorMessage(error.cause ?? error);
  const preview = `the preview of the report ${isoWeek} of ${instance} (a week not over yet: it ends ${error.endsAt})`;
  if (error.stage === 'build') {
    return `${preview} could not be made, so nothing was written into ${outDir}: ${reason}`;
  }
  return `${preview} was not written into ${outDir}: writing report.html, .txt and .eml failed (${reason}); once that is fixed, run the command again`;
}

/** ` (49 logins not placed)`: sign-ins the place checks could not judge, as the subject counts them. */
function notPlaced(model: WeeklyReportModel): string {
  const unplaced = unplacedLogins(model.health);
  return unplaced ? ` (${plural(unplaced.unplaced, 'login')} not placed: run enrich for the week)` : '';
}

/** ` (+7%)`, or nothing where the subject leaves the change out too (a partial week, a preview). */
const eventsChange = (model: WeeklyReportModel): string =>
  changesNotComparable(model) ? '' : ` (${formatChange(model.totals.events)})`;

/**
 * `2 suspicious logins (4 findings)`: logins, as the subject counts them, their rows, and why the
 * count may read low in the subject's words (`26 of 40 users not judged`); logins not placed are
 * said after it, by {@link notPlaced}, with what to run.
 */
const suspiciousLine = (model: WeeklyReportModel): string => suspiciousFigure(model, undefined);

/**
 * The summary's line for a caveat the report could not check: its query failed alone (the report
 * says so only in its data health, which a terminal user would not open to find).
 */
const notChecked = (model: WeeklyReportModel): string[] =>
  model.uncountedSignInsNotChecked === undefined
    ? []
    : [`  warning: sign-in events not counted: not checked (${model.uncountedSignInsNotChecked})`];

/** A short terminal summary of a written report, ending with the file to open. */
export function describeLocalReport(report: LocalReport): string {
  const { model } = report;
  const t = model.totals;
  const h = model.health;
  return `${[
    `report ${model.week.isoWeek} (${model.instance}), ${formatDayRange(model.week.days)}, ${model.timeZone}: ${model.status}`,
    `  ${plural(t.events.current, 'event')}${eventsChange(model)}, ${plural(t.activeUsers.current, 'active user')}, ${plural(t.logins.current, 'login')}, ${plural(t.failedLogins.current, 'failed login')}, ${plural(t.lockouts.current, 'lockout')}`,
    `  ${suspiciousLine(model)}${notPlaced(model)}; coverage ${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours; ${plural(h.quarantined, 'quarantined entry', 'quarantined entries')}`,
    ...model.notes.map((note) => `  note: ${note}`),
    ...notChecked(model),
    `  subject: ${report.subject}`,
    `  open ${report.paths.html}`,
    `  (the mail: ${report.paths.eml}; text: ${report.paths.txt}; model: ${report.paths.json})`,
  ].join('\n')}\n`;
}

/**
 * Refuses a `--week` that starts after `nowMs` as a usage error naming the flag and the latest week
 * that can be reported: the current one, which is reported as a preview while it runs. (The core
 * refuses such a week too, but it cannot name the flag.)
 */
function assertWeekStarted(value: string, week: ReportWeek, nowMs: number): void {
  if (nowMs >= week.startMs) return;
  const lastFull = lastFullWeek(nowMs, week.timeZone);
  const current = currentWeek(nowMs, week.timeZone);
  throw new UsageError(
    `--week ${JSON.stringify(value)}: week ${week.isoWeek} (${week.timeZone}) has not started yet: the latest week that can be reported is the current one, ${current.isoWeek} (reported as a preview until it ends); leave --week out for the last full week, ${lastFull.isoWeek}`,
  );
}

/** What `report` writes into --out, for the refusal of an --out that would put it in the lake. */
const REPORT_WRITES: OutWrites = {
  command: 'report',
  files: 'report.html, .txt, .eml and .json',
  folder: { name: 'reports', what: "the week's archive and sent marker" },
  atLakeRoot:
    "the week's archive and sent marker into its reports/, where status reads which weeks the report function mailed (it would show this week as sent, though nothing was)",
};

/**
 * The alerts' judging the flags give, each checked as synth checks cdk.json's key; undefined when
 * none is given. Refused without `--alerts-enabled`: the report states them only then, as the
 * deployed report does, and would drop them unsaid.
 */
function alertJudgingOptions(
  values: { 'alerts-enabled': boolean } & Partial<Record<(typeof JUDGING_FLAGS)[keyof AlertJudging], string>>,
): Partial<AlertJudging> | undefined {
  const given = JUDGING_KEYS.flatMap((key) => {
    const flag = JUDGING_FLAGS[key];
    const value = values[flag];
    return value === undefined ? [] : [{ key, flag, value }];
  });
  const [first] = given;
  if (first === undefined) return undefined;
  if (!values['alerts-enabled']) {
    throw new UsageError(
      `--${first.flag} is the judging of the security alerts, which the report states only when they run: add --alerts-enabled`,
    );
  }
  return Object.fromEntries(
    given.map(({ key, flag, value }) => [key, alertSettingOption(`--${flag}`, value, key)]),
  );
}

export async function reportCommand(argv: readonly string[], io: CommandIo): Promise<LocalReport> {
  const { values } = parseOptions(argv, spec);
  // Every option value first (usage errors, exit 2), then the lake (a wrong target, exit 1).
  const timeZone = parseTimeZone('--time-zone', values['time-zone']);
  const nowMs = clockOf(io).now();
  if (values.week !== undefined) {
    const week = optionValue('--week', values.week, (label) => reportWeek(label, timeZone));
    assertWeekStarted(values.week, week, nowMs);
  }
  const topN = parseWholeNumber('--top', values.top, REPORT_DEFAULTS.topN, { min: 1, max: 100 });
  const failuresBeforeLogin = alertSettingOption(
    '--failures-before-login',
    values['failures-before-login'],
    'failuresBeforeLogin',
  );
  const alertJudging = alertJudgingOptions(values);
  const ingestLagHours = parseWholeNumber('--lag-hours', values['lag-hours'], DEFAULT_LAG_HOURS, {
    min: 1,
    max: 168,
  });
  const maxDays = maxDaysOption(values['max-days']);
  const from = parseMailAddress('--mail-from', values['mail-from']);
  const to = parseMailAddressList('--mail-to', values['mail-to'] ?? [DEFAULT_TO]);
  const outDir = resolve(assertDirectoryOption('--out', values.out));
  // With --athena no lake directory is read, so none can be written into.
  const lake = values.athena ? undefined : parseLakeOption(values.lake ?? DEFAULT_LAKE);
  if (lake?.spec.kind === 'fs') assertOutOutsideLake(values.out, lake.spec.dir, REPORT_WRITES);
  await assertOutNotALake(values.out, REPORT_WRITES);
  return onInterruptibleEngine(values, lake, io, async (engine, instance, region) => {
    const label = `report ${instance}: running the week's queries and writing the report`;
    const before = await reportInstanceIn(outDir);
    const report = await showingWhile(io.stderr, label, () =>
      writeLocalReport({
        engine,
        outDir,
        instance,
        timeZone,
        ...(values.week ? { week: values.week } : {}),
        nowMs,
        log: io.log,
        from,
        to,
        topN,
        alertsEnabled: values['alerts-enabled'],
        ...(alertJudging ? { alertJudging } : {}),
        failuresBeforeLogin,
        ingestLagHours,
        ...(maxDays === undefined ? {} : { maxDays }),
        userActivityCommand: userActivityCommand(
          // The region the report ran in, though only AWS_REGION or the profile gave it.
          engineWords(
            { ...values, ...(region ? { region } : {}) },
            lake?.spec.kind === 'fs' ? lake.spec.dir : undefined,
          ),
        ),
        onLockNotice: lockNoticeTo(io.stderr),
      }),
    );
    io.stdout.write(
      values.json
        ? jsonOutput(reportModelJson(report.model))
        : fitProse(describeLocalReport(report), io.stdout),
    );
    const replaced = replacedReportNote(before, instance, outDir);
    if (replaced) io.stderr.write(`${replaced}\n`);
    return report;
  });
}

/**
 * What a report query given up at its limit tells to do on the command line: a report covers its
 * week, so there is no period to narrow (the query command's advice).
 */
const reportCommandTimeoutAdvice = (limitSeconds: number): string =>
  `A report covers its whole week, and no option raises the ${limitSeconds} s limit: run the report again when Athena is less busy`;

/**
 * Opens the engine (over `lake`, `values.lake` parsed already, without --athena), runs `work` on
 * it, and closes it; a signal stops the report's queries, those running (in Athena with --athena),
 * and no more start ({@link withEngineInterrupts}).
 */
function onInterruptibleEngine<T>(
  values: EngineValues,
  lake: LakeOption | undefined,
  io: CommandIo,
  work: (engine: QueryEngine, instance: string, region: string | undefined) => Promise<T>,
): Promise<T> {
  return withEngineInterrupts(
    {
      athena: values.athena === true,
      stderr: io.stderr,
      queries: 'queries',
      duckDb: { what: "the report's queries", undone: 'no report was written' },
      ...(io.interrupts ? { source: io.interrupts } : {}),
    },
    (athenaWatch) =>
      openEngineTarget(values, undefined, {
        use: 'report from',
        // The CLI's default advice is to narrow the period; a report's is its week.
        timeoutAdvice: reportCommandTimeoutAdvice,
        // As the report function reads: a query past it fails, named, before it exhausts memory.
        maxRows: REPORT_QUERY_ROWS,
        ...(athenaWatch ? { athenaWatch } : {}),
        ...(lake ? { lake } : {}),
      }),
    ({ engine, instance, region }, signal) => work(interruptedBy(engine, signal), instance, region),
  );
}

/**
 * The engine with each of the report's queries aborted by `signal` too, as by its own (the
 * report's query timer, which stops the others once one fails): an interrupt then stops every
 * query running, and the report starts no more.
 */
export function interruptedBy(engine: CommandEngine, signal: AbortSignal): ReportQueryEngine {
  // The rest of the options (the report's per-query time limit) pass on as they came.
  const both = (options: QueryRunOptions) => ({
    ...options,
    signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
  });
  return {
    run: (name, params, options: QueryRunOptions = {}) => engine.run(name, params, both(options)),
    // The coverage of the history, which bulk data movement's "nobody could be judged" asks.
    runSql: (sql, params, label, options: QueryRunOptions = {}) =>
      engine.runSql(sql, params, label, both(options)),
  };
}
