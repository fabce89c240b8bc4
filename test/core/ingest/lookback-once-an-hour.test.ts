import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * The schedule runs every 15 minutes, but a closed hour appears once an hour: the lookback hours
 * are pulled again only by the run that has one (review 36, cost: 864 audit requests a day at
 * 3,000 events an hour for a minimum of ~96), while late events are stored as before.
 */

const day0 = Date.parse('2026-10-01T00:00:00Z');
/** Without the later pull (later-pull.test.ts), which pulls each hour once more a day on. */
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, repullAfterHours: 0 };
/** One hour per span, so every hour pulled is one read of its own. */
const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };

async function storedEventTimes(store: MemoryObjectStore): Promise<number[]> {
  const times: number[] = [];
  for await (const key of store.list('activity_log/instance=acme/')) {
    const object = await store.get(key);
    if (object) times.push(...(decodeNdjsonGzip(object.body) as EventRecord[]).map((e) => e.event_time_ms));
  }
  return times.sort((a, b) => a - b);
}

describe('the lookback on a 15-minute schedule', () => {
  it('is pulled once an hour, with the new hour, and still stores every late event', async () => {
    const source = new MemoryAuditSource();
    for (let h = -24; h < 26; h++)
      for (let i = 0; i < 5; i++) source.add(viewEntry(day0 + h * HOUR_MS + i * 600_000, (h + 24) * 10 + i));
    const store = new MemoryObjectStore();
    const first = await runIngest(quietIngestDeps(source, store, day0), config, hourly);

    const pulled: number[] = [];
    let late = 0;
    let last = first;
    for (let run = 0; run < 96; run++) {
      const nowMs = day0 + run * 15 * 60_000 + 60_000;
      // An event of the hour before last shows up late now and then (still in the lookback).
      if (run % 4 === 2) source.add(viewEntry(nowMs - 90 * 60_000, 1_000_000 + run));
      last = await runIngest(quietIngestDeps(source, store, nowMs), config, hourly);
      expect(last.outcome).toBe('complete');
      pulled.push(last.windowsDone);
      late += last.lateEvents;
    }

    const newHours = ((last.watermarkAfterMs ?? 0) - (first.watermarkAfterMs ?? 0)) / HOUR_MS;
    expect(newHours).toBe(24);
    // Each new hour is pulled with the two lookback hours before it; the 72 runs between pull nothing.
    expect(pulled.filter((n) => n > 0)).toEqual(Array(newHours).fill(1 + config.lookbackHours));
    expect(pulled.reduce((a, b) => a + b)).toBe(newHours * (1 + config.lookbackHours));
    // Audit requests: 3x the minimum, one pull of each new hour (a range run on an empty lake).
    const served = source.queries.length - first.requests;
    const once = await runIngest(quietIngestDeps(source, new MemoryObjectStore(), day0 + DAY_MS), config, {
      ...hourly,
      range: { fromMs: first.watermarkAfterMs ?? 0, toMs: last.watermarkAfterMs ?? 0 },
    });
    expect(served).toBeLessThanOrEqual((1 + config.lookbackHours) * once.requests);

    // The last late entry (22:01, seen at 23:31) waits for the next run with a closed hour, 00:16,
    // up to an hour later than when every run pulled the lookback. Then every entry served for an
    // hour before the watermark is stored once, the 24 late ones included.
    const next = await runIngest(quietIngestDeps(source, store, day0 + DAY_MS + 16 * 60_000), config, hourly);
    expect(late + next.lateEvents).toBe(24);
    const closed = source.entries.filter((e) => e.timeMs < (next.watermarkAfterMs ?? 0));
    expect(await storedEventTimes(store)).toEqual(closed.map((e) => e.timeMs).sort((a, b) => a - b));
  });
});
