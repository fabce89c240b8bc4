import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The first day of the known-versions tests' lake. */
export const KNOWN_VERSIONS_DAY0 = Date.parse('2026-10-01T00:00:00Z');

/**
 * The disk lake the known-versions CLI tests verify: instance `acme`, twelve views half an hour
 * apart from {@link KNOWN_VERSIONS_DAY0}, ingested six hours on.
 */
export async function ingestKnownVersionsLake(lake: string): Promise<void> {
  const day0 = KNOWN_VERSIONS_DAY0;
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = quietIngestDeps(source, new FsObjectStore(lake), day0 + 6 * HOUR_MS + 1);
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
}
