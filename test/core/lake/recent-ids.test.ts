import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { ACROSS_HOURS_MS, RecentIds } from '../../../functions/core/lake/recent-ids.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

async function lakeOfDays(days: number): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: days * 24 }, (_, h) => viewEntry(day0 + h * HOUR_MS + 600_000, h)),
  );
  const summary = await runIngest(
    quietIngestDeps(source, store, day0 + days * 24 * HOUR_MS + 1_800_000),
    { ...defaultIngestConfig('acme'), backfillDays: days },
    { range: { fromMs: day0, toMs: day0 + days * 24 * HOUR_MS } },
  );
  expect(summary.failures).toEqual([]);
  return store;
}

/** Adds a copy of the first record of hour `from` to hour `to`, timed in `to` as a wrong zone would. */
function copyInto(store: MemoryObjectStore, from: number, to: number): void {
  const read = (hour: number) =>
    decodeNdjsonGzip(
      store.objects.get(activityKey('acme', day0 + hour * HOUR_MS))?.body as Uint8Array,
    ) as EventRecord[];
  const original = read(from)[0] as EventRecord;
  const timeMs = day0 + to * HOUR_MS + 1_200_000;
  const copy = {
    ...original,
    event_time_ms: timeMs,
    event_time: lakeTimestamp(timeMs),
    window_start_ms: day0 + to * HOUR_MS,
    window_end_ms: day0 + (to + 1) * HOUR_MS,
  };
  store.putNow(activityKey('acme', day0 + to * HOUR_MS), encodeNdjsonGzip([...read(to), copy]));
}

describe('verifyLake: an id stored in two hours', () => {
  it('counts every further copy, also one more than a day after the first but within a day of the second', async () => {
    const store = await lakeOfDays(2);
    copyInto(store, 0, 20);
    copyInto(store, 0, 40);
    expect(await verifyLake(store, 'acme')).toMatchObject({
      ok: false,
      duplicateIds: 2,
      duplicateIdsAcrossHours: 2,
    });
  });

  it('is a duplicate when the hours are less than a day apart, with memory for a day of ids only', async () => {
    const store = await lakeOfDays(3);
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, duplicateIds: 0, events: 72 });
    copyInto(store, 10, 15); // five hours apart: what a time read in the wrong zone leaves
    copyInto(store, 20, 19); // the copy in the earlier hour is found too
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({
      ok: false,
      duplicateIds: 2,
      duplicateIdsAcrossHours: 2,
      misplacedRecords: 0,
    });
  });

  it('leaves ids further apart than ACROSS_HOURS_MS alone', async () => {
    const store = await lakeOfDays(3);
    copyInto(store, 2, 60);
    expect(await verifyLake(store, 'acme')).toMatchObject({ duplicateIds: 0, duplicateIdsAcrossHours: 0 });
  });
});

describe('RecentIds', () => {
  const ids = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it('names the other hour holding an id, with its time there, never the hour asked about', () => {
    const recent = new RecentIds();
    recent.keep(day0, ids({ a: day0 + 60_000 }));
    expect(recent.heldBefore('a', day0 + HOUR_MS)).toEqual({ hour: day0, timeMs: day0 + 60_000 });
    expect(recent.heldBefore('a', day0)).toBeUndefined();
    expect(recent.heldBefore('b', day0 + HOUR_MS)).toBeUndefined();
  });

  it('lets an hour go once a later hour kept is ACROSS_HOURS_MS after it', () => {
    const recent = new RecentIds();
    recent.keep(day0, ids({ a: day0 }));
    recent.keep(day0 + ACROSS_HOURS_MS - HOUR_MS, ids({}));
    expect(recent.heldBefore('a', day0 + ACROSS_HOURS_MS)).toMatchObject({ hour: day0 });
    recent.keep(day0 + ACROSS_HOURS_MS, ids({}));
    expect(recent.heldBefore('a', day0 + ACROSS_HOURS_MS + HOUR_MS)).toBeUndefined();
  });
});
