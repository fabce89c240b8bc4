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
  it('is taken over once stale: the next alerts are delivered and the stopped claim is recorded unknown', async () => {
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
    expect(outcome).toMatchObject({ status: 'delivered', alerts: 1 });
    expect(channel.delivered.map((a) => a.id)).toEqual([first.id, second.id]);
    // Review R-ALFIX L3: the time the stopped run attempted it (15:00), not the takeover's (15:20).
    expect(channel.messages[1]?.text.replace(/\s+/g, ' ')).toContain(
      'An earlier alert message may not have arrived: 1 alert (1 lockout) at 2026-11-18 15:00 (',
    );
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ outbox: [], sending: null, delivered: 1 });
    expect(state?.unknown).toEqual([
      {
        at: new Date(NOW).toISOString(),
        error: 'the run delivering them stopped before recording the outcome',
        alert_ids: [first.id],
      },
    ]);
    expect(later.counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
  });

  it('with nothing waiting is still cleared, so the failure is reported once and not by every run', async () => {
    const store = new MemoryObjectStore();
    const stopped = { attempt_id: 'stopped-run', claimed_at_ms: NOW, alerts: [alertAt('a', NOW - MIN)] };
    storeChannel(store, 'sns', { sending: stopped });
    const { counts, metrics } = metricCounter();
    const channel = new RecordingChannel('sns');
    for (const at of [NOW + STALE_SENDING_MS, NOW + STALE_SENDING_MS + 15 * MIN]) {
      const outcome = await deliverChannel(deliveryContext(store, at, { metrics }), channel);
      expect(outcome.status).toBe('idle');
    }
    expect(counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ sending: null, failures: 1 });
    expect(state?.unknown.map((u) => u.alert_ids)).toEqual([stopped.alerts.map((a) => a.id)]);
    expect(channel.attempts).toBe(0);
  });
});
