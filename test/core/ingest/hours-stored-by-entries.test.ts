import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import type { PutOptions, StoredObject } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Storing an hour holds its records, its NDJSON bytes and their gzip, several times its entries'
// memory and growing with its events. Two hours were stored at once whatever their size, so a
// denser instance's busy hours held twice as much as two of a sparser one's at the peak (the
// 1M-event month against the 100k-event week of the bench): the limit is in entries now.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const HOURS = 4;

/** Hours being stored at once: from the read of an hour's manifest to the write of its new one. */
class StoringWatch extends MemoryObjectStore {
  private readonly storing = new Set<number>();
  mostAtOnce = 0;

  private hourOf(key: string): number | undefined {
    for (let h = 0; h < HOURS; h++) if (key === coverageKey('acme', hour(h))) return h;
    return undefined;
  }

  override async get(key: string): Promise<StoredObject | undefined> {
    const h = this.hourOf(key);
    if (h !== undefined) {
      this.storing.add(h);
      this.mostAtOnce = Math.max(this.mostAtOnce, this.storing.size);
    }
    return super.get(key);
  }

  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const written = await super.put(key, body, options);
    const h = this.hourOf(key);
    if (h !== undefined) this.storing.delete(h);
    return written;
  }
}

/** Hours stored at once by a run of HOURS one-hour spans of `perHour` events each, read together. */
async function mostStoredAtOnce(perHour: number): Promise<number> {
  const domo = new MemoryAuditSource(
    Array.from({ length: HOURS * perHour }, (_, i) =>
      viewEntry(day0 + Math.floor((i * HOUR_MS) / perHour), i),
    ),
  );
  const store = new StoringWatch();
  const config = { ...defaultIngestConfig('acme'), concurrency: HOURS, lookbackHours: 0 };
  const result = await runIngest(quietIngestDeps(domo, store, hour(HOURS) + 30 * 60_000), config, {
    range: { fromMs: hour(0), toMs: hour(HOURS) },
    spanSizing: { targetEvents: 10_000, maxHours: 1 },
  });
  expect(result).toMatchObject({ failures: [], eventsWritten: HOURS * perHour });
  return store.mostAtOnce;
}

describe('hours stored at once', () => {
  // The limit is 4,000 entries (EVENTS_STORING).
  it('stores two hours of up to 2,000 events together', async () => {
    expect(await mostStoredAtOnce(1_900)).toBe(2);
  });

  it('stores busier hours one at a time', async () => {
    expect(await mostStoredAtOnce(2_500)).toBe(1);
  });
});
