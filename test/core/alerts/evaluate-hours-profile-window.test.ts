/**
 * The login profile against the history window an hour needs: a stored profile that starts later
 * than the window is rebuilt from the window's start (not extended, which would judge the hour
 * against hours of history instead of days), and the profile a run stores keeps the history of the
 * recheck hours, so re-evaluating one of them does not rebuild it from the lake.
 */
import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
const signIn = (ms: number): EventRecord =>
  record({ event_time_ms: ms, category: 'login', ip_address: '73.0.0.7', ip_country: 'US', ip_asn: 7922 });

const contextOf = (store: ObjectStore) => evaluationContext(store);

describe('evaluateHours: the profile and the history window', () => {
  it('rebuilds a stored profile that starts after the window, from the window’s start', async () => {
    const store = new MemoryObjectStore();
    // 12 sign-ins at 09:05 UTC on the 12 days before H, then one at 14:10 in H: an unusual hour.
    for (let day = 1; day <= 12; day++) {
      const hour = H - day * DAY_MS - 5 * HOUR_MS;
      await store.put(activityKey('acme', hour), encodeNdjsonGzip([signIn(hour + 5 * MIN)]));
    }
    await store.put(activityKey('acme', H), encodeNdjsonGzip([signIn(H + 10 * MIN)]));
    // A stored profile folded from H-2h only (a lost profile rebuilt late, say).
    const late = new LoginProfile('acme', 'UTC');
    late.fold(H - 2 * HOUR_MS, []);
    late.fold(H - HOUR_MS, []);
    await store.put(alertsStateKey('acme', 'login-profile.json.gz'), late.encode());
    const checkpoint = { ...newAlertCheckpoint('acme', H - 40 * DAY_MS), next_hour_ms: H };

    const { alerts } = await evaluateHours(contextOf(store), checkpoint, H + HOUR_MS);

    expect(alerts.map((a) => a.evidence)).toEqual([
      'login at 14:10 UTC; 0 of 12 logins in 12 days of history were in the hours 12:00 to 16:59',
    ]);
  });

  it('re-evaluating a recheck hour reuses the stored profile instead of reading the window again', async () => {
    const store = new MemoryObjectStore();
    const W = H;
    const floor = newAlertCheckpoint('acme', W - 40 * DAY_MS);
    // A first run evaluates the 4 hours before W (reading their 30 days of history).
    await evaluateHours(contextOf(store), { ...floor, next_hour_ms: W - 4 * HOUR_MS }, W);
    let gets = 0;
    const counting: ObjectStore = {
      location: store.location,
      get: (key) => {
        gets += 1;
        return store.get(key);
      },
      put: (key, body, options) => store.put(key, body, options),
      list: (prefix) => store.list(prefix),
    };
    // The next run's hour, and W-2h again: of the 3 hours evaluated last, the one whose content
    // changed since (the other two as they were: no coverage, `none`), and W-1h after it, whose
    // alerts may depend on it.
    const evaluated = { [String(W - 3 * HOUR_MS)]: 'none', [String(W - HOUR_MS)]: 'none' };
    const next = await evaluateHours(
      contextOf(counting),
      { ...floor, next_hour_ms: W, evaluated },
      W + HOUR_MS,
    );
    expect([...next.evaluated.keys()]).toEqual([W - 2 * HOUR_MS, W - HOUR_MS, W]);
    expect(gets).toBeLessThan(20);
  });
});
