import { randomBytes } from 'node:crypto';
import { compileCategoryRules } from '../domo/category-rules.ts';
import { DomoConfigError } from '../domo/errors.ts';
import { advanceCheckpoint, readCheckpoint } from '../lake/checkpoint.ts';
import { HOUR_MS } from '../lake/layout.ts';
import { validateIngestConfig } from './ingest-config.ts';
import type { IngestConfig, IngestDeps, IngestOptions, IngestSummary } from './ingest-types.ts';
import { ingestWindow, type WindowResult } from './ingest-window.ts';
import { hourWindows, planFromCheckpoint, validateRange, windowCount } from './window-plan.ts';

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
    watermarkAfterMs: watermarkMs,
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

  // Hours at or after the watermark that finished out of order, waiting for the gap below them.
  const finishedAhead = new Set<number>();
  let checkpointWrites = Promise.resolve();
  const nowIso = new Date(startedMs).toISOString();
  const abort = new AbortController();
  const windows = hourWindows(firstMs, endMs);

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
    // Writes are chained so they land in order; each is conditional, so a concurrent run cannot be overtaken.
    checkpointWrites = checkpointWrites.then(async () => {
      const stored = await advanceCheckpoint(
        store,
        config.instance,
        { watermarkMs: target, runId, codeVersion: config.codeVersion, now: clock.now() },
        checkpointRead,
      );
      checkpointRead = undefined;
      summary.watermarkAfterMs = stored.watermark_ms;
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
        const message = error instanceof Error ? error.message : String(error);
        summary.windowsFailed++;
        summary.failures.push({ windowStartMs, message });
        metrics.count('WindowsFailed', 1);
        log.error('window failed', { window: new Date(windowStartMs).toISOString(), error: message });
        if (!summary.stoppedEarly) summary.stoppedEarly = 'fatal-error';
        // A configuration error will fail every window the same way: stop the ones in flight too.
        if (error instanceof DomoConfigError) abort.abort(error);
      }
    }
  };

  await Promise.all(
    Array.from({ length: Math.min(config.concurrency, Math.max(1, summary.windowsPlanned)) }, worker),
  );
  await checkpointWrites;

  if (summary.mode === 'checkpoint' && summary.watermarkAfterMs !== null) {
    summary.behindByMs = Math.max(0, clock.now() - summary.watermarkAfterMs);
  }
  if (summary.stoppedEarly === null && summary.windowsDone + summary.windowsFailed < summary.windowsPlanned) {
    summary.stoppedEarly = 'time-budget';
  }
  log.info('ingest run finished', { ...summary, failures: summary.failures.length });
  return summary;
}
