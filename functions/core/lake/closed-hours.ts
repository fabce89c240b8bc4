import { floorHour, MINUTE_MS } from '../time-units.ts';

/**
 * When an hour counts as closed, and how far back a lake reaches: the rules the ingest obeys when
 * it pulls, and `verify` judges a lake by. They are the lake's, so the lake's checks need not
 * reach up into the ingest that follows them.
 */

/** Minutes an hour must be closed before it is pulled, when a deployment sets none. */
export const DEFAULT_SETTLE_MINUTES = 15;

/** The most days any ingest run reaches back: a recorded start further back looks edited. */
export const MAX_BACKFILL_DAYS = 366;

/** End (exclusive) of the newest window that is closed and settled at `nowMs`. */
export const closedWindowsEnd = (nowMs: number, settleMinutes: number): number =>
  floorHour(nowMs - settleMinutes * MINUTE_MS);
