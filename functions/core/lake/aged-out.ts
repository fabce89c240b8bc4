import { DAY_MS, HOUR_MS } from '../time-units.ts';

/**
 * The first hour the lake still keeps whole under `retention.maxDays`, at `nowMs`: S3 expires an
 * object `maxDays` after it was written, and an hour is written only once it has ended, so every
 * hour starting at or after this one is still there; an hour before it may have aged out by
 * policy (its objects gone, or going), which is no gap, no deletion and nothing to re-pull.
 */
export const agedOutBefore = (nowMs: number, maxDays: number): number =>
  Math.ceil((nowMs - maxDays * DAY_MS) / HOUR_MS) * HOUR_MS;
