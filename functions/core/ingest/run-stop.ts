type StopReason = 'time-budget' | 'fatal-error' | 'interrupted';

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
 * Why a run stopped early (the first reason wins) and the signal that aborts the windows in
 * flight. Stopping without aborting (`stop(reason)`) only keeps new windows from starting.
 */
export class RunStop {
  private readonly controller = new AbortController();
  private why: StopReason | null = null;

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
