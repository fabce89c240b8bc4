import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

describe('the alert ids the checkpoint remembers', () => {
  it('are those of the hours that may still be evaluated again, not every alert ever raised', async () => {
    const store = new MemoryObjectStore();
    const channel = new RecordingChannel('sns');
    const recheckHours = 3;
    for (let hour = 1; hour <= 12; hour++) {
      ingestedUpTo(store, START + hour * HOUR_MS);
      await alertsRun(store, START + hour * HOUR_MS + 60_000, [channel], recheckHours);
    }
    expect(channel.delivered).toHaveLength(12);
    const checkpoint = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint;
    expect(checkpoint?.next_hour_ms).toBe(START + 12 * HOUR_MS);
    const keepFrom = START + (12 - recheckHours - 2) * HOUR_MS;
    const kept = Object.values(checkpoint?.recent ?? {}).sort((a, b) => a - b);
    expect(kept).toEqual([0, 1, 2, 3, 4].map((i) => keepFrom + i * HOUR_MS));
  });
});
