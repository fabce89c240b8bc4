import { describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { deliverChannel, STALE_SENDING_MS } from '../../../functions/core/alerts/deliver-alerts.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  metricCounter,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

const MIN = 60_000;

describe('a delivery claim left by a run that stopped', () => {
  it('is taken over once stale: its alerts go out again, marked as a possible repeat, with the next ones', async () => {
    const first = alertAt('first', NOW - 10 * MIN);
    const { store, channel } = channelWithOutbox('sns', [first]);
    // The run stops after delivering, before the settle write (the claim was put 1 write earlier).
    store.beforePut = (_key, n) => {
      if (n === 2) throw new Error('the run stopped');
    };
    await expect(deliverChannel(deliveryContext(store, NOW), channel)).rejects.toThrow('the run stopped');
    store.beforePut = undefined;
    expect((await channelState(store, 'sns'))?.sending?.alerts.map((a) => a.id)).toEqual([first.id]);

    const second = alertAt('second', NOW + 5 * MIN);
    await addToOutbox(store, 'sns', [second]);
    const early = await deliverChannel(deliveryContext(store, NOW + STALE_SENDING_MS - MIN), channel);
    expect(early.status).toBe('busy');

    const later = deliveryContext(store, NOW + STALE_SENDING_MS);
    const outcome = await deliverChannel(later, channel);
    expect(outcome).toMatchObject({ status: 'delivered', alerts: 2 });
    // The stopped run had sent it: it goes again (never lost), marked so the reader drops it.
    expect(channel.delivered.map((a) => a.id)).toEqual([first.id, first.id, second.id]);
    expect(channel.messages[1]?.subject).toMatch(/^\[Possible repeat\] /);
    expect(channel.messages[1]?.possibleRepeat).toEqual({ alertIds: [first.id] });
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ outbox: [], sending: null, delivered: 2 });
    // Review R-ALFIX L3: the time the stopped run attempted it (15:00), not the takeover's (15:20).
    expect(state?.unknown).toEqual([
      {
        at: new Date(NOW).toISOString(),
        error: 'the run delivering them stopped before recording the outcome',
        alert_ids: [first.id],
        resent: 1,
      },
    ]);
    expect(later.counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
  });

  it('of a run killed between claim and send: its alerts go out whole with the next run, marked, and once', async () => {
    const store = new MemoryObjectStore();
    const stopped = { attempt_id: 'stopped-run', claimed_at_ms: NOW, alerts: [alertAt('a', NOW - MIN)] };
    storeChannel(store, 'sns', { sending: stopped });
    const { counts, metrics } = metricCounter();
    const channel = new RecordingChannel('sns');
    const statuses: string[] = [];
    for (const at of [NOW + STALE_SENDING_MS, NOW + STALE_SENDING_MS + 15 * MIN]) {
      statuses.push((await deliverChannel(deliveryContext(store, at, { metrics }), channel)).status);
    }
    expect(statuses).toEqual(['delivered', 'idle']);
    expect(counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
    expect(channel.attempts).toBe(1);
    const [message] = channel.messages;
    expect(message?.alerts).toEqual([
      { ...stopped.alerts[0], unconfirmed: 1, unconfirmed_since_ms: stopped.claimed_at_ms },
    ]);
    expect(message?.subject).toBe('[Possible repeat] Security alerts (acme): 1 lockout');
    expect(message?.text).toContain('Ann (42)');
    expect(message?.text).toContain('locked out (a)');
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ sending: null, failures: 0, delivered: 1, outbox: [] });
    expect(state?.unknown.map((u) => u.alert_ids)).toEqual([stopped.alerts.map((a) => a.id)]);
  });
});
