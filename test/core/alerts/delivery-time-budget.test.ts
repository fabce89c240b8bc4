import { describe, expect, it } from 'vitest';
import { deliverChannel, MIN_TIME_TO_DELIVER_MS } from '../../../functions/core/alerts/deliver-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

describe('delivery near the end of the time budget', () => {
  it('with too little time left claims nothing: the alerts wait in the outbox for the next run', async () => {
    const alert = alertAt('a', NOW - 60_000);
    const { store, channel } = channelWithOutbox('sns', [alert]);
    const writes = store.puts.length;

    const outcome = await deliverChannel(
      deliveryContext(store, NOW, { remainingTimeMs: () => 10_000 }),
      channel,
    );
    expect(outcome).toEqual({ channel: 'sns', status: 'no-time' });
    expect(channel.attempts).toBe(0);
    expect(store.puts.length).toBe(writes);
    expect(await channelState(store, 'sns')).toMatchObject({ outbox: [alert], sending: null });
  });

  it('with just enough time left delivers', async () => {
    const store = new MemoryObjectStore();
    storeChannel(store, 'sns', { outbox: [alertAt('a', NOW - 60_000)] });
    const context = deliveryContext(store, NOW, { remainingTimeMs: () => MIN_TIME_TO_DELIVER_MS });
    expect((await deliverChannel(context, new RecordingChannel('sns'))).status).toBe('delivered');
  });
});
