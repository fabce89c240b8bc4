import { describe, expect, it } from 'vitest';
import {
  deliverChannel,
  STALE_AFTER_DEADLINE_MS,
  STALE_SENDING_MS,
} from '../../../functions/core/alerts/deliver-alerts.ts';
import type { Log } from '../../../functions/core/ports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

const MIN = 60_000;

/** A log that keeps its warnings. */
function warningLog(): { log: Log; warnings: { message: string; fields: Record<string, unknown> }[] } {
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  const none = () => {};
  return {
    warnings,
    log: {
      debug: none,
      info: none,
      error: none,
      warn: (message, fields) => warnings.push({ message, fields: fields ?? {} }),
    },
  };
}

// Another run's claim held later alerts back for up to ~35 minutes without a word.
describe("a channel another run's claim holds", () => {
  it('warns with the claim age and what waits', async () => {
    const store = new MemoryObjectStore();
    const held = { attempt_id: 'other-run', claimed_at_ms: NOW, alerts: [alertAt('a', NOW - MIN)] };
    storeChannel(store, 'sns', { sending: held, outbox: [alertAt('b', NOW)] });
    const { log, warnings } = warningLog();
    const outcome = await deliverChannel(
      deliveryContext(store, NOW + 3 * MIN, { log }),
      new RecordingChannel('sns'),
    );
    expect(outcome.status).toBe('busy');
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(/^another alerts run holds this channel's delivery/),
        fields: {
          instance: 'acme',
          channel: 'sns',
          claimAgeSeconds: 180,
          staleInSeconds: (STALE_SENDING_MS - 3 * MIN) / 1000,
          waiting: 1,
        },
      },
    ]);
  });

  it("is taken over a minute after the claiming run's deadline, not 20 minutes after the claim", async () => {
    const first = alertAt('first', NOW - 10 * MIN);
    const { store, channel } = channelWithOutbox('sns', [first]);
    const timeout = 5 * MIN;
    // The run (5 minutes to its timeout) stops after delivering, before the settle write.
    store.beforePut = (_key, n) => {
      if (n === 2) throw new Error('the run stopped');
    };
    const stopped = deliveryContext(store, NOW, { remainingTimeMs: () => timeout });
    await expect(deliverChannel(stopped, channel)).rejects.toThrow('the run stopped');
    store.beforePut = undefined;
    expect((await channelState(store, 'sns'))?.sending?.until_ms).toBe(NOW + timeout);

    await addToOutbox(store, 'sns', [alertAt('second', NOW + MIN)]);
    const staleAt = NOW + timeout + STALE_AFTER_DEADLINE_MS;
    expect((await deliverChannel(deliveryContext(store, staleAt - 1000), channel)).status).toBe('busy');
    const later = await deliverChannel(deliveryContext(store, staleAt), channel);
    // The stopped run's alert goes again with the new one (marked as a possible repeat).
    expect(later).toMatchObject({ status: 'delivered', alerts: 2 });
    expect(staleAt - NOW).toBeLessThan(STALE_SENDING_MS);
    expect((await channelState(store, 'sns'))?.unknown.map((u) => u.alert_ids)).toEqual([[first.id]]);
  });
});
