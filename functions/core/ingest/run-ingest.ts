import { randomBytes } from 'node:crypto';
import { causeChain } from '../cause-chain.ts';
import { Deadline } from '../deadline.ts';
import { compileCategoryRules } from '../domo/category-rules.ts';
import { DomoConfigError, DomoUnavailableError } from '../domo/errors.ts';
import { TOKEN_REQUEST } from '../domo/token-provider.ts';
import { errorMessage } from '../error-message.ts';
import { ChainCutError, checkChainCut } from '../lake/chain-cut-guard.ts';
import { checkpointOfChain, missingChainRefusal } from '../lake/chain-restart-guard.ts';
import { readStoredCoverage } from '../lake/coverage.ts';
import { DigestRecorder } from '../lake/digest-recorder.ts';
import { HOUR_MS } from '../time-units.ts';
import { runPool } from '../worker-pool.ts';
import { CheckpointWriter } from './checkpoint-writer.ts';
import { chainExistsRefusal, DigestChainExistsError, type DigestRestartOutcome } from './digest-restart.ts';
import { EventBudget, type EventShare } from './event-budget.ts';
import { RangeTooHeavyError } from './fetch-range.ts';
import { validateIngestConfig } from './ingest-config.ts';
import type { IngestConfig, IngestDeps, IngestOptions, IngestSummary } from './ingest-types.ts';
import { ingestSpan, type WindowResult, type WindowRun } from './ingest-window.ts';
import { bindInstance } from './instance-binding.ts';
import {
  LATER_PULL_TRIES,
  type LaterPullFailure,
  LaterPullGivenUpError,
  LaterPullTracker,
} from './later-pulls.ts';
import { checkpointMissingOf, withCheckpointMissing } from './lost-checkpoint.ts';
import { capLearnt, nothingServedYet } from './page-end.ts';
import { QuietHoursBefore } from './quiet-hours-before.ts';
import { hoursLeft, ReadRoom } from './read-room.ts';
import { planRun, type RunPlan } from './run-plan.ts';
import { RunRecorder } from './run-recorder.ts';
import { RunInterrupted, RunStop, TimeBudgetSpent } from './run-stop.ts';
import {
  EVENTS_IN_FLIGHT,
  type Span,
  SpanPlanner,
  type SpanSizing,
  spanHours,
  spanSizingFor,
} from './span-plan.ts';
import { WatermarkTracker } from './watermark-tracker.ts';

/**
 * Hours stored at once across all spans: one encoding on the main thread while another is gzipped
 * in the thread pool keeps both cores of a small machine busy; more only adds the memory of busy
 * hours waiting to be encoded (1M-event ingest, c8: up to ~60 MB of NDJSON bytes at once).
 */
const HOURS_STORING = 2;

/**
 * Spans in flight beyond the `concurrency` that read from Domo: a span that has read all its hours
 * gives its turn to read up while it stores them (normalising, encoding, gzip, writes: a fifth to
 * a third of a busy span's time, without a request), so one more span reads meanwhile. One, not
 * HOURS_STORING: with two, a 1M-event ingest at c8 took 79 s instead of ~46 s, its spans waiting
 * on the event budget and on storage with their entries held.
 */
const SPANS_STORING = 1;

/**
 * Remaining time under which windows in flight are aborted (at most half the margin). The run's
 * last writes (checkpoint, digest seal, run record) come after it: 30 s lets one of them ride out
 * an attempt that never answers (the functions' SDK clients give up on 15 s of silence,
 * adapters/sdk-http.ts) and its retry, where 15 s left them none, and the invocation timed out
 * with its summary unlogged. Not when the seal first re-reads the hours of runs that never sealed:
 * that re-read may use the run's time up to 3 s before its end (digest-recorder.ts).
 */
const HARD_STOP_MS = 30_000;

/** Where the hard stop falls for a margin: half of it, at most {@link HARD_STOP_MS}. */
const hardStopFor = (marginMs: number): number => Math.min(HARD_STOP_MS, marginMs / 2);

/** A run id that sorts by time and is unique across concurrent runs. */
export const newRunId = (nowMs: number): string =>
  `${new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

/**
 * Opens the run's digest when runs are open at the chain's head, though it wrote nothing, so its
 * seal closes them (DigestRecorder.openToCloseOpenRuns). A sweep that fails or runs out of time is
 * a failure of the run: the chain stays open and the next run tries again.
 */
async function closeOpenRuns(digests: DigestRecorder, recorder: RunRecorder, endMs: number): Promise<void> {
  try {
    await digests.openToCloseOpenRuns();
  } catch (error) {
    recorder.digestFailed(endMs, error);
  }
}

/**
 * One ingest run for one instance. In checkpoint mode (the schedule) it pulls the lookback hours and
 * every closed hour after the watermark, then the hours due their later pull (later-pulls.ts),
 * `concurrency` at a time, and moves the watermark forward
 * only over an unbroken run of completed hours, and while a lookback hour is unfinished only as far
 * as keeps it in the next run's lookback. In range mode (`ingest --from --to`) it pulls exactly
 * the given hours and leaves the checkpoint alone.
 *
 * It stops starting windows when the time budget runs low, on the first window that fails, or at
 * once on a configuration error or the caller's interrupt; finished windows are durable either way
 * and the next run continues.
 */
export async function runIngest(
  callerDeps: IngestDeps,
  rawConfig: IngestConfig,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const config = validateIngestConfig(rawConfig);
  const startedMs = callerDeps.clock.now();
  const runId = options.runId ?? newRunId(startedMs);
  // Records what the run writes into the digest chain (flushed before each checkpoint write).
  const digests = new DigestRecorder(callerDeps.store, {
    instance: config.instance,
    runId,
    clock: callerDeps.clock,
    signer: callerDeps.digestSigner,
    ...(callerDeps.runner ? { runner: callerDeps.runner } : {}),
    ...(options.maxDays === undefined ? {} : { maxDays: options.maxDays }),
    remainingTimeMs: callerDeps.remainingTimeMs,
    reserveMs: hardStopFor(config.budgetMarginMs),
    ...(options.restartDigestChain ? { restartChain: true } : {}),
  });
  const deps: IngestDeps = { ...callerDeps, store: digests };

  // 1. Plan the hours: an explicit range, or the lookback and every closed hour after the watermark,
  //    and the hours due their later pull (before the others: the digest names where it writes).
  const plan = await planRun(deps.store, config, options.range, startedMs);
  const later = new LaterPullTracker(
    plan.laterPulls,
    plan.checkpoint?.checkpoint ?? {},
    config.repullAfterHours,
  );
  // Every page is checked before it is handed on: credentials of another Domo customer than the
  // lake's store nothing, and the first customer seen is bound before its first entry is stored.
  const source = bindInstance(callerDeps.source, {
    instance: config.instance,
    ...(config.domoCustomer === undefined ? {} : { expected: config.domoCustomer }),
    store: callerDeps.store,
    runId,
    now: () => callerDeps.clock.now(),
    log: deps.log,
    // Pages are read only once the recorder below exists.
    accepted: (customer) => recorder.customerRead(customer),
  });
  digests.begin(Math.min(plan.firstMs, later.ranges()[0]?.[0] ?? plan.firstMs), plan.endMs, plan.mode);
  digests.chainExpected(checkpointOfChain(plan.checkpoint?.checkpoint));
  const recorder = new RunRecorder(deps, config, runId, plan, later);
  // A run its genesis would refuse asks Domo for nothing and writes nothing: it stops here.
  const refusal = await chainRefusal(callerDeps.store, config.instance, plan, options, digests);
  if (refusal) return refusedRun(recorder, plan, refusal, deps.clock.now(), options);
  const missing = await checkpointMissingOf(callerDeps.store, deps.log, config.instance, plan);
  const stop = new RunStop();

  // 2. The watermark moves over unbroken runs of finished hours, but no further than keeps each
  //    lookback hour not yet finished in the next run's lookback; each move is a conditional write.
  const watermark = new WatermarkTracker(plan.watermarkMs, {
    firstMs: plan.firstMs,
    endMs: plan.endMs,
    lookbackHours: config.lookbackHours,
  });
  const checkpoint = checkpointWriterOf(deps, config, runId, plan, {
    recorder,
    stop,
    watermark,
    digests,
    later,
  });

  // 3. The deadline: no new hour within the margin, and hours in flight aborted near the very end.
  const budget = guardBudget(new Deadline(deps.remainingTimeMs), config.budgetMarginMs, stop, recorder, () =>
    digests.sealReserveMs(),
  );
  const unlisten = onInterrupt(deps.interrupt, stop);

  // 4. Pull the hours, `concurrency` spans at a time, until done or stopped. Quiet hours are read
  //    together in spans sized from the density seen so far (first: the hour before the plan's).
  const spanSizing = options.spanSizing ?? spanSizingFor(config.concurrency);
  const quietHoursBefore = new QuietHoursBefore(deps.store, config.instance);
  const planner = await plannerFor(deps.store, config.instance, plan, spanSizing, quietHoursBefore);
  const run = {
    ...windowRunOf({ ...deps, source }, config, runId, startedMs, {
      recorder,
      stop,
      spanSizing,
      quietHoursBefore,
    }),
    checkTime: budget.checkTime,
    // A busy hour is split before its first page when the hours seen say it holds too many.
    expectedPerHour: () => planner.expectedPerHour(),
    ...oldestFirstOf(watermark, deps.remainingTimeMs !== undefined),
    laterPull: (startMs: number) => later.has(startMs),
  };
  const inFlight = new EventBudget(options.eventsInFlight ?? EVENTS_IN_FLIGHT);
  // `concurrency` spans read from Domo at once; a span is drawn from the plan (and sized) only once
  // it has a turn to read, and gives the turn up when it has read all its hours.
  const readTurns = new EventBudget(config.concurrency);
  const poolSize = Math.min(config.concurrency + SPANS_STORING, Math.max(1, recorder.summary.windowsPlanned));
  const room = new ReadRoom(poolSize);
  const pullSpan = spanPuller(run, { recorder, stop, planner, inFlight, room, later }, (windowStartMs) => {
    // A later hour lies before the watermark and never moves it: the checkpoint's next write
    // (the watermark's, or the run's last) records it done. Another hour is due its later pull or
    // not by its age now (a run catching up reads old hours).
    later.complete(windowStartMs);
    if (later.has(windowStartMs)) return;
    const moved = watermark.complete(windowStartMs);
    if (moved !== undefined) checkpoint.advanceTo(moved);
  });
  try {
    await runPool(plannedSpans(planner, plan, later, recorder), poolSize, pullSpan, budget.shouldStop, {
      admit: () => readTurns.take(1),
      decline: (turn) => turn.release(),
    });
    // The watch aborts hours in flight, and none is left: kept on, it fired while the opening and
    // the seal (each bounded by its own time) went on, and a run that did all its work, sealed
    // included, read as stopped early for want of time.
    budget.unwatch();
    await checkpoint.saveRetryHour(watermark.currentMs);
    // A run killed mid-write leaves the chain open, and verify advises an ingest to record what it
    // left: with no hour to pull, this run would neither open nor seal, and the advice did nothing.
    if (!stop.reason) {
      await openToRestart(digests, recorder, plan.endMs);
      await closeOpenRuns(digests, recorder, plan.endMs);
    }
    const unsealed = await digests.seal().catch((error: unknown) => {
      recorder.digestFailed(plan.endMs, error);
      return undefined;
    });
    if (unsealed) recorder.chainLeftUnsealed(plan.endMs, unsealed);
  } finally {
    budget.unwatch();
    unlisten();
  }

  // 5. Account for the run.
  const summary = recorder.finish({
    stoppedEarly: stop.reason,
    savedWatermarkMs: checkpoint.savedMs,
    plannedWatermarkMs: plan.watermarkMs,
    nowMs: deps.clock.now(),
    otherRuns: digests.otherRuns(),
    digestHead: digests.headSequence(),
    closedRuns: [...digests.closedRuns()],
    passedBy: checkpoint.passedBy(watermark.currentMs),
    ...restartOutcome(options, digests.beganChain() ? 'restarted' : 'not-begun'),
  });
  return withCheckpointMissing(summary, missing);
}

/**
 * The refusal a run meets before its first pull: told to restart the digest chain, a chain that is
 * there (digest-restart.ts); otherwise, a chain missing that its genesis would refuse to begin, or
 * one that ends before the head the last run recorded (chain-cut-guard.ts).
 */
async function chainRefusal(
  store: IngestDeps['store'],
  instance: string,
  plan: RunPlan,
  options: IngestOptions,
  digests: DigestRecorder,
): Promise<DomoConfigError | undefined> {
  if (options.restartDigestChain) return chainExistsRefusal(store, instance);
  const missing = await missingChainRefusal(store, instance, plan.checkpoint?.checkpoint);
  if (missing) return missing;
  const { refusal, headSeen } = await checkChainCut(store, instance);
  // What the guard read is not read again: the opening starts from the head it found.
  if (headSeen !== undefined) digests.chainSeenTo(headSeen);
  return refusal;
}

/** The summary's word on a restart of the digest chain, only when one was asked. */
const restartOutcome = (
  options: IngestOptions,
  outcome: DigestRestartOutcome,
): { digestRestart?: DigestRestartOutcome } => (options.restartDigestChain ? { digestRestart: outcome } : {});

/**
 * A run told to restart the chain that wrote nothing writes the genesis all the same: with no hour
 * to pull it would otherwise end without one, and the next scheduled run be refused again. A
 * failure is the run's, as a failed opening is.
 */
async function openToRestart(digests: DigestRecorder, recorder: RunRecorder, endMs: number): Promise<void> {
  try {
    await digests.openToRestart();
  } catch (error) {
    recorder.digestFailed(endMs, error);
  }
}

/**
 * The end of a run refused before its first pull (a missing digest chain, chain-restart-guard.ts):
 * a configuration error on its first hour, every planned hour failed with it, as when a span meets
 * it; the checkpoint left as read.
 */
function refusedRun(
  recorder: RunRecorder,
  plan: RunPlan,
  refusal: Error,
  nowMs: number,
  options: IngestOptions,
): IngestSummary {
  recorder.windowFailed(plan.firstMs, refusal, recorder.summary.windowsPlanned);
  const watermarkMs = plan.checkpoint?.checkpoint.watermark_ms ?? null;
  return recorder.finish({
    stoppedEarly: 'fatal-error',
    savedWatermarkMs: watermarkMs,
    plannedWatermarkMs: plan.watermarkMs,
    nowMs,
    otherRuns: [],
    passedBy: null,
    // The head the record named stays in it: a record without one would let the next run append.
    ...(refusal instanceof ChainCutError ? { digestHead: refusal.cut.recorded } : {}),
    ...restartOutcome(options, refusal instanceof DigestChainExistsError ? 'chain-exists' : 'not-begun'),
  });
}

/**
 * The run's spans: its lookback and new hours first, then its later pulls, so that those take only
 * the time the new hours leave (a run out of time starts no more spans, and the next run pulls
 * the later hours it did not start). After a failed later pull none starts: the hours left are
 * counted as such, not as hours the time budget left.
 */
function* plannedSpans(
  planner: SpanPlanner,
  plan: RunPlan,
  later: LaterPullTracker,
  recorder: RunRecorder,
): Generator<Span> {
  yield* planner.spans(plan.firstMs, plan.endMs);
  for (const [fromMs, toMs] of later.ranges()) {
    for (const span of planner.spans(fromMs, toMs)) {
      if (later.failed) return recorder.laterPullsLeft(later.plannedFrom(span.startMs));
      yield span;
    }
  }
}

/**
 * A span proved too full reads the hours it has left oldest first while they are the run's oldest
 * unfinished ones (fetch-span.ts `readBackFrom`): only those move the watermark, and a run short of
 * time against a slow Domo otherwise stored newer hours, run after run, that each next run planned
 * again (review R-ONCALL H1). Only when the run has a deadline: without one it reads every hour
 * anyway, and the order changes nothing but the pieces' bounds. Not in range mode (no watermark).
 */
function oldestFirstOf(
  watermark: WatermarkTracker,
  hasDeadline: boolean,
): { oldestFirst?: (fromMs: number) => boolean } {
  if (!hasDeadline || watermark.firstUnfinishedMs === null) return {};
  return { oldestFirst: (fromMs) => (watermark.firstUnfinishedMs ?? Number.NEGATIVE_INFINITY) >= fromMs };
}

/** Writes the checkpoint as the watermark moves; a failed write is recorded and stops the run. */
function checkpointWriterOf(
  deps: IngestDeps,
  config: IngestConfig,
  runId: string,
  plan: RunPlan,
  run: {
    recorder: RunRecorder;
    stop: RunStop;
    watermark: WatermarkTracker;
    digests: DigestRecorder;
    later: LaterPullTracker;
  },
): CheckpointWriter {
  return new CheckpointWriter({
    ...deps,
    ...config,
    runId,
    read: plan.checkpoint,
    planFromMs: plan.firstMs,
    retryFromMs: () => run.watermark.retryFromMs,
    repullFields: (watermarkMs) => run.later.fieldsAt(watermarkMs),
    digestOpenFailed: () => run.digests.openFailed(),
    digestsRecorded: () => run.digests.headSequence() !== undefined,
    onFailure: (targetMs, error) => {
      run.recorder.checkpointFailed(targetMs, targetMs - HOUR_MS, error);
      run.stop.stop('fatal-error', error);
    },
    // The hours go on being stored (they are durable, and merged again by the runs after).
    onReset: (reset) => run.recorder.checkpointReset(reset),
    // Also not a failure: the hours are stored, and the next run continues from the kept watermark.
    onBehindPlan: (held) => run.recorder.checkpointBehindPlan(held),
  });
}

/**
 * Whether a span that threw left its hours unfinished rather than failed (the next run pulls them
 * again): interrupted by the deadline or the caller, or aborted by a failure recorded where it
 * happened (a checkpoint write). A configuration error is the one a span in flight reports as its own.
 */
function leftUnfinished(stop: RunStop, error: unknown): boolean {
  if (stop.abortedOnPurpose() || error instanceof TimeBudgetSpent) return true;
  return stop.signal.aborted && error === stop.signal.reason && !(error instanceof DomoConfigError);
}

/** What every span of the run shares: its ports, settings, counters and the stop signal. */
function windowRunOf(
  deps: IngestDeps,
  config: IngestConfig,
  runId: string,
  startedMs: number,
  run: { recorder: RunRecorder; stop: RunStop; spanSizing: SpanSizing; quietHoursBefore: QuietHoursBefore },
): WindowRun {
  return {
    ...deps,
    clock: deps.readClock ?? deps.clock,
    source: run.recorder.counted(deps.source),
    config,
    categorize: compileCategoryRules(config.categoryRules),
    runId,
    nowIso: new Date(startedMs).toISOString(),
    signal: run.stop.signal,
    largestPage: nothingServedYet((entries) => deps.log.warn(capLearnt(entries), { servesAtMost: entries })),
    spanSizing: run.spanSizing,
    quietHoursBefore: run.quietHoursBefore,
    hoursStoring: new EventBudget(HOURS_STORING),
  };
}

/**
 * Spans sized from the density seen so far: at first, that of the hour before the plan's (its
 * manifest as planning read it, else read here), which the first hour's quiet look back then reads
 * no more.
 */
async function plannerFor(
  store: IngestDeps['store'],
  instance: string,
  plan: RunPlan,
  sizing: SpanSizing,
  quietHoursBefore: QuietHoursBefore,
): Promise<SpanPlanner> {
  const before =
    plan.manifestBefore ??
    (await readStoredCoverage(store, instance, plan.firstMs - HOUR_MS).catch(() => undefined))?.manifest;
  if (before) quietHoursBefore.read(before);
  return new SpanPlanner(sizing, before?.event_count);
}

/**
 * Pulls one span; a failure is recorded, never thrown, so the pool keeps its other workers. Hours
 * of the span stored before the failure count as done; the failure is recorded on the first hour
 * not stored and counts every hour left. A failure stops new spans from starting; a configuration
 * error, which would fail every span the same way, aborts the ones in flight too.
 *
 * A span first waits for its share of the entries in flight (`inFlight`), so busy hours run fewer
 * at a time; a span whose turn comes after the run stopped is not pulled, like one never started.
 * It holds its turn to read (`readTurn`) until it has read all its hours, then the planner learns
 * from it and the turn goes to the next span while this one stores; a span that fails holds it
 * until its failure is recorded, so no span starts after a failure that stops the run.
 *
 * Last it takes a seat in the run's read room (read-room.ts). A span that fails on an hour too
 * heavy for its share of the memory is not failed yet: once every other span in flight has ended,
 * its hours not stored are read again alone, with what one read alone may hold, while the spans
 * after it wait; only a failure then is recorded.
 *
 * A later pull that fails is recorded the same way, but stops only the later pulls not started:
 * the run's other hours go on (a span of new hours still waiting for its share must not be
 * dropped for it, nor the watermark held), and the checkpoint names the hour, so the next run
 * pulls it again.
 */
function spanPuller(
  run: WindowRun,
  pull: {
    recorder: RunRecorder;
    stop: RunStop;
    planner: SpanPlanner;
    inFlight: EventBudget;
    room: ReadRoom;
    later: LaterPullTracker;
  },
  onComplete: (windowStartMs: number) => void,
): (span: Span, readTurn: EventShare) => Promise<void> {
  const { recorder, stop, planner, inFlight, room, later } = pull;
  // Hours are stored in any order (newest first after a span proved too full).
  const storedInto = (stored: Set<number>) => (result: WindowResult) => {
    stored.add(result.windowStartMs);
    recorder.windowDone(result);
    onComplete(result.windowStartMs);
  };
  const alone: WindowRun = {
    ...run,
    config: { ...run.config, maxHeldChars: run.config.maxHeldCharsAlone ?? run.config.maxHeldChars },
  };
  const aloneHolds = alone.config.maxHeldChars > run.config.maxHeldChars;
  /**
   * A read of `span` past its share goes on with a lone read's ceiling when the span has the room to
   * itself (read-room.ts): the span keeps the whole room until it ends.
   */
  const widener = (span: Span, seat: EventShare) => {
    const state = { wide: false };
    const widen = (): number | undefined => {
      if (!state.wide && aloneHolds && room.widen(seat)) {
        state.wide = true;
        recorder.readWidened(span, alone.config.maxHeldChars);
      }
      return state.wide ? alone.config.maxHeldChars : undefined;
    };
    return { widen, state };
  };
  /** Reads and stores `span`; what failed, if it did (a stop the run was told of is no failure). */
  const pullOnce = async (span: Span, readTurn: EventShare): Promise<SpanFailure | undefined> => {
    const share = await inFlight.take(planner.expectedEvents(span));
    const seat = await room.seat();
    const stored = new Set<number>();
    const widened = widener(span, seat);
    try {
      if (stop.reason !== null) return undefined;
      recorder.spanStarted();
      await ingestSpan(
        { ...run, widenRead: widened.widen },
        span,
        storedInto(stored),
        (held) => share.resize(held),
        (busiestHour, zoneless) => {
          planner.observe(span, busiestHour, zoneless);
          readTurn.release();
        },
      );
      return undefined;
    } catch (error) {
      if (leftUnfinished(stop, error)) return undefined;
      const failed = { error, stored, alone: widened.state.wide };
      // Read again holding the span's turn, seat and share: the run reads no more at once for it.
      if (!splitsOnOutage(span, failed)) return failed;
      const split = await pullHourByHour({ ...run, widenRead: widened.widen }, span, failed, (held) =>
        share.resize(held),
      );
      // Widened while read hour by hour too: an hour too heavy then would fail alone the same way.
      return split && { ...split, alone: widened.state.wide };
    } finally {
      seat.release();
      share.release();
    }
  };
  /**
   * Reads again, alone in the room, the hours of `span` its first pull left unstored on an hour
   * too heavy for its share; what failed then, if anything did. A run stopped while it waited
   * leaves them unfinished, as a span whose turn comes after the stop.
   */
  const pullAlone = async (span: Span, first: SpanFailure): Promise<SpanFailure | undefined> => {
    const limits = { shareChars: run.config.maxHeldChars, maxHeldChars: alone.config.maxHeldChars };
    recorder.readAlone(span, limits, first.error instanceof RangeTooHeavyError ? first.error.pages : 0);
    const whole = await room.whole();
    const stored = new Set(first.stored);
    try {
      if (stop.reason !== null) {
        recorder.notReadAlone(span, stop.reason);
        return undefined;
      }
      for (const part of hoursLeft(span, first.stored)) {
        await ingestSpan(alone, part, storedInto(stored), undefined, (busiestHour, zoneless) =>
          planner.observe(part, busiestHour, zoneless),
        );
      }
      return undefined;
    } catch (error) {
      if (leftUnfinished(stop, error)) return undefined;
      return { error, stored };
    } finally {
      whole.release();
    }
  };
  /**
   * Whether a span's failure is read again hour by hour (review OUTAGE A): Domo gave up on the read
   * (5xx, timeouts), and one hour Domo never answers would otherwise fail every hour of its span,
   * run after run. Not a throttled read (429s: more requests are refused too), nor a later pull
   * (its next runs pull each hour alone, later-pulls.ts), nor once the run is stopping (a failure
   * elsewhere, or its time): with Domo down for every hour the first span's failure stops the run.
   */
  const splitsOnOutage = (span: Span, failed: SpanFailure): boolean =>
    outageOfRead(failed.error) &&
    stop.reason === null &&
    !later.has(span.startMs) &&
    spanHours(span) - failed.stored.size > 1;
  /**
   * Reads the hours of `span` its pull left unstored one by one, oldest first: those Domo answers
   * are stored, one it gives up on again fails alone (`failedAlone`). A Domo down for every hour
   * must not be asked for each: the reads go on past a failed hour only when the one before was
   * answered (for the first, when Domo answered the run before), so a Domo that answered nothing
   * costs the run one more read per span in flight, one that stops answering mid-span two. Once the
   * run stops (its time, an interrupt, a failure elsewhere) no hour is read more: those not read are
   * unfinished, the next run pulls them again, and the hours failed alone stay failed.
   */
  const pullHourByHour = async (
    reader: WindowRun,
    span: Span,
    first: SpanFailure,
    onHeld: (held: number) => void,
  ): Promise<SpanFailure | undefined> => {
    recorder.readHourByHour(span, spanHours(span) - first.stored.size, first.error);
    const stored = new Set(first.stored);
    const failedAlone = new Map<number, unknown>();
    const restUnfinished = () =>
      failedAlone.size > 0 ? { error: first.error, stored, failedAlone, restUnfinished: true } : undefined;
    let answered = recorder.domoAnswered();
    for (const hour of hoursLeft(span, first.stored).flatMap(singleHours)) {
      // Read on after an abort, an hour ends unstored but without an error: it was failed as read.
      if (stop.reason !== null) return restUnfinished();
      const failed = await ingestSpan(reader, hour, storedInto(stored), onHeld).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (failed === undefined) {
        answered = true;
        continue;
      }
      if (leftUnfinished(stop, failed.error)) return restUnfinished();
      if (!outageOfRead(failed.error) || !answered) return { error: failed.error, stored, failedAlone };
      failedAlone.set(hour.startMs, failed.error);
      answered = false;
    }
    return restUnfinished();
  };
  /** {@link pullOnce}, then {@link pullAlone} after an hour too heavy for its share. */
  const pullWhole = async (span: Span, readTurn: EventShare): Promise<SpanFailure | undefined> => {
    const failed = await pullOnce(span, readTurn);
    if (failed === undefined) return undefined;
    // Not after hours failed alone: read alone again, they would wait their retries once more.
    const again =
      aloneHolds && !failed.alone && !failed.failedAlone?.size && failed.error instanceof RangeTooHeavyError;
    if (!again) return failed;
    // Not failed yet: the spans after it may read while it waits to be alone, as before.
    readTurn.release();
    return pullAlone(span, failed);
  };
  return async (span, readTurn) => {
    try {
      if (later.has(span.startMs)) return await pullLater(span, readTurn);
      later.otherStarted();
      let failed: SpanFailure | undefined;
      try {
        failed = await pullWhole(span, readTurn);
      } finally {
        later.otherEnded(failed !== undefined);
      }
      if (failed !== undefined) recordFailure(span, failed, undefined);
    } finally {
      // A failed span's turn is given back only once its failure is recorded, and has stopped what
      // it stops: given back before, the span waiting for it started and asked Domo (review OUTAGE3).
      readTurn.release();
    }
  };

  /**
   * A later pull: its failure starts no other later pull at once, and is judged once the run's
   * other spans have ended: with Domo failing those too it is an outage, which charges the hour no
   * try (review R-LATER3 H1: a half-hour outage gave healthy hours up at concurrency 4).
   */
  async function pullLater(span: Span, readTurn: EventShare): Promise<void> {
    const failed = await pullWhole(span, readTurn);
    if (failed === undefined) return;
    later.halt();
    if (!(failed.error instanceof DomoConfigError)) await later.othersSettled();
    recordFailure(span, failed, later);
  }

  function recordFailure(span: Span, failed: SpanFailure, laterPulls: LaterPullTracker | undefined): void {
    const settled = new Set(failed.stored);
    for (const [hourMs, error] of failed.failedAlone ?? []) {
      stopOnFailure(stop, error, undefined, span, hourMs);
      recorder.windowFailed(hourMs, error);
      settled.add(hourMs);
    }
    if (failed.restUnfinished || settled.size === spanHours(span)) return;
    const failedMs = firstHourNotStored(span, settled);
    const laterOutcome = stopOnFailure(stop, failed.error, laterPulls, span, failedMs);
    recorder.windowFailed(
      failedMs,
      laterPullFailure(laterOutcome, failed.error),
      spanHours(span) - settled.size,
    );
  }
}

/** How a span failed: its error, after storing the hours `stored` (in any order). */
interface SpanFailure {
  error: unknown;
  stored: ReadonlySet<number>;
  /** Whether it failed with a lone read's ceiling already (widened): read again, it would fail the same. */
  alone?: boolean;
  /**
   * Hours read again alone that Domo gave up on, each with its error (see pullHourByHour): each
   * fails alone, and `error` fails only the hours neither stored nor in here.
   */
  failedAlone?: ReadonlyMap<number, unknown>;
  /** The hours neither stored nor failed alone were left unread as the run stopped: not failed. */
  restUnfinished?: boolean;
}

/**
 * Domo gave up on a read, unavailable rather than throttling (429s, which more reads only meet more
 * of), nor its token endpoint: every hour needs the same token, so each read again would wait the
 * token request's retries once more (OUTAGE4: 20 of 6 attempts a run). A page whose own time ran
 * out waiting for its token failed on the token endpoint too: its error's `cause` is the token's.
 * Not a token request that never started (no attempt): the page's own retries took its time, the
 * token endpoint was never asked, and an hour read alone has the time again.
 */
const outageOfRead = (error: unknown): boolean =>
  error instanceof DomoUnavailableError &&
  error.lastStatus !== 429 &&
  ![...causeChain(error)].some(
    (cause) => cause instanceof DomoUnavailableError && cause.request === TOKEN_REQUEST && cause.attempts > 0,
  );

/** `span` as spans of one hour each. */
const singleHours = (span: Span): Span[] =>
  Array.from({ length: spanHours(span) }, (_, i) => ({
    startMs: span.startMs + i * HOUR_MS,
    endMs: span.startMs + (i + 1) * HOUR_MS,
  }));

/** The first hour of `span` not in `stored` (the span's end when all are). */
function firstHourNotStored(span: Span, stored: ReadonlySet<number>): number {
  let ms = span.startMs;
  while (ms < span.endMs && stored.has(ms)) ms += HOUR_MS;
  return ms;
}

/**
 * A failed later pull's error, said as one: the hour is a day or more behind the watermark and its
 * earlier pulls stand, so the failure names what failed and whether a later run tries it again.
 */
function laterPullFailure(outcome: LaterPullFailure | undefined, error: unknown): unknown {
  if (outcome === undefined) return error;
  if ('uncounted' in outcome) {
    const what =
      "the later pull of this hour failed while the run's other pulls failed too: taken for an outage, which counts as no try; the next run tries it again (what its earlier pulls stored stands)";
    return new Error(`${what}: ${errorMessage(error)}`, { cause: error });
  }
  if ('alone' in outcome) {
    const what = `the later pull of these ${outcome.alone} hours, read as one, failed, and the next runs pull each alone to find the one that fails (what their earlier pulls stored stands)`;
    return new Error(`${what}: ${errorMessage(error)}`, { cause: error });
  }
  const what = outcome.givenUp
    ? `and is not tried again after ${outcome.tries} tries (what its earlier pulls stored stands; a range re-pull of the hour tries it again)`
    : `and the next run tries it again (try ${outcome.tries} of ${LATER_PULL_TRIES}; what its earlier pulls stored stands)`;
  const message = `the later pull of this hour failed, ${what}: ${errorMessage(error)}`;
  return outcome.givenUp
    ? new LaterPullGivenUpError(message, { cause: error })
    : new Error(message, { cause: error });
}

/**
 * What a failed span stops: new spans, and with a configuration error (which would fail every
 * span the same way) the ones in flight too. A later pull's own failure stops only the later
 * pulls not started yet, and returns what it did to the hour (one more try, or given up).
 */
function stopOnFailure(
  stop: RunStop,
  error: unknown,
  later: LaterPullTracker | undefined,
  span: Span,
  failedMs: number,
): LaterPullFailure | undefined {
  const configuration = error instanceof DomoConfigError;
  const laterPull = later !== undefined;
  const outcome = later?.fail(configuration ? undefined : failedMs, span.endMs);
  if (!laterPull || configuration) stop.stop('fatal-error', configuration ? error : undefined);
  return outcome;
}

/**
 * The caller's interrupt stops the run at once: no new hour starts and the hours in flight are
 * aborted, while what is stored is accounted for as after a time-budget stop. Returns the function
 * that stops listening.
 */
function onInterrupt(signal: AbortSignal | undefined, stop: RunStop): () => void {
  if (!signal) return () => {};
  const interrupt = () => stop.stop('interrupted', new RunInterrupted());
  if (signal.aborted) interrupt();
  else signal.addEventListener('abort', interrupt, { once: true });
  return () => signal.removeEventListener('abort', interrupt);
}

/**
 * No new hour starts once less than `marginMs` is left; hours in flight are aborted, and no
 * further hour of a span stored, when half of that (at most HARD_STOP_MS) is gone, so a Domo
 * outage with long Retry-After waits cannot carry a run past its deadline and lose the summary.
 */
function guardBudget(
  deadline: Deadline,
  marginMs: number,
  stop: RunStop,
  recorder: RunRecorder,
  sealReserveMs: () => number,
) {
  // Both thresholds keep the seal's re-read its time on top, once the run knows it (its opening).
  const hardStopMs = () => hardStopFor(marginMs) + sealReserveMs();
  const unwatch = deadline.watch(hardStopMs, () => stop.stop('time-budget', new TimeBudgetSpent()));
  // Before each hour is stored: the watch looks only every so often, and a span storing hour
  // after hour must not start one past the hard stop while the watch waits for its turn. Only
  // this span stops here; the watch aborts the rest (an hour already writing ends as it would).
  const checkTime = (): void => {
    if (deadline.hasAtLeast(hardStopMs())) return;
    stop.stop('time-budget');
    throw new TimeBudgetSpent();
  };
  const shouldStop = (): boolean => {
    if (stop.reason === null && !deadline.hasAtLeast(marginMs + sealReserveMs())) {
      stop.stop('time-budget');
      recorder.budgetLow(deadline.timeLeftMs());
    }
    return stop.reason !== null;
  };
  return { shouldStop, checkTime, unwatch };
}
