import { expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  emptyChannel,
  newAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { NOW } from './support/delivery-fixtures.ts';

/** The checkpoint `later` as this release writes it back after one update of its own. */
async function rewritten(later: object) {
  const store = new MemoryObjectStore();
  const key = alertsStateKey('acme', 'checkpoint.json');
  store.putNow(key, new TextEncoder().encode(JSON.stringify(later)));
  await updateAlertCheckpoint(
    store,
    'acme',
    () => newAlertCheckpoint('acme', NOW),
    (current) => {
      current.next_hour_ms += 3_600_000;
      return current;
    },
  );
  const written = JSON.parse(new TextDecoder().decode((await store.get(key))?.body));
  expect(written.next_hour_ms).toBe(NOW + 3_600_000);
  return written;
}

// A later release of the same checkpoint version adds a field (as `bursts` and `places` were
// added); after a rollback to this one, its rewrites must hand the field back untouched.
it('writes back the fields a later release added, at the top and in a channel, as they were', async () => {
  const written = await rewritten({
    ...newAlertCheckpoint('acme', NOW),
    channels: { mail: { ...emptyChannel(), throttle_until_ms: 123 } },
    raised_journeys: { 'alert-9': 'j DE>US 101' },
  });
  expect(written.raised_journeys).toEqual({ 'alert-9': 'j DE>US 101' });
  expect(written.channels.mail.throttle_until_ms).toBe(123);
});

// Likewise a field a later release adds to an alert (as `ip_addresses` was added): the alerts
// waiting in the checkpoint must keep it through this release's rewrites, or the later release
// delivers them without it once upgraded again (review R-SPRAYKEY2 #4).
it('writes back the fields a later release added to a waiting alert, as they were', async () => {
  const alert = {
    id: 'a'.repeat(32),
    instance: 'acme',
    kind: 'password_spray',
    user_id: null,
    user_name: null,
    event_time: '2026-12-04 10:00:00.000',
    event_time_ms: NOW,
    evidence: 'failed logins of 10 users',
    ip_address: '5.6.7.8',
    event_ids: ['e1'],
    later_field: { kept: [1, 2] },
  } as Alert;
  const sending = { attempt_id: 'x', claimed_at_ms: NOW, alerts: [alert] };
  const written = await rewritten({
    ...newAlertCheckpoint('acme', NOW),
    archive: [alert],
    channels: { mail: { ...emptyChannel(), outbox: [alert], sending } },
  });
  expect(written.archive[0].later_field).toEqual({ kept: [1, 2] });
  expect(written.channels.mail.outbox[0].later_field).toEqual({ kept: [1, 2] });
  expect(written.channels.mail.sending.alerts[0].later_field).toEqual({ kept: [1, 2] });
});

// A count record's late alerts (`since_alerting`, 2026-12-07) stay through a rewrite, in the
// outbox's record and in a claim's: the message counts them late from it.
it("writes back a count record's marked alerts, in the outbox and in a claim", async () => {
  const folded = {
    count: 3,
    kinds: { lockout: 3 },
    since_alerting: 2,
    since_alerting_newest_ms: NOW - 1,
    oldest_ms: NOW - 10,
    newest_ms: NOW,
  };
  const sending = { attempt_id: 'x', claimed_at_ms: NOW, alerts: [], folded };
  const written = await rewritten({
    ...newAlertCheckpoint('acme', NOW),
    channels: { mail: { ...emptyChannel(), folded }, sms: { ...emptyChannel(), sending } },
  });
  expect(written.channels.mail.folded).toEqual(folded);
  expect(written.channels.sms.sending.folded).toEqual(folded);
});
