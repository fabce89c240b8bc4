import { floorHour, HOUR_MS } from '../time-units.ts';

/**
 * How far a watermark may lie past now before it is taken for a wrong one: a run on a machine
 * whose clock is behind the one that wrote it (the watermark is at least `settleMinutes` old when
 * written) stays within this.
 */
export const WATERMARK_AHEAD_TOLERANCE_MS = HOUR_MS;

/**
 * The first hour whose objects no honest run can have written at `nowMs`: the start of the next
 * hour. A run writes an hour once it has closed by its own clock, and one whose clock is ahead of
 * this machine's by up to the skew the ingest and `status` accept of a watermark
 * ({@link WATERMARK_AHEAD_TOLERANCE_MS}: an hour) may have closed the current hour already; hours
 * after it have closed on no such clock. `verify` fails on objects from it on; what reads the
 * lake's covered hours leaves them out, so a forged manifest ahead cannot stretch a lake's span.
 */
export const futureHoursFrom = (nowMs: number): number => floorHour(nowMs + WATERMARK_AHEAD_TOLERANCE_MS);
