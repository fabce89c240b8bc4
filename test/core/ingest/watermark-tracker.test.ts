import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from '../../../functions/core/ingest/watermark-tracker.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';

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
});
