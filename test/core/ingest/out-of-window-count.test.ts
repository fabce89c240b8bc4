import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { renderTime } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: day0, toMs: day0 + 2 * HOUR_MS };

/** `count` entries in hour `hour`, their times written on a New York wall clock without a zone. */
const newYorkEntries = (hour: number, count: number): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) => {
    const view = viewEntry(day0 + hour * HOUR_MS + (i + 1) * 60_000, 10 * hour + i);
    return {
      ...view,
      entry: { ...(view.entry as object), time: renderTime(view.timeMs, 'docString', 'America/New_York') },
    };
  });

const pull = (source: MemoryAuditSource, store: MemoryObjectStore, docTimeZone: string) =>
  runIngest(
    quietIngestDeps(source, store, day0 + 3 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1, docTimeZone },
    { range },
  );

describe("an hour's coverage manifest", () => {
  it('counts the entries its pull found outside the hour (a wrong docTimeZone), hour by hour', async () => {
    const source = new MemoryAuditSource([...newYorkEntries(0, 3), ...newYorkEntries(1, 2)]);
    const store = new MemoryObjectStore();
    // Read as UTC, each time falls four hours before the hour Domo returned it for.
    expect(await pull(source, store, 'UTC')).toMatchObject({ outOfWindow: 5, quarantined: 5, failures: [] });
    expect(await readCoverage(store, 'acme', day0)).toMatchObject({
      out_of_window_count: 3,
      quarantined_count: 3,
    });
    expect(await readCoverage(store, 'acme', day0 + HOUR_MS)).toMatchObject({
      out_of_window_count: 2,
      quarantined_count: 2,
    });

    // Pulled again in the right zone, the hour holds them as events: none is outside it any more.
    await pull(source, store, 'America/New_York');
    expect(await readCoverage(store, 'acme', day0)).toMatchObject({
      out_of_window_count: 0,
      quarantined_count: 0,
      event_count: 3,
    });
  });
});
