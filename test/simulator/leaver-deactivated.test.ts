/**
 * The simulator's deactivated leaver, opt-in (`leaverDeactivated`, 2026-12-07; the demo's is on):
 * an admin of no story deactivates the leaver an hour after their story, in a form the alert reads,
 * and the leaver's token acts in their name hours later; every other event stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { userStateChange } from '../../functions/core/alerts/deactivation-forms.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import type { LeaverPattern } from '../../functions/simulator/leaver-pattern.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';

const toMs = Date.parse('2026-11-23T00:00:00Z');
const range = { seed: 'leaver-deactivated', fromMs: toMs - 14 * 86_400_000, toMs };

const leaverOf = (planted: readonly { kind: string }[]): LeaverPattern => {
  const leaver = planted.find((p): p is LeaverPattern => p.kind === 'leaver');
  if (leaver === undefined) throw new Error('no leaver planted');
  return leaver;
};

describe('the deactivated leaver', () => {
  const plain = generateInstance(range);
  const deactivated = generateInstance({ ...range, leaverDeactivated: true });
  const leaver = leaverOf(deactivated.planted);
  const story = leaver.evidence.deactivation;

  it('is deactivated by another user an hour after the story, and the token acts after it', () => {
    expect(story).toBeDefined();
    expect(story?.adminId).not.toBe(leaver.userId);
    const lastShare = leaver.evidence.shares.at(-1)?.timeMs ?? 0;
    expect(story?.atMs).toBe(lastShare + HOUR_MS);
    const off = deactivated.events.find((e) => e.timeMs === story?.atMs && e.entry.objectType === 'USER');
    // Read as the alert reads a deactivation of the leaver (the lake's category of it: other).
    expect(
      userStateChange({
        category: 'other',
        object_type: String(off?.entry.objectType),
        object_id: String(off?.entry.objectId),
        action_type: String(off?.entry.actionType),
        event_text: String(off?.entry.eventText),
      }),
    ).toEqual({ state: 'off', userId: leaver.userId });
    expect(String(off?.entry.userId)).toBe(story?.adminId);
    const act = deactivated.events.find((e) => e.timeMs === story?.tokenActMs);
    expect(act?.entry).toMatchObject({
      userId: leaver.userId,
      objectType: 'ACCESS_TOKEN',
      objectId: leaver.evidence.token.id,
    });
    expect(story?.tokenActMs).toBeGreaterThan(story?.atMs ?? Number.POSITIVE_INFINITY);
  });

  it('leaves every other story and the default data as they were', () => {
    expect(leaverOf(plain.planted).evidence.deactivation).toBeUndefined();
    const strip = (p: { kind: string }) => (p.kind === 'leaver' ? { ...p, evidence: {} } : p);
    expect(deactivated.planted.map(strip)).toEqual(plain.planted.map(strip));
    const key = (e: { timeMs: number; entry: Record<string, unknown> }) =>
      JSON.stringify([e.timeMs, e.entry]);
    const planted = new Set([story?.atMs, story?.tokenActMs]);
    expect(deactivated.events.filter((e) => !planted.has(e.timeMs)).map(key)).toEqual(plain.events.map(key));
  });
});
