import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { checkpointKey, skippedHoursKey } from '../../functions/core/lake/layout.ts';
import { floorHour, HOUR_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** When {@link backfillThenSkipLake}'s first run ran. */
export const FIRST_RUN_AT_MS = Date.parse('2026-10-01T00:20:00Z');

/** How many hours {@link backfillThenSkipLake} skips; the last 2 are its lookback's, pulled again. */
export const SKIPPED_HOURS = 6;

/**
 * Instance `acme` in memory after a first scheduled run that backfilled `days` (quiet: a digest
 * an hour, every one written after the hours it pulled), then 6 hours skipped as
 * docs/operations.md says (watermark and `repull_from_ms` moved on, a dated note), then a
 * scheduled run an hour for `hoursAfter` (at least 1) hours from an hour after the skip, the note
 * written before the first. `skipFromMs`: the
 * first hour skipped; `nowMs`: 10 minutes after the last run. The digests written after the hours
 * skipped began are the whole chain: what a search for them as stored once reads.
 */
export async function backfillThenSkipLake(days: number, hoursAfter: number) {
  const lake = new MemoryObjectStore();
  const quiet = new MemoryAuditSource([]);
  const config = { ...defaultIngestConfig('acme'), backfillDays: days };
  const run = async (at: number) =>
    recordLastRun(lake, await runIngest(quietIngestDeps(quiet, lake, at), config), at);
  await run(FIRST_RUN_AT_MS);
  const skipFromMs = floorHour(FIRST_RUN_AT_MS);
  const checkpoint = JSON.parse(new TextDecoder().decode(lake.objects.get(checkpointKey('acme'))?.body));
  checkpoint.watermark_ms = skipFromMs + SKIPPED_HOURS * HOUR_MS;
  checkpoint.watermark = new Date(checkpoint.watermark_ms).toISOString();
  checkpoint.repull_from_ms = checkpoint.watermark_ms;
  lake.putNow(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(checkpoint)));
  const note = {
    from: new Date(skipFromMs).toISOString(),
    to: new Date(checkpoint.watermark_ms).toISOString(),
    reason: 'Domo outage',
    written_at: new Date(checkpoint.watermark_ms + HOUR_MS).toISOString(),
  };
  lake.putNow(skippedHoursKey('acme'), new TextEncoder().encode(JSON.stringify(note)));
  let nowMs = checkpoint.watermark_ms + HOUR_MS + 20 * MINUTE_MS;
  for (let hour = 0; hour < hoursAfter; hour++, nowMs += HOUR_MS) await run(nowMs);
  return { lake, skipFromMs, nowMs: nowMs - HOUR_MS + 10 * MINUTE_MS };
}
