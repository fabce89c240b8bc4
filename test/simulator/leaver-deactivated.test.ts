/**
 * The simulator's deactivated leaver, opt-in (`leaverDeactivated`, 2026-12-07; the demo's is on):
 * an admin of no story deactivates the leaver an hour after their story, in a form the alert reads,
 * and the leaver's token acts in their name hours later; the leaver's own activity stops at the
 * deactivation (2026-12-07: it went on, and the alert fired on a sign-in); every other event stays.
 */
import { describe, expect, it } from 'vitest';
import { userStateChange } from '../../functions/core/alerts/deactivation-forms.ts';
import { readHour } from '../../functions/core/alerts/lake-hours.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import type { LeaverPattern } from '../../functions/simulator/leaver-pattern.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { memoryLake, memoryLakeAlertsRun, RecordingChannel } from '../core/alerts/support/alert-fixtures.ts';

const toMs = Date.parse('2026-11-23T00:00:00Z');
const range = { seed: 'leaver-deactivated', fromMs: toMs - 14 * 86_400_000, toMs };
/** A small lake (alert-fixtures.ts) whose leaver acted after the deactivation before the fix. */
const SEED = 20261026;
const LAKE_FROM = Date.parse('2026-10-12T00:00:00Z');
const LAKE_TO = Date.parse('2026-11-03T00:00:00Z');

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
    // Bar the leaver's own activity after the deactivation (the next test).
    const gone = (e: { timeMs: number; entry: Record<string, unknown> }) =>
      e.entry.userId === leaver.userId && e.timeMs >= (story?.atMs ?? Number.POSITIVE_INFINITY);
    expect(deactivated.events.filter((e) => !planted.has(e.timeMs)).map(key)).toEqual(
      plain.events.filter((e) => !gone(e)).map(key),
    );
  });

  it("stops the leaver's routine activity at the deactivation: only the token acts after it", () => {
    // Once the leaver went on signing in and deleting tokens after it, and the alert fired on a
    // sign-in Domo would have refused, not on the token it exists to catch (2026-12-07).
    const after = deactivated.events.filter(
      (e) => e.entry.userId === leaver.userId && e.timeMs >= (story?.atMs ?? 0),
    );
    expect(after.map((e) => [e.timeMs, e.entry.objectType, e.entry.objectId])).toEqual([
      [story?.tokenActMs, 'ACCESS_TOKEN', leaver.evidence.token.id],
    ]);
    // The plain data had routine activity there, so the check above has something to remove.
    expect(plain.events.some((e) => e.entry.userId === leaver.userId && e.timeMs >= (story?.atMs ?? 0))).toBe(
      true,
    );
  });
});

describe('the deactivated leaver, through the lake and an alerts run', () => {
  it('raises activity_after_deactivation on the token renewal, its only event', async () => {
    const lake = memoryLake({ seed: SEED, fromMs: LAKE_FROM, toMs: LAKE_TO, leaverDeactivated: true });
    await lake.ingest(LAKE_TO + 15 * 60_000);
    const leaver = leaverOf(lake.planted);
    const story = leaver.evidence.deactivation;
    /** The lake's record of the leaver's story at `ms`: the admin's deactivation, the token's act. */
    const lakeEvent = async (ms: number) => {
      const { events } = await readHour(lake.store, 'default', ms - (ms % HOUR_MS));
      return events.find((e) => e.event_time_ms === ms && e.object_id !== null);
    };
    const off = await lakeEvent(story?.atMs ?? 0);
    const renewal = await lakeEvent(story?.tokenActMs ?? 0);
    expect([off?.object_id, renewal?.object_id]).toEqual([leaver.userId, leaver.evidence.token.id]);
    const run = await memoryLakeAlertsRun(lake.store, LAKE_TO + 20 * 60_000, new RecordingChannel());
    const raised = run.raised.filter((a) => a.kind === 'activity_after_deactivation');
    // The deactivation's id, then the events after it: the renewal alone.
    expect(raised.map((a) => [a.user_id, a.event_time_ms, a.event_ids])).toEqual([
      [leaver.userId, story?.tokenActMs, [off?.event_id, renewal?.event_id]],
    ]);
  }, 60_000);
});
