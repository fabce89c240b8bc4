import { basename, dirname, resolve } from 'node:path';
import { FileMailer } from '../../adapters/file-mailer.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { makeDirectory } from '../../adapters/make-directory.ts';
import { OverlayObjectStore } from '../../adapters/overlay-store.ts';
import { type Alert, publicAlert } from '../../core/alerts/alert.ts';
import type { AlertChannel } from '../../core/alerts/alert-channel.ts';
import type { HourSpan } from '../../core/alerts/covered-hours.ts';
import { type DigFurther, IN_ATHENA } from '../../core/alerts/dig-further.ts';
import type { ExpectedRule } from '../../core/alerts/expected-activity.ts';
import { historyWindowNote } from '../../core/alerts/history-window-note.ts';
import { KIND_LABELS } from '../../core/alerts/kind-labels.ts';
import { localDateTimeWithOffset } from '../../core/alerts/local-time.ts';
import { type AlertsRunSummary, runAlerts } from '../../core/alerts/run-alerts.ts';
import type { UnlistedAlerts } from '../../core/alerts/unlisted-alerts.ts';
import { errorMessage } from '../../core/error-message.ts';
import { INGEST_SETTINGS } from '../../core/ingest/ingest-settings.ts';
import { utcInstant } from '../../core/lake/utc-instant.ts';
import { RENDER_LIMITS } from '../../core/mail/render-limits.ts';
import { type Clock, type Log, type ObjectStore, silentLog } from '../../core/ports.ts';
import {
  ALERT_SETTING_LIMITS,
  type AlertSettings,
  DEFAULT_ALERT_SETTINGS,
  EXPORT_BURST_MIN,
  exportBurstProblem,
  validateAlertSettings,
} from '../../core/queries/alert-settings.ts';
import { columnName } from '../../core/report/text-names.ts';
import { systemClock } from '../../core/runtime.ts';
import { floorHour, HOUR_MS } from '../../core/time-units.ts';
import { visibleText } from '../../core/visible-text.ts';
import {
  clearEarlierMessage,
  MESSAGE_OWNER_FILE,
  type MessageOwner,
  writeOwnedMessage,
} from '../alerts-message-files.ts';
import { nextStepLines, stepCommands } from '../alerts-next-steps.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { commandLine, messageCommandLine } from '../command-line.ts';
import {
  EXPECTED_FLAG,
  expectedActivityLines,
  expectedForInstance,
  readExpectedActivityFile,
} from '../expected-activity-option.ts';
import { FirstDeployView } from '../first-deploy-view.ts';
import { jsonOutput } from '../json-output.ts';
import { type LakeOption, type LakeTarget, openLakeTarget, parseLakeOption } from '../lake-target.ts';
import { removeMadeDirectories } from '../made-directories.ts';
import {
  assertDirectoryOption,
  type OptionSpec,
  parseInstant,
  parseOptions,
  parseTimeZone,
} from '../options.ts';
import { assertOutNotALake } from '../out-not-a-lake.ts';
import { assertOutOutsideLake, type OutWrites } from '../out-outside-lake.ts';
import { showingWhile } from '../phase-status.ts';
import { alertSettingOption } from '../setting-option.ts';
import { fitTable, terminalWidth, wrapLine } from '../terminal-table.ts';
import { UsageError } from '../usage-error.ts';
import { maxDaysOption } from '../verify-max-days.ts';

const DEFAULT_OUT = './out';
const DEFAULT_FROM = 'Domo activity alerts <domo-activity@example.com>';
const DEFAULT_TO = 'security@example.com';

function rangeOf(setting: keyof typeof ALERT_SETTING_LIMITS): string {
  const [min, max] = ALERT_SETTING_LIMITS[setting];
  return `${min} to ${max}`;
}

export const alertsHelp = `Usage: domo-activity-lake alerts [options]

Evaluates the security alerts of the lake the way the alerts Lambda does
(lockouts, bursts of failed logins, password sprays, logins right after failed
logins, logins from a new country or network owner, impossible travel, logins
at an unusual hour, privileged changes: roles, groups, access tokens, sign-in
settings, one alert each, as query admin_changes lists them), lists them, and
writes the message the Lambda would send into --out as alerts.eml (with
alerts.html and alerts.txt). Nothing is sent and the lake is not modified: no
checkpoint, login profile or archive is written. Bulk exports (one user
exporting many objects within an hour) alert only with --export-burst; shares
never do (query data_movement for those).

Like a first deploy, it evaluates every hour from --since (or the lake's first
hour) up to --until (or the lake's ingest checkpoint), however many (the
Lambda's cap on hours per run does not apply), and ignores the alerts
function's own checkpoint and archive if the lake holds them. A lake that only
ingest --from/--to filled has no checkpoint: its covered hours (pulled whole)
are evaluated, and the hours it does not cover, between them or asked for by
--since/--until before the first or after the last, are skipped and named,
not judged.

Options:
  --since <time>          list alerts from this UTC time (2026-10-01 or
                          2026-10-01T06:00:00Z), its whole hour evaluated;
                          default: from the lake's first hour (a first deploy)
  --until <time>          list alerts before this UTC time, later than --since;
                          only the hours that end by it are evaluated, and never
                          any past the lake's ingest checkpoint (the default),
                          or, on a lake filled only by ingest --from/--to, past
                          the last hour it covers
  --instance <name>       instance in the lake (default: the lake's only
                          instance)
  --lake <dir|s3://...>   the lake (default: ${DEFAULT_LAKE})
  --format table|json     how the alerts are listed on stdout (default: table);
                          json lists {id, instance, kind, user_id, user_name,
                          event_time, evidence, ip_address, event_ids},
                          event_time in UTC with its zone
                          (2026-11-30T14:03:00.000Z), event_ids the events
                          that raised it (activity_log's event_id)
  --out <dir>             where alerts.eml/.html/.txt go (default: ${DEFAULT_OUT}), with
                          alerts.lake.json naming the lake and instance; none
                          when no alert: a run without alerts removes an earlier
                          run's message only if it is of the same lake and
                          instance, and leaves any other (another lake's, the
                          demo's); not the lake, a directory inside it, or
                          another lake
  --time-zone <zone>      zone of "hour of day" and of the times shown (default
                          UTC)
  --burst-failures <n>    failed logins that make a burst (default ${DEFAULT_ALERT_SETTINGS.burstFailures}, ${rangeOf('burstFailures')})
  --burst-minutes <n>     ...within this many minutes (default ${DEFAULT_ALERT_SETTINGS.burstMinutes}, ${rangeOf('burstMinutes')})
  --spray-users <n>       users failing from one IP within --burst-minutes that
                          make a password spray (default ${DEFAULT_ALERT_SETTINGS.sprayUsers}, ${rangeOf('sprayUsers')})
  --export-burst <n>      distinct objects one user exports within 60 minutes
                          that make a bulk export alert (default ${DEFAULT_ALERT_SETTINGS.exportBurst}: off;
                          else ${EXPORT_BURST_MIN} to ${ALERT_SETTING_LIMITS.exportBurst[1]})
  --failures-before-login <n>
                          failed logins of a user in the hour before a login
                          of theirs that make it an alert (default ${DEFAULT_ALERT_SETTINGS.failuresBeforeLogin},
                          ${rangeOf('failuresBeforeLogin')}; a lockout in that hour always does)
  --mail-older-than <h>   alerts about events older than this many hours are
                          only counted in the message (stdout still lists them),
                          as a first deploy does with history (default ${DEFAULT_ALERT_SETTINGS.mailOlderThanHours},
                          ${rangeOf('mailOlderThanHours')})
  --history-days <n>      days of sign-in history a login is judged against, as
                          cdk.json's alerts.historyDays (default ${DEFAULT_ALERT_SETTINGS.historyDays}, ${rangeOf('historyDays')})
  --min-history-logins <n>
                          history sign-ins a user needs before a new country,
                          network owner or hour counts, as
                          alerts.minHistoryLogins (default ${DEFAULT_ALERT_SETTINGS.minHistoryLogins}, ${rangeOf('minHistoryLogins')})
  --max-speed-kmh <n>     fastest plausible journey between two sign-ins, km/h,
                          as alerts.maxSpeedKmh (default ${DEFAULT_ALERT_SETTINGS.maxSpeedKmh}, ${rangeOf('maxSpeedKmh')})
  --expected <file>       JSON list of expected activity, as cdk.json's
                          alerts.expected, or cdk.json itself (its instances
                          judge the rules' as synth does, not the lake's
                          folders): sign-in alerts a rule matches are
                          counted, left out of the table and the message;
                          --format json lists them after the others with
                          quieted_by. Privileged changes only by a rule
                          naming the kind and the user. Failed sign-ins,
                          lockouts, sprays and logins after failed logins
                          are always listed (docs/alerts.md, "Expected
                          activity")
  --max-days <n>          the deployment's retention.maxDays: a deactivation is
                          forgotten min(n, 90) days after, as the stack's
                          alerts forget it (default: 90 days)
`;

const spec = {
  since: { type: 'string' },
  until: { type: 'string' },
  instance: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  format: { type: 'string', default: 'table' },
  out: { type: 'string', default: DEFAULT_OUT },
  'time-zone': { type: 'string', default: 'UTC' },
  'burst-failures': { type: 'string' },
  'burst-minutes': { type: 'string' },
  'spray-users': { type: 'string' },
  'export-burst': { type: 'string' },
  'failures-before-login': { type: 'string' },
  'mail-older-than': { type: 'string' },
  'history-days': { type: 'string' },
  'min-history-logins': { type: 'string' },
  'max-speed-kmh': { type: 'string' },
  expected: { type: 'string' },
  'max-days': { type: 'string' },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const alertsOptions: OptionSpec = spec;

export interface LocalAlerts {
  summary: AlertsRunSummary;
  /** The written message, when there was an alert. */
  eml?: string;
  /** An earlier run's message files this run removed, having none to write. */
  removed?: string[];
  /**
   * Message files this run, having none to write, left where they were: of another lake or
   * instance (`owner`), or of no run known to be this lake's (no owner file beside them).
   */
  kept?: { paths: string[]; owner?: MessageOwner | undefined };
}

interface LocalAlertsOptions {
  /** The lake, read through an overlay: the run's own writes never reach it. */
  lake: ObjectStore;
  instance: string;
  outDir: string;
  sinceMs?: number;
  /** Where the evaluation stops (exclusive; only the hours that end by it): the watermark by default. */
  untilMs?: number;
  clock?: Clock;
  log?: Log;
  settings?: Parameters<typeof validateAlertSettings>[0];
  /** How the message tells a reader to list the alerts it only counts; `localUnlisted()` by default. */
  unlisted?: UnlistedAlerts;
  /** Where the message's query to dig further runs: `localDigFurther(lake)` for a lake on disk. */
  digFurther: DigFurther;
  /** The expected-activity list: alerts a rule matches are counted, not listed. */
  expected?: readonly ExpectedRule[];
  /** The deployment's `retention.maxDays`, as the stack's run takes it (user-states.ts). */
  maxDays?: number;
}

/**
 * A local run's message must not send its reader to the archive or to Athena: its writes go to an
 * overlay and never reach the lake, and every alert it raised is on the command's output. With
 * `relist`, the command line that lists them again.
 */
function localUnlisted(relist?: string): UnlistedAlerts {
  const listed =
    'A local run archives nothing (it writes nothing to the lake): the command that wrote this message listed every alert, these included, on its output';
  return {
    subject: 'not listed',
    state: 'not listed here',
    howToList: () =>
      relist === undefined
        ? { sentence: `${listed}.` }
        : { sentence: `${listed}; to list them again, run:`, copy: relist },
  };
}

/**
 * A local run's reader runs the message's query with this CLI (DuckDB over the lake on disk): the
 * Athena console it would name otherwise is not where a local lake is.
 */
export function localDigFurther(lakeDir: string): DigFurther {
  return {
    intro: 'To dig further, run it with DuckDB over the lake:',
    copy: (query) => messageCommandLine(['query', '--lake', lakeDir, '--sql', query]),
    // The commands the table ends with, as the message is read away from the terminal.
    nextSteps: {
      how: 'run these over the lake',
      lines: (steps) => stepCommands(steps, { lakeDir, instance: steps.instance }).map(messageCommandLine),
    },
  };
}

/** Runs the alerts use case over a lake without writing to it; the message goes to files (used by `alerts` and `demo`). */
export async function evaluateLocalAlerts(options: LocalAlertsOptions): Promise<LocalAlerts> {
  const settings: AlertSettings = {
    ...validateAlertSettings(options.settings),
    // The Lambda's cap keeps a run within its timeout and lets the next run continue from the
    // checkpoint; a local run keeps no checkpoint, so a cap would silently drop the newest hours.
    maxHoursPerRun: Number.POSITIVE_INFINITY,
  };
  const clock = options.clock ?? systemClock;
  const store = new OverlayObjectStore(new FirstDeployView(options.lake, options.instance));
  const mailer = new FileMailer({ dir: options.outDir, basename: 'alerts', clock });
  const owner = { lake: options.lake.location, instance: options.instance };
  let written = false;
  const channel: AlertChannel = {
    name: 'file',
    deliver: async (message) => {
      written = true;
      // Made here, so that a write that fails (a full disk) removes what it made, as the ingest
      // removes a lake it made: no empty --out is left behind (one holding a file stays).
      const made = await makeDirectory(mailer.dir);
      try {
        return await writeOwnedMessage(mailer.dir, owner, () =>
          mailer.send({ from: DEFAULT_FROM, to: [DEFAULT_TO], ...message }),
        );
      } catch (error) {
        removeMadeDirectories(made);
        throw error;
      }
    },
  };
  const summary = await runAlerts(
    {
      store,
      clock,
      log: options.log ?? silentLog,
      channels: [channel],
      unlisted: options.unlisted ?? localUnlisted(),
      digFurther: options.digFurther,
      // Written when asked, over a lake of any age: "sent N hours after the event" would say nothing.
      marksLate: false,
    },
    {
      instance: options.instance,
      settings,
      runId: `local-${clock.now()}`,
      ...(options.sinceMs === undefined ? {} : { startMs: options.sinceMs }),
      ...(options.untilMs === undefined ? {} : { endMs: options.untilMs }),
      // The run's writes go to the overlay, never to the lake: a range-only lake's covered hours
      // can be judged without leaving a checkpoint a scheduled run would take as its own.
      coveredWithoutCheckpoint: true,
      ...(options.expected ? { expected: options.expected } : {}),
      ...(options.maxDays === undefined ? {} : { maxDays: options.maxDays }),
    },
  );
  if (written) {
    // The channel's failure is its outcome, not an exception: said here, or "message: <path>"
    // would name a file that was never written.
    const failed = summary.deliveries.find((d) => d.channel === channel.name && 'error' in d);
    if (failed && 'error' in failed) {
      throw new Error(`could not write the alerts message into ${mailer.dir}: ${failed.error}`);
    }
    return { summary, eml: mailer.paths.eml };
  }
  const { eml, html, txt } = mailer.paths;
  const earlier = await clearEarlierMessage(mailer.dir, [eml, html, txt], owner);
  if (earlier.kind === 'removed') return { summary, removed: earlier.paths };
  if (earlier.kind === 'kept') return { summary, kept: { paths: earlier.paths, owner: earlier.owner } };
  return { summary };
}

const oneLine = (text: string | null): string =>
  visibleText(text ?? '')
    .replace(/[\t\n\r]+/g, ' ')
    .trim();

/**
 * The alerts as aligned columns for a terminal `maxWidth` columns wide (Domo strings cleaned like
 * the report's text). A user is named as the mail names them, `Ann (42)`: two users who took the
 * same display name (an admin's, say) are two users, however alike the names look. Name and id
 * are cut to the mail's name length ({@link RENDER_LIMITS}) in columns of the terminal, so a
 * 500-character Domo name cannot push the evidence off the screen. On a terminal
 * too narrow for whole lines the evidence wraps within its column, or each alert becomes a block
 * of lines ({@link fitTable}); a pipe or a file gets every line whole.
 */
export function alertsTable(
  alerts: readonly Alert[],
  timeZone: string,
  maxWidth = Number.POSITIVE_INFINITY,
): string {
  if (alerts.length === 0) return 'no alerts\n';
  const rows = alerts.map((a) => [
    // With its offset, as in the mail: where the clocks go back, two alerts an hour apart read alike.
    localDateTimeWithOffset(a.event_time_ms, timeZone),
    KIND_LABELS[a.kind][0],
    // A spray is about an address, not a user: the mail's word for it (its evidence names them).
    a.kind === 'password_spray'
      ? 'many users'
      : columnName(a.user_name, a.user_id, 'user', RENDER_LIMITS.name, true),
    oneLine(a.evidence),
  ]);
  const header = [`time (${timeZone})`, 'alert', 'user', 'evidence'];
  return `${fitTable({ header, rows }, maxWidth).join('\n')}\n`;
}

/** `--export-burst`: 0 (off), or a number of the setting's range from {@link EXPORT_BURST_MIN} on. */
function exportBurstFlag(value: string | undefined): number {
  const burst = alertSettingOption('--export-burst', value, 'exportBurst');
  const problem = exportBurstProblem(burst);
  if (problem !== undefined) throw new UsageError(`--export-burst is ${burst}: ${problem}`);
  return burst;
}

function parseSettings(values: {
  'time-zone': string;
  'burst-failures'?: string;
  'burst-minutes'?: string;
  'spray-users'?: string;
  'export-burst'?: string;
  'failures-before-login'?: string;
  'mail-older-than'?: string;
  'history-days'?: string;
  'min-history-logins'?: string;
  'max-speed-kmh'?: string;
}) {
  try {
    return validateAlertSettings({
      timeZone: parseTimeZone('--time-zone', values['time-zone']),
      burstFailures: alertSettingOption('--burst-failures', values['burst-failures'], 'burstFailures'),
      burstMinutes: alertSettingOption('--burst-minutes', values['burst-minutes'], 'burstMinutes'),
      sprayUsers: alertSettingOption('--spray-users', values['spray-users'], 'sprayUsers'),
      exportBurst: exportBurstFlag(values['export-burst']),
      failuresBeforeLogin: alertSettingOption(
        '--failures-before-login',
        values['failures-before-login'],
        'failuresBeforeLogin',
      ),
      mailOlderThanHours: alertSettingOption(
        '--mail-older-than',
        values['mail-older-than'],
        'mailOlderThanHours',
      ),
      historyDays: alertSettingOption('--history-days', values['history-days'], 'historyDays'),
      minHistoryLogins: alertSettingOption(
        '--min-history-logins',
        values['min-history-logins'],
        'minHistoryLogins',
      ),
      maxSpeedKmh: alertSettingOption('--max-speed-kmh', values['max-speed-kmh'], 'maxSpeedKmh'),
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

/** Which alerts to list: `--since` and `--until` as instants, those given; refused out of order or in the future. */
function parseSpan(
  values: { since?: string | undefined; until?: string | undefined },
  nowMs: number,
): { sinceMs?: number; untilMs?: number } {
  const sinceMs = values.since === undefined ? undefined : parseInstant('--since', values.since);
  const untilMs = values.until === undefined ? undefined : parseInstant('--until', values.until);
  // A run from the future would find nothing and remove the last run's message: refuse it instead.
  if (sinceMs !== undefined && sinceMs > nowMs) {
    throw new UsageError(
      `--since ${JSON.stringify(values.since)} is in the future: alerts are about events that happened; give a time before now, or leave --since out for the whole lake`,
    );
  }
  // Likewise a span with nothing in it.
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) {
    throw new UsageError(
      `--until ${JSON.stringify(values.until)} is not after --since ${JSON.stringify(values.since)}: the alerts listed are those from --since and before --until`,
    );
  }
  return {
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
  };
}

const ALERTS_WRITES: OutWrites = {
  command: 'alerts',
  files: 'alerts.eml, .html, .txt and alerts.lake.json',
};

/**
 * `--out` (checked already), made absolute; refused where the message files would land in a lake:
 * the lake read, or another one, whose folders they would land among (as `report`'s would).
 */
async function alertsOutDir(out: string, lake: LakeOption): Promise<string> {
  const outDir = resolve(out);
  // The lake is not modified (--help): not even by the message files.
  if (lake.spec.kind === 'fs') assertOutOutsideLake(out, lake.spec.dir, ALERTS_WRITES);
  await assertOutNotALake(out, ALERTS_WRITES);
  return outDir;
}

export async function alertsCommand(argv: readonly string[], io: CommandIo): Promise<LocalAlerts> {
  const { values } = parseOptions(argv, spec);
  if (values.format !== 'table' && values.format !== 'json') {
    throw new UsageError(`--format "${values.format}" is not known: use table or json`);
  }
  const settings = parseSettings(values);
  const written = values.expected === undefined ? undefined : readExpectedActivityFile(values.expected);
  const clock = clockOf(io);
  const span = parseSpan(values, clock.now());
  const maxDays = maxDaysOption(values['max-days']);
  // --out is checked before --lake is parsed, the order its errors came in before the lake was
  // parsed once for both: a script's first error stays the same.
  assertDirectoryOption('--out', values.out);
  const lake = parseLakeOption(values.lake);
  const outDir = await alertsOutDir(values.out, lake);
  const target = await openLakeTarget(lake, values.instance, { access: 'read' });
  const judged = await expectedForInstance(written, target, span.sinceMs);
  const expected = judged?.rules;
  const label = `alerts ${target.instance}: reading the lake's hours`;
  const result = await showingWhile(io.stderr, label, () =>
    evaluateLocalAlerts({
      lake: target.store,
      instance: target.instance,
      outDir,
      settings,
      log: io.log,
      clock,
      unlisted: localUnlisted(
        relistCommand(target, values.lake, settings, { ...span, maxDays }, values.expected),
      ),
      // DuckDB reads a lake on disk; an S3 lake's reader has Athena.
      digFurther: target.spec.kind === 'fs' ? localDigFurther(resolve(target.spec.dir)) : IN_ATHENA,
      ...span,
      ...(expected ? { expected } : {}),
      ...(maxDays === undefined ? {} : { maxDays }),
    }),
  );
  // "no alerts" from a run that could look at nothing would read as an all-clear.
  if (result.summary.status === 'no-data') throw new Error(noCheckpointMessage(target, values.lake));
  const alerts = result.summary.raised;
  const skipped = [
    ...skippedLines(result.summary, settings.timeZone, target, values.lake),
    ...(judged?.warnings ?? []),
    ...expectedActivityLines(result.summary, expected ?? [], clock.now()),
  ];
  if (values.format === 'json') {
    io.stdout.write(jsonOutput(jsonAlerts(alerts, result.summary, expected !== undefined)));
    // Not on stdout, which holds the JSON alone: a script must not read the list as the whole span's,
    // nor an empty list of a run that could judge no hour (past the checkpoint, or of a range-only
    // lake none of the hours asked for) as an all-clear.
    for (const line of [...noHourLines(result.summary, settings.timeZone, span.untilMs), ...skipped]) {
      io.stderr.write(`warning: ${line}\n`);
    }
  } else {
    writeTable(io, result, { settings, untilMs: span.untilMs, skipped, target });
  }
  return result;
}

/**
 * The table, the run's lines under it, and the queries that take its most serious alert to its
 * events (alerts-next-steps.ts), for the terminal's width.
 */
function writeTable(
  io: CommandIo,
  result: LocalAlerts,
  run: { settings: AlertSettings; untilMs: number | undefined; skipped: string[]; target: LakeTarget },
): void {
  const { settings, target } = run;
  const alerts = result.summary.raised;
  const width = terminalWidth(io.stdout);
  io.stdout.write(
    alerts.length === 0 && evaluatedNoHour(result.summary)
      ? 'no alerts: no hour evaluated\n'
      : alertsTable(alerts, settings.timeZone, width),
  );
  const lines = runLines(result, settings, run.untilMs, run.skipped).flatMap((l) => wrapLine(l, width));
  const lakeDir = target.spec.kind === 'fs' ? resolve(target.spec.dir) : undefined;
  const next = nextStepLines(
    alerts,
    { lakeDir, instance: target.instance, timeZone: settings.timeZone, judging: settings },
    width,
  );
  for (const line of [...lines, ...next]) io.stdout.write(`${line}\n`);
}

/** A lake given as the reader gave it, a directory made absolute (the command may be run from anywhere). */
const lakeWhere = (target: LakeTarget, lake: string): string =>
  target.spec.kind === 'fs' ? resolve(target.spec.dir) : lake.trim();

/** Said after an `ingest` command line: the lake does not record the API it was pulled from. */
const API_BASE_NOTE = "add --api-base <url> if the lake was not pulled from Domo's API";

/**
 * Why a lake with neither an ingest checkpoint nor a covered hour cannot be evaluated, and the
 * commands that give it either. The lake does not record the API it was pulled from (neither its
 * checkpoint nor its last-run note does), and a range-only lake is as often the simulator's as
 * Domo's: pasted as it stands, the command would go to Domo's API, so the reader is told to add the
 * one they pulled from.
 */
function noCheckpointMessage(target: LakeTarget, lake: string): string {
  const where = lakeWhere(target, lake);
  const ingest = ['ingest', '--lake', where, '--instance', target.instance];
  return (
    `instance ${target.instance} in ${where} has no ingest checkpoint and no hour pulled whole (no coverage manifest), so no hour could be evaluated ` +
    '(alerts judge the hours up to the checkpoint, which an ingest without --from/--to writes, as the scheduled Lambda does, or else the hours the lake covers): ' +
    `pull the hours to look at with ${commandLine([...ingest, '--from', '<hour>', '--to', '<hour>'])}, ` +
    `or follow the API with ${commandLine(ingest)}, whose first run pulls the last --backfill-days days (${INGEST_SETTINGS.backfillDays.default} by default) ` +
    `before it writes the checkpoint (add --backfill-days <n> to pull fewer); ${API_BASE_NOTE}; then run alerts again`
  );
}

/** An instant as a command line's option takes it, `2026-10-01T12:00:00Z`. */
const optionInstant = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** How many hours `spans` hold. */
const spanHours = (spans: readonly HourSpan[]): number =>
  spans.reduce((sum, span) => sum + (span.toMs - span.fromMs) / HOUR_MS, 0);

/** Uncovered spans named one by one; more are counted. */
const MAX_SPANS_NAMED = 5;

/**
 * What a run over a lake without a checkpoint says of the hours it skipped (not covered, so not
 * judged) and how to have them judged; none when it skipped none. A single ingest over all of them
 * pulls the covered hours between again too: the lake merges them, never twice.
 */
export function skippedLines(
  summary: AlertsRunSummary,
  timeZone: string,
  target: LakeTarget,
  lake: string,
): string[] {
  const uncovered = summary.coverage?.uncovered ?? [];
  const [first] = uncovered;
  const last = uncovered.at(-1);
  if (first === undefined || last === undefined) return [];
  const at = (ms: number) => localDateTimeWithOffset(ms, timeZone);
  const named = uncovered.slice(0, MAX_SPANS_NAMED).map((s) => `${at(s.fromMs)} up to ${at(s.toMs)}`);
  const rest = uncovered.slice(MAX_SPANS_NAMED);
  const more =
    rest.length === 0
      ? ''
      : `, and ${rest.length} more span${rest.length === 1 ? '' : 's'} (${hoursText(spanHours(rest))})`;
  const ingest = commandLine([
    ...['ingest', '--lake', lakeWhere(target, lake), '--instance', target.instance],
    ...['--from', optionInstant(first.fromMs), '--to', optionInstant(last.toMs)],
  ]);
  const between =
    uncovered.length === 1 ? '' : 'the covered hours between are pulled again, merged, never twice; ';
  const notClosed = summary.coverage?.notClosedFromMs;
  const later =
    notClosed === undefined
      ? ''
      : `; --until is later than ${optionInstant(notClosed)}, the end of the last hour an ingest can pull now: the hours after it have not closed, and were neither judged nor pulled`;
  return [
    `skipped ${hoursText(spanHours(uncovered))} the lake does not cover (never pulled whole), not judged: ${named.join(', ')} ${timeZone}${more}`,
    `to judge them, pull them with ${ingest} (${between}${API_BASE_NOTE}), then run alerts again${later}`,
  ];
}

/** The settings a run's command line repeats, each by its flag, when not at their default. */
const REPEATED_FLAGS = {
  burstFailures: '--burst-failures',
  burstMinutes: '--burst-minutes',
  sprayUsers: '--spray-users',
  exportBurst: '--export-burst',
  failuresBeforeLogin: '--failures-before-login',
  historyDays: '--history-days',
  minHistoryLogins: '--min-history-logins',
  maxSpeedKmh: '--max-speed-kmh',
} as const satisfies Partial<Record<keyof AlertSettings, string>>;

/**
 * The command line that lists a run's alerts again: the options that decide which alerts are
 * raised, those left at their defaults left out, and a directory lake made absolute (the message
 * may be read from anywhere).
 */
function relistCommand(
  target: LakeTarget,
  lake: string,
  settings: AlertSettings,
  span: { sinceMs?: number; untilMs?: number; maxDays: number | undefined },
  expectedFile: string | undefined,
): string {
  const words = ['alerts', '--lake', lakeWhere(target, lake)];
  if (expectedFile !== undefined) words.push(EXPECTED_FLAG, resolve(expectedFile));
  words.push('--instance', target.instance);
  if (span.sinceMs !== undefined) words.push('--since', optionInstant(span.sinceMs));
  if (span.untilMs !== undefined) words.push('--until', optionInstant(span.untilMs));
  if (settings.timeZone !== DEFAULT_ALERT_SETTINGS.timeZone) words.push('--time-zone', settings.timeZone);
  for (const [key, flag] of Object.entries(REPEATED_FLAGS) as [keyof typeof REPEATED_FLAGS, string][]) {
    if (settings[key] !== DEFAULT_ALERT_SETTINGS[key]) words.push(flag, String(settings[key]));
  }
  if (span.maxDays !== undefined) words.push('--max-days', String(span.maxDays));
  return messageCommandLine(words);
}

/**
 * Where the run stopped: the hour `--until` stopped it at, else the lake's ingest checkpoint (on a
 * lake without one, the end of its last covered hour).
 */
const stopOf = (summary: AlertsRunSummary): number | undefined => summary.endMs ?? summary.watermarkMs;

/** Hours from the run's first up to where it stopped that the lake does not cover: skipped, not judged. */
const skippedHours = (summary: AlertsRunSummary): number => spanHours(summary.coverage?.uncovered ?? []);

/**
 * The hours a run speaks of: on a lake without a checkpoint those asked for (`--since` to
 * `--until`, the covered hours' ends for those not given), each judged or skipped; else from its
 * first hour up to where it stopped.
 */
const runSpan = (summary: AlertsRunSummary): { fromMs: number; stop: number } | undefined => {
  const asked = summary.coverage?.asked;
  if (asked && summary.fromMs !== undefined) return { fromMs: asked.fromMs, stop: asked.toMs };
  const stop = stopOf(summary);
  return summary.fromMs === undefined || stop === undefined ? undefined : { fromMs: summary.fromMs, stop };
};

/**
 * The run had no complete hour of events to look at (its own hours, not the rechecked ones before
 * `--since`): none up to where it stopped, or, on a lake without a checkpoint, none covered.
 */
const evaluatedNoHour = (summary: AlertsRunSummary): boolean => {
  if (summary.lakeEmpty === true) return true;
  const span = runSpan(summary);
  if (span === undefined) return false;
  return span.stop <= span.fromMs || skippedHours(summary) >= (span.stop - span.fromMs) / HOUR_MS;
};

const hoursText = (n: number): string => `${n} hour${n === 1 ? '' : 's'}`;

/**
 * What stopped the run at `stop`: the checkpoint, `--until`, or on a lake without a checkpoint the
 * last covered hour (no `--until`) or the last hour an ingest can pull now (an `--until` past it).
 */
function stopName(summary: AlertsRunSummary, untilMs: number | undefined, stop: number): string {
  // Hours are evaluated whole: an --until within an hour leaves that hour out.
  const until = untilMs === undefined || untilMs === stop ? '--until' : "--until's own hour left out";
  if (summary.endMs !== undefined) return until;
  if (!summary.coverage) return "the lake's ingest checkpoint";
  if (summary.coverage.notClosedFromMs !== undefined) {
    return 'the end of the last hour an ingest can pull now: --until is later, its hours not closed yet';
  }
  return untilMs !== undefined && floorHour(untilMs) === stop
    ? until
    : 'the end of the last hour the lake covers: it has no ingest checkpoint';
}

/** Of a run that judged no hour, why (what a table run says under "no alerts"). */
const noHourLines = (summary: AlertsRunSummary, timeZone: string, untilMs: number | undefined): string[] => {
  if (!evaluatedNoHour(summary)) return [];
  const line = spanLine(summary, timeZone, untilMs);
  return line === undefined ? [] : [line];
};

/** Why a run that started at `fromMs` evaluated no hour, with the time zone's offsets (see spanLine). */
function noHourLine(summary: AlertsRunSummary, timeZone: string, untilMs: number | undefined): string {
  const at = (ms: number) => localDateTimeWithOffset(ms, timeZone);
  const { watermarkMs = 0, endMs } = summary;
  const { fromMs, stop } = runSpan(summary) ?? { fromMs: 0, stop: 0 };
  if (stop > fromMs) {
    return `evaluated no hour: none from ${at(fromMs)} up to ${at(stop)} ${timeZone} is covered by the lake (${stopName(summary, untilMs, stop)})`;
  }
  if (endMs !== undefined) {
    return `evaluated no hour: none from ${at(fromMs)} ${timeZone} ends by --until (${at(untilMs ?? endMs)})`;
  }
  return summary.coverage
    ? `evaluated no hour: none from ${at(fromMs)} ${timeZone} is covered (the lake has no ingest checkpoint, and the last hour it covers ends at ${at(watermarkMs)})`
    : `evaluated no hour: none from ${at(fromMs)} ${timeZone} is complete (the lake's ingest checkpoint is at ${at(watermarkMs)})`;
}

/**
 * Which hours a run covered, from its first up to the checkpoint or `--until` (`untilMs`, as given);
 * on a lake without a checkpoint, how many of them it judged (the others are not covered).
 */
function spanLine(
  summary: AlertsRunSummary,
  timeZone: string,
  untilMs: number | undefined,
): string | undefined {
  const { watermarkMs } = summary;
  if (summary.lakeEmpty && watermarkMs !== undefined) {
    return `evaluated no hour: the lake holds no events up to its ingest checkpoint (${localDateTimeWithOffset(watermarkMs, timeZone)} ${timeZone})`;
  }
  const span = runSpan(summary);
  if (span === undefined || watermarkMs === undefined) return undefined;
  if (evaluatedNoHour(summary)) return noHourLine(summary, timeZone, untilMs);
  // With the offset outside UTC, as the table's times: where the clocks go back one local time
  // names two instants an hour apart, and the span's ends would be ambiguous.
  const at = (ms: number) => localDateTimeWithOffset(ms, timeZone);
  const { fromMs, stop } = span;
  const hours = (stop - fromMs) / HOUR_MS;
  const skipped = skippedHours(summary);
  const counted = skipped === 0 ? `${hoursText(hours)},` : `${hours - skipped} of the ${hours} hours`;
  return `evaluated ${counted} from ${at(fromMs)} up to ${at(stop)} ${timeZone} (${stopName(summary, untilMs, stop)})`;
}

/**
 * What a table run says under its alerts: why the weekly report may list other logins (a reader
 * compares the two), which hours it covered and those it skipped, and where the message is.
 */
function runLines(
  result: LocalAlerts,
  settings: Pick<AlertSettings, 'timeZone' | 'historyDays'>,
  untilMs: number | undefined,
  skipped: readonly string[],
): string[] {
  const { summary } = result;
  const note = historyWindowNote(summary.raised, settings.historyDays);
  const span = spanLine(summary, settings.timeZone, untilMs);
  return [...(note ? [`note: ${note}`] : []), ...(span ? [span] : []), ...skipped, ...messageLines(result)];
}

const fileNames = (paths: readonly string[]): string => paths.map((p) => basename(p)).join(', ');

/** Where this run's message is, or what became of an earlier one in the directory. */
function messageLines(result: LocalAlerts): string[] {
  if (result.eml) return [`message: ${result.eml}`];
  if (result.removed) {
    return [
      `message: none; removed the earlier run's ${fileNames(result.removed)} from ${dirname(result.removed[0] ?? '')}`,
    ];
  }
  if (!result.kept) return [];
  const { paths, owner } = result.kept;
  const why = owner
    ? `another run's message, of instance ${owner.instance} in ${owner.lake}`
    : `no ${MESSAGE_OWNER_FILE} says they are this lake's; remove them yourself if they are stale`;
  return [`message: none; left alone the ${fileNames(paths)} in ${dirname(paths[0] ?? '')}: ${why}`];
}

/**
 * A short terminal summary of a local alerts run (used by `demo`, where it follows the week's
 * report: the note says why the two can list different logins), laid out for a terminal
 * `maxWidth` columns wide as the `alerts` command's table is.
 */
export function describeLocalAlerts(
  result: LocalAlerts,
  timeZone: string,
  sinceMs: number,
  maxWidth = Number.POSITIVE_INFINITY,
  historyDays = DEFAULT_ALERT_SETTINGS.historyDays,
): string {
  const alerts = result.summary.raised;
  const note = historyWindowNote(alerts, historyDays);
  // With the offset outside UTC, as the table's times (see spanLine).
  const at = (ms: number) => localDateTimeWithOffset(ms, timeZone);
  const { endMs } = result.summary;
  // The end when one stopped the run before the lake's last hour (the demo's report week).
  const span = endMs === undefined ? `since ${at(sinceMs)}` : `from ${at(sinceMs)} to ${at(endMs)}`;
  const head = `alerts ${span} ${timeZone}: ${alerts.length === 0 ? 'none' : alerts.length}`;
  const lines =
    alerts.length === 0
      ? []
      : alertsTable(alerts, timeZone, maxWidth - 2)
          .trimEnd()
          .split('\n')
          .map((line) => (line === '' ? '' : `  ${line}`));
  return [
    head,
    ...lines,
    ...(note ? [`  note: ${note}`] : []),
    ...messageLines(result).map((line) => `  ${line}`),
  ]
    .flatMap((line) => wrapLine(line, maxWidth))
    .join('\n');
}

/**
 * An alert as the JSON list gives it: `event_time` with its zone (core/lake/utc-instant.ts), as `query`'s
 * JSON gives the same event's time, so a script reads the instant, not a local time; and the
 * events that raised it, as the archive's `alert_events` gives them on Athena: locally the only way
 * from the mail's alert id to its events (until 2026-12-07 there was none, review ALERTIR).
 */
const listedAlert = (alert: Alert) => ({
  ...publicAlert(alert),
  event_time: utcInstant(alert.event_time),
  event_ids: [...alert.event_ids],
});

/**
 * The JSON list; with `--expected` (`withQuieted`) the alerts to send, then those the list
 * quieted, each with `quieted_by` (null for the ones sent), so a script sees what was quieted and
 * why, not only the stderr lines counting them. Without it, as before the list existed.
 */
const jsonAlerts = (alerts: readonly Alert[], summary: AlertsRunSummary, withQuieted: boolean) =>
  !withQuieted
    ? alerts.map(listedAlert)
    : [
        ...alerts.map((alert) => ({ ...listedAlert(alert), quieted_by: null })),
        ...(summary.quietedAlerts ?? []).map((alert) => ({
          ...listedAlert(alert),
          quieted_by: alert.quieted_by ?? null,
        })),
      ];
