/** Thrown by every store operation and Domo request of a run that outlived its deadline. */
export class KilledAtDeadline extends Error {
  constructor() {
    super('the invocation outlived its deadline and was killed');
  }
}

/** Virtual milliseconds each kind of operation costs a run with a tight deadline. */
export const OPERATION_MS = { get: 25, put: 2, list: 2, request: 2 } as const;
export type Operation = keyof typeof OPERATION_MS;

/**
 * The time of one run (a Lambda invocation), in virtual milliseconds: nothing sleeps.
 *
 * - `tight`: every store operation and Domo request costs {@link OPERATION_MS}; one that starts
 *   with no time left finds the invocation killed (as Lambda does at its timeout), and so does
 *   every later one. The run must stop before that on its own.
 * - `hard-stop`: plenty of time until {@link expire} (a hung Domo answer ate it), then less than
 *   the hard stop's threshold, so the run's own deadline watch aborts the hours in flight (that
 *   watch is the ingest's own timer, on a virtual interval the hung answer advances: see runOnce).
 * - `none`: no deadline (`remainingTimeMs` absent).
 */
export class RunTime {
  private elapsedMs = 0;
  /** Store operations and Domo requests started: whether anything but a hung answer still runs. */
  activity = 0;
  killed = false;
  expired = false;

  constructor(
    readonly mode: 'none' | 'tight' | 'hard-stop',
    private readonly budgetMs: number,
  ) {}

  /** What the run's `remainingTimeMs` dep reads, or undefined without a deadline. */
  remaining(): (() => number) | undefined {
    if (this.mode === 'none') return undefined;
    return () => this.budgetMs - this.elapsedMs;
  }

  /** Called as an operation starts: charges it, and kills the run past its deadline. */
  spend(operation: Operation): void {
    this.activity++;
    if (this.killed) throw new KilledAtDeadline();
    if (this.mode !== 'tight') return;
    if (this.elapsedMs >= this.budgetMs) {
      this.killed = true;
      throw new KilledAtDeadline();
    }
    this.elapsedMs += OPERATION_MS[operation];
  }

  /**
   * A hung answer took the time: `leftMs` remain (under the hard stop's threshold). True the first
   * time only (while the run still waits on that answer): later hung answers find it spent already.
   */
  expire(leftMs: number): boolean {
    if (this.expired) return false;
    this.expired = true;
    this.elapsedMs = this.budgetMs - leftMs;
    return true;
  }

  /**
   * Resolves once nothing but hung answers has run for `turns` turns of the event loop: every
   * other hour of the run is stored or waits for a turn it cannot get. No timer: macrotask turns.
   */
  whenIdle(turns = 100): Promise<void> {
    return new Promise((resolve) => {
      let seen = this.activity;
      let quiet = 0;
      const check = () => {
        if (this.activity === seen) quiet++;
        else {
          seen = this.activity;
          quiet = 0;
        }
        if (quiet >= turns) resolve();
        else setImmediate(check);
      };
      setImmediate(check);
    });
  }
}
