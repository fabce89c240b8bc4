/**
 * Late alerts (held by an outage past `mailOlderThanHours`) in an outbox past its cap: the first
 * of each kind are kept whole, so the message still lists some of them among the late ones, and
 * those folded are counted late by the hour of their event, a record spanning the cutoff included.
 * Until 2026-12-07 a kind's 50 newest (or gravest) were all it kept, so a late one under 50 newer
 * of its kind was folded and never listed; and a record whose marked alerts spanned the message's
 * cutoff counted none of them late (brief ALERTS5 1 and 2).
 */
import { describe, expect, it } from 'vitest';
import type { AlertKind } from '../../../functions/core/alerts/alert.ts';
import { DeliveryRefusedError } from '../../../functions/core/alerts/alert-channel.ts';
import {
  capOutbox,
  emptyChannel,
  foldOf,
  KEPT_LATE_PER_KIND,
  lateCutoff,
  MAX_OUTBOX,
  markedBefore,
  mergeFolded,
  type OutboxAlert,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { alertOf, flatText } from './support/alert-fixtures.ts';
import { channelWithOutbox, deliveryContext } from './support/delivery-fixtures.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const options = { instance: 'main', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

/** A marked alert (raised after alerting began) `hoursAgo` before NOW. */
const alert = (id: string, hoursAgo: number, kind: AlertKind = 'lockout'): OutboxAlert => ({
  ...alertOf({
    id: `${id}f`.padEnd(32, '0'),
    kind,
    event_time_ms: NOW - hoursAgo * HOUR_MS,
    user_name: `user ${id}`,
  }),
  since_alerting: true,
});

describe('late alerts in an outbox past its cap', () => {
  it('keeps the newest late ones of a kind whole under 50 newer of it, and the message lists them', () => {
    const late = Array.from({ length: 30 }, (_, i) => alert(`late${i}`, 72 - i / 10));
    const recent = Array.from({ length: MAX_OUTBOX }, (_, i) => alert(`new${i}`, 20 - i / 100));
    const channel = { ...emptyChannel(), outbox: [...late, ...recent] };
    expect(capOutbox(channel, lateCutoff(NOW, 24))).toBe(late.length);
    const keptLate = channel.outbox.filter((a) => a.event_time_ms < NOW - 24 * HOUR_MS);
    expect(keptLate.map((a) => a.user_name)).toEqual(late.slice(-KEPT_LATE_PER_KIND).map((a) => a.user_name));
    const message = renderAlertMessage(channel.outbox, {
      ...options,
      nowMs: NOW + HOUR_MS,
      ...(channel.folded ? { folded: channel.folded } : {}),
    });
    expect(message.subject).toContain(', 30 late');
    const text = flatText(message.text);
    expect(text).toContain(`user late${late.length - 1}`);
    expect(text).toContain('Late, held by an outage: 30 alerts here');
  });

  it('counts late those of a record spanning the cutoff that are before it', () => {
    // Folded now: one late already, one 20 hours ago, one 2 hours ago.
    const folded = foldOf([alert('f1', 30), alert('f2', 20), alert('f3', 2)], lateCutoff(NOW, 24));
    // Six hours later the cutoff is 18 hours before NOW: the first two are late, the third is not.
    const later = { ...options, nowMs: NOW + 6 * HOUR_MS, folded };
    const message = renderAlertMessage([alert('r1', 1)], later);
    expect(message.subject).toContain(', 2 late');
    expect(flatText(message.text)).toContain('Late, held by an outage: 2 alerts here');
  });

  it('counts them by hour through merged records, and a later fold settles the hours passed', () => {
    const a = foldOf([alert('f1', 20)], lateCutoff(NOW, 24));
    const b = foldOf([alert('f2', 10), alert('f3', 2)], lateCutoff(NOW, 24));
    const merged = mergeFolded(a, b);
    if (!merged) throw new Error('no record');
    expect(markedBefore(merged, NOW - 18 * HOUR_MS)).toBe(1);
    expect(markedBefore(merged, NOW - 5 * HOUR_MS)).toBe(2);
    expect(markedBefore(merged, NOW)).toBe(3);
    const channel = { ...emptyChannel(), folded: merged };
    capOutbox(channel, lateCutoff(NOW + 15 * HOUR_MS, 24));
    expect(channel.folded.since_alerting_late).toBe(2);
    expect(Object.keys(channel.folded.since_alerting_hours ?? {})).toHaveLength(1);
    expect(markedBefore(channel.folded, NOW - 5 * HOUR_MS)).toBe(2);
  });

  it('counts none of a record written before the hours, spanning the cutoff, as before', () => {
    const { since_alerting_late, since_alerting_hours, ...old } = foldOf(
      [alert('f1', 30), alert('f2', 2)],
      lateCutoff(NOW, 24),
    );
    expect(since_alerting_late).toBe(1);
    expect(since_alerting_hours).toBeDefined();
    expect(markedBefore(old, NOW - 24 * HOUR_MS)).toBe(0);
    expect(markedBefore(old, NOW)).toBe(2);
  });

  it('keeps them whole when a refused delivery folds the outbox, and the next message lists them', async () => {
    const late = Array.from({ length: 30 }, (_, i) => alert(`late${i}`, 72 - i / 10));
    const recent = Array.from({ length: MAX_OUTBOX }, (_, i) => alert(`new${i}`, 20 - i / 100));
    const { store, channel } = channelWithOutbox('email', [...late, ...recent]);
    channel.fail = (attempt) => (attempt === 1 ? new DeliveryRefusedError('Throttling') : undefined);
    await deliverChannel(deliveryContext(store, NOW), channel);
    await deliverChannel(deliveryContext(store, NOW + 60_000), channel);
    const message = channel.messages[0];
    expect(message?.folded).toBe(late.length);
    expect(message?.subject).toContain(', 30 late');
    expect(flatText(message?.text ?? '')).toContain(`user late${late.length - 1}`);
  });
});
