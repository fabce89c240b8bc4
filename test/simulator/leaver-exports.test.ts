/**
 * The simulator's bulk export, opt-in (`leaverExports`): the leaver story exports that many data
 * sources, which the `bulk_export` alert raises at `exportBurst` 5; by default it draws 4 to 6 as
 * always (the demo's seed 4), so the demo's data and known answers do not move, and with the option only the leaver's
 * own planted events change.
 */
import { describe, expect, it } from 'vitest';
import { detectBulkExports } from '../../functions/core/alerts/detect-bulk-exports.ts';
import { alertEventOf, keptReadsOf } from '../../functions/core/alerts/kept-events.ts';
import { floorHour, HOUR_MS } from '../../functions/core/time-units.ts';
import type { LeaverPattern } from '../../functions/simulator/leaver-pattern.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { hourInput, record } from '../core/alerts/support/alert-fixtures.ts';

const toMs = Date.parse('2026-11-23T00:00:00Z');
const range = { seed: 'leaver-exports', fromMs: toMs - 14 * 86_400_000, toMs };

const leaverOf = (planted: readonly { kind: string }[]): LeaverPattern => {
  const leaver = planted.find((p): p is LeaverPattern => p.kind === 'leaver');
  if (leaver === undefined) throw new Error('no leaver planted');
  return leaver;
};

/** The simulator's event as the alerts run keeps it, exports read. */
const kept = (e: SimEvent) => {
  const s = (key: string) => (e.entry[key] === undefined ? null : String(e.entry[key]));
  const fields = {
    event_time_ms: e.timeMs,
    category: 'other' as const,
    user_id: s('userId'),
    user_name: s('userName'),
    actor_id: s('actorId'),
    actor_name: s('actorName'),
    action_type: s('actionType'),
    object_type: s('objectType'),
    object_id: s('objectId'),
    object_name: s('objectName'),
    ip_address: s('ipAddress'),
  };
  return alertEventOf(record(fields), keptReadsOf({ exportBurst: 5 })) ?? [];
};

describe("the leaver's exports", () => {
  const plain = generateInstance(range);
  const pull = generateInstance({ ...range, leaverExports: 8 });

  it('are 4 to 6 by default and 8 when asked, the rest of the data the same', () => {
    expect(generateInstance({ ...range, leaverExports: undefined })).toEqual(plain);
    const before = leaverOf(plain.planted);
    const after = leaverOf(pull.planted);
    expect(before.evidence.exports.length).toBeGreaterThanOrEqual(4);
    expect(before.evidence.exports.length).toBeLessThanOrEqual(6);
    expect(new Set(after.evidence.exports.map((x) => x.id)).size).toBe(8);
    expect(after.userId).toBe(before.userId);
    const unplanted = (events: readonly SimEvent[]) =>
      events.filter((e) => e.planted !== true || e.entry.userId !== after.userId);
    expect(unplanted(pull.events)).toEqual(unplanted(plain.events));
  });

  it('raise one bulk export at exportBurst 5 when 8, as the alert reads them', () => {
    const leaver = leaverOf(pull.planted);
    const last = leaver.evidence.exports.at(-1)?.timeMs ?? 0;
    const from = floorHour(last);
    const events = pull.events
      .filter((e) => e.timeMs >= from - 2 * HOUR_MS && e.timeMs < from + HOUR_MS)
      .flatMap(kept);
    const alerts = detectBulkExports(
      hourInput(
        from,
        events.filter((e) => e.event_time_ms >= from - HOUR_MS),
        { exportBurst: 5 },
      ),
    );
    // The pull may cross an hour: then the earlier hour raised it, and this one follows it.
    const earlier = detectBulkExports(
      hourInput(
        from - HOUR_MS,
        events.filter((e) => e.event_time_ms < from),
        { exportBurst: 5 },
      ),
    );
    expect([...earlier, ...alerts].map((a) => [a.kind, a.user_id])).toEqual([['bulk_export', leaver.userId]]);
  });

  it('refuses a count the catalogue cannot give', () => {
    expect(() => generateInstance({ ...range, leaverExports: 21 })).toThrow(/from 1 to 20/);
  });
});
