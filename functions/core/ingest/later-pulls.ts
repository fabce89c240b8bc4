import { floorHour, HOUR_MS } from '../lake/layout.ts';

/**
 * The hours a scheduled run pulls once more, `repullAfterHours` after they were young enough to
 * miss events Domo serves late (`[firstMs, endMs)`, before the run's other hours), and where the
 * hours still due such a pull start once all of them are pulled (`doneToMs`).
 */
export interface LaterPullPlan {
  firstMs: number;
  /** Exclusive; equal to `firstMs` when no hour is due. */
  endMs: number;
  /**
   * Every hour before this has had a pull at least `repullAfterHours` after its start, or gets
   * its first pull from a later run, once this run has pulled its later hours: the checkpoint's
   * `repull_from_ms` from then on.
   */
  doneToMs: number;
}

export interface LaterPullInputs {
  /** The stored watermark the run starts from; undefined: no checkpoint (a first run). */
  watermarkMs: number | undefined;
  /** The first hour of the run's other pulls (its lookback, or a held hour). */
  planFirstMs: number;
  /** Exclusive end of the hours the run pulls. */
  planEndMs: number;
  /** The run's start. */
  nowMs: number;
  repullAfterHours: number;
  /** The checkpoint's `repull_from_ms`; undefined: the watermark − `repullAfterHours`. */
  dueFromMs: number | undefined;
  /** The earliest hour a later pull reaches: Domo keeps nothing older (its retention). */
  reachFromMs: number;
}

/**
 * The later pulls of a scheduled run, derived from the checkpoint and the run's time alone, so each
 * hour gets one however runs fail, retry or catch up. An hour is due one when its pulls so far all
 * came less than R (`repullAfterHours`) after it ended; it gets it from the first run with new
 * hours that starts R or more after its end. The hours due start at the checkpoint's
 * `repull_from_ms` (absent: watermark − R) and end at the first hour that ended less than R before
 * the run (`doneToMs`, at most the run's end): the run pulls those before its own hours once more.
 * Hours from its lookback on are not pulled twice: the run pulls them anyway, R or more after
 * their end, and so are its new hours before `doneToMs`, which need no later pull. On the default
 * schedule (every 15 min, settle 15) that is watermark − R + the new hours: the hours that
 * reached R of age since the previous run with new hours.
 *
 * Undefined when the run pulls no later hour and leaves the mark as it is: the setting is 0, or no
 * new hour has closed (the run pulls nothing, see planFromCheckpoint). A first run pulls none
 * (each hour of its backfill ended long enough ago, or gets its later pull from the runs after).
 */
export function planLaterPulls(inputs: LaterPullInputs): LaterPullPlan | undefined {
  const { watermarkMs, planFirstMs, planEndMs, repullAfterHours } = inputs;
  const repullMs = repullAfterHours * HOUR_MS;
  if (repullAfterHours === 0 || planFirstMs >= planEndMs) return undefined;
  // The first hour that ended less than R before now: it and every hour after are still young.
  const youngFromMs = Math.min(planEndMs, floorHour(inputs.nowMs - repullMs));
  if (watermarkMs === undefined) return { firstMs: youngFromMs, endMs: youngFromMs, doneToMs: youngFromMs };
  const dueFromMs = inputs.dueFromMs ?? watermarkMs - repullMs;
  const firstMs = Math.max(dueFromMs, inputs.reachFromMs);
  const endMs = Math.max(firstMs, Math.min(youngFromMs, planFirstMs));
  return { firstMs, endMs, doneToMs: Math.max(dueFromMs, youngFromMs) };
}

/**
 * Follows a run's later pulls as they finish, and says what the checkpoint's `repull_from_ms` is
 * at each write: the first later hour not finished (the next run pulls it again; it never holds
 * the watermark), else the plan's `doneToMs`. Left out when it is the watermark − R (what its
 * absence means), and always with the setting 0, so such a checkpoint is as it was before.
 */
export class LaterPullTracker {
  /** Later hours not finished yet, oldest first (a Set keeps insertion order). */
  private readonly left = new Set<number>();
  /**
   * A later pull failed: no further one starts. The failed hour is given up (its earlier pulls
   * stand), and the checkpoint names the hour after it, which the next run pulls with every later
   * hour after that; one pulled after it here would be pulled twice. Retried instead, an hour whose
   * later pull fails every time (a damaged object, a refusal) failed every run and held every later
   * pull after it while their span grew by a day a day (review R-REPULL F1).
   */
  private stopped = false;

  constructor(
    private readonly plan: LaterPullPlan | undefined,
    /** The checkpoint's `repull_from_ms` as read; kept when the run plans no later pull. */
    private readonly readFromMs: number | undefined,
    private readonly repullAfterHours: number,
  ) {
    if (!plan) return;
    for (let hour = plan.firstMs; hour < plan.endMs; hour += HOUR_MS) this.left.add(hour);
  }

  /** Later hours planned. */
  get planned(): number {
    return this.plan ? (this.plan.endMs - this.plan.firstMs) / HOUR_MS : 0;
  }

  /** Whether the hour starting at `hourMs` is one of the run's later pulls. */
  has(hourMs: number): boolean {
    return this.plan !== undefined && hourMs >= this.plan.firstMs && hourMs < this.plan.endMs;
  }

  /** Records that a later hour is complete. */
  complete(hourMs: number): void {
    this.left.delete(hourMs);
  }

  /**
   * Records that a later pull failed: no other starts, and the hour at `hourMs`, when given, is
   * given up. A configuration error gives none: it says nothing of the hour (review R-FINAL F2).
   */
  fail(hourMs?: number): void {
    if (hourMs !== undefined) this.left.delete(hourMs);
    this.stopped = true;
  }

  /** Whether the run starts no more later pulls (one failed). */
  get failed(): boolean {
    return this.stopped;
  }

  /** The checkpoint's `repull_from_ms` written with `watermarkMs`; undefined: leave it out. */
  fieldAt(watermarkMs: number): number | undefined {
    if (this.repullAfterHours === 0) return undefined;
    if (!this.plan)
      return this.readFromMs !== undefined && this.readFromMs <= watermarkMs ? this.readFromMs : undefined;
    let due = this.plan.doneToMs;
    for (const hour of this.left) {
      due = hour;
      break;
    }
    // Hours at or after the watermark get their first pull from a later run, at their age then.
    const fromMs = Math.min(due, watermarkMs);
    return fromMs === watermarkMs - this.repullAfterHours * HOUR_MS ? undefined : fromMs;
  }
}
