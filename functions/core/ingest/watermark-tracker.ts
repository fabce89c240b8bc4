import { HOUR_MS } from '../time-units.ts';

/** The hours a scheduled run plans, and how far back the next run's lookback reaches. */
interface TrackedPlan {
  /** The run's first hour: its oldest lookback hour when it has any. */
  firstMs: number;
  /** Exclusive end of the hours the run pulls. */
  endMs: number;
  /** Hours before its watermark that the next run pulls again (`lookbackHours`). */
  lookbackHours: number;
}

/**
 * Where the watermark may be: every hour before it is complete, and every lookback hour of the run
 * (an hour before the watermark it started from, pulled again for late events) that it has not
 * finished is still within the next run's lookback.
 *
 * Hours finish in any order (several are pulled at once), so an hour finished ahead of a gap is
 * remembered until the gap closes; the watermark then moves over the whole unbroken run at once.
 *
 * A lookback hour lies before the watermark, so a gap there would not hold it back: a run whose
 * lookback hour L fails (or is aborted, or never starts because the run stopped) while newer hours
 * finish would move the watermark so far that no later run pulls L again, and L's late events
 * would never be stored. The next run pulls again from `lookbackHours` before its watermark, so
 * the watermark stops at L + lookbackHours while L is unfinished: the next run's lookback then
 * starts at L at the latest.
 *
 * A run pulls its lookback only when it has a closed hour at or after its watermark
 * (planFromCheckpoint), so while L is unfinished the watermark also stays before the run's last
 * hour: the next run, 15 minutes later, then has that hour to pull, and pulls L with it.
 */
export class WatermarkTracker {
  /** Hours at or after the unbroken end that finished out of order, waiting for the gap below them. */
  private readonly finishedAhead = new Set<number>();
  /**
   * Lookback hours not finished yet. Added oldest first and only ever deleted from, so the first
   * in iteration order is the oldest (a Set keeps insertion order).
   */
  private readonly lookbackLeft = new Set<number>();
  private readonly lookbackMs: number;
  /** The start of the run's last hour: the watermark stays at or before it while a lookback hour is unfinished. */
  private readonly lastHourMs: number;
  /** Every hour before this one is complete. */
  private unbrokenEndMs: number | null;
  private watermark: number | null;

  /**
   * @param watermarkMs the watermark the run starts from; null tracks nothing (range mode).
   * @param plan the run's hours: those before `watermarkMs` are its lookback hours. Without it
   *   the tracker only follows the unbroken run of hours finished from `watermarkMs` on.
   */
  constructor(watermarkMs: number | null, plan?: TrackedPlan) {
    this.unbrokenEndMs = watermarkMs;
    this.watermark = watermarkMs;
    this.lookbackMs = (plan?.lookbackHours ?? 0) * HOUR_MS;
    this.lastHourMs = (plan?.endMs ?? Number.POSITIVE_INFINITY) - HOUR_MS;
    if (watermarkMs === null || plan === undefined) return;
    const lookbackEndMs = Math.min(watermarkMs, plan.endMs);
    for (let hour = plan.firstMs; hour < lookbackEndMs; hour += HOUR_MS) this.lookbackLeft.add(hour);
  }

  get currentMs(): number | null {
    return this.watermark;
  }

  /**
   * The oldest lookback hour not finished yet: saved with the watermark (the checkpoint's
   * `retry_from_ms`), so the next run pulls it again even when its `lookbackHours` is smaller
   * than this run's and its lookback would start after the hour.
   */
  get retryFromMs(): number | undefined {
    for (const hour of this.lookbackLeft) return hour;
    return undefined;
  }

  /**
   * The oldest hour of the run not complete yet: its oldest lookback hour left, or else where the
   * unbroken run of complete hours ends; null when nothing is tracked (range mode).
   */
  get firstUnfinishedMs(): number | null {
    for (const hour of this.lookbackLeft) return hour;
    return this.unbrokenEndMs;
  }

  /** Records that the hour starting at `windowStartMs` is complete; returns the new watermark when it moved. */
  complete(windowStartMs: number): number | undefined {
    if (this.unbrokenEndMs === null || this.watermark === null) return undefined;
    this.lookbackLeft.delete(windowStartMs);
    if (windowStartMs >= this.unbrokenEndMs) {
      this.finishedAhead.add(windowStartMs);
      while (this.finishedAhead.delete(this.unbrokenEndMs)) this.unbrokenEndMs += HOUR_MS;
    }
    const next = Math.min(this.unbrokenEndMs, this.lookbackCeilingMs());
    if (next <= this.watermark) return undefined;
    this.watermark = next;
    return next;
  }

  /** How far the watermark may go while the oldest unfinished lookback hour must be pulled again by the next run. */
  private lookbackCeilingMs(): number {
    for (const hour of this.lookbackLeft) return Math.min(hour + this.lookbackMs, this.lastHourMs);
    return Number.POSITIVE_INFINITY;
  }
}
