import type { CoverageManifest } from '../../functions/core/lake/coverage-manifest.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';

/** A valid coverage manifest of the hour starting at `windowStartMs`, as one pull of it writes. */
export const coverageManifestOf = (windowStartMs: number, eventCount = 3): CoverageManifest => ({
  window_start_ms: windowStartMs,
  window_end_ms: windowStartMs + HOUR_MS,
  window_start: lakeTimestamp(windowStartMs),
  event_count: eventCount,
  quarantined_count: 0,
  out_of_window_count: 0,
  pages: 1,
  requests: 1,
  content_hash: 'abc',
  fetch_count: 1,
  late_events: 0,
  late_events_total: 0,
  first_fetched_at: '2026-10-02T00:00:00.000Z',
  fetched_at: '2026-10-02T00:00:00.000Z',
  code_version: '1.0.0',
  run_id: 'run-1',
});
