import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { RepeatedHourTwins } from '../../../functions/core/lake/repeated-hour-twins.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

// Clocks go back in New York at 2026-11-01T06:00Z: 01:30:00 AM is 05:30Z (EDT), then 06:30Z (EST).
const zone = 'America/New_York';
const range = { fromMs: Date.parse('2026-11-01T04:00:00Z'), toMs: Date.parse('2026-11-01T09:00:00Z') };

/** An hourly job's run, identical in all but its instant: Domo's time string names no zone. */
const jobRun = (iso: string): MemoryEntry => {
  const ms = Date.parse(iso);
  const entry = {
    actionType: 'DATAFLOW_RUN',
    actorId: 0,
    eventText: 'Ran dataflow',
    objectId: 'df1',
    objectName: 'Hourly',
    objectType: 'DATAFLOW',
    time: formatDocString(ms, zone),
    userId: 'svc',
    userName: 'svc',
  };
  return { timeMs: ms, entry };
};

async function lakeOf(entries: MemoryEntry[]): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const deps = {
    ...noWaits,
    source: new MemoryAuditSource(entries),
    store,
    clock: { now: () => range.toMs + 2 * 24 * HOUR_MS },
    log: silentLog,
    metrics: { count() {} },
  };
  const summary = await runIngest(deps, { ...defaultIngestConfig('acme'), docTimeZone: zone }, { range });
  expect(summary.failures).toEqual([]);
  return store;
}

const read = (store: MemoryObjectStore, hourMs: number): EventRecord[] => {
  const body = store.objects.get(activityKey('acme', hourMs))?.body;
  return body ? (decodeNdjsonGzip(body) as EventRecord[]) : [];
};

/** Adds a copy of the first record of the hour at `fromMs`, moved `byMs` later, to its new hour. */
function copyLater(store: MemoryObjectStore, fromMs: number, byMs: number): void {
  const original = read(store, fromMs)[0] as EventRecord;
  const timeMs = original.event_time_ms + byMs;
  const hourMs = Math.floor(timeMs / HOUR_MS) * HOUR_MS;
  const copy = {
    ...original,
    event_time_ms: timeMs,
    event_time: lakeTimestamp(timeMs),
    window_start_ms: hourMs,
    window_end_ms: hourMs + HOUR_MS,
  };
  store.putNow(activityKey('acme', hourMs), encodeNdjsonGzip([...read(store, hourMs), copy]));
}

describe('verifyLake: one id in the two occurrences of the repeated hour', () => {
  it('passes identical entries of both occurrences, and counts them on their own', async () => {
    const store = await lakeOf([jobRun('2026-11-01T05:30:00.200Z'), jobRun('2026-11-01T06:30:00.300Z')]);
    const [first] = read(store, Date.parse('2026-11-01T05:00:00Z'));
    const [second] = read(store, Date.parse('2026-11-01T06:00:00Z'));
    expect(first?.event_id).toBe(second?.event_id);
    expect(await verifyLake(store, 'acme', range)).toMatchObject({
      ok: true,
      events: 2,
      duplicateIds: 0,
      duplicateIdsAcrossHours: 0,
      repeatedHourTwins: 1,
    });
  });

  it('fails a copy an hour later of an entry outside any repeated hour', async () => {
    // 08:30Z is 03:30 AM in New York, a time no zone repeats: an event stored twice an hour apart
    // (a zone an hour off, then the right one) is a duplicate, not a twin.
    const store = await lakeOf([jobRun('2026-11-01T07:30:00.200Z')]);
    copyLater(store, Date.parse('2026-11-01T07:00:00Z'), HOUR_MS);
    expect(await verifyLake(store, 'acme', range)).toMatchObject({
      ok: false,
      duplicateIds: 1,
      repeatedHourTwins: 0,
    });
  });

  it('fails a third copy: no zone repeats an hour twice', async () => {
    const store = await lakeOf([jobRun('2026-11-01T05:30:00.200Z'), jobRun('2026-11-01T06:30:00.300Z')]);
    copyLater(store, Date.parse('2026-11-01T06:00:00Z'), HOUR_MS);
    expect(await verifyLake(store, 'acme', range)).toMatchObject({
      ok: false,
      duplicateIds: 1,
      repeatedHourTwins: 1,
    });
  });

  it('fails a copy two hours later: no repeated hour is two hours long in New York', async () => {
    const store = await lakeOf([jobRun('2026-11-01T05:30:00.200Z')]);
    copyLater(store, Date.parse('2026-11-01T05:00:00Z'), 2 * HOUR_MS);
    expect(await verifyLake(store, 'acme', range)).toMatchObject({
      ok: false,
      duplicateIds: 1,
      duplicateIdsAcrossHours: 1,
      repeatedHourTwins: 0,
    });
  });

  it('fails a copy an hour later whose time has one reading only (epoch ms)', async () => {
    const store = await lakeOf([viewEntry(Date.parse('2026-11-01T05:30:00.200Z'))]);
    copyLater(store, Date.parse('2026-11-01T05:00:00Z'), HOUR_MS);
    expect(await verifyLake(store, 'acme', range)).toMatchObject({
      ok: false,
      duplicateIds: 1,
      duplicateIdsAcrossHours: 1,
      repeatedHourTwins: 0,
    });
  });
});

describe('RepeatedHourTwins', () => {
  /** A stored record of Domo's zone-less string for `ms` in New York, stored at `storedMs`. */
  const record = (ms: number, storedMs = ms) =>
    ({ event_id: 'e1', event_time_ms: storedMs, time_raw: formatDocString(ms, zone) }) as EventRecord;
  const first = Date.parse('2026-11-01T05:30:00Z');

  it('takes the two readings of a repeated hour, each id once', () => {
    const twins = new RepeatedHourTwins();
    expect(twins.isTwin(record(first), first + HOUR_MS)).toBe(true);
    expect(twins.isTwin(record(first), first + HOUR_MS)).toBe(false);
  });

  it('refuses times no zone reads the string as: the same instant, or an hour apart outside a change', () => {
    const twins = new RepeatedHourTwins();
    expect(twins.isTwin(record(first), first)).toBe(false);
    const july = Date.parse('2026-07-01T05:30:00Z');
    expect(twins.isTwin(record(july), july + HOUR_MS)).toBe(false);
  });
});
