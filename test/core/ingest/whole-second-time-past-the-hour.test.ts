import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-11-01T00:00:00Z');
const range = { fromMs: day0, toMs: day0 + 2 * HOUR_MS };

/** `2026-11-01T01:00:00Z`: ISO 8601 of whole seconds, with its zone. */
const wholeSecondIso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * 49 entries in each of two hours, and one more Domo files 400 ms before the hour's end but whose
 * whole-second time is rounded up to the end: only that hour's request returns it, and its time
 * reads as the next hour's first second, within the second of slack.
 */
function entries(): MemoryEntry[] {
  const all: MemoryEntry[] = [];
  for (const hour of [0, 1]) {
    const startMs = day0 + hour * HOUR_MS;
    for (let i = 0; i < 49; i++) {
      const view = viewEntry(startMs + (i + 1) * 60_000, 100 * hour + i);
      all.push({ ...view, entry: { ...(view.entry as object), time: wholeSecondIso(view.timeMs) } });
    }
    const endMs = startMs + HOUR_MS;
    const filed = viewEntry(endMs - 400, 100 * hour + 99);
    all.push({ ...filed, entry: { ...(filed.entry as object), time: wholeSecondIso(endMs) } });
  }
  return all;
}

describe('a whole-second time with its zone, rounded past the hour Domo filed it in', () => {
  it('is quarantined in the hour that returned it, never lost', async () => {
    const source = new MemoryAuditSource(entries());
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      quietIngestDeps(source, store, day0 + 3 * HOUR_MS),
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range },
    );
    // The neighbouring hour's request does not return it: left to that hour, it was stored nowhere.
    expect(summary).toMatchObject({ eventsWritten: 98, quarantined: 2, outOfWindow: 2, failures: [] });
    for (const hour of [0, 1]) {
      expect(await readCoverage(store, 'acme', day0 + hour * HOUR_MS)).toMatchObject({
        event_count: 49,
        quarantined_count: 1,
        out_of_window_count: 1,
      });
    }
    const stored = await store.get(quarantineKey('acme', day0));
    const [record] = decodeNdjsonGzip(stored?.body ?? new Uint8Array()) as QuarantineRecord[];
    expect(record?.reason).toMatch(
      /^time 2026-11-01 01:00:00\.000 UTC, a string without milliseconds, falls just outside/,
    );
    expect(record?.reason).not.toMatch(/docTimeZone/);
  });
});
