import { randomBytes } from 'node:crypto';
import { compileCategoryRules } from '../domo/category-rules.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { advanceStoredCheckpoint, readCheckpoint } from '../lake/checkpoint.ts';
import { HOUR_MS } from '../lake/layout.ts';
import { validateIngestConfig } from './ingest-config.ts';
import type { IngestConfig, IngestDeps, IngestOptions, IngestSummary } from './ingest-types.ts';
import { ingestWindow, type WindowResult } from './ingest-window.ts';
import { hourWindows, planFromCheckpoint, validateRange, windowCount } from './window-plan.ts';

/** Remaining time under which windows in flight are aborted (at most a quarter of the margin). */
const HARD_STOP_MS = 15_000;
const WATCHDOG_INTERVAL_MS = 1_000;

/** The reason windows in flight are aborted when the invocation's time is nearly spent. */
class TimeBudgetSpent extends Error {
  constructor() {
    super('the time budget of this run is spent');
    this.name = 'TimeBudgetSpent';
  }
}

/** A run id that sorts by time and is unique across concurrent runs. */
export const newRunId = (nowMs: number): string =>
  `${new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

/**
 * One ingest run for one instance. In checkpoint mode (the schedule) it pulls the lookback hours and
 * every closed hour after the watermark, `concurrency` at a time, and moves the watermark forward
 * only over an unbroken run of completed hours. In range mode (`ingest --from --to`) it pulls exactly
 * the given hours and leaves the checkpoint alone.
 *
 * It stops starting windows when the time budget runs low, on the first window that fails, or at
 * once on a configuration error; finished windows are durable either way and the next run continues.
 */
export async function runIngest(
  deps: IngestDeps,
  rawConfig: IngestConfig,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const config = validateIngestConfig(rawConfig);
  const { clock, log, metrics, store } = deps;
  const startedMs = clock.now();
  const runId = options.runId ?? newRunId(startedMs);
  const categorize = compileCategoryRules(config.categoryRules);

  let firstMs: number;
  let endMs: number;
  let watermarkMs: number | null = null;
  let checkpointRead: Awaited<ReturnType<typeof readCheckpoint>>;
  if (options.range) {
    validateRange(options.range.fromMs, options.range.toMs, startedMs, config.settleMinutes);
    firstMs = options.range.fromMs;
    endMs = options.range.toMs;
  } else {
    checkpointRead = await readCheckpoint(store, config.instance);
    const plan = planFromCheckpoint(
      checkpointRead?.checkpoint.watermark_ms,
      startedMs,
      config.settleMinutes,
      config.lookbackHours,
      config.backfillDays,
    );
    firstMs = plan.firstMs;
    endMs = plan.endMs;
    watermarkMs = plan.watermarkMs;
  }

  const summary: IngestSummary = {
    instance: config.instance,
    runId,
    mode: options.range ? 'range' : 'checkpoint',
    windowsPlanned: windowCount(firstMs, endMs),
    windowsDone: 0,
    windowsFailed: 0,
    eventsWritten: 0,
    lateEvents: 0,
    quarantined: 0,
    outOfWindow: 0,
    requests: 0,
    watermarkBeforeMs: checkpointRead ? checkpointRead.checkpoint.watermark_ms : null,
    watermarkAfterMs: checkpointRead ? checkpointRead.checkpoint.watermark_ms : null,
    behindByMs: null,
    stoppedEarly: null,
    failures: [],
  };
  log.info('ingest run planned', {
    instance: config.instance,
    runId,
    mode: summary.mode,
    from: new Date(firstMs).toISOString(),
    to: new Date(endMs).toISOString(),
    windows: summary.windowsPlanned,
  });

  const plannedWatermarkMs = watermarkMs;
  // Hours at or after the watermark that finished out of order, waiting for the gap below them.
  const finishedAhead = new Set<number>();
  let checkpointWrites = Promise.resolve();
  let checkpointFailed = false;
  const nowIso = new Date(startedMs).toISOString();
  const abort = new AbortController();
  const windows = hourWindows(firstMs, endMs);
  const stopAll = (reason: 'time-budget' | 'fatal-error', cause: unknown) => {
    summary.stoppedEarly ??= reason;
    if (!abort.signal.aborted) abort.abort(cause);
  };

  const record = (result: WindowResult) => {
    summary.windowsDone++;
    summary.eventsWritten += result.eventsAdded;
    summary.lateEvents += result.lateEvents;
    summary.quarantined += result.quarantinedAdded;
    summary.outOfWindow += result.outOfRange;
    summary.requests += result.requests;
    metrics.count('WindowsCompleted', 1);
    metrics.count('EventsWritten', result.eventsAdded);
    metrics.count('LateEvents', result.lateEvents);
    metrics.count('Quarantined', result.quarantinedAdded);
    metrics.count('OutOfWindow', result.outOfRange);
    metrics.count('ApiRequests', result.requests);
    if (result.outOfRange > 0) {
      log.warn('Domo returned entries outside the requested window; they were quarantined', {
        window: new Date(result.windowStartMs).toISOString(),
        count: result.outOfRange,
        docTimeZone: config.docTimeZone,
      });
    }
    if (watermarkMs === null || result.windowStartMs < watermarkMs) return;
    finishedAhead.add(result.windowStartMs);
    const before = watermarkMs;
    while (finishedAhead.delete(watermarkMs)) watermarkMs += HOUR_MS;
    if (watermarkMs === before) return;
    const target = watermarkMs;
    // Writes are chained so they land in order; each is conditional, so a concurrent run cannot be
    // overtaken. A failed write stops the run (reported, never an unhandled rejection): the hours
    // it could not record are stored and are pulled again, without duplicates, next time.
    checkpointWrites = checkpointWrites
      .then(async () => {
        if (checkpointFailed) return;
        checkpointRead = await advanceStoredCheckpoint(
          store,
          config.instance,
          { watermarkMs: target, runId, codeVersion: config.codeVersion, now: clock.now() },
          checkpointRead,
        );
        summary.watermarkAfterMs = checkpointRead.checkpoint.watermark_ms;
      })
      .catch((error: unknown) => {
        checkpointFailed = true;
        const message = error instanceof Error ? error.message : String(error);
        summary.failures.push({
          windowStartMs: target - HOUR_MS,
          message: `the checkpoint could not be saved: ${message}`,
        });
        log.error('checkpoint not saved', { watermark: new Date(target).toISOString(), error: message });
        stopAll('fatal-error', error);
      });
  };

  const shouldStop = (): boolean => {
    if (summary.stoppedEarly) return true;
    if (deps.remainingTimeMs && deps.remainingTimeMs() < config.budgetMarginMs) {
      summary.stoppedEarly = 'time-budget';
      log.info('time budget low: no new windows this run', { remainingMs: deps.remainingTimeMs() });
      return true;
    }
    return false;
  };

  // Windows already running are cut short too when the budget is nearly gone: a Domo outage with
  // long Retry-After waits must not carry a run past its deadline and lose the summary.
  const hardStopMs = Math.min(HARD_STOP_MS, config.budgetMarginMs / 4);
  const watchdog = deps.remainingTimeMs
    ? setInterval(() => {
        if ((deps.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY) < hardStopMs)
          stopAll('time-budget', new TimeBudgetSpent());
      }, WATCHDOG_INTERVAL_MS)
    : undefined;
  watchdog?.unref();

  const worker = async () => {
    while (!shouldStop()) {
      const next = windows.next();
      if (next.done) return;
      const windowStartMs = next.value;
      try {
        const result = await ingestWindow(
          { source: deps.source, store, config, categorize, runId, nowIso, signal: abort.signal },
          windowStartMs,
        );
        record(result);
        deps.onProgress?.({
          windowsDone: summary.windowsDone,
          windowsPlanned: summary.windowsPlanned,
          eventsWritten: summary.eventsWritten,
          currentWindowStartMs: windowStartMs,
        });
      } catch (error) {
        // Interrupted by the deadline: not a failure; the next run pulls the hour again.
        if (abort.signal.reason instanceof TimeBudgetSpent) continue;
        const message = error instanceof Error ? error.message : String(error);
        summary.windowsFailed++;
        summary.failures.push({ windowStartMs, message });
        metrics.count('WindowsFailed', 1);
        log.error('window failed', { window: new Date(windowStartMs).toISOString(), error: message });
        summary.stoppedEarly ??= 'fatal-error';
        // A configuration error will fail every window the same way: stop the ones in flight too.
        if (error instanceof DomoConfigError) stopAll('fatal-error', error);
      }
    }
  };

  try {
    await Promise.all(
      Array.from({ length: Math.min(config.concurrency, Math.max(1, summary.windowsPlanned)) }, worker),
    );
    await checkpointWrites;
  } finally {
    clearInterval(watchdog);
  }

  const lakeWatermarkMs = summary.watermarkAfterMs ?? plannedWatermarkMs;
  if (summary.mode === 'checkpoint' && lakeWatermarkMs !== null) {
    summary.behindByMs = Math.max(0, clock.now() - lakeWatermarkMs);
  }
  if (summary.stoppedEarly === null && summary.windowsDone + summary.windowsFailed < summary.windowsPlanned) {
    summary.stoppedEarly = 'time-budget';
  }
  log.info('ingest run finished', { ...summary, failures: summary.failures.length });
  return summary;
}
