/**
 * An outbox past its cap folds its oldest alerts into a count but keeps whole what a message would
 * list of each kind: of the privileged changes the gravest, not the newest. Keeping each kind's
 * newest 50, a flood of over 1,000 routine changes (a directory sync, an insider's group edits)
 * folded the role raise made before it into a count, though the message lists privileged changes
 * gravest first (2026-12-07).
 */
import { describe, expect, it } from 'vitest';
import { capOutbox, emptyChannel, MAX_OUTBOX } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { flatText } from './support/alert-fixtures.ts';
import { NOW } from './support/delivery-fixtures.ts';
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
});
