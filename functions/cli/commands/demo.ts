import { readdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type LockHolder, removeLockLitter, withFileLock } from '../../adapters/file-lock.ts';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { containerGeo } from '../../adapters/geo-file-lookup.ts';
import { makeDirectory } from '../../adapters/make-directory.ts';
import { holdingRunLock } from '../../adapters/run-lock.ts';
import { createAuditClient } from '../../core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../core/ingest/ingest-config.ts';
import type { IngestSummary } from '../../core/ingest/ingest-types.ts';
import { noteRunForStatus } from '../../core/ingest/record-last-run.ts';
import { newRunId, runIngest } from '../../core/ingest/run-ingest.ts';
import { lakeTimestamp, utcDate } from '../../core/lake/layout.ts';
import { verifyLake } from '../../core/lake/verify-lake.ts';
import type { VerifyReport } from '../../core/lake/verify-report.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../core/queries/alert-settings.ts';
import { lastFullWeek, type ReportWeek } from '../../core/report/iso-week.ts';
import type { WeeklyReportModel } from '../../core/report/report-model.ts';
import { realClientWaits, realRandom, realSleep } from '../../core/runtime.ts';
import { DAY_MS, floorHour, HOUR_MS, MINUTE_MS } from '../../core/time-units.ts';
import { utcOffsetText, wallTimeOf } from '../../core/zoned-time.ts';
import type { GroundTruthEntry, PlantedPattern } from '../../simulator/index.ts';
import { SPRAY_MIN_USERS } from '../../simulator/planted-patterns.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { cliCommand } from '../command-line.ts';
import { commandLineRunner } from '../command-line-runner.ts';
import { DEMO_LOCK, DEMO_MARKER } from '../demo-lake.ts';
import { demoOutDirectory } from '../demo-out-directory.ts';
import { fitProse } from '../fit-prose.ts';
import { type InterruptName, processInterrupts } from '../interrupts.ts';
import { jsonOutput } from '../json-output.ts';
import { inspectLakeDirectory, listFound } from '../lake-directory.ts';
import { DEFAULT_INSTANCE } from '../lake-target.ts';
import { lastRunWarning } from '../last-run-warning.ts';
import { lockNoticeTo } from '../lock-notice.ts';
import { removeMadeDirectories } from '../made-directories.ts';
import {
  assertDirectoryOption,
  type OptionSpec,
  parseOptions,
  parseTimeZone,
  parseWholeNumber,
} from '../options.ts';
import { assertOutNotALake } from '../out-not-a-lake.ts';
import { assertOutOutsideLake, type OutWrites } from '../out-outside-lake.ts';
import { pastedCommandLines } from '../pasted-command.ts';
import { type PhaseStatus, phaseStatus } from '../phase-status.ts';
import { terminalProgress } from '../progress.ts';
import { readerDirectory, readerPath } from '../reader-path.ts';
import { assertSimulationFits } from '../simulation-size.ts';
import { terminalWidth } from '../terminal-table.ts';
import { UsageError } from '../usage-error.ts';
import { userActivityCommand } from '../user-activity-command.ts';
import { describeReport } from '../verify-report-text.ts';
import { describeLocalAlerts, evaluateLocalAlerts, type LocalAlerts, localDigFurther } from './alerts.ts';
import { describe, unplacedWarning } from './ingest.ts';
import { describeLocalReport, type LocalReport, writeLocalReport } from './report.ts';
import { type StartedSimulation, startSimulation } from './simulate.ts';

/**
 * Calendar days of history a simulated user needs before the report week for the sign-in checks
 * judged against it (new country, new network owner, unusual hour) to judge them at all: a user
 * needs `minHistoryLogins` sign-ins there, and a simulated user signs in about once a working day.
 */
export const SIGN_IN_HISTORY_DAYS = Math.ceil((DEFAULT_ALERT_SETTINGS.minHistoryLogins * 7) / 5);

/**
 * Said when --days holds less than the report week, where the patterns are planted, and the
 * sign-in history before it: a report of part of a week (or of none of it) shows fewer patterns
 * than the demo's alerts are there to show (review R-USER 1), and with too short a history the
 * new-country, new-network and unusual-hour alerts miss theirs (review R-CLI F3); without a word
 * the demo read as finding nothing it had planted.
 */
export function partWeekNote(days: number, fromMs: number, week: ReportWeek): string | undefined {
  const whole = Math.ceil((fromMs + days * DAY_MS - week.startMs) / DAY_MS);
  const enough = whole + SIGN_IN_HISTORY_DAYS;
  if (days >= enough) return undefined;
  const both = `--days ${enough} holds the whole week and the ${SIGN_IN_HISTORY_DAYS} days of sign-in history before it that the new-country, new-network and unusual-hour checks need (${DEFAULT_ALERT_SETTINGS.minHistoryLogins} sign-ins a user)`;
  if (week.startMs < fromMs) {
    const held =
      week.endMs <= fromMs
        ? `none of the report week ${week.isoWeek}`
        : `only part of the report week ${week.isoWeek} (from ${lakeTimestamp(fromMs).slice(0, 16).replace('T', ' ')} UTC on)`;
    const planted =
      week.endMs <= fromMs
        ? 'no pattern is planted, so the report and alerts find none'
        : 'the patterns are planted in that part, those that fit';
    return `note: --days ${days} holds ${held}: ${planted}; --days ${whole} holds the whole week, ${both}`;
  }
  const history = Math.floor((week.startMs - fromMs) / DAY_MS);
  return `note: --days ${days} holds the report week ${week.isoWeek} but only ${history} day(s) of sign-in history before it: the new-country, new-network and unusual-hour alerts may miss the patterns planted for them; ${both}`;
}

/** What the simulation did not plant, or not in the whole report week. */
function simulationNotes(days: number, fromMs: number, week: ReportWeek, users: number): string[] {
  const partWeek = partWeekNote(days, fromMs, week);
  return [
    ...(users < SPRAY_MIN_USERS ? [noSprayNote(users)] : []),
    ...(partWeek === undefined ? [] : [partWeek]),
  ];
}

/** Said before a demo too small for the spray: otherwise its absence reads as alerts that missed one. */
const noSprayNote = (users: number): string =>
  `note: --users ${users} plants no password spray: it needs at least ${SPRAY_MIN_USERS} users`;

export const demoHelp = `Usage: domo-activity-lake demo [options]

The whole product on this machine, no AWS account and no network: starts a
simulated Domo with a few weeks of realistic activity (and a few faults),
ingests it into a lake on disk the way the scheduled Lambda does, checks the
result, runs the query catalog with DuckDB and writes last week's report
(report.html, report.txt, report.eml) the way the weekly mail would show it, and
the security alerts of that week (alerts.eml) the way the alerts function would
send them. Its report week holds planted stories: sign-ins from new places and
at odd hours, a lockout, a password spray, and a leaver who creates an access
token, exports datasets and shares pages, and whose token acts on after an
admin deactivated them: query data_movement, then
user_activity, with --from and --to of that week (its Monday and the next), not
the default last 7 days; the demo's last lines print both commands.

Options:
  --lake <dir>        where to build the demo lake (default ./lake; replaced if
                      an earlier demo made it)
  --out <dir>         where the report goes (default: out/ next to the lake,
                      i.e. ./out; not inside the lake, which is replaced, nor
                      another lake)
  --days <n>          days of simulated activity (default 28); the patterns
                      go in the report week, so under 13 or so (by the
                      weekday) only those that fit its part in the range,
                      and under 27 or so the sign-in history checks may
                      miss theirs (a note says)
  --seed <n>          seed of the synthetic company (default 42)
  --users <n>         people in the synthetic company (default 40); under
                      ${SPRAY_MIN_USERS}, no password spray is planted
  --time-zone <zone>  IANA zone of the report week (default UTC)
  --json              print the results as JSON

Ctrl-C stops it at once and says what it left: an incomplete lake (or an
earlier demo's, partly cleared), which the next demo run replaces, and in --out
the report and alerts of an earlier run (an --out it made is removed, or kept,
saying so, once it holds part of this run's report). During the ingest it first
records the run as stopped early, as ingest does, so that status on the lake
says so (a few seconds at most; Ctrl-C again quits without waiting).

One demo at a time builds a lake: a second demo on the same --lake is refused
at once (exit 1); the lock of a demo that crashed or was killed does not count.
`;

const spec = {
  lake: { type: 'string', default: './lake' },
  out: { type: 'string' },
  'time-zone': { type: 'string', default: 'UTC' },
  days: { type: 'string' },
  seed: { type: 'string' },
  users: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const demoOptions: OptionSpec = spec;

interface DemoResult {
  lakeDir: string;
  simulatedEntries: number;
  /**
   * Of those, the entries from the ingest's watermark on: hours not settled yet when it ran (the
   * last hour or so), which the next run pulls. With the events written and the entries
   * quarantined they make up every simulated entry.
   */
  unsettledEntries: number;
  ingest: IngestSummary;
  verify: VerifyReport;
  report: LocalReport;
  /**
   * The security alerts of the report week: from its start up to its end (only the hours that end
   * by it), as the alerts Lambda would send them.
   */
  alerts: LocalAlerts;
  elapsedMs: number;
}

/**
 * The demo's stages as a signal finds them: clearing an earlier demo's lake, building its own, or
 * writing the report and alerts, from when the output directory holds some of this run.
 */
type DemoStage = 'clearing' | 'building' | 'writing';

/** What the steps after the simulator share. */
interface DemoRun {
  days: number;
  lakeDir: string;
  outDir: string;
  timeZone: string;
  io: CommandIo;
  status: PhaseStatus;
  /**
   * Prints a step's lines as it ends (nothing with --json: stdout is one JSON document then), its
   * sentences wrapped to the terminal, and after them `commands`, each whole, to be copied.
   */
  print(text: string, commands?: readonly string[]): void;
  /** The ingest's progress line, once it has one: cleared when a signal ends the demo. */
  progress: { done(): void };
  /** Where the demo is: what a signal leaves behind depends on it ({@link interruptedLine}). */
  stage: DemoStage;
  /**
   * During the ingest, stops it as `ingest` stops on a signal and records its run (stopped early)
   * for `status`; resolves once recorded. Undefined outside the ingest: nothing to wind down.
   */
  windDown: ((name: InterruptName) => Promise<void>) | undefined;
  /** Set by the first signal: resolves once the demo has quit (a test's stand-in quit returns). */
  stopping: Promise<void> | undefined;
}

/**
 * How long a signal waits for the ingest's run to be recorded before the demo quits anyway: a
 * local lake takes milliseconds, and a hung disk must not keep Ctrl-C from ending the demo.
 */
export const WIND_DOWN_MS = 3_000;

/**
 * What the demo's report step writes into --out, for the refusal of an --out in the demo's lake:
 * that step only reads the lake, and the next demo run clears the lake, with anything written in it.
 */
const DEMO_WRITES: OutWrites = {
  command: "the demo's report step",
  files: 'report.html, .txt, .eml and .json and alerts.eml, .html, .txt and alerts.lake.json',
  folder: { name: 'reports', what: "the week's archive and sent marker" },
  atLakeRoot:
    "the week's archive and sent marker into its reports/, where status reads which weeks were mailed",
};

export async function demoCommand(argv: readonly string[], io: CommandIo): Promise<DemoResult> {
  const started = Date.now();
  const { values } = parseOptions(argv, spec);
  const days = parseWholeNumber('--days', values.days, 28, { min: 1, max: 90 });
  const lakeDir = resolve(assertDirectoryOption('--lake', values.lake));
  const out = demoOutDirectory(values.lake, values.out);
  const outDir = resolve(assertDirectoryOption('--out', out));
  assertOutOutsideLake(out, values.lake, DEMO_WRITES);
  await assertOutNotALake(out, DEMO_WRITES);
  const timeZone = parseTimeZone('--time-zone', values['time-zone']);
  const seed = parseWholeNumber('--seed', values.seed, 42);
  const users = parseWholeNumber('--users', values.users, 40, { min: 1, max: 1000 });
  assertSimulationFits(days, users);
  // Made before any work, so an --out that cannot be made stops the demo at once, not after the
  // simulation and the ingest; removed again (if made empty) when the demo fails before writing.
  const madeOut = await makeDirectory(outDir);

  // Each step prints its lines when it ends, and a step that prints nothing for a while shows on
  // the terminal that it is working: the whole demo takes 10-30 s, too long for a blank screen.
  // Not when those lines go through a pipe (`| tee`): they would reach the screen on the next
  // step's line. With --json nothing is printed until the end, so the line stays.
  const status = phaseStatus(io.stderr, values.json ? {} : { printsTo: io.stdout });
  const run: DemoRun = {
    days,
    lakeDir,
    outDir,
    timeZone,
    io,
    status,
    print(text, commands = []) {
      status.stop();
      if (!values.json) io.stdout.write(`${[fitProse(text.trimEnd(), io.stdout), ...commands].join('\n')}\n`);
    },
    progress: { done() {} },
    stage: 'clearing',
    windDown: undefined,
    stopping: undefined,
  };
  const shown = { lake: values.lake, out };
  // Little of an interrupted demo is worth winding down for (the next run replaces its lake, also
  // one it was clearing), so a signal ends it at once, after a line that says what it left behind.
  // But for the ingest's run, recorded as `ingest` records an interrupted one, within a short
  // deadline: unrecorded, `status` on the lake said "last run none recorded" and sent the reader to
  // the lag alarm's runbook. Heard from before the earlier lake is cleared: that can take a while.
  const interrupts = io.interrupts ?? processInterrupts;
  const stopListening = interrupts.listen((name) => {
    // A second signal, while the run is being recorded: at once.
    if (run.stopping) return interrupts.quit(name);
    run.progress.done();
    status.stop();
    // Made by this run: removed, as a demo that fails removes it, unless it holds a file (the
    // report step writes its files after its queries). Removed before the line is written, so the
    // line says what became of it, also when a file landed just as the signal came.
    const outMade = madeOut.length === 0 ? undefined : removeMadeDirectories(madeOut) ? 'removed' : 'kept';
    const line = interruptedLine(name, shown, run.stage, outMade);
    io.stderr.write(`${fitProse(line, io.stderr)}\n`);
    const windDown = run.windDown?.(name);
    if (windDown === undefined) return interrupts.quit(name);
    run.stopping = within(windDown, WIND_DOWN_MS).then(() => interrupts.quit(name));
  });
  let sim: StartedSimulation | undefined;
  try {
    // The lake is the demo's while it runs: a second demo on it is refused (see holdingDemoLake).
    return await holdingDemoLake(lakeDir, values.lake, status, async () => {
      run.stage = 'building';
      const now = clockOf(io).now();
      const fromMs = floorHour(now) - days * DAY_MS;
      // The week the report and alerts are of, in their time zone: where the patterns are planted.
      const week = lastFullWeek(now, timeZone);
      status.start(`demo: simulating ${days} days of activity of ${users} people`);
      sim = await startSimulation({
        seed,
        plantingWeek: { startMs: week.startMs, endMs: week.endMs },
        leaverDeactivated: true,
        fromMs,
        toMs: now,
        users,
        timeFormat: 'epochMs',
        docTimeZone: 'UTC',
        faults: 'light',
        messy: true,
        late: 0,
        port: 0,
        clientId: 'demo-client',
        clientSecret: 'demo-secret',
        clock: () => clockOf(io).now(),
      });
      const entries = sim.groundTruth();
      // Under the simulation's line, what it did not plant; on stderr beside --json's output.
      const noSpray = simulationNotes(days, fromMs, week, users);
      if (values.json) for (const note of noSpray) io.stderr.write(`${note}\n`);
      run.print(
        [
          `Simulated Domo: ${entries.length} activity entries over ${days} days (light faults, messy entries)`,
          ...noSpray,
        ].join('\n'),
      );
      const { ingest, retries } = await ingestDemo(run, sim.url);
      const unsettledEntries = unsettledOf(entries, ingest);
      run.print(
        [
          describe(
            ingest,
            lakeDir,
            retries,
            unplacedWarning(ingest, { lake: values.lake, geoDbPath: io.env.GEO_DB_PATH }),
          ).trimEnd(),
          ...unsettledLines(entries.length, unsettledEntries, ingest),
        ].join('\n'),
      );
      const { verify, report, alerts, alertsSince } = await checkAndReport(run, now);
      const result: DemoResult = {
        lakeDir,
        simulatedEntries: entries.length,
        unsettledEntries,
        ingest,
        verify,
        report,
        alerts,
        elapsedMs: Date.now() - started,
      };
      if (values.json) io.stdout.write(jsonOutput(result));
      const readerLake = readerPath(values.lake, readerDirectory(io.env));
      run.print(
        [
          describeLocalAlerts(alerts, timeZone, alertsSince, terminalWidth(io.stdout)),
          `Done in ${(result.elapsedMs / 1000).toFixed(1)} s. Open ${report.paths.html} in a browser (or ${report.paths.eml} in a mail client).`,
          'Explore:',
        ].join('\n'),
        [
          `  ${cliCommand()} query --list`,
          ...pastedCommandLines(
            exploreReportArgs({
              lake: readerLake,
              out: readerPath(out, readerDirectory(io.env)),
              week: exploreWeek(report.model, fromMs),
              timeZone,
            }),
            terminalWidth(io.stdout),
          ),
          ...[
            ...exploreMovementArgs(week, sim.planted, readerLake),
            ...exploreTakeoverArgs(week, sim.planted, readerLake),
          ].flatMap((args) => pastedCommandLines(args, terminalWidth(io.stdout))),
        ],
      );
      return result;
    });
  } catch (error) {
    removeMadeDirectories(madeOut);
    throw error;
  } finally {
    stopListening();
    // Cleared before anything else reaches the terminal, an error message included.
    status.stop();
    await sim?.close();
  }
}

/**
 * The week the demo's "Explore" report is for: the one before the demo's own when the lake holds
 * it from its first hour (a line that runs as pasted and shows another week), else the demo's own
 * (`--days` shorter than that week and the one before: a report of days the lake lacks is empty).
 */
export function exploreWeek(
  model: Pick<WeeklyReportModel, 'week' | 'previousWeek'>,
  simulatedFromMs: number,
): string {
  const { previousWeek, week } = model;
  return Date.parse(previousWeek.startUtc) >= simulatedFromMs ? previousWeek.isoWeek : week.isoWeek;
}

/**
 * A bound of the report week as `query --from/--to` takes it: its date in UTC, else its local
 * midnight with the zone's offset, so the period is the week the demo reported in its own zone.
 */
function weekBound(ms: number, timeZone: string): string {
  if (timeZone === 'UTC') return utcDate(ms);
  return `${utcDate(wallTimeOf(ms, timeZone))}T00:00:00${utcOffsetText(ms, timeZone)}`;
}

/**
 * The `query` options that name the report week and the demo's lake. The week: the default period
 * is the last seven days up to today, which on most days holds only part of the week, or none of
 * it, and the stories read as missing. The lake, as the report line does: `query`'s default lake
 * is ./lake, so after `demo --lake /tmp/x` a command without it failed.
 */
function weekOptions(week: Pick<ReportWeek, 'startMs' | 'endMs' | 'timeZone'>, lake: string): string[] {
  return [
    '--lake',
    lake,
    '--from',
    weekBound(week.startMs, week.timeZone),
    '--to',
    weekBound(week.endMs, week.timeZone),
  ];
}

/**
 * The `query` commands that show the report week's leaver story: data_movement, and the leaver's
 * own user_activity when one was planted.
 */
export function exploreMovementArgs(
  week: Pick<ReportWeek, 'startMs' | 'endMs' | 'timeZone'>,
  planted: readonly PlantedPattern[],
  lake: string,
): string[][] {
  const period = weekOptions(week, lake);
  const leaver = planted.find((p) => p.kind === 'leaver');
  return [
    ['query', 'data_movement', ...period],
    ...(leaver === undefined
      ? []
      : [['query', 'user_activity', '--param', `user_id=${leaver.userId}`, ...period]]),
  ];
}

/**
 * The `query` commands that follow the stolen password as docs/operations.md's first hour does:
 * admin_changes (what the intruder changed to stay in), and address_activity of the address the
 * intruder signed in from, when a stolen password was planted: the impossible-travel alert names
 * the victim's previous address, not the intruder's, which a reader would otherwise have to dig for.
 * Then user_addresses of the stolen account: every address it came from, and who else did; and its
 * id, which the runbook's commands take, printed (the planted users vary with the run's hour).
 */
export function exploreTakeoverArgs(
  week: Pick<ReportWeek, 'startMs' | 'endMs' | 'timeZone'>,
  planted: readonly PlantedPattern[],
  lake: string,
): string[][] {
  const period = weekOptions(week, lake);
  const stolen = planted.find((p) => p.kind === 'impossible_travel');
  return [
    ['query', 'admin_changes', ...period],
    ...(stolen === undefined
      ? []
      : [
          ['query', 'address_activity', '--param', `address=${stolen.evidence.ipAddress}`, ...period],
          ['query', 'user_addresses', '--param', `user_id=${stolen.userId}`, ...period],
        ]),
  ];
}

/**
 * The `report` command the demo suggests, with the alerts it ran (so it reads like the demo's own),
 * into a folder of its own in the demo's `--out`: report writes report.html and the rest under fixed
 * names, so into `--out` itself it would replace the report the demo just said to open (and
 * report's own default, ./out, would be inside the lake of `demo --lake .`, refused).
 */
export function exploreReportArgs(run: {
  lake: string;
  out: string;
  week: string;
  timeZone: string;
}): string[] {
  return [
    'report',
    '--lake',
    run.lake,
    '--out',
    join(run.out, run.week),
    '--week',
    run.week,
    ...(run.timeZone === 'UTC' ? [] : ['--time-zone', run.timeZone]),
    '--alerts-enabled',
  ];
}

/**
 * What became of an output directory this run made, on a signal: removed, or kept because it held
 * a file ({@link removeMadeDirectories}).
 */
type MadeOutcome = 'removed' | 'kept';

/** What a signal leaves in the output directory; `outMade` when this run made it. */
function outLeft(out: string, stage: DemoStage, outMade: MadeOutcome | undefined): string {
  if (outMade === 'removed') return `${out} was made by this run and is removed again`;
  if (outMade === 'kept') {
    return stage === 'writing'
      ? `${out} was made by this run and is kept, as it holds part of this run's report and alerts: remove it, or run the demo again to write them whole`
      : `${out} was made by this run and is kept, as it holds files this run did not write: look at them before you remove it`;
  }
  return stage === 'writing'
    ? `${out} may hold part of this run's report and alerts, beside an earlier run's`
    : `${out} holds nothing of this run: any report or alerts there are an earlier run's`;
}

/**
 * What a signal leaves behind: a lake the next demo replaces (an earlier demo's lake partly
 * cleared, or this run's incomplete one), and an output directory that holds none of this run's
 * report and alerts (what is there is an earlier run's) or, once the report step has begun, part of
 * them beside an earlier run's; one this run made is removed, or kept when it holds a file
 * (`outMade`: what became of it).
 */
export function interruptedLine(
  name: InterruptName,
  shown: { lake: string; out: string },
  stage: DemoStage,
  outMade?: MadeOutcome,
): string {
  const lake =
    stage === 'clearing'
      ? `${shown.lake} holds part of an earlier demo's lake (the next demo run clears and replaces it)`
      : `${shown.lake} is incomplete (the next demo run replaces it)`;
  return `demo interrupted (${name}): ${lake}; ${outLeft(shown.out, stage, outMade)}`;
}

/** Ingests the simulator into the lake the way the scheduled ingest does. */
async function ingestDemo(
  run: DemoRun,
  apiBase: string,
): Promise<{ ingest: IngestSummary; retries: number }> {
  const { io, lakeDir, days } = run;
  const store = new FsObjectStore(lakeDir);
  const clock = clockOf(io);
  const source = createAuditClient({
    ...realClientWaits,
    apiBase,
    credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' },
    fetch: globalThis.fetch,
    // The simulator is local and its faults are random, not a rate limit: no need to pace
    // requests (the pacer's floor keeps its random 5xx from slowing the demo down) or to wait
    // long between retries. `npm run bench` shows the pacer against a real rate limit.
    requestsPerSecond: Number.POSITIVE_INFINITY,
    minRequestsPerSecond: 1000,
    baseDelayMs: 5,
    maxDelayMs: 50,
    maxRetryAfterMs: 50,
    log: io.log,
  });
  // Off as the step lines are (see `status` in demoCommand): the simulator's line, printed just
  // before, could reach a piped screen after the progress line is drawn.
  const progress = run.status.shown
    ? terminalProgress('demo ingest', io.stderr, () => source.stats().requests)
    : { update() {}, done() {} };
  run.progress = progress;
  // Until the first hour is done (sign-in, the first pages) the progress line has nothing to show.
  run.status.start('demo ingest: signing in and reading the first hours');
  const interrupt = new AbortController();
  const runId = newRunId(clock.now());
  // As `ingest` holds it: until the run recorded its end, its lock stays (see ingest.ts).
  let ended = false;
  const held = { instance: DEFAULT_INSTANCE, leaveLock: () => !ended };
  const ingesting = holdingRunLock(lakeDir, runId, held, async () => {
    const ingest = await runIngest(
      {
        source,
        store,
        clock,
        log: io.log,
        metrics: { count() {} },
        // As `ingest` does: without its database the run stores the events and counts them.
        ...containerGeo(io.log, io.env),
        runner: commandLineRunner('demo', apiBase),
        // As `ingest` winds down on a signal: no new hour, those in flight dropped, the chain sealed.
        interrupt: interrupt.signal,
        sleep: realSleep,
        random: realRandom,
        onProgress(p) {
          run.status.stop();
          progress.update(p);
        },
      },
      { ...defaultIngestConfig(DEFAULT_INSTANCE), backfillDays: days + 1 },
      { runId },
    );
    progress.done();
    // By the scheduled ingest's rule, failed and stopped runs included, so `status` on the demo's
    // lake shows the run. The demo's lake stays whatever happens (the next demo run replaces it).
    // A note it cannot write (a full disk) is said, as `ingest` says it: thrown, it took the place
    // of the run's own failure (review R-FIXES M1).
    const endedRun = { summary: ingest, stopped: ingest.failures.length > 0, lakeMadeNow: false };
    const noted = await noteRunForStatus(store, endedRun, clock.now(), 'demo').catch((error: unknown) => {
      io.stderr.write(`${fitProse(lastRunWarning(store.location, DEFAULT_INSTANCE, error), io.stderr)}\n`);
      return undefined;
    });
    // As `ingest` judges it: a note names the run as ended; without one a failure may be the seal's.
    ended = noted === true || (noted === false && ingest.failures.length === 0);
    return ingest;
  });
  run.windDown = (name) => {
    interrupt.abort(name);
    return ingesting.then(
      () => undefined,
      () => undefined,
    );
  };
  const ingest = await ingesting.finally(() => {
    run.windDown = undefined;
  });
  // A signal came: the demo quits once the run is recorded (a test's stand-in quit lets it go on).
  if (run.stopping) await run.stopping;
  if (ingest.failures.length > 0) throw new Error(`demo ingest failed: ${ingest.failures[0]?.message}`);
  return { ingest, retries: source.stats().retries };
}

/** Waits for `work` for at most `ms`, then goes on whether it has ended or not (never rejects). */
export async function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((done) => {
    timer = setTimeout(done, ms);
  });
  try {
    await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Verifies the lake, writes last week's report and evaluates its alerts; prints the first two as
 * they end (the alerts go out with the run's closing lines).
 */
async function checkAndReport(run: DemoRun, now: number) {
  const { io, lakeDir, outDir, timeZone, status } = run;
  const store = new FsObjectStore(lakeDir);
  const clock = clockOf(io);
  status.start('demo: verifying the lake');
  const verify = await verifyLake(store, DEFAULT_INSTANCE);
  // The demo's lake: ingest refuses it, so its gaps are for another demo run to fill.
  run.print(describeReport(verify, lakeDir, true));
  status.start("demo: running the query catalog with DuckDB for last week's report");
  run.stage = 'writing';
  const report = await writeLocalReport({
    lakeDir,
    outDir,
    instance: DEFAULT_INSTANCE,
    timeZone,
    nowMs: now,
    log: io.log,
    from: 'Domo activity <domo-activity@example.com>',
    to: ['admins@example.com'],
    // The demo evaluates the week's alerts too, so its report says why they can differ from it.
    alertsEnabled: true,
    userActivityCommand: userActivityCommand(['--lake', resolve(lakeDir)]),
    onLockNotice: lockNoticeTo(io.stderr),
  });
  run.print(describeLocalReport(report));
  status.start("demo: evaluating the week's security alerts");
  const alertsSince = Date.parse(report.model.week.startUtc);
  // The week's end, as the report's: the days after it are the next report's (and alerts').
  const alertsUntil = Date.parse(report.model.week.endUtc);
  const alerts = await evaluateLocalAlerts({
    lake: store,
    instance: DEFAULT_INSTANCE,
    outDir,
    sinceMs: alertsSince,
    untilMs: alertsUntil,
    clock,
    log: io.log,
    digFurther: localDigFurther(lakeDir),
    // List the whole week in the message (a deployed first run would only count the old ones).
    settings: {
      timeZone,
      mailOlderThanHours: Math.ceil((now - alertsSince) / HOUR_MS) + 1,
    },
  });
  status.stop();
  return { verify, report, alerts, alertsSince };
}

/**
 * The simulated entries the ingest could not pull yet: those from its watermark on, in hours not
 * settled when it ran (all of them if it set no watermark).
 */
export function unsettledOf(
  entries: readonly Pick<GroundTruthEntry, 'timeMs'>[],
  ingest: Pick<IngestSummary, 'watermarkAfterMs'>,
): number {
  const watermark = ingest.watermarkAfterMs;
  if (watermark === null) return entries.length;
  return entries.filter((e) => e.timeMs >= watermark).length;
}

/**
 * The lines that account for every simulated entry: written as an event, quarantined, or not
 * settled yet. Should they not add up, they say so rather than leave the difference unexplained.
 */
export function unsettledLines(
  simulated: number,
  unsettled: number,
  ingest: Pick<IngestSummary, 'eventsWritten' | 'quarantined' | 'watermarkAfterMs'>,
): string[] {
  // The hour alone: the watermark line just above gives the date.
  const from =
    ingest.watermarkAfterMs === null
      ? ''
      : ` from ${lakeTimestamp(ingest.watermarkAfterMs).slice(11, 16)} UTC on`;
  const lines =
    unsettled > 0 ? [`  not settled yet: ${unsettled} entries${from}; the next run takes them`] : [];
  const sum = ingest.eventsWritten + ingest.quarantined + unsettled;
  const parts = `${ingest.eventsWritten} written + ${ingest.quarantined} quarantined + ${unsettled} not settled`;
  lines.push(
    sum === simulated
      ? `  ${parts} = all ${simulated} simulated`
      : `  warning: ${parts} = ${sum}, not the ${simulated} simulated`,
  );
  return lines;
}

/**
 * A lock whose holder cannot be checked (another machine sharing the folder, or a lock not written
 * yet) is taken as a crashed demo's after this long: a demo takes a minute or two at most. A
 * holder of this machine is checked instead, and its lock broken as soon as it is gone.
 */
const DEMO_LOCK_STALE_MS = 30 * MINUTE_MS;

/**
 * Runs `build` with `dir` made the demo's lake and held by this demo: a missing or empty directory
 * (judged as `ingest` judges it) is used and an earlier demo's lake replaced; anything else, a lake
 * that ingest wrote included, is refused and left as it is. The lake is held with the lock file
 * every lake writer uses ({@link withFileLock}), taken without waiting: a demo already building
 * it is refused at once, while the lock of one that crashed or was killed (its process gone) is
 * broken. `shown` is the lake as the user typed it.
 */
async function holdingDemoLake<R>(
  dir: string,
  shown: string,
  status: PhaseStatus,
  build: () => Promise<R>,
): Promise<R> {
  const contents = await inspectLakeDirectory(dir);
  if (contents.kind === 'lake' || contents.kind === 'other') {
    throw new UsageError(
      `${dir} is not empty and was not made by the demo (it holds ${listFound(contents.found)}); pass --lake <new dir> or remove it yourself`,
    );
  }
  // Marked before the lock is taken, so that a lake holding the lock is always the demo's.
  await makeDirectory(dir);
  await writeFile(
    join(dir, DEMO_MARKER),
    'This lake was built by `domo-activity-lake demo`; the next demo run replaces it.\n',
  );
  const lockPath = join(dir, DEMO_LOCK);
  const lock = { staleMs: DEMO_LOCK_STALE_MS, timeoutMs: 0 };
  return withFileLock(
    lockPath,
    { ...lock, timedOut: (holder) => anotherDemoError(shown, holder) },
    async () => {
      await removeLockLitter(lockPath, lock);
      if (contents.kind === 'demo-lake') {
        status.start("demo: clearing the earlier demo's lake");
        await clearDemoLake(dir);
      }
      return build();
    },
  );
}

/** The refusal of a demo on a lake another demo is building (exit 1: nothing wrong with the command). */
export function anotherDemoError(shown: string, holder: LockHolder | undefined): Error {
  const who =
    holder === undefined
      ? ''
      : ` (process ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})`;
  return new Error(`another demo is building ${shown}${who}; wait for it or pass --lake <new dir>`);
}

/**
 * Empties an earlier demo's lake but for its marker (and the lock the demo clearing it holds,
 * with what a killed lock user left beside it): a clearing cut short (Ctrl-C, a crash) leaves a
 * directory that is still the demo's, which the next demo finishes clearing and `ingest` still
 * refuses. Removed along with the rest, the marker went first as often as not, and what was left
 * was a directory neither would touch again.
 */
async function clearDemoLake(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name !== DEMO_MARKER && !name.startsWith(DEMO_LOCK));
  await Promise.all(names.map((name) => rm(join(dir, name), { recursive: true, force: true })));
}
