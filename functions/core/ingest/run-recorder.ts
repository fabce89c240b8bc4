import type { AuditSource, AuditSourceStats } from '../domo/audit-source.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { errorMessage } from '../error-message.ts';
import type { CheckpointBehindPlanError, CheckpointResetError } from '../lake/checkpoint.ts';
import type { LeftUnsealed } from '../lake/digest-recorder.ts';
import type { GeoLookup, Log, MetricSink } from '../ports.ts';
import { HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { runsLeftEstimate } from './catch-up-pace.ts';
import type { DigestRestartOutcome } from './digest-restart.ts';
import { DriftTally } from './drift-signals.ts';
import { INGEST_METRICS } from './ingest-metrics.ts';
import type { IngestConfig, IngestProgress, IngestProgressOutcome, IngestSummary } from './ingest-types.ts';
import type { WindowResult } from './ingest-window.ts';
import { LaterPullGivenUpError, type LaterPullTracker } from './later-pulls.ts';
import { asRangeRunFailure } from './next-run-retries.ts';
import type { RunPlan } from './run-plan.ts';
import { WatermarkTracker } from './watermark-tracker.ts';
import { windowCount } from './window-plan.ts';

/**
 * Where a run that made no progress sends the reader for why: the retries and their reasons are
 * logged (`Domo request will be retried`). The CLI, which prints no log unless asked, says how.
 */
export const NO_PROGRESS_LOGS =
  "see the run's log for each request and its answer (its `Domo request will be retried` lines) and the ApiRetries metric";

/** A Retry-After this long or longer is named as the cause: no pace of this client shortens it. */
const LONG_RETRY_AFTER_MS = MINUTE_MS;

interface RecorderDeps {
  log: Log;
  metrics: MetricSink;
  onProgress?: (progress: IngestProgress) => void;
  /** The run's geo lookup, or why it has none (see IngestDeps.geoUnavailable). */
  geo?: GeoLookup;
  geoUnavailable?: string;
  /** The run's Domo client: the requests it made, and how its retries went (see noProgress). */
  source?: Pick<AuditSource, 'stats'>;
  /** Told the run's notes of a change in Domo's answers as it ends (IngestDeps.onShapeChange). */
  onShapeChange?: (note: string) => void;
}

/** The later pulls of a plan, for the log line that says what the run plans: none, nothing. */
function laterPullsLogged(later: LaterPullTracker): { laterFrom?: string; laterTo?: string; later?: number } {
  const ranges = later.ranges();
  const first = ranges[0];
  const last = ranges.at(-1);
  if (!first || !last) return {};
  return {
    laterFrom: new Date(first[0]).toISOString(),
    laterTo: new Date(last[1]).toISOString(),
    later: later.planned,
  };
}

/**
 * The run's account of itself: the summary it returns, the metrics it counts and the log lines it
 * writes, kept in one place so the three always agree.
 */
export class RunRecorder {
  readonly summary: IngestSummary;
  /** Pages and requests of every pull, finished or not (the summary counts finished hours only). */
  private readonly traffic = { pages: 0, requests: 0 };
  /** The client's own count when the run started: requests made by the run are counted from it. */
  private readonly sourceAtStart: AuditSourceStats | undefined;
  /** Where the unbroken stretch of hours this run stored, from its first hour on, ends (progress). */
  private readonly stored: WatermarkTracker;
  private readonly drift: DriftTally;
  /** A person deleted or moved back the checkpoint during the run: the run left it so. */
  private checkpointWasReset = false;
  /** Later hours a failed later pull left unstarted (see laterPullsLeft). */
  private laterUnstarted = 0;
  /** The run's other hours (not later pulls) done or failed so far. */
  private othersSettled = 0;

  constructor(
    private readonly deps: RecorderDeps,
    private readonly config: IngestConfig,
    runId: string,
    private readonly plan: RunPlan,
    private readonly later: LaterPullTracker,
  ) {
    const watermark = plan.checkpoint ? plan.checkpoint.checkpoint.watermark_ms : null;
    this.sourceAtStart = deps.source?.stats?.();
    this.stored = new WatermarkTracker(plan.firstMs);
    this.drift = new DriftTally(deps.metrics);
    this.summary = {
      instance: config.instance,
      ...(config.domoCustomer === undefined ? {} : { domoCustomer: config.domoCustomer }),
      runId,
      mode: plan.mode,
      settleMinutes: config.settleMinutes,
      lookbackHours: config.lookbackHours,
      repullAfterHours: config.repullAfterHours,
      // The later pulls count as hours of the run: one the budget leaves unstarted is reported.
      windowsPlanned: windowCount(plan.firstMs, plan.endMs) + later.planned,
      windowsDone: 0,
      windowsFailed: 0,
      eventsWritten: 0,
      lateEvents: 0,
      lateByAtLeastMs: null,
      eventsUnplaced: 0,
      // A lookup given wins over a reason for not having one.
      geoUnavailable: deps.geo === undefined ? (deps.geoUnavailable ?? null) : null,
      unplacedRange: null,
      quarantined: 0,
      outOfWindow: 0,
      eventsStored: 0,
      requests: 0,
      spans: 0,
      watermarkBeforeMs: watermark,
      watermarkAfterMs: watermark,
      ...(plan.mode === 'checkpoint' && watermark === null ? { backfillFromMs: plan.firstMs } : {}),
      retryFromBeforeMs: plan.checkpoint?.checkpoint.retry_from_ms ?? null,
      behindByMs: null,
      resumeFrom: null,
      watermarkHeld: null,
      passedBy: null,
      stoppedEarly: null,
      laterPulls: null,
      outcome: 'complete',
      failures: [],
      otherRuns: [],
    };
    deps.log.info('ingest run planned', {
      instance: config.instance,
      runId,
      mode: plan.mode,
      from: new Date(plan.firstMs).toISOString(),
      to: new Date(plan.endMs).toISOString(),
      windows: this.summary.windowsPlanned,
      ...laterPullsLogged(later),
    });
  }

  /** A page of Domo customer `customer` passed the binding's checks: the run read its activity. */
  customerRead(customer: string): void {
    this.summary.domoCustomer = customer;
  }

  windowDone(result: WindowResult): void {
    const { summary } = this;
    const { metrics } = this.deps;
    summary.windowsDone++;
    if (!this.later.has(result.windowStartMs)) this.othersSettled++;
    this.stored.complete(result.windowStartMs);
    summary.eventsWritten += result.eventsAdded;
    summary.lateEvents += result.lateEvents;
    if (result.lateByAtLeastMs !== null)
      summary.lateByAtLeastMs = Math.max(summary.lateByAtLeastMs ?? 0, result.lateByAtLeastMs);
    summary.quarantined += result.quarantinedAdded;
    summary.outOfWindow += result.outOfRange;
    summary.eventsStored += result.eventCount;
    summary.requests += result.requests;
    metrics.count(INGEST_METRICS.windowsCompleted, 1);
    metrics.count(INGEST_METRICS.eventsWritten, result.eventsAdded);
    metrics.count(INGEST_METRICS.lateEvents, result.lateEvents);
    metrics.count(INGEST_METRICS.quarantined, result.quarantinedAdded);
    metrics.count(INGEST_METRICS.outOfWindow, result.outOfRange);
    metrics.count(INGEST_METRICS.apiRequests, result.requests);
    this.drift.hourDone(result);
    if (summary.geoUnavailable !== null) this.unplaced(result);
    if (result.outOfRange > 0) {
      this.deps.log.warn('Domo returned entries outside the requested window; they were quarantined', {
        window: new Date(result.windowStartMs).toISOString(),
        count: result.outOfRange,
        docTimeZone: this.config.docTimeZone,
      });
    }
    this.deps.onProgress?.({
      windowsDone: summary.windowsDone,
      windowsPlanned: summary.windowsPlanned,
      eventsWritten: summary.eventsWritten,
      storedBeforeMs: this.stored.currentMs ?? this.plan.firstMs,
    });
  }

  /** Puts the run's drift totals in its summary, and tells them (DriftTally). */
  private driftSaid(): void {
    const { summary } = this;
    for (const note of this.drift.finish(summary)) {
      this.deps.log.warn(note, { instance: summary.instance, runId: summary.runId });
      this.deps.onShapeChange?.(note);
    }
  }

  /** Counts the events of a stored hour that the missing geo database left without geo columns. */
  private unplaced(result: WindowResult): void {
    const { summary } = this;
    this.deps.metrics.count(INGEST_METRICS.eventsUnplaced, result.unplaced);
    if (result.unplaced === 0) return;
    summary.eventsUnplaced += result.unplaced;
    const endMs = result.windowStartMs + HOUR_MS;
    const range = summary.unplacedRange;
    summary.unplacedRange = {
      fromMs: Math.min(range?.fromMs ?? result.windowStartMs, result.windowStartMs),
      toMs: Math.max(range?.toMs ?? endMs, endMs),
    };
  }

  /** The hour starting at `windowStartMs` failed, and with it `hours - 1` more of its span. */
  windowFailed(windowStartMs: number, error: unknown, hours = 1): void {
    const said = errorMessage(error);
    const message = this.summary.mode === 'range' ? asRangeRunFailure(said) : said;
    this.summary.windowsFailed += hours;
    if (!this.later.has(windowStartMs)) this.othersSettled += hours;
    const configuration = error instanceof DomoConfigError ? { configuration: true as const } : {};
    const givenUp = error instanceof LaterPullGivenUpError ? { laterPullGivenUp: true as const } : {};
    this.summary.failures.push({ windowStartMs, message, ...configuration, ...givenUp });
    this.deps.metrics.count(INGEST_METRICS.windowsFailed, hours);
    // The hours too: a span's failure names its first hour not stored, and fails the rest with it.
    this.deps.log.error('window failed', {
      window: new Date(windowStartMs).toISOString(),
      hours,
      error: message,
    });
  }

  checkpointFailed(targetMs: number, windowStartMs: number, error: unknown): void {
    const message = errorMessage(error);
    this.summary.failures.push({ windowStartMs, message: `the checkpoint could not be saved: ${message}` });
    this.deps.log.error('checkpoint not saved', {
      watermark: new Date(targetMs).toISOString(),
      error: message,
    });
  }

  /** The checkpoint was deleted or moved back during the run; the run writes it no more. */
  checkpointReset(reset: CheckpointResetError): void {
    this.checkpointWasReset = true;
    this.deps.log.warn(
      'the checkpoint was reset during the run (deleted or moved back, by a person or a restore) and is left as reset: this run does not write it, and the next run starts from it',
      {
        checkpoint: reset.key,
        watermarkRead: reset.read.checkpoint.watermark,
        watermarkNow: reset.current?.checkpoint.watermark ?? null,
      },
    );
  }

  /**
   * The watermark another run left before this run's first hour was kept (see
   * CheckpointBehindPlanError): said once, recorded as it last stood.
   */
  checkpointBehindPlan(held: CheckpointBehindPlanError): void {
    const first = this.summary.watermarkHeld === null;
    this.summary.watermarkHeld = {
      atMs: held.current.checkpoint.watermark_ms,
      runId: held.current.checkpoint.run_id,
      planFromMs: held.planFromMs,
    };
    if (first) this.deps.log.warn(held.message, { checkpoint: held.key });
  }

  /**
   * An hour of `span` held more than its share of the memory (`shareChars`, after `pagesRead`
   * pages): the span's hours not stored are read again alone, allowed `maxHeldChars`, once the
   * reads in flight have ended. The read's own error is not logged: it says that nothing of the
   * hour is written and that every run fails it until given more memory, which the read alone
   * belies (review R-MEM2 L1); a failure then is logged with its own.
   */
  readAlone(
    span: { startMs: number; endMs: number },
    limits: { shareChars: number; maxHeldChars: number },
    pagesRead: number,
  ): void {
    this.deps.log.warn(
      'an hour held more than its share of memory: read again alone once the reads in flight end',
      {
        from: new Date(span.startMs).toISOString(),
        to: new Date(span.endMs).toISOString(),
        shareMiB: Number((limits.shareChars / (1024 * 1024)).toFixed(1)),
        pagesRead,
        maxHeldMiB: Number((limits.maxHeldChars / (1024 * 1024)).toFixed(1)),
      },
    );
  }

  /**
   * The run stopped before the hours of `span` announced by {@link readAlone} were read again: they
   * are left for the next run (review R-MEM2 L2: the warning promised a read that never came).
   */
  notReadAlone(span: { startMs: number; endMs: number }, reason: string): void {
    this.deps.log.info('not read again alone: the run stopped first, the next run reads it', {
      from: new Date(span.startMs).toISOString(),
      to: new Date(span.endMs).toISOString(),
      stoppedBy: reason,
    });
  }

  /**
   * A read of `span` passed its share of the memory with the run's read room to itself: it goes on,
   * allowed `maxHeldChars`, the spans after it waiting until it ends.
   */
  readWidened(span: { startMs: number; endMs: number }, maxHeldChars: number): void {
    this.deps.log.info('an hour held more than its share of memory: read on alone, the other reads waiting', {
      from: new Date(span.startMs).toISOString(),
      to: new Date(span.endMs).toISOString(),
      maxHeldMiB: Number((maxHeldChars / (1024 * 1024)).toFixed(1)),
    });
  }

  /** A span's first page is about to be asked for. */
  spanStarted(): void {
    this.summary.spans++;
  }

  /** Whether Domo served the run a page yet (any of its reads, finished or not). */
  domoAnswered(): boolean {
    return this.traffic.pages > 0;
  }

  /**
   * Domo gave up on a read of `span` (5xx, timeouts): its `hours` not stored are read again hour by
   * hour, so that one hour Domo does not answer fails alone (run-ingest.ts, pullHourByHour).
   */
  readHourByHour(span: { startMs: number; endMs: number }, hours: number, error: unknown): void {
    this.deps.log.warn('Domo gave up on a span of hours: its hours not stored are read again hour by hour', {
      from: new Date(span.startMs).toISOString(),
      to: new Date(span.endMs).toISOString(),
      hours,
      error: errorMessage(error),
    });
  }

  /** The source, counting every page it serves to this run. */
  counted(source: AuditSource): AuditSource {
    return {
      fetchPage: async (query, signal, priority) => {
        const page = await source.fetchPage(query, signal, priority);
        this.traffic.pages++;
        this.traffic.requests += page.requests;
        return page;
      },
    };
  }

  /** The run's last digest (functions/core/lake/digest-recorder.ts) could not be written. */
  digestFailed(windowStartMs: number, error: unknown): void {
    const message = errorMessage(error);
    this.summary.failures.push({ windowStartMs, message: `the digest could not be written: ${message}` });
  }

  /**
   * The run's last digest was left unsealed: the re-read before the seal ran out of time or failed
   * (see LeftUnsealed in functions/core/lake/digest-recorder.ts). A failure, so it is not silent:
   * every later run may end the same way, and then no run seals the chain again.
   */
  chainLeftUnsealed(windowStartMs: number, unsealed: LeftUnsealed): void {
    this.summary.failures.push({ windowStartMs, message: unsealed.message });
    this.deps.log.error('digest chain left unsealed', { reason: unsealed.reason, error: unsealed.message });
  }

  /**
   * `hours` later hours were not started because a later pull failed: the next runs pull them, and
   * the run did not stop for its time.
   */
  laterPullsLeft(hours: number): void {
    this.laterUnstarted += hours;
  }

  /** The run's seal closed runs left open at the chain's head: said, as a dead run is news. */
  private closedRuns(runs: NonNullable<IngestSummary['closedRuns']>): void {
    this.summary.closedRuns = runs.map((run) => ({ ...run }));
    this.deps.log.info('sealed the digest chain other runs left open', {
      closedRuns: this.summary.closedRuns,
    });
  }

  /**
   * What the run did with the restart of the digest chain it was told to make, in the summary and
   * the log: the operator who asked reads there whether it happened.
   */
  private restartSaid(outcome: DigestRestartOutcome): void {
    this.summary.digestRestart = outcome;
    const said = {
      restarted: 'began the digest chain anew, as asked: its genesis digest records the restart',
      'chain-exists': 'was told to restart the digest chain, which is there: refused, nothing written',
      'not-begun': 'was told to restart the digest chain, and wrote no digest: no chain was begun',
    } as const;
    const log = outcome === 'restarted' ? this.deps.log.info : this.deps.log.warn;
    log.call(this.deps.log, `the run ${said[outcome]}`, { digestRestart: outcome });
  }

  budgetLow(remainingMs: number): void {
    this.deps.log.info('time budget low: no new windows this run', { remainingMs });
  }

  /** Completes the summary once every window and checkpoint write has settled, and logs it. */
  finish(end: {
    stoppedEarly: IngestSummary['stoppedEarly'];
    savedWatermarkMs: number | null;
    plannedWatermarkMs: number | null;
    nowMs: number;
    otherRuns: string[];
    digestHead?: number | undefined;
    closedRuns?: IngestSummary['closedRuns'];
    passedBy: IngestSummary['passedBy'];
    digestRestart?: IngestSummary['digestRestart'];
  }): IngestSummary {
    const { summary } = this;
    if (end.digestRestart !== undefined) this.restartSaid(end.digestRestart);
    summary.watermarkAfterMs = end.savedWatermarkMs;
    // After a reset, the watermark is the one the reset left (none, if it was deleted).
    const lakeWatermarkMs = this.checkpointWasReset
      ? end.savedWatermarkMs
      : (end.savedWatermarkMs ?? end.plannedWatermarkMs);
    if (summary.mode === 'checkpoint' && lakeWatermarkMs !== null) {
      summary.behindByMs = Math.max(0, end.nowMs - lakeWatermarkMs);
    }
    summary.stoppedEarly = end.stoppedEarly;
    const runsLeft = runsLeftEstimate(summary);
    if (runsLeft !== undefined) summary.runsLeftEstimate = runsLeft;
    summary.resumeFrom = this.resumeFrom();
    summary.otherRuns = end.otherRuns;
    this.driftSaid();
    if (end.digestHead !== undefined) summary.digestHead = end.digestHead;
    if (end.closedRuns && end.closedRuns.length > 0) this.closedRuns(end.closedRuns);
    if (summary.otherRuns.length > 0) {
      this.deps.log.info('other runs of this instance wrote to the lake while this one ran', {
        otherRuns: summary.otherRuns,
      });
    }
    if (
      summary.stoppedEarly === null &&
      summary.windowsDone + summary.windowsFailed + this.laterUnstarted < summary.windowsPlanned
    ) {
      summary.stoppedEarly = 'time-budget';
    }
    summary.laterPulls = this.laterPullsAtEnd(end.savedWatermarkMs, end.nowMs);
    summary.watermarkHeld = this.heldAtEnd(end.savedWatermarkMs);
    summary.passedBy = end.passedBy;
    if (end.passedBy) this.passedWarning(end.passedBy);
    summary.outcome = this.outcomeOf(end.savedWatermarkMs);
    if (summary.outcome === 'no-progress') this.noProgress();
    if (summary.eventsUnplaced > 0) this.unplacedWarning();
    this.deps.log.info('ingest run finished', { ...summary, failures: summary.failures.length });
    return summary;
  }

  /**
   * The run's later pulls as it ends (null in range mode), counted in the metrics, and the hours
   * still due logged when some are already due (a run with the setting 0 keeps them).
   */
  private laterPullsAtEnd(savedWatermarkMs: number | null, nowMs: number): IngestSummary['laterPulls'] {
    if (this.plan.mode !== 'checkpoint') return null;
    const { done, failed, givenUp } = this.later.outcome;
    const { metrics, log } = this.deps;
    metrics.count(INGEST_METRICS.laterPullsDone, done);
    metrics.count(INGEST_METRICS.laterPullsGivenUp, givenUp);
    const dueFromMs = savedWatermarkMs === null ? undefined : this.later.overdueFrom(savedWatermarkMs, nowMs);
    if (dueFromMs !== undefined) {
      const why =
        this.config.repullAfterHours === 0
          ? 'later pulls still due are kept for a run with the later pull on (this one has it off)'
          : 'later pulls still due: the next run with a new hour pulls them';
      log.info(why, { dueFrom: new Date(dueFromMs).toISOString() });
    }
    const left = this.later.planned - done - givenUp;
    const onlyLaterLeft = this.othersSettled >= this.summary.windowsPlanned - this.later.planned;
    return {
      planned: this.later.planned,
      done,
      failed,
      givenUp,
      left,
      dueFromMs: dueFromMs ?? null,
      onlyLaterLeft,
    };
  }

  /** Range mode: the first hour of the range not stored with every hour before it, if any. */
  private resumeFrom(): string | null {
    const storedBeforeMs = this.stored.currentMs ?? this.plan.firstMs;
    if (this.plan.mode !== 'range' || storedBeforeMs >= this.plan.endMs) return null;
    return new Date(storedBeforeMs).toISOString();
  }

  /**
   * A run that was behind (hours after the watermark to pull; any hour at all in range mode) and
   * moved the lake forward by nothing made no progress, whatever stopped it but an interrupt.
   */
  private outcomeOf(savedWatermarkMs: number | null): IngestProgressOutcome {
    const { summary, plan } = this;
    if (summary.failures.length > 0) return 'failed';
    // Stopped on purpose by the caller: however little it saved, that is no sign of trouble.
    if (summary.stoppedEarly === 'interrupted') return 'partial';
    // Held by another run's watermark, kept so that no hour is skipped: the next run continues.
    if (summary.watermarkHeld !== null) return 'partial';
    const behind =
      plan.mode === 'range'
        ? summary.windowsPlanned > 0
        : plan.watermarkMs !== null && plan.watermarkMs < plan.endMs;
    // After a reset the watermark says nothing of this run: the hours it stored are its progress.
    const moved =
      plan.mode === 'range' || this.checkpointWasReset
        ? summary.windowsDone > 0
        : savedWatermarkMs !== null && plan.watermarkMs !== null && savedWatermarkMs > plan.watermarkMs;
    if (behind && !moved) return 'no-progress';
    return summary.stoppedEarly === null ? 'complete' : 'partial';
  }

  /**
   * The other run's watermark the run ends held by, if it does: the last advance it was refused
   * left the checkpoint there, unless that run has since passed this one's first hour (and this
   * run's advance after it was saved).
   */
  private heldAtEnd(savedWatermarkMs: number | null): IngestSummary['watermarkHeld'] {
    const held = this.summary.watermarkHeld;
    if (held === null || savedWatermarkMs === null || savedWatermarkMs < held.planFromMs) return held;
    return null;
  }

  /** Another run's watermark passed hours this run had not finished (see IngestSummary.passedBy). */
  private passedWarning(passed: NonNullable<IngestSummary['passedBy']>): void {
    this.deps.log.warn(
      'another run moved the watermark past hours this run had not finished: the checkpoint keeps the first of them as retry_from_ms, and the next run pulls again from it',
      {
        watermark: new Date(passed.watermarkMs).toISOString(),
        watermarkRunId: passed.runId,
        retryFrom: new Date(passed.retryFromMs).toISOString(),
      },
    );
  }

  /** The run stored events the place checks cannot judge: why, and what fills their geo columns. */
  private unplacedWarning(): void {
    const { summary } = this;
    const range = summary.unplacedRange;
    this.deps.log.warn(
      'events stored without geo columns: the geo database is unavailable, so the country and network checks cannot judge them',
      {
        eventsUnplaced: summary.eventsUnplaced,
        reason: summary.geoUnavailable,
        from: range ? new Date(range.fromMs).toISOString() : null,
        to: range ? new Date(range.toMs).toISOString() : null,
        fix: 'make the geo database loadable (redeploy, or check its path), then enrich these hours',
      },
    );
  }

  private noProgress(): void {
    const { summary, plan, traffic } = this;
    const firstMs = plan.mode === 'range' ? plan.firstMs : (plan.watermarkMs ?? plan.firstMs);
    const from = new Date(firstMs).toISOString();
    const reason = summary.stoppedEarly ?? 'no reason';
    // Hours saved without moving the watermark (checkpoint mode only): an unfinished hour holds it.
    const what =
      summary.windowsDone === 0
        ? `the run saved no hour from ${from} on before it stopped (${reason})`
        : `the run stopped (${reason}) with the watermark still at ${from}: it saved ${summary.windowsDone} hour(s), but an hour it did not finish holds the watermark (the one at ${from}, or a lookback hour the next run must pull again)`;
    const message = `no progress: the lake is behind, yet ${what}; ${this.trafficSaid()}. ${this.noProgressCause()}: ${NO_PROGRESS_LOGS}`;
    summary.failures.push({ windowStartMs: firstMs, message });
    this.deps.metrics.count(INGEST_METRICS.runsWithoutProgress, 1);
    this.deps.log.error('ingest run made no progress', {
      window: new Date(firstMs).toISOString(),
      pages: traffic.pages,
      requests: this.requestsMade() ?? traffic.requests,
    });
  }

  /** Requests the run's client made during the run, when it counts them (see AuditSource.stats). */
  private requestsMade(): number | undefined {
    const now = this.deps.source?.stats?.();
    if (now === undefined || this.sourceAtStart === undefined) return undefined;
    return now.requests - this.sourceAtStart.requests;
  }

  /**
   * The pages Domo served, and the requests the run made for them: the client's own count (the
   * CLI's "Domo requests" line) when it keeps one (review R-ONCALL M3: "0 request(s)" after 5),
   * else only those that brought a page.
   */
  private trafficSaid(): string {
    const { pages, requests } = this.traffic;
    const made = this.requestsMade();
    if (made !== undefined)
      return `Domo served ${pages} page(s) meanwhile, in the ${made} request(s) the run made (retries and token requests included)`;
    return `Domo served ${pages} page(s) meanwhile (in ${requests} request(s); requests that brought no page, failed or cut short by the stop, are not counted)`;
  }

  /**
   * Why, when the client knows: every retry followed a 429 asking for a long wait (no pace of
   * this client shortens it). Else the causes that fit a run with no hour finished.
   */
  private noProgressCause(): string {
    const now = this.deps.source?.stats?.();
    const start = this.sourceAtStart;
    const retries = now && start ? now.retries - start.retries : 0;
    const throttled = now && start ? (now.throttledRetries ?? 0) - (start.throttledRetries ?? 0) : 0;
    const askedMs = now?.lastRetry?.retryAfterMs ?? 0;
    if (retries > 0 && throttled === retries && askedMs >= LONG_RETRY_AFTER_MS)
      return `Every answer retried was a 429 (Domo throttling this client), the last asking to wait ${Math.ceil(askedMs / 1000).toLocaleString('en-US')} s (Retry-After): the runs after get through once Domo lets them; if every run ends like this for long, ask Domo about the limit`;
    return 'If every run ends like this, Domo answers too slowly, throttles this client or never ends its pages for that hour';
  }
}
