import { expect, it } from 'vitest';
import {
  emptyChannel,
  newAlertCheckpoint,
  updateAlertCheckpoint,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { NOW } from './support/delivery-fixtures.ts';

// A later release of the same checkpoint version adds a field (as `bursts` and `places` were
// added); after a rollback to this one, its rewrites must hand the field back untouched.
it('writes back the fields a later release added, at the top and in a channel, as they were', async () => {
  const store = new MemoryObjectStore();
  const key = alertsStateKey('acme', 'checkpoint.json');
  const later = {
    ...newAlertCheckpoint('acme', NOW),
    channels: { mail: { ...emptyChannel(), throttle_until_ms: 123 } },
    raised_journeys: { 'alert-9': 'j DE>US 101' },
  };
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
  expect(written.raised_journeys).toEqual({ 'alert-9': 'j DE>US 101' });
  expect(written.channels.mail.throttle_until_ms).toBe(123);
});
