import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { INSTANCE } from './support/delivery-fixtures.ts';
import { alertsRun, ingestedUpTo, START } from './support/synthetic-run.ts';

const CHECKPOINT = alertsStateKey(INSTANCE, 'checkpoint.json');

describe('two alerts runs taking in the same hours at once', () => {
  it('deliver each alert once: the one that loses the checkpoint write takes in only what is still new', async () => {
    const store = new MemoryObjectStore();
    ingestedUpTo(store, START + 2 * HOUR_MS);
    const channel = new RecordingChannel('sns');
    let other: Promise<unknown> | undefined;
    // Run B starts and finishes while run A is about to write its take-in: A's write then fails
    // its condition and A applies its evaluation again to what B wrote.
    store.beforePut = async (key) => {
      if (key !== CHECKPOINT || other) return;
      other = alertsRun(store, START + 2 * HOUR_MS + 2_000, [channel]);
      await other;
    };
    const a = await alertsRun(store, START + 2 * HOUR_MS + 1_000, [channel]);
    await expect(other).resolves.toMatchObject({ raised: [{}, {}] });
    expect(a.raised).toEqual([]);
    const ids = channel.delivered.map((x) => x.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    const checkpoint = (await readAlertCheckpoint(store, INSTANCE))?.checkpoint;
    expect(checkpoint?.channels.sns).toMatchObject({ outbox: [], sending: null, delivered: 2 });
    expect(checkpoint?.archive).toEqual([]);
  });
});
