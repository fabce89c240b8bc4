/**
 * When the lake's digest chain cannot be read in full, the run cannot know which folded hours were
 * rewritten: it folds every one of them again, not only those of the recheck window.
 */
import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { activityKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T10:00:00Z');
const HOURS = 8;

describe('evaluateHours: an unreadable digest chain', () => {
  it('folds every folded hour again', async () => {
    const store = new MemoryObjectStore();
    // 8 hours of sign-ins from an address the lake has no place for yet.
    for (let i = 0; i < HOURS; i++) {
      const signIn = record({
        category: 'login',
        user_id: 'u1',
        ip_address: '8.8.8.8',
        event_time_ms: H + i * HOUR_MS + 60_000,
      });
      await store.put(activityKey('acme', H + i * HOUR_MS), encodeNdjsonGzip([withoutGeoColumns(signIn)]));
    }
    const context = evaluationContext(store);
    const first = await evaluateHours(context, newAlertCheckpoint('acme', H), H + HOURS * HOUR_MS);
    await enrichLake(
      { store, geo: { version: 'g1', lookup: () => ({ country: 'US', asn: 15169, org: 'Google LLC' }) } },
      { instance: 'acme', fromMs: H, toMs: H + HOURS * HOUR_MS, nowIso: '2026-11-01T19:00:00.000Z' },
    );
    // Every digest since the profile's last look is now unreadable.
    const digests = [...store.objects.keys()].filter((key) => key.startsWith('digest/'));
    expect(digests.length).toBeGreaterThan(0);
    for (const key of digests) await store.put(key, new TextEncoder().encode('not a digest'));

    const checkpoint = {
      ...newAlertCheckpoint('acme', H),
      next_hour_ms: first.nextHourMs,
      evaluated: Object.fromEntries(first.evaluated),
    };
    await evaluateHours(context, checkpoint, H + (HOURS + 1) * HOUR_MS);

    const stored = await store.get(alertsStateKey('acme', 'login-profile.json.gz'));
    const profile = await LoginProfile.decode(stored?.body ?? new Uint8Array(), 'acme', 'UTC');
    expect(profile?.history('u1', H, H + HOURS * HOUR_MS).placedLogins).toBe(HOURS);
    expect(profile?.staleHours(new Map())).toEqual([]);
  });
});
