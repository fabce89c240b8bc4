import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { renderTime } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T10:00:00Z');

/** `count` entries in hour `hour` after day0: epoch-ms times, or New York wall-clock strings without a zone. */
const entries = (hour: number, count: number, zoneless: boolean): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) => {
    const view = viewEntry(day0 + hour * HOUR_MS + (i + 1) * 60_000, 10 * hour + i);
    if (!zoneless) return view;
    return {
      ...view,
      entry: { ...(view.entry as object), time: renderTime(view.timeMs, 'docString', 'America/New_York') },
    };
  });

describe('verify reading the coverage manifests', () => {
  it("sums the entries each hour's pull found outside the hour, and reads them as no broken promise", async () => {
    // Hours 0 and 2 hold 3 and 2 entries whose zone-less times, read as UTC, fall outside them;
    // hour 1 holds 4 ordinary ones.
    const source = new MemoryAuditSource([
      ...entries(0, 3, true),
      ...entries(1, 4, false),
      ...entries(2, 2, true),
    ]);
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      quietIngestDeps(source, store, day0 + 4 * HOUR_MS),
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: day0, toMs: day0 + 3 * HOUR_MS } },
    );
    expect(summary).toMatchObject({ outOfWindow: 5, failures: [] });

    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ windowsCovered: 3, events: 4, quarantined: 5, outOfWindow: 5, ok: true });
  });
});
