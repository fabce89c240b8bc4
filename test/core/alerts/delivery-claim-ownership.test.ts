import { describe, expect, it } from 'vitest';
import type { AlertChannel, AlertMessage } from '../../../functions/core/alerts/alert-channel.ts';
import { deliverChannel, STALE_SENDING_MS } from '../../../functions/core/alerts/deliver-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  channelState,
  deliveryContext,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('a run whose delivery claim another run took over', () => {
  it('does not settle over the newer claim when it finally finishes', async () => {
    const store = new MemoryObjectStore();
    const slow = alertAt('slow', NOW - 60_000);
    const next = alertAt('next', NOW + 5 * 60_000);
    storeChannel(store, 'sns', { outbox: [slow] });

    // Run B delivers `next` after A's claim went stale, and holds its delivery until A settled.
    const bClaimed = gate();
    const aSettled = gate();
    const b = new RecordingChannel('sns');
    let runB: Promise<unknown> = Promise.resolve();
    const a: AlertChannel = {
      name: 'sns',
      async deliver(_message: AlertMessage) {
        await addToOutbox(store, 'sns', [next]);
        runB = deliverChannel(deliveryContext(store, NOW + STALE_SENDING_MS), {
          name: 'sns',
          async deliver(message) {
            bClaimed.open();
            await aSettled.opened;
            return b.deliver(message);
          },
        }).finally(bClaimed.open); // a B that claimed nothing must not leave A waiting
        await bClaimed.opened;
        return { messageId: 'a-1' };
      },
    };

    const outcomeA = await deliverChannel(deliveryContext(store, NOW), a);
    expect(outcomeA.status).toBe('delivered');
    const whileB = await channelState(store, 'sns');
    // A's alert went out again with B's claim (A's outcome was unknown when B took over).
    expect(whileB?.sending?.alerts.map((x) => x.id)).toEqual([slow.id, next.id]);
    expect(whileB?.delivered).toBe(0);
    expect(whileB?.unknown.map((u) => u.alert_ids)).toEqual([[slow.id]]);

    aSettled.open();
    await expect(runB).resolves.toMatchObject({ status: 'delivered', alerts: 2 });
    expect(await channelState(store, 'sns')).toMatchObject({ sending: null, outbox: [], delivered: 2 });
    expect(b.delivered.map((x) => x.id)).toEqual([slow.id, next.id]);
    expect(b.messages[0]?.possibleRepeat).toEqual({ alertIds: [slow.id] });
  });
});
