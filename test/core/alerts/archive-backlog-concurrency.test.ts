/**
 * A backlog's archive objects are written 16 at a time (docs/alerts.md): one after another, the
 * 8,760 alerts of a year of lake take 350 s at 40 ms a request, more than a 5-minute run has.
 */
import { describe, expect, it } from 'vitest';
import { archiveWaiting } from '../../../functions/core/alerts/archive-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  archiveContext,
  archivedCount,
  backlog,
  DOCUMENTED_CONCURRENCY,
  REQUEST_MS,
  storeBacklog,
  waitingIds,
} from './support/archive-backlog.ts';
import { NOW } from './support/delivery-fixtures.ts';
import { LatencyStore, VirtualClock } from './support/timed-lambda.ts';

describe('archiving a backlog on S3 latency', () => {
  it('takes the time of one request per 16 alerts, not one per alert', async () => {
    const alerts = backlog(320);
    const memory = new MemoryObjectStore();
    storeBacklog(memory, alerts, NOW);
    const clock = new VirtualClock(NOW);
    const store = new LatencyStore(memory, clock, REQUEST_MS);

    expect(await archiveWaiting(archiveContext(store, clock), alerts)).toBe(0);

    expect(archivedCount(memory)).toBe(alerts.length);
    expect(await waitingIds(memory)).toEqual([]);
    // 20 rounds of 16 writes, then the checkpoint read and written once to forget them (320
    // requests' time, 12.8 s, one after another).
    const rounds = Math.ceil(alerts.length / DOCUMENTED_CONCURRENCY);
    expect(clock.nowMs - NOW).toBeLessThanOrEqual((rounds + 2) * REQUEST_MS);
    expect(store.maxInFlight).toBe(DOCUMENTED_CONCURRENCY);
  });
});
