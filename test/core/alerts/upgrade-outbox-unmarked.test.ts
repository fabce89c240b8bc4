/**
 * Alerts waiting in an outbox when a stack upgrades to the release that marks them (`since_alerting`)
 * carry no mark. A checkpoint without `alerting_since_ms` is a stack whose alerts ran before it,
 * its first runs long past: every alert it takes in afterwards is marked, and those waiting are
 * taken as raised after alerting began too, so after an upgrade during a channel's outage of more
 * than a day they are listed with the rest, not counted as the lake's history (decided 2026-12-07).
 */
import { describe, expect, it } from 'vitest';
import {
  type AlertCheckpoint,
  emptyChannel,
  newAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { deliverChannel } from '../../../functions/core/alerts/deliver-alerts.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { flatText, RecordingChannel } from './support/alert-fixtures.ts';
import { alertAt, deliveryContext, INSTANCE, NOW } from './support/delivery-fixtures.ts';

/** The message of an outbox of a lockout 30 hours old and one an hour old, neither marked. */
async function messageOf(alertingSinceMs?: number): Promise<string> {
  const store = new MemoryObjectStore();
  const outbox = [alertAt('old', NOW - 30 * HOUR_MS), alertAt('new', NOW - HOUR_MS)];
  const checkpoint: AlertCheckpoint = {
    ...newAlertCheckpoint(INSTANCE, NOW - 90 * 24 * HOUR_MS),
    ...(alertingSinceMs === undefined ? {} : { alerting_since_ms: alertingSinceMs }),
    channels: { email: { ...emptyChannel(), outbox } },
  };
  store.putNow(
    alertsStateKey(INSTANCE, 'checkpoint.json'),
    new TextEncoder().encode(`${JSON.stringify(checkpoint)}\n`),
  );
  const channel = new RecordingChannel('email');
  await deliverChannel(deliveryContext(store, NOW), channel);
  return flatText(channel.messages[0]?.text ?? '');
}

describe('alerts waiting in an outbox at the upgrade that marks them', () => {
  it('are listed as held by an outage in a checkpoint without the start of alerting', async () => {
    const text = await messageOf();
    expect(text).toContain('locked out (old)');
    expect(text).toContain('Late, held by an outage: 1 alert here is about an event more than 24 hours');
    expect(text).not.toContain('not listed here');
  });

  it('are the lake history, counted, in a checkpoint that says when alerting began after them', async () => {
    const text = await messageOf(NOW - 2 * HOUR_MS);
    expect(text).not.toContain('locked out (old)');
    expect(text).toContain('1 more alert (1 lockout) is archived and not listed here');
  });
});
