import type { Deadline } from '../deadline.ts';
import { ReportTimeError, runThatSends } from './report-errors.ts';
import type { ReportRun } from './report-run.ts';

/** Keeps one report's queries within the caller's time; see {@link queryTimer}. */
export interface QueryTimer {
  /**
   * Runs one query, handing it the signal that aborts once the queries must stop; rejects instead
   * of starting it when they must already.
   */
  run<T>(name: string, query: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * Runs the queries, watching the time left while they run. When they fail, it waits for the
   * queries still running to be stopped before passing the failure on.
   */
  during<T>(queries: () => Promise<T>): Promise<T>;
}

export interface QueryTimerOptions {
  instance: string;
  isoWeek: string;
  /** The report is a preview ({@link ReportRun.preview}). */
  preview: boolean;
  deadline?: Deadline;
  /** What the caller needs after the queries. */
  reserveMs?: number;
  /** The run is a deliberate resend: running out of time then names the resend, not a plain run. */
  resend?: boolean;
}

/**
 * The time check of a report's queries. Each query may wait up to its limit (on Athena its share
 * of the function's time, at least two minutes: queryTimeLimitMs), and fourteen of them, four at a
 * time, plus a re-run, can take longer than the function has: so no query starts with less than `reserveMs` left, and the running ones are
 * aborted as soon as that much is left. The report then fails with a {@link ReportTimeError}
 * naming what was stopped, instead of the function being cut off mid-way.
 */
export function queryTimer(options: QueryTimerOptions): QueryTimer {
  const { instance, isoWeek, preview, deadline, resend = false } = options;
  const reserveMs = options.reserveMs ?? 0;
  const controller = new AbortController();
  const running: string[] = [];
  const outOfTime = (): ReportTimeError => {
    const left = deadline?.timeLeftMs() ?? 0;
    // Built when the abort fires, before any stop is sent: so it cannot say the queries were
    // stopped, only that they were given up and who says when a stop failed.
    const stopped =
      running.length > 0
        ? ` (still running: ${running.join(', ')}; Athena stops them unless a warning says a stop failed)`
        : '';
    const stoppedWith = `its queries were given up with only ${Math.max(0, Math.floor(left / 1000))} s left${stopped}`;
    return new ReportTimeError(
      // A preview is never claimed: its failure (a ReportPreviewError, whose message names the
      // week and says what to do) gives only the reason, not the run that sends a week.
      preview
        ? `${stoppedWith}, and mailing it needs ${reserveMs / 1000} s`
        : `the weekly report ${isoWeek} of ${instance} was not sent: ${stoppedWith}, and claiming, archiving and mailing it safely needs ${reserveMs / 1000} s. Nothing was claimed or mailed, so ${runThatSends(resend)}`,
      'queries',
      left,
      reserveMs,
      { instance, isoWeek },
      resend,
    );
  };
  const stop = (reason: unknown = outOfTime()) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const inFlight = new Set<Promise<unknown>>();
  return {
    async run(name, query) {
      if (deadline && !deadline.hasAtLeast(reserveMs)) stop();
      controller.signal.throwIfAborted();
      running.push(name);
      const ran = query(controller.signal);
      const settled: Promise<unknown> = ran.then(
        () => inFlight.delete(settled),
        () => inFlight.delete(settled),
      );
      inFlight.add(settled);
      try {
        return await ran;
      } catch (error) {
        // The report has failed: start no more queries (before the limiter lets the next one
        // in), and stop those still running rather than pay for results nobody reads.
        stop(error);
        throw error;
      } finally {
        running.splice(running.indexOf(name), 1);
      }
    },
    async during(queries) {
      const stopWatching = deadline?.watch(reserveMs, () => stop());
      try {
        return await queries();
      } catch (error) {
        stop(error);
        await Promise.allSettled([...inFlight]);
        throw error;
      } finally {
        stopWatching?.();
      }
    },
  };
}
