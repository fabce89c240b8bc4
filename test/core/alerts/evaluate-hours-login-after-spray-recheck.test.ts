/**
 * A recheck of the hours of a sign-in linked to a spray, after a late failure of the spray: the
 * alert keeps its id (the sign-in's), so the checkpoint's recent ids take it once; only its
 * evidence counts the late failure (review R-SPRAY2: does it re-raise every run?).
 */
import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const MIN = 60_000;
const SPRAYER = '45.1.1.1';
const start = Date.parse('2026-11-01T11:00:00Z');

const failure = (ms: number, user: number) =>
  record({
    event_time_ms: ms,
    category: 'login_failed',
    ip_address: SPRAYER,
    user_id: `id${user}`,
    user_name: `user${user}`,
  });

async function lake(events: readonly EventRecord[]) {
  const store = new MemoryObjectStore();
  for (const hour of [start - HOUR_MS, start]) {
    const held = events.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS);
    await store.put(activityKey('acme', hour), encodeNdjsonGzip(held));
  }
  return store;
}

describe('evaluateHours: login_after_spray rechecked after a late failure', () => {
  it('raises the same alert again, its evidence counting the late failure', async () => {
    const spray = Array.from({ length: 10 }, (_, i) => failure(start - 10 * MIN + i * 20_000, i + 1));
    const login = record({ event_time_ms: start + 5 * MIN, category: 'login', ip_address: SPRAYER });
    const late = failure(start - 9 * MIN, 11);
    const first = await evaluateHours(
      evaluationContext(await lake([...spray, login])),
      newAlertCheckpoint('acme', start - HOUR_MS),
      start + HOUR_MS,
    );
    const checkpoint = {
      ...newAlertCheckpoint('acme', start - 5 * HOUR_MS),
      next_hour_ms: start + HOUR_MS,
      evaluated: { [String(start - HOUR_MS)]: 'before-the-late-failure', [String(start)]: 'none' },
    };
    const again = await evaluateHours(
      evaluationContext(await lake([late, ...spray, login])),
      checkpoint,
      start + HOUR_MS,
    );
    const linked = (alerts: typeof first.alerts) => alerts.filter((a) => a.kind === 'login_after_spray');
    const [was, ...more] = linked(first.alerts);
    expect(more).toEqual([]);
    expect(was?.evidence).toMatch(/that IP failed for 10 users/);
    const [now, ...others] = linked(again.alerts);
    expect(others).toEqual([]);
    expect(now?.id).toBe(was?.id);
    expect(now?.evidence).toMatch(/that IP failed for 11 users/);
  });
});
