import { describe, expect, it } from 'vitest';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { MAX_OUTBOX, readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import type { Log } from '../../../functions/core/ports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel } from './support/alert-fixtures.ts';
import {
  addToOutbox,
  alertAt,
  channelState,
  deliveryContext,
  INSTANCE,
  metricCounter,
  NOW,
  storeChannel,
} from './support/delivery-fixtures.ts';

const MIN = 60_000;
const RUNS = 60;
const PER_RUN = 20;

// A channel that keeps refusing (sending paused, a deleted topic) kept every alert since the first
// refusal: the checkpoint every run reads and rewrites grew by a megabyte in two days.
describe('an outbox of a channel that keeps refusing', () => {
  it('keeps the newest alerts whole, folds the oldest into a count, and says so', async () => {
    const store = new MemoryObjectStore();
    storeChannel(store, 'email', {});
    const channel = new RecordingChannel('email');
    channel.fail = () => new DeliveryRefusedError('SendingPausedException');
    const { counts, metrics } = metricCounter();
    const warnings: Record<string, unknown>[] = [];
    const log: Log = {
      debug: () => {},
      info: () => {},
      warn: (_message, fields) => warnings.push(fields ?? {}),
      error: () => {},
    };
    let t = NOW;
    for (let run = 0; run < RUNS; run += 1) {
      const alerts = Array.from({ length: PER_RUN }, (_, i) => alertAt(`r${run}-${i}`, t - MIN - i));
      await addToOutbox(store, 'email', alerts);
      await deliverChannel(deliveryContext(store, t, { metrics, log }), channel);
      t += 15 * MIN;
    }
    const total = RUNS * PER_RUN;
    const refused = await channelState(store, 'email');
    expect(refused?.outbox).toHaveLength(MAX_OUTBOX);
    // The newest are kept: the first runs' alerts are the ones folded.
    expect(Math.min(...(refused?.outbox ?? []).map((a) => a.event_time_ms))).toBe(
      NOW + ((total - MAX_OUTBOX) / PER_RUN) * 15 * MIN - MIN - (PER_RUN - 1),
    );
    expect(refused?.folded).toEqual({
      count: total - MAX_OUTBOX,
      kinds: { lockout: total - MAX_OUTBOX },
      oldest_ms: NOW - MIN - (PER_RUN - 1),
      newest_ms: expect.any(Number),
    });
    expect(counts.get(ALERT_METRICS.outboxFolded)).toBe(total - MAX_OUTBOX);
    expect(warnings.at(-1)).toMatchObject({ channel: 'email', failures: RUNS, waiting: MAX_OUTBOX });

    // Sending resumes: one message carries the kept alerts and counts the folded ones.
    channel.fail = undefined;
    const outcome = await deliverChannel(deliveryContext(store, t), channel);
    expect(outcome).toMatchObject({ status: 'delivered', alerts: total });
    const message = channel.messages.at(-1);
    expect(message?.alerts).toHaveLength(MAX_OUTBOX);
    expect(message?.folded).toBe(total - MAX_OUTBOX);
    expect(message?.subject).toBe(`Security alerts (${INSTANCE}): ${total} lockouts`);
    expect(message?.text).toContain(`${total - 50} more alerts (${total - 50} lockouts) are archived`);
    // The way to list them reaches back to the first folded alert's day.
    expect(message?.text).toContain(`dt BETWEEN '2026-11-18' AND`);
    expect(await channelState(store, 'email')).toMatchObject({
      outbox: [],
      folded: null,
      delivered: total,
    });
  });

  it('reads a checkpoint written before the count record existed', async () => {
    const store = new MemoryObjectStore();
    storeChannel(store, 'sns', { outbox: [alertAt('a', NOW - MIN)] });
    const key = alertsStateKey(INSTANCE, 'checkpoint.json');
    const stored = JSON.parse(new TextDecoder().decode((await store.get(key))?.body)) as {
      channels: Record<string, Record<string, unknown>>;
    };
    delete stored.channels.sns?.folded;
    store.putNow(key, new TextEncoder().encode(JSON.stringify(stored)));
    expect((await readAlertCheckpoint(store, INSTANCE))?.checkpoint.channels.sns?.folded).toBeNull();
    const channel = new RecordingChannel('sns');
    expect(await deliverChannel(deliveryContext(store, NOW), channel)).toMatchObject({
      status: 'delivered',
      alerts: 1,
    });
    expect(channel.messages[0]?.folded).toBeUndefined();
  });
});
