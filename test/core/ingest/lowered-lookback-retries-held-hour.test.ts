import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, checkpointKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { floorHour } from '../../../functions/core/time-units.ts';
import { afterHours, at, config, hour, hourly, lateEntry, sixAnHour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * A lookback hour a run re-pulls but does not finish is held for the next run. The watermark alone
 * keeps it within `lookbackHours` of the next run's start, which is no help once the lookback is
 * lowered in between: the checkpoint names the hour, and the next run's plan starts no later.
 */

/** Domo with six entries an hour; requests for 02:00 fail once `failing` says so; requests counted by hour. */
function lakeAndDomo() {
  const domo = new MemoryAuditSource(sixAnHour(10));
  const state: { failAfter?: Promise<void>; requested: number[] } = { requested: [] };
  const source: AuditSource = {
    fetchPage: async (query: AuditQuery) => {
      const hourMs = floorHour(query.start + 1);
      state.requested.push(hourMs);
      if (state.failAfter && hourMs === hour(2)) {
        await state.failAfter;
        throw new DomoUnavailableError('Domo answered 503 six times', 6, 503);
      }
      return domo.fetchPage(query);
    },
  };
  return { domo, source, state, store: new MemoryObjectStore() };
}

/**
 * The hours requested, in order, each as many times as it was pulled: a pull of one quiet hour
 * takes the same requests as any other's (its pages), so those of the newest, pulled once, divide.
 */
function hoursPulled(requested: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const hourMs of requested) counts.set(hourMs, (counts.get(hourMs) ?? 0) + 1);
  const perPull = counts.get(Math.max(...counts.keys())) ?? 1;
  return [...counts.entries()]
    .toSorted(([a], [b]) => a - b)
    .flatMap(([hourMs, count]) => Array.from({ length: count / perPull }, () => hourMs));
}

async function holdsLateEntry(store: MemoryObjectStore): Promise<boolean> {
  const object = await store.get(activityKey('acme', hour(2)));
  const events = object ? (decodeNdjsonGzip(object.body) as EventRecord[]) : [];
  return events.some((e) => e.event_time_ms === lateEntry.timeMs);
}

describe('a held lookback hour, when lookbackHours is lowered before the next run', () => {
  it('is pulled again once, the checkpoint naming it until it is finished', async () => {
    const { domo, source, state, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);

    // 06:30: the run re-pulls 01:00 and 02:00 and pulls 03:00 to 05:00; 02:00 fails last.
    const progress = afterHours(4);
    state.failAfter = progress.done;
    const failed = await runIngest(
      { ...quietIngestDeps(source, store, at(6)), onProgress: progress.onProgress },
      config,
      hourly,
    );
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 4, watermarkAfterMs: hour(4) });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(hour(2));

    // 07:30, the lookback lowered to 1: 03:00 would be its first hour; 02:00 is pulled too.
    state.failAfter = undefined;
    state.requested = [];
    const next = await runIngest(
      quietIngestDeps(source, store, at(7)),
      { ...config, lookbackHours: 1 },
      hourly,
    );
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: hour(4),
      watermarkAfterMs: hour(7),
    });
    expect(next.lateEvents).toBe(1);
    expect(await holdsLateEntry(store)).toBe(true);
    // Each hour of the plan asked once: 02:00 retried, nothing before it, nothing twice.
    expect(hoursPulled(state.requested)).toEqual([2, 3, 4, 5, 6].map(hour));
    const after = await readCheckpoint(store, 'acme');
    expect(after?.checkpoint).toMatchObject({ watermark_ms: hour(7) });
    expect(after?.checkpoint.retry_from_ms).toBeUndefined();
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it('is pulled again with no lookback at all, though the failing run never moved the watermark', async () => {
    const { domo, source, state, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);

    // 04:16: 03:00 has closed; the run pulls it and the lookback (01:00, 02:00). 02:00 fails once
    // the others are stored, which keeps the watermark at 03:00: only the checkpoint names 02:00.
    const progress = afterHours(2);
    state.failAfter = progress.done;
    const failed = await runIngest(
      { ...quietIngestDeps(source, store, hour(4) + 16 * 60_000), onProgress: progress.onProgress },
      config,
      hourly,
    );
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 2, watermarkAfterMs: hour(3) });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: hour(3),
      retry_from_ms: hour(2),
    });

    state.failAfter = undefined;
    state.requested = [];
    const next = await runIngest(
      quietIngestDeps(source, store, hour(4) + 31 * 60_000),
      { ...config, lookbackHours: 0 },
      hourly,
    );
    expect(next).toMatchObject({ outcome: 'complete', watermarkAfterMs: hour(4), lateEvents: 1 });
    expect(hoursPulled(state.requested)).toEqual([2, 3].map(hour));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();

    // Nothing held any more: the run after pulls only its new hour.
    state.requested = [];
    await runIngest(quietIngestDeps(source, store, at(5)), { ...config, lookbackHours: 0 }, hourly);
    expect(hoursPulled(state.requested)).toEqual([hour(4)]);
  });

  it('is named on a quiet instance, whose one span (lookback and new hour) failed and stored none', async () => {
    // Default span sizing: a few events an hour, so 02:00 to 04:00 are read in one span, and the
    // failure of 02:00 fails it whole. The run stores no hour, yet its lookback hours are held.
    const { domo, source, state, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(4)), config);
    domo.add(lateEntry);

    state.failAfter = Promise.resolve();
    const failed = await runIngest(quietIngestDeps(source, store, at(5)), config);
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 0, watermarkAfterMs: hour(4) });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: hour(4),
      retry_from_ms: hour(2),
    });

    state.failAfter = undefined;
    const next = await runIngest(quietIngestDeps(source, store, at(6)), { ...config, lookbackHours: 0 });
    expect(next).toMatchObject({ outcome: 'complete', watermarkAfterMs: hour(6), lateEvents: 1 });
    expect(await holdsLateEntry(store)).toBe(true);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it('is not written by a run whose digest did not open (it wrote nothing to the lake)', async () => {
    const { domo, source, state, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(4)), config, hourly);
    domo.add(lateEntry);
    const before = await store.get(checkpointKey('acme'));

    // The chain's first read once Domo was asked (the digest opening's) fails, so no hour can be
    // stored; 02:00 fails besides. The chain reads well again by the end of the run.
    let chainDown = true;
    const asked = state.requested.length;
    const flaky: ObjectStore = {
      location: store.location,
      get: (key) => {
        const opening = chainDown && state.requested.length > asked && key.startsWith(digestPrefix('acme'));
        if (!opening) return store.get(key);
        chainDown = false;
        return Promise.reject(new Error('GET answered 503'));
      },
      put: (key, body, options) => store.put(key, body, options),
      list: (prefix, options) => store.list(prefix, options),
    };
    state.failAfter = Promise.resolve();
    const failed = await runIngest(quietIngestDeps(source, flaky, at(5)), config, hourly);
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 0 });
    // Left as the run before it left it: a write now would flush a digest without its opening.
    expect(await store.get(checkpointKey('acme'))).toEqual(before);
  });

  it('gives way to a watermark moved back by hand to the held hour', async () => {
    const { domo, source, state, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);
    const progress = afterHours(4);
    state.failAfter = progress.done;
    await runIngest(
      { ...quietIngestDeps(source, store, at(6)), onProgress: progress.onProgress },
      config,
      hourly,
    );
    const held = await readCheckpoint(store, 'acme');
    expect(held?.checkpoint).toMatchObject({ watermark_ms: hour(4), retry_from_ms: hour(2) });

    // docs/operations.md "Resetting the checkpoint": watermark_ms and watermark moved back to 02:00.
    const movedBack = {
      ...held?.checkpoint,
      watermark_ms: hour(2),
      watermark: new Date(hour(2)).toISOString(),
    };
    store.putNow(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(movedBack)));

    state.failAfter = undefined;
    state.requested = [];
    const next = await runIngest(
      quietIngestDeps(source, store, at(7)),
      { ...config, lookbackHours: 0 },
      hourly,
    );
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: hour(2),
      watermarkAfterMs: hour(7),
    });
    expect(hoursPulled(state.requested)).toEqual([2, 3, 4, 5, 6].map(hour));
    expect(await holdsLateEntry(store)).toBe(true);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });
});
