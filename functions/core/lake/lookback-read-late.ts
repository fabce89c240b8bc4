import { HOUR_MS, MINUTE_MS } from '../time-units.ts';

/** The ingest settings {@link firstLookbackHourPulled} weighs. */
export interface LookbackSettings {
  repullAfterHours: number;
  lookbackHours: number;
  settleMinutes: number;
}

/**
 * The first lookback hour a scheduled run pulls again: `fromMs`, or past the leading lookback hours
 * that a pull read `repullAfterHours` or more after they ended. A run catching up reads its hours
 * that old, and the next run's lookback re-pulled its last two, run after run. Such a pull came as
 * late as the hour's later pull would, and no earlier than the schedule's last lookback pull (the
 * setting reaches at least the lookback and settle): pulled again, the hour could only add what
 * Domo serves later than both promise (docs/guarantees.md §2). One rule for the ingest, which
 * plans by it (run-plan.ts), and verify, which says which hours are not final (hours-not-final.ts).
 *
 * The walk ends at `untilMs` (the watermark, or an hour the last run left unfinished,
 * `retry_from_ms`, before it), and at an hour due its later pull (`due`): only the others are
 * judged, by their manifest's last pull (`fetchedAt`: its `fetched_at`, undefined when there is
 * none or it could not be read), so a steady lake's runs read nothing more, and hours never stored
 * (a watermark moved on by hand) are pulled as before. None is passed with the later pull off: the
 * lookback is then the hour's last pull.
 */
export async function firstLookbackHourPulled(
  fromMs: number,
  untilMs: number,
  due: ReadonlySet<number>,
  settings: LookbackSettings,
  fetchedAt: (hourMs: number) => Promise<string | undefined> | string | undefined,
): Promise<number> {
  const { repullAfterHours: repull, lookbackHours, settleMinutes } = settings;
  const lateEnough = repull * HOUR_MS >= lookbackHours * HOUR_MS + settleMinutes * MINUTE_MS;
  if (repull === 0 || !lateEnough) return fromMs;
  let firstMs = fromMs;
  while (firstMs < untilMs && !due.has(firstMs)) {
    const pulledMs = Date.parse((await fetchedAt(firstMs)) ?? '');
    if (!(pulledMs - (firstMs + HOUR_MS) >= repull * HOUR_MS)) break;
    firstMs += HOUR_MS;
  }
  return firstMs;
}
