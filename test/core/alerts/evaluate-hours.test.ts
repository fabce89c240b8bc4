import { describe, expect, it } from 'vitest';
import { type AlertCheckpoint, newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record, settings } from './support/alert-fixtures.ts';

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
    const context = evaluationContext(store);

    const evaluation = await evaluateHours(context, newAlertCheckpoint('acme', H), H + HOUR_MS);

    expect(evaluation.nextHourMs).toBe(H + HOUR_MS);
    const stored = await store.get(alertsStateKey('acme', 'login-profile.json.gz'));
    const profile = await LoginProfile.decode(stored?.body ?? new Uint8Array(), 'acme', settings().timeZone);
    const history = (user: string) => profile?.history(user, H, H + HOUR_MS);
    expect(history('unplaced')).toMatchObject({ logins: 1, placedLogins: 0, last: undefined });
    expect(history('old')).toMatchObject({ logins: 1, placedLogins: 0, last: undefined });
    expect(history('placed')).toMatchObject({ logins: 1, placedLogins: 1, owners: new Set([3320]) });
  });

  it('folds again the hours rewritten since; one stopped midway leaves the rest to the next run', async () => {
    const store = new MemoryObjectStore();
    // Four hours of sign-ins from an address the lake has no place for yet.
    for (let i = 0; i < 4; i++) {
      const signIn = record({
        category: 'login',
        user_id: 'u1',
        ip_address: '8.8.8.8',
        event_time_ms: H + i * HOUR_MS + 60_000,
      });
      await store.put(activityKey('acme', H + i * HOUR_MS), encodeNdjsonGzip([withoutGeoColumns(signIn)]));
    }
    const calls = { left: Number.POSITIVE_INFINITY };
    const context = {
      store,
      log: silentLog,
      instance: 'acme',
      // 2 recheck hours: the run after 10:00-13:00 looks again at 12:00 and 13:00, so 11:00 is
      // only folded again (3 would cover every rewritten hour but 10:00).
      settings: settings({ recheckHours: 2 }),
      mayContinue: () => calls.left-- > 0,
    };
    const stored = async (at: ObjectStore) =>
      await LoginProfile.decode(
        (await at.get(alertsStateKey('acme', 'login-profile.json.gz')))?.body ?? new Uint8Array(),
        'acme',
        'UTC',
      );
    const placed = async () => (await stored(store))?.history('u1', H, H + 4 * HOUR_MS).placedLogins;
    await evaluateHours(context, newAlertCheckpoint('acme', H), H + 4 * HOUR_MS);
    expect(await placed()).toBe(0);

    await enrichLake(
      { store, geo: { version: 'g1', lookup: () => ({ country: 'US', asn: 15169, org: 'Google LLC' }) } },
      { instance: 'acme', fromMs: H, toMs: H + 4 * HOUR_MS, nowIso: '2026-11-01T15:00:00.000Z' },
    );
    // The next run (one new hour) stops after folding one old hour again: the rewritten hours of
    // the recheck window (12:00, 13:00) and 11:00 are left, still stale in the stored profile.
    // Its budget: the early pass over 12:00 to 15:00 first (3 hours: 10:00 and 11:00 wait to be
    // folded again), then the profile's check and one hour folded again.
    const checkpoint: AlertCheckpoint = { ...newAlertCheckpoint('acme', H), next_hour_ms: H + 4 * HOUR_MS };
    calls.left = 5;
    const stopped = await evaluateHours(context, checkpoint, H + 5 * HOUR_MS);
    expect(stopped.evaluated.size).toBe(0);
    expect(await placed()).toBe(1);
    const partial = await stored(store);
    expect(partial?.staleHours(new Map())).toEqual([H + HOUR_MS, H + 2 * HOUR_MS, H + 3 * HOUR_MS]);
    expect(partial?.digestNext).toBeGreaterThan(0);

    // The run after that reads no digest it has not read, yet folds the rest again.
    calls.left = Number.POSITIVE_INFINITY;
    const next = await evaluateHours(context, checkpoint, H + 5 * HOUR_MS);
    // 12:00 and 13:00 are the last 2 hours evaluated: evaluated again.
    expect([...next.evaluated.keys()]).toEqual([H + 2 * HOUR_MS, H + 3 * HOUR_MS, H + 4 * HOUR_MS]);
    expect(await placed()).toBe(4);
    expect((await stored(store))?.staleHours(new Map())).toEqual([]);
  });
});
