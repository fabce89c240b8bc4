/**
 * A backfill evaluated over several runs (a lake longer than a run's hours) counted its alerts in
 * one "N earlier alerts archived" message per run; the docs promise one summary. While the
 * evaluation is catching up, an outbox of alerts a message would only count waits.
 */
import { describe, expect, it } from 'vitest';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import { alertAt, channelState, deliveryContext, NOW, storeChannel } from './support/delivery-fixtures.ts';

const HOUR = 3_600_000;
const old = [alertAt('a', NOW - 30 * 24 * HOUR), alertAt('b', NOW - 25 * HOUR)];

describe('delivery while a backfill catches up', () => {
  it('holds an outbox of alerts the message would only count', async () => {
    const store = new MemoryObjectStore();
    storeChannel(store, 'sns', { outbox: old });
    const channel = new RecordingChannel('sns');
    const outcome = await deliverChannel(deliveryContext(store, NOW, { holdCountedOnly: true }), channel);
    expect(outcome).toEqual({ channel: 'sns', status: 'held' });
    expect(channel.messages).toEqual([]);
    expect((await channelState(store, 'sns'))?.outbox).toEqual(old);
  });

  it('sends them all once one would be listed, or once caught up', async () => {
    for (const [outbox, hold] of [
      [[...old, alertAt('fresh', NOW - HOUR)], true],
      [old, false],
    ] as const) {
      const store = new MemoryObjectStore();
      storeChannel(store, 'sns', { outbox: [...outbox] });
      const channel = new RecordingChannel('sns');
      const outcome = await deliverChannel(deliveryContext(store, NOW, { holdCountedOnly: hold }), channel);
      expect(outcome).toMatchObject({ status: 'delivered', alerts: outbox.length });
      expect(channel.delivered).toEqual(outbox);
    }
  });
});
