import { readdirSync } from 'node:fs';
import { containerGeo } from '../../adapters/geo-file-lookup.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { makeDirectory } from '../../adapters/make-directory.ts';
import { holdingRunLock, runLockName } from '../../adapters/run-lock.ts';
import { apiBaseProblem, DEFAULT_API_BASE, shownApiBase } from '../../core/domo/api-base.ts';
import {
  type AuditClient,
  type AuditClientOptions,
  createAuditClient,
} from '../../core/domo/audit-client.ts';
import { DomoConfigError } from '../../core/domo/errors.ts';
import type { FetchLike } from '../../core/domo/http-request.ts';
import { createRedactor } from '../../core/domo/redactor.ts';
import { MAX_CUSTOMER_CHARS } from '../../core/domo/token-provider.ts';
import { watermarkMovedHours } from '../../core/ingest/catch-up-pace.ts';
import { DEFAULT_MAX_READ_MS, MAX_READ_MS } from '../../core/ingest/fetch-range.ts';
import { defaultIngestConfig, heldCharsForMemory } from '../../core/ingest/ingest-config.ts';
import { lateWarningMs } from '../../core/ingest/ingest-metrics.ts';
import {
  defaultRepullAfterHours,
  INGEST_SETTINGS,
  repullProblem,
} from '../../core/ingest/ingest-settings.ts';
import type {
  IngestConfig,
  IngestDeps,
  IngestOptions,
  IngestProgress,
  IngestSummary,
} from '../../core/ingest/ingest-types.ts';
import { InvalidRangeError } from '../../core/ingest/range-error.ts';
import { noteRunForStatus } from '../../core/ingest/record-last-run.ts';
import { newRunId, runIngest } from '../../core/ingest/run-ingest.ts';
import { runFailed } from '../../core/ingest/run-verdict.ts';
import { backfillStart, validateRange } from '../../core/ingest/window-plan.ts';
import { coverageKeys } from '../../core/lake/coverage.ts';
import { shownCustomer } from '../../core/lake/instance-mismatch-error.ts';
import { lakeTimestamp, utcDate } from '../../core/lake/layout.ts';
import type { DomoCredentials, ObjectStore } from '../../core/ports.ts';
import { monotonicClock, realClientWaits, realRandom, realSleep } from '../../core/runtime.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../core/time-units.ts';
import { wrapNote } from '../../core/wrap-note.ts';
import { runMemoryBytes } from '../../shared/run-memory.ts';
import { refuseAgedOutRange } from '../aged-out-range.ts';
import { chainSigner } from '../chain-signer.ts';
import { closedRunsLine } from '../closed-runs-line.ts';
import { quitsAtOnce } from '../command-interrupted.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { commandLine } from '../command-line.ts';
import { commandLineRunner } from '../command-line-runner.ts';
import { checkConditionalWrites } from '../conditional-writes-check.ts';
import { credentialsFromEnv } from '../credentials.ts';
import { isDemoLake } from '../demo-lake.ts';
import { geoLoadFix } from '../geo-load-fix.ts';
import { type InterruptName, interruptible, processInterrupts } from '../interrupts.ts';
import { jsonOutput } from '../json-output.ts';
import {
  DEFAULT_INSTANCE,
  type LakeOption,
  type LakeTarget,
  openLakeTarget,
  parseLakeOption,
} from '../lake-target.ts';
import { lastRunWarning } from '../last-run-warning.ts';
import { lockNoticeTo } from '../lock-notice.ts';
import { removeMadeDirectories } from '../made-directories.ts';
import {
  type OptionSpec,
  parseDuration,
  parseHourRange,
  parseOptions,
  parseTimeZone,
  parseWholeNumber,
  readCategoryRulesFile,
} from '../options.ts';
import { terminalProgress } from '../progress.ts';
import { hourFlag } from '../report-ingest-command.ts';
import { restartLine } from '../restart-flag-hint.ts';
import { settingOption } from '../setting-option.ts';
import { terminalWidth } from '../terminal-table.ts';
import { UsageError } from '../usage-error.ts';
import { utcHourLabel } from '../utc-hour-label.ts';
import { type WaitingNotice, waitingNotice } from '../waiting-notice.ts';
import { lakeWriteFailure } from '../writable-lake.ts';
import { formatLag } from './status.ts';

export const ingestHelp = `Usage: domo-activity-lake ingest [options]

Pulls Domo's Activity Log into the lake. Without --from/--to it follows the
lake's checkpoint (first run: backfill); with them it pulls exactly those whole
UTC hours and leaves the checkpoint (--lookback-hours, --repull-after-hours and
--backfill-days, which only a checkpoint run reads, are refused with them).

Options:
  --from <time>            first hour to pull (2026-10-01 or
                           2026-10-01T00:00:00Z)
  --to <time>              end of the range, exclusive, on a whole hour
  --instance <name>        instance name in the lake (default: the lake's only
                           instance, or main)
  --domo-customer <name>   the Domo customer the instance is for, as Domo's
                           token answer names it (status's customer column):
                           credentials of any other are refused before
                           anything is stored or bound, as the deployed
                           function does with instances[].domoCustomer
  --api-base <url>         Domo API base (default: ${DEFAULT_API_BASE})
  --lake <dir|s3://b/p>    where the lake is (default: ${DEFAULT_LAKE}); a directory or
                           S3 prefix must be new, empty or a lake already
  --secret-id <id>         read clientId/clientSecret from this Secrets Manager
                           secret (default: DOMO_CLIENT_ID and
                           DOMO_CLIENT_SECRET from the environment)
  --concurrency <n>        spans of hours read from Domo at once (default ${INGEST_SETTINGS.concurrency.default})
  --settle-minutes <n>     how long an hour must be closed before it is pulled
                           (default ${INGEST_SETTINGS.settleMinutes.default})
  --lookback-hours <n>     completed hours re-pulled when a run has a newly
                           closed hour (default ${INGEST_SETTINGS.lookbackHours.default})
  --repull-after-hours <n>
                           pull each hour once more this many hours after it,
                           for events Domo serves later than the lookback
                           reaches (default ${INGEST_SETTINGS.repullAfterHours.default}, or 0 beside a
                           --lookback-hours of ${INGEST_SETTINGS.repullAfterHours.default} or more; 0: never;
                           else more than --lookback-hours)
  --backfill-days <n>      how far the first run reaches back (default ${INGEST_SETTINGS.backfillDays.default})
  --doc-time-zone <zone>   zone of Domo's "yyyy-MM-dd hh:mm:ss a" times (default
                           UTC)
  --category-rules <file>  JSON rules for the category column, tried before the
                           built-in ones (docs/ingest.md)
  --requests-per-second <n>
                           hard ceiling on the request rate (default none: the
                           client finds the API's pace, slowing down on 429,
                           5xx, rising latency)
  --max-duration <d>       end the run after this long (90s, 10m, 2h; a bare
                           number is seconds): no hour starts after it, and
                           hours still in flight are dropped (the next run
                           pulls them)
  --max-read-minutes <n>   give each read of Domo (an hour, or quiet hours read
                           together) this long before it fails (default 30);
                           looked at before each page, so a read can run over
                           by one page and its retries
  --json                   print the run summary as JSON
  --restart-digest-chain   begin a new digest chain although the lake holds
                           hours written by versions that record digests
                           (the chain is missing: restore it instead, see
                           docs/operations.md); the genesis digest records
                           the restart and verify --integrity reports it;
                           refused while the chain is there
  --unsafe-skip-conditional-write-check
                           go on with an s3:// store that ignores
                           If-None-Match/If-Match (s3rver); overlapping runs
                           could then lose updates
`;

const spec = {
  from: { type: 'string' },
  to: { type: 'string' },
  instance: { type: 'string' },
  'domo-customer': { type: 'string' },
  'api-base': { type: 'string', default: DEFAULT_API_BASE },
  lake: { type: 'string', default: DEFAULT_LAKE },
  'secret-id': { type: 'string' },
  concurrency: { type: 'string' },
  'settle-minutes': { type: 'string' },
  'lookback-hours': { type: 'string' },
  'repull-after-hours': { type: 'string' },
  'backfill-days': { type: 'string' },
  'doc-time-zone': { type: 'string' },
  'category-rules': { type: 'string' },
  'requests-per-second': { type: 'string' },
  'max-duration': { type: 'string' },
  'max-read-minutes': { type: 'string' },
  json: { type: 'boolean', default: false },
  'restart-digest-chain': { type: 'boolean', default: false },
  'unsafe-skip-conditional-write-check': { type: 'boolean', default: false },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const ingestOptions: OptionSpec = spec;

/** A day: the ceiling bounds a read that never ends, which a day's read could only be. */
const MAX_READ_MINUTES = MAX_READ_MS / MINUTE_MS;

/** Domo keeps about a year of activity; hours older than this come back empty. */
const RETENTION_DAYS = 365;

/**
 * `--api-base` checked as the client will check it; shown without a user name or password in it,
 * and without the client secret the environment holds (raw or encoded), wherever it was pasted.
 */
function apiBaseOption(value: string, env: NodeJS.ProcessEnv): string {
  const problem = apiBaseProblem(value);
  if (problem === undefined) return value;
  const scrub = createRedactor([env.DOMO_CLIENT_SECRET?.trim() ?? '']).scrub;
  throw new UsageError(`--api-base ${JSON.stringify(shownApiBase(scrub(value)))}: ${problem}`);
}

/**
 * The Domo client for the run. `--api-base` was checked already, so what it refuses here is the
 * credentials: a usage error that names no flag and, as the core's message, never shows them.
 */
function auditClient(options: AuditClientOptions): AuditClient {
  try {
    return createAuditClient(options);
  } catch (error) {
    if (error instanceof DomoConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Where this run's credentials came from, as a refusal names it: the secret read, or the variables. */
const credentialsSourceOf = (secretId: string | undefined): string =>
  secretId ? `the Secrets Manager secret ${JSON.stringify(secretId)}` : 'DOMO_CLIENT_ID/DOMO_CLIENT_SECRET';

/** Every option value, checked before anything is opened or requested: usage errors name the flag. */
export function ingestConfig(values: IngestValues, instance: string, env: NodeJS.ProcessEnv): IngestConfig {
  const defaults = defaultIngestConfig(instance);
  const concurrency = settingOption('--concurrency', values.concurrency, 'concurrency');
  const lookbackHours = settingOption('--lookback-hours', values['lookback-hours'], 'lookbackHours');
  const repullAfterHours =
    values['repull-after-hours'] === undefined
      ? defaultRepullAfterHours(lookbackHours)
      : settingOption('--repull-after-hours', values['repull-after-hours'], 'repullAfterHours');
  const repull = repullProblem({ repullAfterHours, lookbackHours }, '--lookback-hours');
  if (repull !== undefined) throw new UsageError(`--repull-after-hours ${repullAfterHours} ${repull}`);
  const domoCustomer = domoCustomerOption(values['domo-customer']);
  return {
    ...defaults,
    ...(domoCustomer === undefined ? {} : { domoCustomer }),
    // With --max-duration the deadline is the user's: no reserve is kept on top of it.
    ...(values['max-duration'] ? { budgetMarginMs: 0 } : {}),
    concurrency,
    settleMinutes: settingOption('--settle-minutes', values['settle-minutes'], 'settleMinutes'),
    lookbackHours,
    repullAfterHours,
    backfillDays: settingOption('--backfill-days', values['backfill-days'], 'backfillDays'),
    docTimeZone: parseTimeZone('--doc-time-zone', values['doc-time-zone'] ?? defaults.docTimeZone),
    categoryRules: values['category-rules']
      ? readCategoryRulesFile(values['category-rules'])
      : defaults.categoryRules,
    maxHeldChars: heldCharsForMemory(runMemoryBytes(env), concurrency),
    // What a read past its share may hold when it reads on, or again, alone (read-room.ts).
    maxHeldCharsAlone: heldCharsForMemory(runMemoryBytes(env), 1),
    maxReadMs:
      parseWholeNumber('--max-read-minutes', values['max-read-minutes'], DEFAULT_MAX_READ_MS / MINUTE_MS, {
        min: 1,
        max: MAX_READ_MINUTES,
      }) * MINUTE_MS,
  };
}

type IngestValues = ReturnType<typeof parseOptions<typeof spec>>['values'];

/**
 * `--domo-customer`, checked as synth checks `instances[].domoCustomer`: the customer a run's
 * credentials must be for (instance-binding.ts), so that the command line can refuse a swapped
 * client before its first run binds the instance to it, as the deployed function does (review
 * R-MSP). Undefined when not given.
 */
function domoCustomerOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const customer = value.trim();
  if (customer === '')
    throw new UsageError(
      '--domo-customer must not be empty: the Domo customer the instance is for, or leave it out',
    );
  if (customer.length > MAX_CUSTOMER_CHARS)
    throw new UsageError(`--domo-customer must be at most ${MAX_CUSTOMER_CHARS} characters`);
  return customer;
}

/**
 * Refuses the options only a checkpoint run reads when --from/--to is given: the range is pulled
 * as given, so they would change nothing, and a user who passed one meant it to.
 */
function assertNoCheckpointOptions(values: IngestValues): void {
  const checkpointOnly = {
    '--backfill-days': values['backfill-days'],
    '--lookback-hours': values['lookback-hours'],
    '--repull-after-hours': values['repull-after-hours'],
  };
  const given = Object.keys(checkpointOnly).filter(
    (flag) => checkpointOnly[flag as keyof typeof checkpointOnly] !== undefined,
  );
  if (given.length === 0) return;
  const these = given.length === 1 ? 'it' : 'them';
  throw new UsageError(
    `--from/--to pulls exactly those hours and reads no checkpoint, so ${given.join(', ')} would change nothing: leave ${these} out (${given.length === 1 ? 'it applies' : 'they apply'} to runs without --from/--to)`,
  );
}

/** Says so when `--from` reaches past what Domo still keeps: those hours will come back empty. */
export function retentionWarning(range: { fromMs: number; toMs: number }, nowMs: number): string | undefined {
  const keptFrom = nowMs - RETENTION_DAYS * DAY_MS;
  if (range.fromMs >= keptFrom) return undefined;
  const hours = Math.round((Math.min(range.toMs, keptFrom) - range.fromMs) / HOUR_MS);
  const planned = Math.round((range.toMs - range.fromMs) / HOUR_MS);
  return `warning: --from ${utcDate(range.fromMs)} is before Domo's retention (about ${RETENTION_DAYS} days, i.e. from ${utcDate(keptFrom)}): ${hours.toLocaleString('en-US')} of the ${planned.toLocaleString('en-US')} planned hours will most likely come back empty\n`;
}

/** The lake an ingest writes: any lake `openLakeTarget` accepts for writing, except the demo's. */
async function openIngestLake(
  lakeOption: LakeOption,
  instance: string | undefined,
  stderr: NodeJS.WriteStream,
): Promise<LakeTarget> {
  const target = await openLakeTarget(lakeOption, instance, {
    access: 'write',
    onLockNotice: lockNoticeTo(stderr),
  });
  const lake = lakeOption.value;
  if (target.spec.kind === 'fs' && isDemoLake(target.spec.dir)) {
    throw new UsageError(
      `--lake ${lake} is the demo's lake: the next demo run replaces it, with anything ingested into it. Pass another --lake (e.g. ./domo-lake), or remove ${lake} first to use it for this instance`,
    );
  }
  // Said before any request: a mistyped --instance would otherwise start a new instance silently.
  if (target.instances.length > 0 && !target.instances.includes(target.instance)) {
    stderr.write(
      `note: new instance "${target.instance}" in ${lake}, which holds ${target.instances.join(', ')}\n`,
    );
  }
  return target;
}

/** What an ingest command did: the run's summary, and the signal that interrupted it, if one did. */
export interface IngestCommandResult {
  summary: IngestSummary;
  interrupted: InterruptName | null;
  /** The time each read of Domo was given: what the advice after a read given up at it raises. */
  maxReadMinutes?: number;
}

export async function ingestCommand(argv: readonly string[], io: CommandIo): Promise<IngestCommandResult> {
  const { values } = parseOptions(argv, spec);
  const range = parseHourRange(values.from, values.to);
  if (range) assertNoCheckpointOptions(values);
  const apiBase = apiBaseOption(values['api-base'], io.env);
  const requestsPerSecond = parseWholeNumber(
    '--requests-per-second',
    values['requests-per-second'],
    Number.POSITIVE_INFINITY,
    {
      min: 1,
    },
  );
  // Monotonic: a wall clock set back (NTP, a resumed laptop) would lengthen the run by as much.
  const deadline = values['max-duration']
    ? monotonicClock.now() + parseDuration('--max-duration', values['max-duration'])
    : undefined;
  // Checked before the lake is opened: the instance name is only known once the lake is.
  const draft = ingestConfig(values, DEFAULT_INSTANCE, io.env);
  if (range) {
    try {
      validateRange(range.fromMs, range.toMs, clockOf(io).now(), draft.settleMinutes);
    } catch (error) {
      if (error instanceof InvalidRangeError)
        throw new UsageError(error.describe({ from: '--from', to: '--to' }));
      throw error;
    }
  }
  // The lake (and an S3 lake's region) before the first request to Domo.
  const target = await openIngestLake(parseLakeOption(values.lake), values.instance, io.stderr);
  const config: IngestConfig = { ...draft, instance: target.instance };
  const { store } = target;
  await checkConditionalWrites(target, config.instance, values['unsafe-skip-conditional-write-check']);
  const digestSigner = await chainSigner(store, config.instance, io.digestSigner, io.stderr);
  if (range) await refuseAgedOutRange(store, config.instance, range, clockOf(io).now());
  const warning = range && retentionWarning(range, clockOf(io).now());
  if (warning) io.stderr.write(warning);
  const credentials = values['secret-id']
    ? await resolveSecret(io, values['secret-id'])
    : credentialsFromEnv(io.env);
  // A lake directory that cannot be made (read-only, under /proc) stops the command here, with why,
  // not after the first requests, span by span, as failures that a rerun would meet again.
  // What it made (not what was there) is what a failed run removes.
  const made = target.spec.kind === 'fs' ? await makeDirectory(target.spec.dir) : [];
  // Monotonic: its lines are spaced, and silences timed, by the time that passes.
  const waiting = io.verbose ? undefined : waitingNotice(() => monotonicClock.now());
  const source = auditClient({
    ...realClientWaits,
    apiBase,
    credentials,
    ...waitedOn(waiting, globalThis.fetch),
    requestsPerSecond,
    addressName: '--api-base',
    credentialsSource: credentialsSourceOf(values['secret-id']),
    log: io.log,
  });
  // Where the days of --backfill-days would have begun the run (its plan reads the clock the same).
  const startedMs = clockOf(io).now();
  const runId = newRunId(startedMs);
  // Whether the run recorded its end; until then its lock stays (holdingLakeRunLock).
  let ended = false;
  // The first hour's note of a change of Domo's entry shape, printed with the summary.
  const shapeNotes: string[] = [];
  const run = holdingLakeRunLock(
    target,
    runId,
    () => ended,
    () =>
      runInterruptibly(
        io,
        {
          source,
          store,
          clock: clockOf(io),
          // Jumps of the wall clock would cut a read, or let one run on; a test's clock moves both.
          readClock: io.clock ?? monotonicClock,
          log: io.log,
          onShapeChange: (note: string) => {
            shapeNotes.push(note);
          },
          metrics: { count() {} },
          ...containerGeo(io.log, io.env, geoLoadFix(io.env.GEO_DB_PATH)),
          ...(digestSigner ? { digestSigner } : {}),
          runner: commandLineRunner(range ? 'ingest-range' : 'ingest', apiBase),
          ...(deadline ? { remainingTimeMs: () => deadline - monotonicClock.now() } : {}),
          sleep: realSleep,
          random: realRandom,
        },
        config,
        {
          ...(range ? { range } : {}),
          ...(values['restart-digest-chain'] ? { restartDigestChain: true } : {}),
          runId,
        },
        waiting,
        async ({ summary, interrupted, resumeFromMs }) => {
          // A note for `status`, by the rule the Lambda follows too; the run's result stands even if it
          // cannot be written, but the user is told so, always.
          const endedRun = {
            summary,
            stopped: stopped({ summary, interrupted }),
            lakeMadeNow: made.length > 0,
          };
          const noted = await noteRunForStatus(store, endedRun, clockOf(io).now()).catch((error: unknown) => {
            writeLines(io.stderr, [lastRunWarning(store.location, config.instance, error)]);
            return undefined;
          });
          // Its note names it as ended. Without one (a range), a failure may be the seal's: the
          // chain may be open, so the run has not surely ended.
          ended = noted === true || (noted === false && summary.failures.length === 0);
          printSummary(io, summary, {
            json: values.json,
            lake: values.lake,
            docTimeZone: config.docTimeZone,
            location: store.location,
            stats: source.stats(),
            interruptedLine: interrupted ? interruptedLine(summary, interrupted, resumeFromMs) : undefined,
            backfillDays: values['backfill-days'],
            backfillLeftOut: await hoursLeftOut(store, summary, values['backfill-days'], config, startedMs),
            range,
            shapeNotes,
          });
        },
      ),
  );
  const result = await removingMadeLakeOnFailure(run, made);
  return config.maxReadMs === undefined
    ? result
    : { ...result, maxReadMinutes: config.maxReadMs / MINUTE_MS };
}

/**
 * Runs `work`, the ingest run `runId`, holding its run lock when the lake is on disk
 * (run-lock.ts): `status` and `verify` then tell a run whose process is gone (killed, or failed
 * before it could record its end) from one in progress. Once it has ended, the lock stays as that
 * mark unless `recorded` says the run recorded its end, or the lake holds nothing else: no digest
 * to judge, and a lake the run made is removed when empty. An S3 lake's runs are judged by their
 * digests' age alone.
 */
export function holdingLakeRunLock<R>(
  target: LakeTarget,
  runId: string,
  recorded: () => boolean,
  work: () => Promise<R>,
  hold: typeof holdingRunLock = holdingRunLock,
): Promise<R> {
  if (target.spec.kind !== 'fs') return work();
  const { dir } = target.spec;
  const aloneInLake = () => readdirSync(dir).every((name) => name === runLockName(runId));
  let began = false;
  const begin = () => {
    began = true;
    return work();
  };
  // The lock is the run's first write: a disk that refuses it (full, read-only, not this user's)
  // is said as the run's own first write would have said it, with the fix.
  const held = { instance: target.instance, leaveLock: () => !recorded() && !aloneInLake() };
  return hold(dir, runId, held, begin).catch((error: unknown) => {
    throw began ? error : lakeWriteFailure(dir, error, 'run the same command again');
  });
}

/** The client's fetch and retry hook, watched by the waiting notice when there is one. */
const waitedOn = (waiting: WaitingNotice | undefined, fetch: FetchLike) =>
  waiting ? { fetch: waiting.watched(fetch), onRetry: waiting.retried } : { fetch };

/** A run that failed or was interrupted: a lake it made is removed when left empty. */
const stopped = (run: IngestCommandResult): boolean => runFailed(run.summary) || run.interrupted !== null;

/**
 * The run's result, after removing the lake directory it made (and the parents made with it) when
 * it failed, threw or was interrupted and left them empty: a failed first run (Domo unreachable)
 * would otherwise leave an empty lake that looks like one begun. Anything holding a file, and any
 * directory that was there before the run, stays. Said nowhere: the failure stays the one line a
 * failed command prints, and the next run makes the directory again.
 */
async function removingMadeLakeOnFailure(
  run: Promise<IngestCommandResult>,
  made: readonly string[],
): Promise<IngestCommandResult> {
  try {
    const result = await run;
    if (stopped(result)) removeMadeDirectories(made);
    return result;
  } catch (error) {
    removeMadeDirectories(made);
    throw error;
  }
}

/** A finished run as `runInterruptibly` hands it to the command to record and summarise. */
interface InterruptibleRun extends IngestCommandResult {
  /** For a range, the hour a rerun may start from (every hour before it is stored), once past its first. */
  resumeFromMs: number | undefined;
}

/**
 * Runs the ingest with its progress line, winding it down on SIGINT or SIGTERM (see interrupts.ts),
 * then `finish`es it (records the run, prints the summary) while still listening: a second signal
 * while the run is recorded (an S3 write on an S3 lake) or summarised quits at once, saying so, as
 * documented, where without handlers Node would end the process silently, summary unprinted. The
 * signal returned is the first heard by the end of `finish`: one that comes during it still ends
 * the command by that signal, as it would have ended the process.
 */
async function runInterruptibly(
  io: CommandIo,
  deps: IngestDeps & { source: AuditClient },
  config: IngestConfig,
  options: IngestOptions,
  waiting: WaitingNotice | undefined,
  finish: (run: InterruptibleRun) => Promise<void>,
): Promise<IngestCommandResult> {
  const progress = terminalProgress(
    `ingest ${config.instance}`,
    io.stderr,
    () => deps.source.stats().requests,
  );
  const stopWaiting = waiting?.show(progress.note);
  let storedBeforeMs = Number.NEGATIVE_INFINITY;
  const interruption = interruptible(
    io.interrupts ?? processInterrupts,
    (name) => {
      stopWaiting?.();
      progress.done();
      writeLines(io.stderr, [
        `${name}: stopping; the hours in flight are dropped, those stored are kept (${quitsAtOnce(name)})`,
      ]);
    },
    () =>
      writeLines(io.stderr, [
        'quitting now: the hours stored so far are kept; run the same command again to resume',
      ]),
  );
  try {
    const onProgress = (p: IngestProgress) => {
      storedBeforeMs = p.storedBeforeMs;
      waiting?.progressed(p);
      progress.update(p);
    };
    const summary = await runIngest({ ...deps, interrupt: interruption.signal, onProgress }, config, options);
    stopWaiting?.();
    progress.done();
    const { range } = options;
    const resumeFromMs = range && storedBeforeMs > range.fromMs ? storedBeforeMs : undefined;
    await finish({ summary, interrupted: interruption.received, resumeFromMs });
    return { summary, interrupted: interruption.received };
  } finally {
    interruption.dispose();
    stopWaiting?.();
    progress.done();
  }
}

/**
 * The run's summary on stdout: the JSON, or the short description with the geo warning. With
 * --json stdout stays the JSON (its fields say the same) and the warning goes to stderr.
 */
function printSummary(
  io: CommandIo,
  summary: IngestSummary,
  out: {
    json: boolean | undefined;
    lake: string;
    docTimeZone: string;
    location: string;
    stats: { requests: number; retries: number };
    /** What was kept and how to resume, when a signal interrupted the run. */
    interruptedLine: string | undefined;
    /** The --backfill-days given, if any. */
    backfillDays: string | undefined;
    /** Hours those days reach that the lake lacks below its watermark ({@link unusedBackfillNote}). */
    backfillLeftOut: number | undefined;
    /** The hours --from/--to asked for, in UTC. */
    range: { fromMs: number; toMs: number } | undefined;
    /** The run's notes of a change in Domo's answers (IngestDeps.onShapeChange). */
    shapeNotes: readonly string[];
  },
): void {
  const { stats } = out;
  const closing = out.interruptedLine === undefined ? [] : [out.interruptedLine];
  const geoWarning = [
    ...(unplacedWarning(summary, { lake: out.lake, geoDbPath: io.env.GEO_DB_PATH }) ?? []),
    ...(outOfWindowWarning(summary, out.docTimeZone) ?? []),
    ...unusedBackfillNote(summary, out.backfillDays, out.backfillLeftOut),
    ...out.shapeNotes,
    ...[restartLine(summary)].filter((line) => line !== undefined),
  ];
  if (out.json) {
    io.stdout.write(jsonOutput({ ...summary, requests: stats.requests, retries: stats.retries }));
    writeLines(io.stderr, [...geoWarning, ...closing]);
    return;
  }
  io.stdout.write(
    describe(
      { ...summary, requests: stats.requests },
      out.location,
      stats.retries,
      [...geoWarning, ...closing],
      terminalWidth(io.stdout),
      out.range,
    ),
  );
}

/**
 * Lines on a terminal wrapped at words to its width (a pipe or a file gets them whole), the rest of
 * each hanging under its text as {@link wrapNote} does, so it reads as one note, not two.
 */
function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): void {
  const width = terminalWidth(stream);
  for (const line of lines.flatMap((l) => wrapNote(l, width))) stream.write(`${line}\n`);
}

async function resolveSecret(io: CommandIo, secretId: string): Promise<DomoCredentials> {
  if (!io.secretCredentials) throw new UsageError('--secret-id is not available in this build');
  return io.secretCredentials(secretId);
}

const when = (ms: number | null) => (ms === null ? 'none' : `${lakeTimestamp(ms).slice(0, 16)} UTC`);

/** In words, not an arrow a screen reader says as "greater". */
const watermarkMove = (before: number | null, after: number | null): string =>
  before === after ? `${when(after)}, unchanged` : `was ${when(before)}, now ${when(after)}`;

/**
 * What an interrupted run kept, and how to go on: a checkpoint run resumes from the watermark it
 * saved; a range is pulled again (hours stored are merged, never duplicated), or from `resumeFromMs`
 * when every hour of the range before it is stored.
 */
export function interruptedLine(
  summary: IngestSummary,
  name: InterruptName,
  resumeFromMs: number | undefined,
): string {
  if (summary.windowsDone >= summary.windowsPlanned)
    return `interrupted (${name}) once every planned hour was done`;
  const kept = `interrupted (${name}): the ${summary.windowsDone.toLocaleString('en-US')} hour(s) done are kept`;
  if (summary.mode === 'checkpoint') return `${kept}; run the same command again to resume`;
  const skip =
    resumeFromMs === undefined
      ? ''
      : `, or with --from ${hourFlag(resumeFromMs)} to skip the hours before it (all stored)`;
  return `${kept}; run the same command again to finish the range${skip}`;
}

/**
 * The lines that say a run stored events without geo columns because the geo database could not be
 * loaded: why (the load error), what it means, and the fix in this command line's terms; undefined
 * when there were none. `geoDbPath` is GEO_DB_PATH as the command saw it.
 */
export function unplacedWarning(
  summary: IngestSummary,
  fix: { lake: string; geoDbPath: string | undefined },
): string[] | undefined {
  const range = summary.unplacedRange;
  if (summary.eventsUnplaced === 0 || range === null) return undefined;
  const events = summary.eventsUnplaced.toLocaleString('en-US');
  const load = geoLoadFix(fix.geoDbPath);
  const enrich = commandLine([
    'enrich',
    '--from',
    hourFlag(range.fromMs),
    '--to',
    hourFlag(range.toMs),
    '--lake',
    fix.lake,
    '--instance',
    summary.instance,
  ]);
  return [
    `warning: ${events} event(s) with an IP address were stored without geo columns: the geo database could not be loaded (${summary.geoUnavailable ?? 'no reason was given'})`,
    '  the country and network checks (suspicious logins, alerts) cannot judge these events until their geo columns are filled',
    `  fix: ${load}; then run: ${enrich}`,
  ];
}

/**
 * Entries whose time reads outside the hour Domo returned them for are quarantined one by one, and
 * a run where that is a tenth or more of what it read otherwise looks healthy: almost always the
 * time strings are in another zone than `--doc-time-zone`. The lines that say so; undefined when
 * such entries are rare (a stray entry at an hour's edge is no sign of it).
 */
export function outOfWindowWarning(summary: IngestSummary, docTimeZone: string): string[] | undefined {
  // Stored, not written: a re-pull of stored hours writes nothing new but reads every event again.
  const read = summary.eventsStored + summary.outOfWindow;
  if (summary.outOfWindow === 0 || summary.outOfWindow * 10 < read) return undefined;
  const share = Math.round((summary.outOfWindow / read) * 100);
  return [
    `warning: ${summary.outOfWindow.toLocaleString('en-US')} entries (${share}% of those this run stored or set aside) carry a time outside the hour Domo returned them for, and were quarantined`,
    `  zone-less time strings are read in --doc-time-zone (now ${docTimeZone}): if Domo writes them in another zone, re-pull these hours with --from/--to and --doc-time-zone set to it (docs/ingest.md, "Reading entries")`,
  ];
}

/** A run given `--backfill-days` found a checkpoint, so continued from it instead. */
const hadCheckpoint = (summary: IngestSummary, backfillDays: string | undefined): boolean =>
  backfillDays !== undefined && summary.mode === 'checkpoint' && summary.watermarkBeforeMs !== null;

/**
 * How many hours from where `--backfill-days` would have begun a first run up to the watermark the
 * run found are not in the lake, for {@link unusedBackfillNote}; listed (a LIST a day) only when the
 * note may be due.
 */
async function hoursLeftOut(
  store: ObjectStore,
  summary: IngestSummary,
  backfillDays: string | undefined,
  config: { instance: string; backfillDays: number },
  startedMs: number,
): Promise<number | undefined> {
  if (!hadCheckpoint(summary, backfillDays) || summary.watermarkBeforeMs === null) return undefined;
  const fromMs = backfillStart(startedMs, config.backfillDays);
  const toMs = summary.watermarkBeforeMs;
  if (toMs <= fromMs) return 0;
  let held = 0;
  for await (const _ of coverageKeys(store, config.instance, fromMs, toMs)) held++;
  return (toMs - fromMs) / HOUR_MS - held;
}

/**
 * A note when `--backfill-days` was given to a run that found a checkpoint: it sets how far a first
 * run reaches back, and a lake with a checkpoint continues from its watermark (another ingest may
 * have written it a moment before), so the days asked for were not pulled.
 */
export function unusedBackfillNote(
  summary: IngestSummary,
  backfillDays: string | undefined,
  leftOut: number | undefined,
): string[] {
  if (!hadCheckpoint(summary, backfillDays)) return [];
  // The lake already holds every hour from where the days asked reach up to its watermark (the same
  // command resuming a first run it stopped, or a lake at least that old): nothing was left out.
  if (leftOut === 0) return [];
  return [
    `note: --backfill-days ${backfillDays} was not used: it sets how far a first run reaches back, and this lake had a checkpoint (watermark ${when(summary.watermarkBeforeMs)}), so the run continued from it; to pull older hours, use --from/--to`,
  ];
}

/**
 * Why a run between two closed hours pulled nothing, lookback included. A checkpoint that keeps
 * an hour to pull again (a run passed unfinished a moment before) is named with it: "no hour has
 * closed" alone read as if nothing were owed.
 */
function nothingToPull(summary: IngestSummary): string {
  const retryMs = summary.retryFromBeforeMs;
  const watermarkMs = summary.watermarkBeforeMs;
  if (retryMs === null || watermarkMs === null || retryMs >= watermarkMs)
    return '  nothing to pull: no hour has closed since the watermark; the lookback hours are re-pulled with the next one (to re-pull stored hours now: --from/--to)';
  return `  nothing to pull yet: no hour has closed since the watermark, and the checkpoint keeps ${when(retryMs)} to pull again (hours a run did not finish, or that another run passed unread): the next ingest without --from/--to, once a new hour has closed and settled, pulls again from there (to pull them now: --from ${hourFlag(retryMs)} --to ${hourFlag(watermarkMs)})`;
}

/**
 * A duration in whole minutes, rounded down: `16 min`, `1 h 15 min`. Down, so that a lower bound
 * stays one and is never shown at the warning's figure while under it (74 min 59.6 s is
 * `1 h 14 min`); every figure of the late events line in this one style.
 */
function wholeMinutes(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * How late the run's latest late event was, against how far the lookback reaches, with a warning
 * once only an hour's last pulls find events that late (lateWarningMs, the LateEventsNearLookback
 * alarm's threshold): an event served past the reach waits for the hour's later pull, or is never
 * stored when that is off, and nothing else would say so. A re-pull (--from/--to) gets neither: it finds by design what the lookback missed, past its
 * reach, and its own lookback is not the stack's (--lookback-hours is refused with --from/--to).
 * With a lookback of 0 there is no reach: no run pulls an hour again.
 */
export function lateLine(summary: IngestSummary, lateMs: number): string {
  const { settleMinutes, lookbackHours } = summary;
  const line = `  late events: Domo served the latest at least ${wholeMinutes(lateMs)} after its hour ended`;
  if (summary.mode === 'range')
    return `${line}; found by a re-pull, which stores by design what the schedule's lookback missed: past its reach (ingest.settleMinutes + ingest.lookbackHours in cdk.json) is expected here, not a sign that the lookback is short`;
  const settledMs = settleMinutes * MINUTE_MS;
  if (lookbackHours === 0)
    return `${line}; with a lookback of 0 h no run pulls an hour again, so an event Domo serves after an hour's first pull (${wholeMinutes(settledMs)} after its end) is stored only by a re-pull with --from/--to: raise --lookback-hours to have the runs store it`;
  const reached = `${line}; the lookback pulls an hour again until ${wholeMinutes(settledMs + lookbackHours * HOUR_MS)} after its end`;
  const warningMs = lateWarningMs(settleMinutes, lookbackHours);
  if (lateMs < warningMs) return reached;
  return `${reached}. Warning: only an hour's last pulls find an event that late (from ${wholeMinutes(warningMs)} on), and one served after the lookback's end waits for the hour's later pull (--repull-after-hours, a day on by default; with 0 it is never stored): raise --lookback-hours (ingest.lookbackHours in cdk.json), and re-pull with --from/--to the hours since the delays grew`;
}

/**
 * The run's later pulls (hours pulled once more a while after their first pulls), when it planned
 * some or leaves some due; undefined otherwise.
 */
export function laterLine(summary: IngestSummary): string | undefined {
  const later = summary.laterPulls;
  if (!later || (later.planned === 0 && later.dueFromMs === null)) return undefined;
  const parts = [`${later.done} done of ${later.planned}`];
  if (later.failed > later.givenUp) parts.push(`${later.failed - later.givenUp} failed (tried again)`);
  if (later.givenUp > 0) parts.push(`${later.givenUp} given up after their last try`);
  if (later.left > 0) parts.push(`${later.left} left for the next run`);
  const due = later.dueFromMs === null ? '' : `; due from ${when(later.dueFromMs)}`;
  return `  later pulls: ${parts.join(', ')}${due}`;
}

/**
 * Why a run stopped for its time, and what is left: when only later pulls are (every other hour
 * planned is done), the next run pulls them, and running again now adds nothing new.
 */
function timeBudgetLine(summary: IngestSummary): string {
  const later = summary.laterPulls;
  if (later && later.left > 0 && later.onlyLaterLeft)
    return '  stopped early (time budget) with only later pulls left: the next run pulls them';
  return '  stopped early (time budget): run again to continue';
}

/** The watermark's move, how far behind the lake is, and why a run pulled nothing. */
function checkpointLines(summary: IngestSummary): string[] {
  const lines = [`  watermark: ${watermarkMove(summary.watermarkBeforeMs, summary.watermarkAfterMs)}`];
  const behind = behindLine(summary);
  if (behind !== undefined) lines.push(behind);
  // A run between two closed hours pulls nothing, lookback included: someone re-running ingest to
  // pick up late events would otherwise see zeros and no reason.
  if (summary.windowsPlanned === 0 && summary.stoppedEarly === null) lines.push(nothingToPull(summary));
  return lines;
}

/** Behind by less than this, the lake is as current as the schedule keeps it: no line. */
const BEHIND_LINE_MS = 2 * HOUR_MS;

/**
 * How far behind now the lake is, and for a run that stopped on its time budget the pace: the
 * hours it moved the watermark and about how many runs are left (review R-ONCALL M1). Hours done
 * are no measure of it: a run that stored hours past a held watermark moved nothing.
 */
function behindLine(summary: IngestSummary): string | undefined {
  const behindMs = summary.behindByMs;
  if (behindMs === null || behindMs < BEHIND_LINE_MS) return undefined;
  return `  behind: ${formatLag(behindMs)}${paceNote(summary)}`;
}

/**
 * The pace of {@link behindLine}. A run that began without a watermark set it, from where its
 * backfill began: "did not move the watermark" after `was none, now …` read as stuck (review
 * R-SRE L2).
 */
function paceNote(summary: IngestSummary): string {
  const moved = watermarkMovedHours(summary);
  const runs = summary.runsLeftEstimate;
  const first = summary.watermarkBeforeMs === null;
  if (runs !== undefined) {
    const did = first
      ? `set the watermark ${moved} h past where its backfill began`
      : `moved the watermark ${moved} h`;
    return ` (this run ${did}: about ${runs} more run${runs === 1 ? '' : 's'} at this pace)`;
  }
  if (summary.stoppedEarly !== 'time-budget' || moved > 0) return '';
  if (!first) return ' (this run did not move the watermark)';
  return summary.watermarkAfterMs === null
    ? ' (this run set no watermark yet)'
    : ' (this run did not move the watermark past where its backfill began)';
}

/**
 * Whose activity the run read (IngestSummary.domoCustomer), when known: with several instances in
 * one lake (an MSP's customers), the instance's name alone does not say whose data moved.
 */
const customerLine = (summary: IngestSummary): string[] =>
  summary.domoCustomer === undefined ? [] : [`  Domo customer: ${shownCustomer(summary.domoCustomer)}`];

/** The hours done, failed and, for a run that stopped (time budget, a fatal error), not started. */
function hoursLine(summary: IngestSummary): string {
  const notStarted = summary.windowsPlanned - summary.windowsDone - summary.windowsFailed;
  const failed = summary.windowsFailed ? `, ${summary.windowsFailed} failed` : '';
  return `  hours: ${summary.windowsDone} done of ${summary.windowsPlanned} planned${failed}${notStarted > 0 ? `, ${notStarted} not started` : ''}`;
}

/** `2026-11-30 23:00Z`: an hour as `verify` names the hours of a range. */

/**
 * A short human summary of a run, with the warning of `unplacedWarning` if there is one. A range's
 * first line names its hours in UTC: `--from 2026-12-01T00:00+01:00` pulls from 2026-11-30 23:00Z,
 * which only `verify` showed before (review op2 L10).
 */
export function describe(
  summary: IngestSummary,
  location: string,
  retries: number,
  geoWarning?: readonly string[],
  maxWidth = Number.POSITIVE_INFINITY,
  range?: { fromMs: number; toMs: number },
): string {
  const lines = [
    `ingest ${summary.instance} (${summary.mode}${range ? ` ${utcHourLabel(range.fromMs)} .. ${utcHourLabel(range.toMs)}` : ''}) into ${location}`,
    ...customerLine(summary),
    hoursLine(summary),
    `  events written: ${summary.eventsWritten} (late: ${summary.lateEvents}), quarantined: ${summary.quarantined}${summary.outOfWindow ? `, outside their window: ${summary.outOfWindow}` : ''}`,
  ];
  if (summary.lateByAtLeastMs !== null) lines.push(lateLine(summary, summary.lateByAtLeastMs));
  lines.push(`  Domo requests: ${summary.requests} (retries: ${retries})`);
  if (summary.mode === 'checkpoint') lines.push(...checkpointLines(summary));
  const later = laterLine(summary);
  if (later !== undefined) lines.push(later);
  if (summary.stoppedEarly === 'time-budget') lines.push(timeBudgetLine(summary));
  const held = summary.watermarkHeld;
  if (held)
    lines.push(
      `  warning: watermark kept at ${when(held.atMs)}, before this run's first hour ${when(held.planFromMs)}: run ${held.runId} left it there (another ingest with more backfill days that stopped, was killed, or is still running), and the hours between were not read by this run. Moving it past them would skip them, so the next ingest without --from/--to continues from ${when(held.atMs)}, or from where that run ends if it is still running (this run's hours are merged again, never duplicated)`,
    );
  const passed = summary.passedBy;
  if (passed)
    lines.push(
      `  warning: run ${passed.runId} moved the watermark to ${when(passed.watermarkMs)}, past hours this run had not finished and that run did not read (it began after them), so the checkpoint keeps ${when(passed.retryFromMs)}: the next ingest without --from/--to, once a new hour has closed and settled (settle minutes, 15 by default), pulls again from there (hours already stored are merged, never duplicated)`,
    );
  const missing = summary.checkpointMissing;
  if (missing)
    lines.push(
      `  warning: no checkpoint, though run ${missing.runId} left the watermark at ${when(missing.watermarkMs)}: it was deleted or lost, so this run planned as a first run does, from the backfill's start (--backfill-days), and pulled again the hours before that watermark (merged into those stored, never duplicated)${missing.watermarkMs < missing.planFromMs ? `, but not those before the backfill's start: pull them with --from ${hourFlag(missing.watermarkMs)} --to ${hourFlag(missing.planFromMs)}` : ''}. If nobody reset it on purpose, find out why it went missing and see docs/operations.md "Recovery"`,
    );
  const closed = closedRunsLine(summary);
  if (closed !== undefined) lines.push(closed);
  if (summary.otherRuns.length > 0)
    lines.push(
      `  other runs of ${summary.instance} wrote to this lake meanwhile (run ${summary.otherRuns.join(', run ')}): that is safe, see docs/operations.md "Re-pulling a range of hours"`,
    );
  for (const line of geoWarning ?? []) lines.push(`  ${line}`);
  // Wrapped as notes: `  hours: …` continues under its text, not at the summary's own indent.
  return `${lines.flatMap((line) => wrapNote(line, maxWidth)).join('\n')}\n`;
}
