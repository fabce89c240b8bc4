/**
 * An outbox past its cap folds its oldest alerts into a count but keeps whole what a message would
 * list of each kind: of the privileged changes the gravest, not the newest. Keeping each kind's
 * newest 50, a flood of over 1,000 routine changes (a directory sync, an insider's group edits)
 * folded the role raise made before it into a count, though the message lists privileged changes
 * gravest first (2026-12-07). And the count record keeps the privileged changes' kinds of change,
 * so the count still names what it folded (a role raise among them), not only `privileged changes`.
 */
import { describe, expect, it } from 'vitest';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import { capOutbox, emptyChannel, MAX_OUTBOX } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { changeKindCounts } from '../../../functions/core/alerts/privileged-change-order.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { flatText } from './support/alert-fixtures.ts';
import { alertAt, channelWithOutbox, deliveryContext, NOW } from './support/delivery-fixtures.ts';
import { ACTED_AS, floodAlerts, ROLE_RAISE } from './support/privileged-flood.ts';

describe('an outbox past its cap in a flood of routine privileged changes', () => {
  it('keeps the role raise and the change done as another user whole, and the message lists them', () => {
    const flood = floodAlerts();
    // Another hour of the same routine changes: 1,004 alerts, the two grave ones the oldest.
    const later = flood
      .filter((a) => a.change_kind === 'other' || a.change_kind === 'token_made')
      .map((a) => ({ ...a, id: `n${a.id}`.slice(0, 32), event_time_ms: a.event_time_ms + HOUR_MS }));
    const channel = { ...emptyChannel(), outbox: [...flood, ...later] };
    expect(capOutbox(channel)).toBe(flood.length + later.length - MAX_OUTBOX);
    const kept = channel.outbox.map((a) => a.evidence).join('\n');
    expect(kept).toContain(ROLE_RAISE);
    expect(kept).toContain(ACTED_AS);
    const message = renderAlertMessage(channel.outbox, {
      instance: 'i',
      timeZone: 'UTC',
      nowMs: NOW + 2 * HOUR_MS,
      mailOlderThanHours: 24,
      ...(channel.folded ? { folded: channel.folded } : {}),
    });
    expect(flatText(message.text)).toContain(ROLE_RAISE);
    expect(flatText(message.text)).toContain(ACTED_AS);
  });

  it('names by kind of change the privileged changes it folded, through the stored checkpoint', async () => {
    const flood = floodAlerts();
    const lockouts = Array.from({ length: 600 }, (_, i) => alertAt(`l${i}`, NOW - HOUR_MS + i * 1000));
    const { store, channel } = channelWithOutbox('email', [...flood, ...lockouts]);
    channel.fail = (attempt) => (attempt === 1 ? new DeliveryRefusedError('Throttling') : undefined);
    await deliverChannel(deliveryContext(store, NOW), channel);
    await deliverChannel(deliveryContext(store, NOW + 60_000), channel);
    const message = channel.messages[0];
    expect(message?.folded).toBe(flood.length + lockouts.length - MAX_OUTBOX);
    const listed = new Set(message?.listed?.map((a) => a.id));
    const notListed = changeKindCounts(flood.filter((a) => !listed.has(a.id)));
    expect(flatText(message?.text ?? '')).toContain(`The privileged changes among them: ${notListed}.`);
  });
});
