import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The first day of {@link ingestTwoDayBackfill}'s events: 16 views, one each half hour. */
export const BACKFILL_DAY0_MS = Date.parse('2026-10-01T00:00:00Z');

/**
 * When the lake's one scheduled run ran: two days back, the first day's hours are pulled more than
 * a day after they ended (no later pull due), the second day's less (each due its later pull).
 */
export const BACKFILL_RUN_AT_MS = BACKFILL_DAY0_MS + 8 * HOUR_MS + 1;

/**
 * A lake of instance `acme` at `lake` on disk, as status reads one: one scheduled run at
 * {@link BACKFILL_RUN_AT_MS} with a backfill of 2 days, and its last-run record.
 */
export async function ingestTwoDayBackfill(lake: string): Promise<void> {
  const source = new MemoryAuditSource(
    Array.from({ length: 16 }, (_, i) => viewEntry(BACKFILL_DAY0_MS + i * 30 * 60_000, i)),
  );
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(source, store, BACKFILL_RUN_AT_MS), {
    ...defaultIngestConfig('acme'),
    backfillDays: 2,
  });
  await recordLastRun(store, summary, BACKFILL_RUN_AT_MS);
}

/**
 * Skips hours of that lake as docs/operations.md says an operator does: its checkpoint's watermark
 * and `repull_from_ms` moved on `hours`, the later pull's progress dropped. The watermark before
 * and after.
 */
export async function skipHoursAsDocumented(
  lake: string,
  hours: number,
): Promise<{ watermarkMs: number; movedMs: number }> {
  const file = join(lake, 'state/instance=acme/checkpoint.json');
  const checkpoint = JSON.parse(await readFile(file, 'utf8'));
  const watermarkMs: number = checkpoint.watermark_ms;
  const movedMs = watermarkMs + hours * HOUR_MS;
  checkpoint.watermark_ms = movedMs;
  checkpoint.watermark = new Date(movedMs).toISOString();
  checkpoint.repull_from_ms = movedMs;
  delete checkpoint.repull_done;
  delete checkpoint.repull_tries;
  await writeFile(file, JSON.stringify(checkpoint));
  return { watermarkMs, movedMs };
}
