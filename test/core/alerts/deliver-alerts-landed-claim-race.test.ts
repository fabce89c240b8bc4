import { describe, expect, it } from 'vitest';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import type { PutOptions } from '../../../functions/core/ports.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  channelState,
  deliveryContext,
  INSTANCE,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

const CHECKPOINT = alertsStateKey(INSTANCE, 'checkpoint.json');

/** A {@link Landed412Store} where `between` runs after a put lands and before its 412 is answered. */
class ChangedBeforeReRead extends Landed412Store {
  constructor(private readonly between: () => Promise<void>) {
    super();
  }

  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const landed = this.landed412.length;
    try {
      return await super.put(key, body, options);
    } catch (error) {
      if (this.landed412.length > landed) await this.between();
      throw error;
    }
  }
}

/**
 * The claim's put lands but its answer is lost (412), and another run writes the checkpoint before
 * this run reads it again: the re-read no longer holds this run's own bytes, only its claim.
 */
describe('a delivery claim that landed, answered 412, with the checkpoint changed before the re-read', () => {
  it('is still taken as this run, delivered now and settled, not left to go stale', async () => {
    const claimed = alertAt('claimed', NOW - 60_000);
    const later = alertAt('later', NOW - 30_000);
    const store: ChangedBeforeReRead = new ChangedBeforeReRead(() => addToOutbox(store, 'sns', [later]));
    storeChannel(store, 'sns', { outbox: [claimed] });
    store.arm(CHECKPOINT);
    const channel = new RecordingChannel('sns');

    const outcome = await deliverChannel(deliveryContext(store, NOW), channel);

    expect(store.landed412).toEqual([CHECKPOINT]);
    expect(outcome).toMatchObject({ status: 'delivered', alerts: 1 });
    expect(channel.delivered.map((a) => a.id)).toEqual([claimed.id]);
    // The alert the other run added waits for the next run; this run's claim is gone.
    expect(await channelState(store, 'sns')).toMatchObject({
      sending: null,
      outbox: [{ id: later.id }],
      delivered: 1,
    });
  });
});
