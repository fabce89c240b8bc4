import type { WindowFailure } from './ingest-types.ts';

/**
 * The failure of the earliest hour, which messages name "first": failures are listed in the order
 * their spans failed, and an on-call reader takes "first at" for the earliest hour that failed,
 * the one that holds the watermark (review R-ONCALL L3: 01:00, 03:00, 02:00, 00:00 named 01:00).
 */
export function earliestFailure<F extends Pick<WindowFailure, 'windowStartMs'>>(
  failures: readonly F[],
): F | undefined {
  let earliest: F | undefined;
  for (const failure of failures)
    if (earliest === undefined || failure.windowStartMs < earliest.windowStartMs) earliest = failure;
  return earliest;
}
