import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, alertsStateKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T10:00:00Z');

describe('evaluateHours', () => {
  it('folds sign-ins without a place, or from a lake written before places, as unplaced', async () => {
    // A lake record of an older version has no geo columns at all.
    const beforeGeo = withoutGeoColumns(
      record({
        category: 'login',
        user_id: 'old',
        event_time_ms: H + 1,
      }),
    );
    const signIns: EventRecord[] = [
      record({
        category: 'login',
        user_id: 'unplaced',
        event_time_ms: H + 2,
        ip_country: null,
        ip_asn: null,
      }),
      record({ category: 'login', user_id: 'placed', event_time_ms: H + 3, ip_country: 'DE', ip_asn: 3320 }),
      beforeGeo as EventRecord,
    ];
    const store = new MemoryObjectStore();
    await store.put(activityKey('acme', H), encodeNdjsonGzip(signIns));
    const context = {
      store,
      log: silentLog,
      instance: 'acme',
      settings: settings(),
      mayContinue: () => true,
    };

    const evaluation = await evaluateHours(context, newAlertCheckpoint('acme', H), H + HOUR_MS);

    expect(evaluation.nextHourMs).toBe(H + HOUR_MS);
    const stored = await store.get(alertsStateKey('acme', 'login-profile.json.gz'));
    const profile = LoginProfile.decode(stored?.body ?? new Uint8Array(), 'acme', settings().timeZone);
    const history = (user: string) => profile?.history(user, H, H + HOUR_MS);
    expect(history('unplaced')).toMatchObject({ logins: 1, placedLogins: 0, last: undefined });
    expect(history('old')).toMatchObject({ logins: 1, placedLogins: 0, last: undefined });
    expect(history('placed')).toMatchObject({ logins: 1, placedLogins: 1, owners: new Set([3320]) });
  });
});
