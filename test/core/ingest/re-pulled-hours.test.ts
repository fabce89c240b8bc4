import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { renderTime } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: hour, toMs: hour + HOUR_MS };

const pull = (source: MemoryAuditSource, store: MemoryObjectStore) =>
  runIngest(
    quietIngestDeps(source, store, hour + 2 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range },
  );

const bodyOf = (store: MemoryObjectStore, key: string) =>
  new TextDecoder().decode(store.objects.get(key)?.body);

describe('the manifest of an hour pulled again', () => {
  it('keeps when the hour was first fetched, and counts the pulls', async () => {
    const store = new MemoryObjectStore();
    const source = new MemoryAuditSource([viewEntry(hour + 60_000, 1)]);
    const config = { ...defaultIngestConfig('acme'), concurrency: 1 };
    await runIngest(quietIngestDeps(source, store, hour + 2 * HOUR_MS), config, { range });
    await runIngest(quietIngestDeps(source, store, hour + 5 * HOUR_MS), config, { range });
    expect(JSON.parse(bodyOf(store, coverageKey('acme', hour)))).toMatchObject({
      first_fetched_at: new Date(hour + 2 * HOUR_MS).toISOString(),
      fetched_at: new Date(hour + 5 * HOUR_MS).toISOString(),
      fetch_count: 2,
    });
  });
});

describe('an hour that lost events from the lake', () => {
  it('is not marked complete again with fewer events than its manifest counted', async () => {
    const store = new MemoryObjectStore();
    const entries = [viewEntry(hour + 60_000, 1), viewEntry(hour + 120_000, 2), viewEntry(hour + 180_000, 3)];
    expect((await pull(new MemoryAuditSource(entries), store)).failures).toEqual([]);
    const manifest = bodyOf(store, coverageKey('acme', hour));

    // The object is removed, and Domo (past its retention, say) serves all but one entry back:
    // a single lost event is enough.
    store.objects.delete(activityKey('acme', hour));
    const summary = await pull(new MemoryAuditSource(entries.slice(0, 2)), store);

    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.message).toMatch(
      /^activity_log\/instance=acme\/dt=2026-10-01\/2026-10-01T10\.ndjson\.gz holds 2 events but its coverage manifest \(run [^,]+, [^)]+\) counted 3: events were removed from the lake since.*if on purpose \(stray copies of events\), remove the coverage manifest too/,
    );
    expect(bodyOf(store, coverageKey('acme', hour))).toBe(manifest);
  });

  it('is restored when Domo serves every event back, and what is put back is not late', async () => {
    const store = new MemoryObjectStore();
    const entries = [viewEntry(hour + 60_000, 1), viewEntry(hour + 120_000, 2)];
    await pull(new MemoryAuditSource(entries), store);
    store.objects.delete(activityKey('acme', hour));
    // Restored, plus one event Domo had not served before: only that one is late.
    const summary = await pull(new MemoryAuditSource([...entries, viewEntry(hour + 180_000, 3)]), store);
    expect(summary.failures).toEqual([]);
    expect(summary).toMatchObject({ eventsWritten: 3, lateEvents: 1 });
  });
});

describe('entries quarantined under a wrong docTimeZone, then re-pulled with the right one', () => {
  it('leave quarantine as they are stored, and are not counted as late', async () => {
    const store = new MemoryObjectStore();
    const entries = [1, 2, 3].map((n) => {
      const view = viewEntry(hour + n * 60_000, n);
      const time = renderTime(view.timeMs, 'docString', 'America/New_York');
      return { ...view, entry: { ...(view.entry as object), time } };
    });
    const source = new MemoryAuditSource(entries);
    const first = await pull(source, store);
    expect(first).toMatchObject({ eventsWritten: 0, quarantined: 3, outOfWindow: 3 });

    const fixed = await runIngest(
      quietIngestDeps(source, store, hour + 2 * HOUR_MS),
      { ...defaultIngestConfig('acme'), concurrency: 1, docTimeZone: 'America/New_York' },
      { range },
    );
    expect(fixed).toMatchObject({ eventsWritten: 3, lateEvents: 0, outOfWindow: 0 });
    expect(decodeNdjsonGzip(store.objects.get(quarantineKey('acme', hour))?.body as Uint8Array)).toEqual([]);
    const manifest = JSON.parse(bodyOf(store, coverageKey('acme', hour)) ?? '{}');
    expect(manifest).toMatchObject({ event_count: 3, quarantined_count: 0, late_events: 0 });
  });
});
