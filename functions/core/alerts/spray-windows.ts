/**
 * Where one spray group's failures (spray-groups.ts) held a level's users within its window, so
 * that whether they sprayed within any stretch of time is found without counting them again: a
 * sign-in's spray (detect-login-after-spray.ts) counted its group's failures of the hour afresh
 * for each sign-in, 16 s for 20,000 failures of one owner and 2,000 sign-ins from it (review
 * R-SPRAY2 M2).
 *
 * For each failure, the latest start of a run of failures ending at it that holds `users` distinct
 * users (the shortest such run); it only moves forward as the failures go on. A stretch of time
 * holds a window of `spanMs` with `users` users exactly when some failure in it has such a run
 * starting within the stretch and within `spanMs` of it: the last such failure before the
 * stretch's end has the latest start.
 */
import type { AlertEvent } from './alert-event.ts';
import { userKey } from './detection.ts';

/** The first index of `sorted` (ascending) whose value is at least `value`, or its length. */
function firstAtLeast(sorted: readonly number[], value: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SprayWindows {
  private readonly times: number[];
  /** Each failure's user ({@link userKey}), read once: the evidence counts them for each sign-in. */
  private readonly keys: string[];
  /** The users of the failures `from` to before `to`, last counted ({@link tally}). */
  private readonly counts = new Map<string, number>();
  private from = 0;
  private to = 0;
  /** Per failure ending a window of `spanMs` that held the users: its time, and its run's start. */
  private readonly ends: number[] = [];
  private readonly starts: number[] = [];

  /** `failures` in time order. */
  constructor(
    readonly failures: readonly AlertEvent[],
    users: number,
    spanMs: number,
  ) {
    this.times = failures.map((f) => f.event_time_ms);
    const keys = failures.map(userKey);
    this.keys = keys;
    const counts = new Map<string, number>();
    let lo = 0;
    keys.forEach((key, i) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      for (; lo < i; lo++) {
        const first = keys[lo] as string;
        const count = counts.get(first) as number;
        if (count === 1 && counts.size <= users) break;
        if (count === 1) counts.delete(first);
        else counts.set(first, count - 1);
      }
      const [end, start] = [this.times[i] as number, this.times[lo] as number];
      if (counts.size >= users && start > end - spanMs) {
        this.ends.push(end);
        this.starts.push(start);
      }
    });
  }

  /** Whether the failures within (`fromMs`, `toMs`) held the users within one window. */
  sprayedWithin(fromMs: number, toMs: number): boolean {
    const last = firstAtLeast(this.ends, toMs) - 1;
    return last >= 0 && (this.starts[last] as number) > fromMs;
  }

  /**
   * The failures within (`fromMs`, `toMs`) as indices of {@link failures} (`from` to before `to`),
   * their distinct users, and those of `user`. Counted by moving the stretch counted last, as the
   * sign-ins come in time order; counted afresh only when one goes back.
   */
  tally(
    fromMs: number,
    toMs: number,
    user: string,
  ): { from: number; to: number; users: number; own: number } {
    const [from, to] = [firstAtLeast(this.times, fromMs + 1), firstAtLeast(this.times, toMs)];
    if (from < this.from || to < this.to) {
      this.counts.clear();
      [this.from, this.to] = [from, from];
    }
    for (; this.to < to; this.to++) this.step(this.to, 1);
    for (; this.from < from; this.from++) this.step(this.from, -1);
    return { from, to, users: this.counts.size, own: this.counts.get(user) ?? 0 };
  }

  /** The index of the first failure after `atMs`. */
  after(atMs: number): number {
    return firstAtLeast(this.times, atMs + 1);
  }

  private step(i: number, by: 1 | -1): void {
    const key = this.keys[i] as string;
    const count = (this.counts.get(key) ?? 0) + by;
    if (count === 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}
