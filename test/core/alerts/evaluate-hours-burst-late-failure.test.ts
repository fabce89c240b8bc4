/**
 * A rotating attack's alerts after the first follow fixed `burstMinutes` windows from the epoch, not
 * a wait after the previous alert, so one late failure before the attack changes only the alert
 * whose window holds it and the recheck re-sends that one alone (review rv34f: with the wait, every
 * later alert moved with the first and all 9 of 9 were re-sent with new ids).
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
const SEC = 1000;

const failure = (ms: number, ip: string | null) =>
  record({ event_time_ms: ms, category: 'login_failed', ip_address: ip });

const clock = (alerts: readonly { event_time: string }[]) => alerts.map((a) => a.event_time.slice(11, 19));

describe('evaluateHours: a late failure before a rotating attack', () => {
  it('a late failure before a rotating attack changes only the alert whose window holds it', async () => {
    const start = Date.parse('2026-11-01T11:00:00Z');
    // One failure every 20 s from a new address, 10:30-11:59; the user's own failure at 10:29 comes late.
    const rotating = Array.from({ length: 270 }, (_, i) =>
      failure(start - 30 * MIN + i * 20 * SEC, `198.51.${Math.floor(i / 250)}.${i % 250}`),
    );
    const late = failure(start - 31 * MIN, '73.1.1.1');
    const lake = async (events: readonly EventRecord[]) => {
      const store = new MemoryObjectStore();
      for (const hour of [start - HOUR_MS, start]) {
        const held = events.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS);
        await store.put(activityKey('acme', hour), encodeNdjsonGzip(held));
      }
      return store;
    };
    const first = await evaluateHours(
      evaluationContext(await lake(rotating)),
      newAlertCheckpoint('acme', start - HOUR_MS),
      start + HOUR_MS,
    );
    // The recheck: the hour the late failure landed in has changed, so both hours are evaluated again.
    const checkpoint = {
      ...newAlertCheckpoint('acme', start - 5 * HOUR_MS),
      next_hour_ms: start + HOUR_MS,
      evaluated: {
        [String(start - 2 * HOUR_MS)]: 'none',
        [String(start - HOUR_MS)]: 'before-the-late-failure',
        [String(start)]: 'none',
      },
    };
    const again = await evaluateHours(
      evaluationContext(await lake([late, ...rotating])),
      checkpoint,
      start + HOUR_MS,
    );
    expect(clock(first.alerts)).toEqual([
      '10:31:20',
      '10:40:00',
      '10:50:00',
      '11:00:00',
      '11:10:00',
      '11:20:00',
      '11:30:00',
      '11:40:00',
      '11:50:00',
    ]);
    const seen = new Set(first.alerts.map((a) => a.id));
    const resent = again.alerts.filter((a) => !seen.has(a.id));
    expect(clock(resent)).toEqual(['10:31:00']);
    expect(resent[0]?.event_ids).toContain(late.event_id);
    expect(again.alerts).toHaveLength(9);
  });
});
