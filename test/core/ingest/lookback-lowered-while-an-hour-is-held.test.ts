import { expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const at = (h: number) => hour(h) + 30 * 60_000;
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };
const config = (lookbackHours: number) => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  concurrency: 3,
  lookbackHours,
  // These runs are the lookback's (the later pull would pull the backfill's hours a day on).
  repullAfterHours: 0,
});

async function storedTimes(lake: ObjectStore, hourMs: number): Promise<number[]> {
  const stored = await lake.get(activityKey('acme', hourMs));
  return (decodeNdjsonGzip(stored?.body as Uint8Array) as { event_time_ms: number }[]).map(
    (event) => event.event_time_ms,
  );
}

// The watermark holds a failing lookback hour within reach of the lookback as the failing run had
// it; the checkpoint names the hour too, so a shorter lookback after it still starts there
// (docs/guarantees.md §2).
it('pulls a held lookback hour again when lookbackHours is lowered before the next run', async () => {
  const domo = new MemoryAuditSource(
    Array.from({ length: 60 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  let failHour: number | undefined;
  const source: AuditSource = {
    fetchPage: async (query: AuditQuery) => {
      if (failHour !== undefined && query.start <= failHour && query.end >= failHour + HOUR_MS - 1000)
        throw new DomoUnavailableError('Domo answered 503 six times', 6, 503);
      return domo.fetchPage(query);
    },
  };
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(source, lake, at(8)), config(6), hourly);
  const late = viewEntry(hour(2) + 5 * 60_000 + 1, 999);
  domo.add(late);
  failHour = hour(2); // the oldest lookback hour fails: the watermark is held 6 hours past it
  const failed = await runIngest(quietIngestDeps(source, lake, at(9)), config(6), hourly);
  expect(failed.watermarkAfterMs).toBe(hour(8));
  failHour = undefined;

  const next = await runIngest(quietIngestDeps(source, lake, at(10)), config(2), hourly);
  expect(next).toMatchObject({ outcome: 'complete', windowsPlanned: 8, lateEvents: 1 });
  expect(await storedTimes(lake, hour(2))).toContain(late.timeMs);
});
