import { describe, expect, it } from 'vitest';
import { MAX_UNCONFIRMED } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { ALERT_METRICS } from '../../../functions/core/alerts/alert-metrics.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import {
  alertAt,
  channelState,
  channelWithOutbox,
  deliveryContext,
  NOW,
} from './support/delivery-fixtures.ts';

const MIN = 60_000;

describe('a delivery that fails without telling whether it arrived', () => {
  it('counts as a failure in a row, and its alerts go out again with the next run, marked as a possible repeat', async () => {
    const alert = alertAt('a', NOW - MIN);
    const { store, channel } = channelWithOutbox('sns', [alert]);
    channel.fail = (attempt) => (attempt === 1 ? new Error('socket hang up\nat the second line') : undefined);
    const context = deliveryContext(store, NOW);

    const outcome = await deliverChannel(context, channel);
    expect(outcome).toMatchObject({ status: 'unknown', alerts: 1, error: 'socket hang up' });
    expect(context.counts.get(ALERT_METRICS.deliveryFailed)).toBe(1);
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ sending: null, failures: 1, last_error: 'socket hang up', delivered: 0 });
    expect(state?.outbox).toEqual([{ ...alert, unconfirmed: 1 }]);
    expect(state?.unknown).toEqual([
      { at: new Date(NOW).toISOString(), error: 'socket hang up', alert_ids: [alert.id], resent: 1 },
    ]);
    // Sent again whole, not told of as lost.
    expect(state?.unknown_notices).toBeUndefined();

    const next = await deliverChannel(deliveryContext(store, NOW + 15 * MIN), channel);
    expect(next).toMatchObject({ status: 'delivered', alerts: 1 });
    const message = channel.messages[0];
    expect(message?.subject).toBe('[Possible repeat] Security alerts (acme): 1 lockout');
    expect(message?.possibleRepeat).toEqual({ alertIds: [alert.id] });
    expect(message?.text.split('\n')[0]).toMatch(/^Possible repeat: 1 alert here \(1 lockout\) went out/);
    expect(message?.text).toContain('locked out (a)');
    expect(message?.text).toContain(`alert ${alert.id}`);
    expect(message?.html).toContain('Possible repeat: 1 alert here');
    expect(await channelState(store, 'sns')).toMatchObject({
      outbox: [],
      sending: null,
      failures: 0,
      delivered: 1,
    });

    // Confirmed: never sent again.
    const after = await deliverChannel(deliveryContext(store, NOW + 30 * MIN), channel);
    expect(after.status).toBe('idle');
    expect(channel.attempts).toBe(2);
  });

  it(`goes out at most ${MAX_UNCONFIRMED} times while no send is confirmed, then is told of and not sent again`, async () => {
    const alert = alertAt('a', NOW - MIN);
    const { store, channel } = channelWithOutbox('sns', [alert]);
    channel.fail = () => new Error('socket hang up');
    for (let run = 0; run < MAX_UNCONFIRMED + 2; run++) {
      await deliverChannel(deliveryContext(store, NOW + run * 15 * MIN), channel);
    }
    expect(channel.attempts).toBe(MAX_UNCONFIRMED);
    const state = await channelState(store, 'sns');
    expect(state).toMatchObject({ outbox: [], sending: null, failures: MAX_UNCONFIRMED });
    expect(state?.unknown.map((u) => u.resent)).toEqual([1, 1, 1, undefined]);
    expect(state?.unknown_notices?.map((n) => n.alert_ids)).toEqual([[alert.id]]);
  });
});
