import type { Deadline } from '../deadline.ts';
import { ReportTimeError } from './report-errors.ts';

/** Keeps one report's queries within the caller's time; see {@link queryTimer}. */
export interface QueryTimer {
  /** Aborted once the queries must stop: handed to the engine with every query. */
  readonly signal: AbortSignal;
  /** Called before a query starts: throws instead when the queries must stop. */
  beforeStart(name: string): void;
  /** Called when a query has ended, however. */
  ended(name: string): void;
  /** Runs the queries, watching the time left while they run. */
  during<T>(queries: () => Promise<T>): Promise<T>;
}

export interface QueryTimerOptions {
  instance: string;
  week: { isoWeek: string };
  deadline?: Deadline;
  /** What the caller needs after the queries. */
  reserveMs?: number;
}

/**
 * The time check of a report's queries. Each query may wait up to the engine's own timeout (two
 * minutes on Athena), and twelve of them, four at a time, plus a re-run, can take far longer than
 * the function has: so no query starts with less than `reserveMs` left, and the running ones are
 * aborted as soon as that much is left. The report then fails with a {@link ReportTimeError}
 * naming what was stopped, instead of the function being cut off mid-way.
 */
export function queryTimer(options: QueryTimerOptions): QueryTimer {
  const { instance, deadline } = options;
  const { isoWeek } = options.week;
  const reserveMs = options.reserveMs ?? 0;
  const controller = new AbortController();
  const running: string[] = [];
  const outOfTime = (): ReportTimeError => {
    const left = deadline?.timeLeftMs() ?? 0;
    const stopped = running.length > 0 ? ` (still running: ${running.join(', ')})` : '';
    return new ReportTimeError(
      `the weekly report ${isoWeek} of ${instance} was not sent: its queries were stopped with only ${Math.max(0, Math.floor(left / 1000))} s left${stopped}, and claiming, archiving and mailing it safely needs ${reserveMs / 1000} s. Nothing was claimed or mailed, so a run for this week sends it`,
      'queries',
      left,
      reserveMs,
      { instance, isoWeek },
    );
  };
  const stop = () => {
    if (!controller.signal.aborted) controller.abort(outOfTime());
  };
  return {
    signal: controller.signal,
    beforeStart(name) {
      if (deadline && !deadline.hasAtLeast(reserveMs)) stop();
      controller.signal.throwIfAborted();
      running.push(name);
    },
    ended(name) {
      const at = running.indexOf(name);
      if (at >= 0) running.splice(at, 1);
    },
    async during(queries) {
      const stopWatching = deadline?.watch(reserveMs, stop);
      try {
        return await queries();
      } finally {
        stopWatching?.();
      }
    },
  };
}
