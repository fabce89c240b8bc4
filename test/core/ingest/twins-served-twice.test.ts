import { describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { ingestOneHour, PULLED_HOUR } from '../../support/one-hour-ingest.ts';

// Review R-DRIFT H4: Domo serving every row twice stored 2x the events, with no signal anywhere.
const hour = PULLED_HOUR;
const view = (i: number) => ({
  actionType: 'VIEWED',
  eventText: 'Viewed card',
  userId: String(10 + (i % 7)),
  userName: `User ${10 + (i % 7)}`,
  objectType: 'CARD',
  objectId: String(i),
  time: hour + i * 60_000 + 17,
});
const ingestHour = async (entries: { time: number }[]) => {
  const store = new MemoryObjectStore();
  return { store, ...(await ingestOneHour(store, entries)) };
};

describe('twins of an hour (review R-DRIFT H4)', () => {
  it('stores rows served twice as twins, and says so: summary, manifest, metric, verify', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => view(i));
    const { store, notes, counted, summary } = await ingestHour(rows.flatMap((row) => [row, row]));
    expect(summary.eventsWritten).toBe(60);
    expect(summary.twinHours).toMatchObject({ hours: 1, events: 30, of: 60 });
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({ event_count: 60, twin_entries: 30 });
    expect(counted[INGEST_METRICS.twinHours]).toBe(1);
    expect(notes.join('\n')).toMatch(/^30 of the 60 events of 2026-10-01 10:00 UTC are identical twins/m);
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report).toMatchObject({
      ok: true,
      twinHours: { count: 1, listed: [{ windowStartMs: hour, twins: 30, events: 60 }] },
    });
  });

  it('counts a few bulk-action twins in the manifest without a warning', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => view(i));
    const { store, notes, counted, summary } = await ingestHour([...rows, view(3), view(3), view(4)]);
    expect(summary.twinHours).toBeUndefined();
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({ event_count: 33, twin_entries: 3 });
    expect(counted[INGEST_METRICS.twinHours] ?? 0).toBe(0);
    expect(notes).toEqual([]);
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report.twinHours).toBeUndefined();
  });
});
