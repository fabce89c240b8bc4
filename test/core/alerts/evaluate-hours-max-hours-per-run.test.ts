/** A run evaluates at most `maxHoursPerRun` new hours; the next run goes on from there. */
import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T10:00:00Z');

describe('evaluateHours: maxHoursPerRun', () => {
  it('stops after that many new hours, even with more closed before the watermark', async () => {
    const context = evaluationContext(new MemoryObjectStore(), { maxHoursPerRun: 2 });
    const first = await evaluateHours(context, newAlertCheckpoint('acme', H), H + 5 * HOUR_MS);
    expect(first.nextHourMs).toBe(H + 2 * HOUR_MS);
    expect([...first.evaluated.keys()]).toEqual([H, H + HOUR_MS]);
    const next = { ...newAlertCheckpoint('acme', H), next_hour_ms: first.nextHourMs };
    expect((await evaluateHours(context, next, H + 5 * HOUR_MS)).nextHourMs).toBe(H + 4 * HOUR_MS);
  });
});
