import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { noteRunForStatus } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { DigestSigner } from '../../functions/core/lake/digest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { type MemoryAuditSource, type MemoryEntry, viewEntry } from './memory-audit-source.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/**
 * The schedule whose S3 requests the cost notes (docs/operations.md) count: ingest runs 15 minutes
 * apart from 00:07 on DAY0, the first a backfill of the day before, 60 view events an hour; counted
 * over the 8 hours after the backfill's hour.
 */
export const DAY0 = Date.parse('2026-11-18T00:00:00Z');
export const MINUTE = 60_000;
export const RUNS_AN_HOUR = 4;
export const HOURS_COUNTED = 8;
/** The runs of the schedule: the backfill's hour, then the hours counted. */
export const SCHEDULED_RUNS = RUNS_AN_HOUR * (HOURS_COUNTED + 1);

/** When run `run` (from 0) of the schedule starts. */
export const scheduledAt = (run: number): number => DAY0 + 7 * MINUTE + run * 15 * MINUTE;

/** The schedule's view events: one a minute from the day before DAY0, over 34 hours. */
export const scheduledViews = (): MemoryEntry[] =>
  Array.from({ length: 60 * 34 }, (_, i) => viewEntry(DAY0 - 24 * HOUR_MS + i * MINUTE, i));

const digestSigner: DigestSigner = {
  keyId: 'arn:aws:kms:eu-west-1:123456789012:key/test',
  sign: async () => new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
};

/** One scheduled ingest run at `now`, signing its digest, and its note for status, as the function's. */
export async function scheduledIngestRun(
  source: MemoryAuditSource,
  store: ObjectStore,
  now: number,
): Promise<void> {
  const deps = { ...quietIngestDeps(source, store, now), digestSigner };
  const summary = await runIngest(deps, defaultIngestConfig('acme'));
  await noteRunForStatus(store, { summary, stopped: false, lakeMadeNow: false }, now, 'schedule', null);
}
