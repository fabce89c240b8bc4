import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from '../../../functions/core/ingest/watermark-tracker.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const h = (n: number) => Date.parse('2026-10-01T00:00:00Z') + n * HOUR_MS;

describe('WatermarkTracker', () => {
  it('moves over each hour finished in order', () => {
    const tracker = new WatermarkTracker(h(0));
    expect(tracker.complete(h(0))).toBe(h(1));
    expect(tracker.complete(h(1))).toBe(h(2));
    expect(tracker.currentMs).toBe(h(2));
  });

  it('holds hours finished ahead of a gap until the gap closes, then moves over all of them', () => {
    const tracker = new WatermarkTracker(h(0));
    expect(tracker.complete(h(2))).toBeUndefined();
    expect(tracker.complete(h(1))).toBeUndefined();
    expect(tracker.currentMs).toBe(h(0));
    expect(tracker.complete(h(0))).toBe(h(3));
  });

  it('ignores hours before the watermark (lookback) and tracks nothing without one (range mode)', () => {
    const tracker = new WatermarkTracker(h(5));
    expect(tracker.complete(h(3))).toBeUndefined();
    expect(tracker.currentMs).toBe(h(5));
    const range = new WatermarkTracker(null);
    expect(range.complete(h(0))).toBeUndefined();
    expect(range.currentMs).toBeNull();
  });

  describe('with the lookback hours of a scheduled run', () => {
    // Watermark 05:00, lookback 2 hours: the run pulls 03:00 and 04:00 again, then 05:00 on.
    const plan = { firstMs: h(3), endMs: h(10), lookbackHours: 2 };

    it('stops lookbackHours past the oldest lookback hour not finished, and moves on once it is', () => {
      const tracker = new WatermarkTracker(h(5), plan);
      for (const hour of [5, 6, 7, 8]) tracker.complete(h(hour));
      // 03:00 unfinished: the next run must start its lookback at 03:00, so its watermark is 05:00.
      expect(tracker.currentMs).toBe(h(5));
      expect(tracker.complete(h(3))).toBe(h(6)); // 04:00 now holds it
      expect(tracker.complete(h(4))).toBe(h(9));
    });

    it('moves as without lookback hours once they are finished first', () => {
      const tracker = new WatermarkTracker(h(5), plan);
      expect(tracker.complete(h(4))).toBeUndefined();
      expect(tracker.complete(h(3))).toBeUndefined();
      expect(tracker.complete(h(5))).toBe(h(6));
      expect(tracker.complete(h(6))).toBe(h(7));
    });

    it('stays before the last hour of the run while a lookback hour is unfinished', () => {
      // Watermark 05:00, one new hour (05:00): 04:00 + 2 hours would be 06:00, the run's end.
      const tracker = new WatermarkTracker(h(5), { firstMs: h(3), endMs: h(6), lookbackHours: 2 });
      expect(tracker.complete(h(3))).toBeUndefined();
      expect(tracker.complete(h(5))).toBeUndefined();
      expect(tracker.currentMs).toBe(h(5));
      expect(tracker.complete(h(4))).toBe(h(6));
    });

    it('does not move at all while the oldest lookback hour is unfinished', () => {
      const tracker = new WatermarkTracker(h(5), plan);
      expect(tracker.complete(h(4))).toBeUndefined();
      expect(tracker.complete(h(5))).toBeUndefined();
      expect(tracker.currentMs).toBe(h(5));
    });
  });
});
