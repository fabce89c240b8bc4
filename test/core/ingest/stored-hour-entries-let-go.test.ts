import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { aliveAfterCollecting, gcOnDemand } from '../../support/alive-after-collecting.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// A span's hours are stored one after the other, each with several writes (its events, its
// quarantine, its manifest) that wait on storage and gzip while the other spans go on. An hour's
// entries (parsed, with their texts) were held until those writes were done, though only their
// records are needed once the hour is normalised: held, they were the largest part of what the
// ingest kept alive per hour stored, and the 1M-event ingest's peak memory paid for it.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;

/** Serves fresh parsed entries on each page, as the real client does, and keeps a weak reference to each. */
class WatchedSource implements AuditSource {
  readonly served: { timeMs: number; ref: WeakRef<object> }[] = [];
  constructor(private readonly inner: MemoryAuditSource) {}

  async fetchPage(query: AuditQuery) {
    const page = await this.inner.fetchPage(query);
    const entries = page.entryTexts.map((text) => JSON.parse(text) as { time: number });
    for (const entry of entries) this.served.push({ timeMs: entry.time, ref: new WeakRef(entry) });
    return { ...page, entries };
  }
}

describe('a span stored hour after hour', () => {
  it("lets an hour's entries go once they are normalised, before its writes", async () => {
    const collect = gcOnDemand();
    // Ten entries an hour for eight hours: one span.
    const domo = new MemoryAuditSource(
      Array.from({ length: 80 }, (_, i) => viewEntry(day0 + i * 6 * 60_000, i)),
    );
    const source = new WatchedSource(domo);
    const store = new MemoryObjectStore();
    const held: number[] = [];
    store.beforePut = async (key) => {
      // Hour 2's events are being written: its entries are normalised, and the ingest waits here.
      if (key !== activityKey('acme', hour(2)) || held.length > 0) return;
      held.push(-1);
      const ofHour2 = source.served.filter((e) => e.timeMs >= hour(2) && e.timeMs < hour(3));
      const alive = () => ofHour2.filter((e) => e.ref.deref() !== undefined).length;
      held.splice(0, 1, ofHour2.length, await aliveAfterCollecting(collect, alive));
    };
    const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, lookbackHours: 0 };
    const result = await runIngest(quietIngestDeps(source, store, hour(8) + 30 * 60_000), config, {
      spanSizing: { targetEvents: 1_000, maxHours: 8 },
    });

    expect(result).toMatchObject({ failures: [] });
    // Hour 2's ten entries were served, and none is still held while its writes go on.
    expect(held).toEqual([10, 0]);
  });
});
