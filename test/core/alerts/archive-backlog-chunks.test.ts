/**
 * The checkpoint forgets archived alerts every 500 (docs/alerts.md), so a run stopped in the middle
 * of a backlog keeps what it wrote: trimmed only once all were written, the archive list of a run
 * that timed out still held every alert, and the next run wrote them all again (and timed out again).
 */
import { describe, expect, it } from 'vitest';
import { archiveWaiting } from '../../../functions/core/alerts/archive-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  archiveContext,
  archivedCount,
  archivePuts,
  backlog,
  DOCUMENTED_CONCURRENCY,
  REQUEST_MS,
  storeBacklog,
  waiting,
  waitingIds,
} from './support/archive-backlog.ts';
import { NOW } from './support/delivery-fixtures.ts';
import { LatencyStore, TIMED_OUT, VirtualClock } from './support/timed-lambda.ts';

/** Alerts the checkpoint forgets at once, as docs/alerts.md gives it. */
const DOCUMENTED_CHUNK = 500;

describe('a run stopped while archiving a backlog of 1,200 alerts', () => {
  it('has forgotten the first 500 from the checkpoint, so the next run writes only the rest', async () => {
    const alerts = backlog(1_200);
    const memory = new MemoryObjectStore();
    storeBacklog(memory, alerts, NOW);
    const clock = new VirtualClock(NOW);
    // The Lambda timeout stops it after about 700 writes (16 at a time) and the checkpoint write
    // between them, as when S3 is slower than the time reserve allows for (no time check here).
    clock.deadlineMs = NOW + (Math.ceil(700 / DOCUMENTED_CONCURRENCY) + 2) * REQUEST_MS;
    const stopped = archiveWaiting(
      archiveContext(new LatencyStore(memory, clock, REQUEST_MS), clock),
      alerts,
    );
    await expect(stopped).rejects.toThrow(TIMED_OUT);

    const written = archivedCount(memory);
    expect(written).toBeGreaterThan(DOCUMENTED_CHUNK + 100);
    expect(written).toBeLessThan(alerts.length);
    expect(await waitingIds(memory)).toEqual(alerts.slice(DOCUMENTED_CHUNK).map((a) => a.id));

    // The next run, with time enough, goes on from the checkpoint.
    clock.deadlineMs = Number.POSITIVE_INFINITY;
    const before = archivePuts(memory);
    const next = new LatencyStore(memory, clock, REQUEST_MS);
    expect(await archiveWaiting(archiveContext(next, clock), await waiting(memory))).toBe(0);
    expect(archivePuts(memory) - before).toBe(alerts.length - DOCUMENTED_CHUNK);
    expect(archivedCount(memory)).toBe(alerts.length);
    expect(await waitingIds(memory)).toEqual([]);
  });
});
