import { describe, expect, it } from 'vitest';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

describe('an alerts run after the alerts checkpoint was deleted', () => {
  it('sends nothing already archived under alerts/ a second time', async () => {
    const store = new MemoryObjectStore();
    ingestedUpTo(store, START + 4 * HOUR_MS);
    const channel = new RecordingChannel('sns');
    const first = await alertsRun(store, START + 4 * HOUR_MS + 60_000, [channel]);
    expect(first.raised).toHaveLength(4);
    expect(channel.delivered).toHaveLength(4);

    // What the corrupt-checkpoint error tells operators to do.
    store.objects.delete(alertsStateKey(INSTANCE, 'checkpoint.json'));
    const again = await alertsRun(store, START + 4 * HOUR_MS + 120_000, [channel]);
    expect(again.hoursEvaluated).toBe(4);
    expect(again.raised).toEqual([]);
    expect(again.deliveries.map((d) => d.status)).toEqual(['idle']);
    expect(channel.delivered).toHaveLength(4);

    // An hour not yet archived is still alerted.
    ingestedUpTo(store, START + 5 * HOUR_MS);
    const next = await alertsRun(store, START + 5 * HOUR_MS + 60_000, [channel]);
    expect(next.raised.map((a) => a.event_time_ms)).toEqual([START + 4.5 * HOUR_MS]);
    expect(channel.delivered).toHaveLength(5);
  });
});
