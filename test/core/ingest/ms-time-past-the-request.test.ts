import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-11-01T00:00:00Z');
const range = { fromMs: day0, toMs: day0 + 2 * HOUR_MS };

/**
 * 49 entries in each of two hours, and one more whose time, of millisecond precision, reads half a
 * second past the hour's end although Domo files it 100 ms before it: only that hour's request
 * returns it, as the reviewer's server did.
 */
function entries(late: (timeMs: number) => number | string): MemoryEntry[] {
  const all: MemoryEntry[] = [];
  for (const hour of [0, 1]) {
    const startMs = day0 + hour * HOUR_MS;
    for (let i = 0; i < 49; i++) all.push(viewEntry(startMs + (i + 1) * 60_000, 100 * hour + i));
    const endMs = startMs + HOUR_MS;
    const filed = viewEntry(endMs - 100, 100 * hour + 99);
    all.push({ ...filed, entry: { ...(filed.entry as object), time: late(endMs + 500) } });
  }
  return all;
}

const pull = (source: MemoryAuditSource, store: MemoryObjectStore) =>
  runIngest(
    quietIngestDeps(source, store, day0 + 3 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range },
  );

describe('an entry Domo returns with a millisecond time just past the asked range', () => {
  for (const [form, late] of [
    ['epoch ms', (ms: number) => ms],
    ['ISO 8601 with milliseconds', (ms: number) => new Date(ms).toISOString()],
  ] as const) {
    it(`is quarantined in the hour that returned it, never lost (${form})`, async () => {
      const source = new MemoryAuditSource(entries(late));
      const store = new MemoryObjectStore();
      const summary = await pull(source, store);
      // Every entry served ends up stored: 98 events, and the 2 in their hours' quarantine.
      expect(summary).toMatchObject({ eventsWritten: 98, quarantined: 2, outOfWindow: 2, failures: [] });
      for (const hour of [0, 1]) {
        expect(await readCoverage(store, 'acme', day0 + hour * HOUR_MS)).toMatchObject({
          event_count: 49,
          quarantined_count: 1,
          out_of_window_count: 1,
        });
      }
    });
  }
});
