/** The most the S3 store waits for puts in flight within any {@link WINDOW_MS}, in ms. */
export const WAIT_BUDGET_MS = 3_000;

/**
 * The window the budget holds over: an ingest run's hard stop, where hours in flight are aborted
 * and the run's last writes (checkpoint, seal, run record) have 30 s at the default margin.
 */
export const WINDOW_MS = 30_000;

/**
 * The waits one S3 store may still spend before sending a conditional put again after S3's 409,
 * shared by all its puts. Each put waits 750 ms at most, but a run's last writes come one after
 * another (a checkpoint write appends a digest first and is tried up to four times, then the seal,
 * then the run record), each may meet 409 on every number or version it tries, and ObjectStore.put
 * takes no deadline: unbounded, such waits could outlast the 30 s a run keeps for them. The store
 * lives as long as its process (a warm Lambda runs many invocations), so the budget is over a
 * sliding window, not a run: at most {@link WAIT_BUDGET_MS} in any {@link WINDOW_MS}. Spent, a 409
 * fails the put at once, as before any wait (the next write or run writes it).
 */
export class InFlightWaitBudget {
  private readonly spent: { atMs: number; ms: number }[] = [];

  constructor(private readonly now: () => number) {}

  /** Takes `ms` of waiting from the budget: false, taking nothing, when that would overspend it. */
  take(ms: number): boolean {
    const nowMs = this.now();
    while (this.spent.length > 0 && (this.spent[0]?.atMs ?? nowMs) <= nowMs - WINDOW_MS) this.spent.shift();
    const inWindow = this.spent.reduce((sum, wait) => sum + wait.ms, 0);
    if (inWindow + ms > WAIT_BUDGET_MS) return false;
    this.spent.push({ atMs: nowMs, ms });
    return true;
  }
}
