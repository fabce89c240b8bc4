import { describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import {
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  NOW,
} from './support/delivery-fixtures.ts';

describe('a delivery that fails without telling whether it arrived', () => {
  it('counts as a failure in a row and is recorded unknown, not retried', async () => {
    const alert = alertAt('a', NOW - 60_000);
    const { store, channel } = channelWithOutbox('sns', [alert]);
    channel.fail = () => new Error('socket hang up\nat the second line');
    const context = deliveryContext(store, NOW);

    const outcome = await deliverChannel(context, channel);
    expect(outcome).toMatchObject({ status: 'unknown', alerts: 1, error: 'socket hang up' });
    expect(context.counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
    expect(await channelState(store, 'sns')).toEqual({
      outbox: [],
      sending: null,
      failures: 1,
      last_error: 'socket hang up',
      delivered: 0,
      unknown: [{ at: new Date(NOW).toISOString(), error: 'socket hang up', alert_ids: [alert.id] }],
      folded: null,
      // Told to the recipients by the next message delivered (delivery-unknown-notice.test.ts).
      unknown_notices: [
        {
          at: new Date(NOW).toISOString(),
          alert_ids: [alert.id],
          kinds: { lockout: 1 },
          oldest_ms: alert.event_time_ms,
          newest_ms: alert.event_time_ms,
        },
      ],
    });

    const next = await deliverChannel(deliveryContext(store, NOW + 15 * 60_000), channel);
    expect(next.status).toBe('idle');
    expect(channel.attempts).toBe(1);
  });
});
