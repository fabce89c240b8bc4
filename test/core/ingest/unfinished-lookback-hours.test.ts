import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { afterHours, at, config, hour, hourly, lateEntry, sixAnHour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * A scheduled run re-pulls the `lookbackHours` (2) hours before its watermark to catch late
 * events. Those hours lie before the watermark, so a gap there does not hold it back as a gap
 * after it does: these runs finish newer hours while a lookback hour fails or is aborted, and the
 * watermark must still stop where the next run's lookback includes that hour again.
 */

/** Domo with six entries an hour from 00:00 to 09:00; requests for one chosen hour can be held. */
function lakeAndDomo() {
  const domo = new MemoryAuditSource(sixAnHour(10));
  const held: { hourMs?: number; until?: Promise<void>; answer?: 'fail' | 'hang' } = {};
  const source: AuditSource = {
    fetchPage: async (query: AuditQuery, signal?: AbortSignal) => {
      const hourMs = held.hourMs;
      if (hourMs !== undefined && query.start <= hourMs && query.end >= hourMs + HOUR_MS - 1000) {
        await held.until;
        if (held.answer === 'fail') throw new DomoUnavailableError('Domo answered 503 six times', 6, 503);
        // Domo answers this hour slowly (Retry-After waits): only the run's hard stop ends the wait.
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      }
      return domo.fetchPage(query);
    },
  };
  return { domo, source, held, store: new MemoryObjectStore() };
}

/**
 * The 07:30 run with `heldHour` answering slowly: every other hour is stored, then the
 * invocation's time runs out and the hard stop aborts the held hour.
 */
function runUntilHardStop(lake: ReturnType<typeof lakeAndDomo>, heldHour: number) {
  const { source, held, store } = lake;
  let remainingMs = 600_000;
  const progress = afterHours(5);
  void progress.done.then(() => (remainingMs = 50));
  Object.assign(held, { hourMs: heldHour, until: undefined, answer: 'hang' });
  return runIngest(
    {
      ...quietIngestDeps(source, store, at(7)),
      onProgress: progress.onProgress,
      remainingTimeMs: () => remainingMs,
    },
    { ...config, budgetMarginMs: 400 },
    hourly,
  );
}

async function eventsOf(store: ObjectStore, hourMs: number): Promise<EventRecord[]> {
  const object = await store.get(activityKey('acme', hourMs));
  return object ? (decodeNdjsonGzip(object.body) as EventRecord[]) : [];
}

const holdsLateEntry = async (store: ObjectStore) =>
  (await eventsOf(store, hour(2))).some((e) => e.event_time_ms === lateEntry.timeMs);

describe('a lookback hour the run does not finish', () => {
  it('holds the watermark when it fails, so the next run pulls it again and stores its late event', async () => {
    const { domo, source, held, store } = lakeAndDomo();
    const first = await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    expect(first.watermarkAfterMs).toBe(hour(3));
    domo.add(lateEntry);

    // 06:30, three runs later (Domo was down meanwhile): the run pulls 01:00 and 02:00 again
    // (lookback) and 03:00 to 05:00. 02:00 fails after the client's retries, once every other
    // hour is stored.
    const progress = afterHours(4);
    Object.assign(held, { hourMs: hour(2), until: progress.done, answer: 'fail' });
    const deps: IngestDeps = { ...quietIngestDeps(source, store, at(6)), onProgress: progress.onProgress };
    const failed = await runIngest(deps, config, hourly);
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 4, windowsFailed: 1 });
    expect(failed.failures).toEqual([{ windowStartMs: hour(2), message: 'Domo answered 503 six times' }]);
    // Not 06:00: the next run's lookback (2 hours before its watermark) must reach back to 02:00.
    expect(failed.watermarkAfterMs).toBe(hour(4));
    expect(await holdsLateEntry(store)).toBe(false);

    held.hourMs = undefined;
    const next = await runIngest(quietIngestDeps(source, store, at(7)), config, hourly);
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: hour(4),
      watermarkAfterMs: hour(7),
    });
    expect(next.lateEvents).toBe(1);
    expect(await holdsLateEntry(store)).toBe(true);
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it('is pulled again by the very next run, 15 minutes on, though no new hour has closed by then', async () => {
    const { domo, source, held, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);

    // 04:16: 03:00 has closed, so the run pulls it and the lookback (01:00, 02:00); 02:00 fails
    // once the two others are stored. 02:00 + 2 hours would allow 04:00, but then the 04:31 run
    // would have no closed hour to pull, and so no lookback: it would leave 02:00 for 05:16.
    const progress = afterHours(2);
    Object.assign(held, { hourMs: hour(2), until: progress.done, answer: 'fail' });
    const deps = {
      ...quietIngestDeps(source, store, hour(4) + 16 * 60_000),
      onProgress: progress.onProgress,
    };
    const failed = await runIngest(deps, config, hourly);
    expect(failed).toMatchObject({ outcome: 'failed', windowsDone: 2, watermarkAfterMs: hour(3) });

    held.hourMs = undefined;
    const next = await runIngest(quietIngestDeps(source, store, hour(4) + 31 * 60_000), config, hourly);
    expect(next).toMatchObject({
      outcome: 'complete',
      windowsDone: 3,
      watermarkAfterMs: hour(4),
      lateEvents: 1,
    });
    expect(await holdsLateEntry(store)).toBe(true);
  });

  it('holds the watermark when the hard stop aborts it, though the run reports no failure', async () => {
    const lake = lakeAndDomo();
    const { domo, source, held, store } = lake;
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);

    // 07:30: 02:00 answers slowly; every other hour is stored, then the hard stop aborts 02:00.
    const stopped = await runUntilHardStop(lake, hour(2));
    expect(stopped).toMatchObject({
      outcome: 'partial',
      stoppedEarly: 'time-budget',
      windowsDone: 5,
      failures: [],
    });
    expect(stopped.watermarkAfterMs).toBe(hour(4));

    held.hourMs = undefined;
    const next = await runIngest(quietIngestDeps(source, store, at(8)), config, hourly);
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: hour(4),
      watermarkAfterMs: hour(8),
    });
    expect(await holdsLateEntry(store)).toBe(true);
  });

  it('when it is the oldest and the hard stop aborts it, is a run without progress saying why', async () => {
    const lake = lakeAndDomo();
    const { source, held, store } = lake;
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    // 07:30: 01:00, the oldest lookback hour, answers slowly; the five others are stored, then the
    // hard stop aborts 01:00. The watermark may not move at all: 01:00 + 2 hours is where it is.
    const stopped = await runUntilHardStop(lake, hour(1));
    expect(stopped).toMatchObject({ outcome: 'no-progress', windowsDone: 5, watermarkAfterMs: hour(3) });
    expect(stopped.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^no progress: the lake is behind, yet the run stopped \(time-budget\) with the watermark still at 2026-10-01T03:00:00\.000Z: it saved 5 hour\(s\), but an hour it did not finish holds the watermark \(the one at 2026-10-01T03:00:00\.000Z, or a lookback hour the next run must pull again\); /,
      ),
    ]);

    held.hourMs = undefined;
    const next = await runIngest(quietIngestDeps(source, store, at(8)), config, hourly);
    expect(next).toMatchObject({
      outcome: 'complete',
      watermarkBeforeMs: hour(3),
      watermarkAfterMs: hour(8),
    });
  });

  it('when it is the oldest and fails on every run, keeps the watermark there and the lag grows', async () => {
    const { domo, source, held, store } = lakeAndDomo();
    await runIngest(quietIngestDeps(source, store, at(3)), config, hourly);
    domo.add(lateEntry);
    // From 04:30 on, 02:00 (the oldest lookback hour once the watermark is 04:00) always fails,
    // once the run's other hours are stored.
    const runs = [];
    const schedule: [runAt: number, otherHours: number][] = [
      [4, 2],
      [5, 2],
      [6, 3],
    ];
    for (const [h, others] of schedule) {
      const progress = afterHours(others);
      Object.assign(held, { hourMs: hour(2), until: progress.done, answer: 'fail' });
      const deps = { ...quietIngestDeps(source, store, at(h)), onProgress: progress.onProgress };
      runs.push(await runIngest(deps, config, hourly));
    }
    // The 04:30 run's only new hour is 03:00: the watermark stays before it (not at 04:00), so
    // the next run has a closed hour and pulls its lookback, 02:00 included.
    expect(runs.map((r) => r.watermarkAfterMs)).toEqual([hour(3), hour(4), hour(4)]);
    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed']);
    // What the Lag alarm reads: now − watermark, growing an hour a run once it is held at 04:00.
    expect(runs.map((r) => r.behindByMs)).toEqual([at(4) - hour(3), at(5) - hour(4), at(6) - hour(4)]);

    // Once Domo serves 02:00 again the next run stores its late event and catches up.
    held.hourMs = undefined;
    const recovered = await runIngest(quietIngestDeps(source, store, at(7)), config, hourly);
    expect(recovered).toMatchObject({ outcome: 'complete', watermarkAfterMs: hour(7) });
    expect(await holdsLateEntry(store)).toBe(true);
  });

  it('is pulled again when its manifest could not be written, so its manifest catches up with the next run', async () => {
    const domo = new MemoryAuditSource(sixAnHour(5));
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, store, at(3)), config, hourly);
    domo.add(lateEntry);
    // The catch-up run merges the late entry into 02:00, then cannot write 02:00's manifest (the
    // write fails once 01:00, 03:00 and 04:00 are stored).
    const progress = afterHours(3);
    store.beforePut = async (key) => {
      if (key !== coverageKey('acme', hour(2))) return;
      await progress.done;
      throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
    };
    const deps = { ...quietIngestDeps(domo, store, at(5)), onProgress: progress.onProgress };
    const failed = await runIngest(deps, config, hourly);
    expect(failed.windowsDone).toBe(3);
    expect(failed.failures.map((f) => f.windowStartMs)).toEqual([hour(2)]);
    // Nothing is lost: the hour holds its manifest's events and the late one, its manifest behind.
    expect(await verifyLake(store, 'acme')).toMatchObject({
      ok: true,
      manifestMismatches: [],
      grownPastManifest: [{ windowStartMs: hour(2), detail: 'manifest says 6 events, object holds 7' }],
    });

    store.beforePut = undefined;
    await runIngest(quietIngestDeps(domo, store, at(6)), config, hourly);
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, grownPastManifest: [] });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(hour(6));
  });
});
