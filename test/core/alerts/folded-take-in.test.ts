/**
 * The count record of alerts folded out of a long outbox keeps when the alerts of its oldest event
 * were taken in (review R-LAST3 L1): a late message is judged by that alert, which a backlog folds
 * first.
 */
import { describe, expect, it } from 'vitest';
import {
  capOutbox,
  emptyChannel,
  type FoldedAlerts,
  foldOf,
  MAX_OUTBOX,
  mergeFolded,
} from '../../../functions/core/alerts/alert-checkpoint.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const MIN = 60_000;
const stamped = (tag: string, eventMs: number, takenInMs?: number) => ({
  ...alertAt(tag, eventMs),
  ...(takenInMs === undefined ? {} : { detected_at_ms: takenInMs }),
});
const fold = (oldestMs: number, takenInMs?: number): FoldedAlerts => ({
  count: 1,
  kinds: { lockout: 1 },
  oldest_ms: oldestMs,
  newest_ms: oldestMs,
  ...(takenInMs === undefined ? {} : { oldest_detected_at_ms: takenInMs }),
});

describe('the take-in time of the oldest alert only counted', () => {
  it('is kept when the outbox folds its oldest alerts', () => {
    const channel = emptyChannel();
    const newer = Array.from({ length: MAX_OUTBOX }, (_, i) => stamped(`n${i}`, NOW - i * 1000, NOW));
    channel.outbox = [...newer, stamped('oldest', NOW - 3 * 60 * MIN, NOW - 2 * 60 * MIN)];
    expect(capOutbox(channel)).toBe(1);
    expect(channel.folded).toMatchObject({
      oldest_ms: NOW - 3 * 60 * MIN,
      oldest_detected_at_ms: NOW - 2 * 60 * MIN,
    });
  });

  it('is the latest of the alerts of that event, and unknown when one of them does not say', () => {
    const at = NOW - 60 * MIN;
    expect(
      foldOf([stamped('a', at, NOW - 5 * MIN), stamped('b', at, NOW), stamped('c', NOW, NOW)]),
    ).toMatchObject({
      oldest_detected_at_ms: NOW,
    });
    expect(foldOf([stamped('a', at, NOW), stamped('b', at)])).not.toHaveProperty('oldest_detected_at_ms');
  });

  it('follows the older record when two merge, and the later stamp when their oldest events tie', () => {
    expect(mergeFolded(fold(NOW - MIN, NOW), fold(NOW, NOW + MIN))?.oldest_detected_at_ms).toBe(NOW);
    expect(mergeFolded(fold(NOW, NOW + MIN), fold(NOW - MIN))).not.toHaveProperty('oldest_detected_at_ms');
    expect(mergeFolded(fold(NOW, NOW + MIN), fold(NOW, NOW + 2 * MIN))?.oldest_detected_at_ms).toBe(
      NOW + 2 * MIN,
    );
    expect(mergeFolded(fold(NOW, NOW + MIN), fold(NOW))).not.toHaveProperty('oldest_detected_at_ms');
  });
});
