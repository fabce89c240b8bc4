import { setMaxListeners } from 'node:events';
import { INGEST_SETTINGS } from './ingest-settings.ts';

export type StopReason = 'time-budget' | 'fatal-error' | 'interrupted';

/** The reason windows in flight are aborted when the invocation's time is nearly spent. */
export class TimeBudgetSpent extends Error {
  constructor() {
    super('the time budget of this run is spent');
    this.name = 'TimeBudgetSpent';
  }
}

/** The reason windows in flight are aborted when the caller interrupts the run (a user's Ctrl-C). */
export class RunInterrupted extends Error {
  constructor() {
    super('the run was interrupted');
    this.name = 'RunInterrupted';
  }
}

/**
 * Abort listeners the run's signal may hold at once without a warning: every span in flight waits
 * on it in a few places at a time (its token, its pacer or retry wait, its request). Node warns of
 * a leak past 10, which 16 spans waiting for one shared token request passed: an operator read
 * "possible memory leak" in a healthy run. The bound keeps the warning for a real leak.
 */
export const RUN_SIGNAL_LISTENERS = INGEST_SETTINGS.concurrency.max * 4 + 10;

/**
 * Why a run stopped early (the first reason wins) and the signal that aborts the windows in
 * flight. Stopping without aborting (`stop(reason)`) only keeps new windows from starting.
 */
export class RunStop {
  private readonly controller = new AbortController();
  private why: StopReason | null = null;

  constructor() {
    setMaxListeners(RUN_SIGNAL_LISTENERS, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | null {
    return this.why;
  }

  /** Keeps new work from starting; with `abortWith`, aborts the work in flight too. */
  stop(reason: StopReason, abortWith?: unknown): void {
    this.why ??= reason;
    if (abortWith !== undefined && !this.controller.signal.aborted) this.controller.abort(abortWith);
  }

  /**
   * Whether the work in flight was aborted on purpose, because the time budget ran out or the run
   * was interrupted: not a failure, the next run pulls those hours.
   */
  abortedOnPurpose(): boolean {
    const { reason } = this.controller.signal;
    return reason instanceof TimeBudgetSpent || reason instanceof RunInterrupted;
  }
}
