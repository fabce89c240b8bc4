import { describe, expect, it } from 'vitest';
import { alertsStateSeen } from '../../functions/alerts/test-alert.ts';
import { alertAt, INSTANCE, NOW, storeChannel } from '../core/alerts/support/delivery-fixtures.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

describe("a test alert's state", () => {
  it('counts the alerts of a claim not settled apart from those waiting (review R-MINE5 F4)', async () => {
    const store = new MemoryObjectStore();
    // A run stopped while sending 2 alerts: the outbox is empty, the claim holds them.
    storeChannel(store, 'sns', {
      sending: {
        attempt_id: 'a',
        claimed_at_ms: NOW,
        alerts: [alertAt('x', NOW - 60_000), alertAt('y', NOW - 30_000)],
      },
    });
    expect(await alertsStateSeen(store, INSTANCE)).toEqual({
      status: 'read',
      channels: [{ channel: 'sns', waiting: 0, in_flight: 2, failures: 0, last_error: null }],
    });
  });
});
