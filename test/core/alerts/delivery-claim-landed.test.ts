import { describe, expect, it } from 'vitest';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { PreconditionFailedError, type PutOptions } from '../../../functions/core/ports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  alertAt,
  channelState,
  deliveryContext,
  INSTANCE,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

/**
 * S3 can store a conditional write and answer it with an error; the SDK's retry of it is then
 * answered 412, as if another run had written first. The claim read back is this run's own.
 */
class FirstClaimLandsAnswered412 extends MemoryObjectStore {
  tripped = false;
  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const stored = await super.put(key, body, options);
    const claiming =
      key === alertsStateKey(INSTANCE, 'checkpoint.json') &&
      new TextDecoder().decode(body).includes('"attempt_id"');
    if (!this.tripped && claiming) {
      this.tripped = true;
      throw new PreconditionFailedError(key);
    }
    return stored;
  }
}

describe('a delivery claim stored but answered 412', () => {
  it("is taken as this run's claim: the alerts are delivered now, once, not left busy", async () => {
    const store = new FirstClaimLandsAnswered412();
    const alert = alertAt('landed', NOW - 60_000);
    storeChannel(store, 'sns', { outbox: [alert] });
    const channel = new RecordingChannel('sns');

    const outcome = await deliverChannel(deliveryContext(store, NOW), channel);

    expect(store.tripped).toBe(true);
    expect(outcome).toMatchObject({ status: 'delivered', alerts: 1 });
    expect(channel.delivered.map((a) => a.id)).toEqual([alert.id]);
    expect(await channelState(store, 'sns')).toMatchObject({ sending: null, outbox: [], delivered: 1 });
  });
});
