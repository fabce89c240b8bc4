import { describe, expect, it } from 'vitest';
import {
  SpanPlanner,
  spanHours,
  spanPageBudget,
  spanSizingFor,
} from '../../../functions/core/ingest/span-plan.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const sizing = { targetEvents: 1_000, maxHours: 24 };

describe('SpanPlanner', () => {
  it('reads one hour while nothing is known, then as many hours as the busiest hour allows', () => {
    const planner = new SpanPlanner(sizing);
    const spans = planner.spans(0, 100 * HOUR_MS);
    const next = () => spanHours(spans.next().value as { startMs: number; endMs: number });
    expect(next()).toBe(1);
    planner.observe({ startMs: 0, endMs: HOUR_MS }, 10);
    expect(next()).toBe(2); // 100 hours would fit; at most twice the longest span so far
    planner.observe({ startMs: 0, endMs: 2 * HOUR_MS }, 10);
    expect(next()).toBe(4);
    planner.observe({ startMs: 0, endMs: 4 * HOUR_MS }, 400); // a busy hour: 1,000 / 400
    expect(next()).toBe(2);
    // The busiest hour fades by 10 % a span, so one burst does not keep spans short for good.
    for (let i = 0; i < 30; i++) planner.observe({ startMs: 0, endMs: HOUR_MS }, 10);
    expect(next()).toBe(8);
  });

  it('reads hour by hour for the rest of the run once a span held zone-less time strings', () => {
    const planner = new SpanPlanner(sizing, 10);
    const spans = planner.spans(0, 100 * HOUR_MS);
    const next = () => spanHours(spans.next().value as { startMs: number; endMs: number });
    expect(next()).toBe(24);
    planner.observe({ startMs: 0, endMs: 24 * HOUR_MS }, 10, true);
    expect(next()).toBe(1);
    planner.observe({ startMs: 0, endMs: HOUR_MS }, 10);
    expect(next()).toBe(1);
  });

  it('expects a span to hold its hours at the busiest hour seen (the target while nothing is known)', () => {
    const planner = new SpanPlanner(sizing);
    const threeHours = { startMs: 0, endMs: 3 * HOUR_MS };
    expect(planner.expectedEvents(threeHours)).toBe(3_000);
    planner.observe({ startMs: 0, endMs: HOUR_MS }, 250);
    expect(planner.expectedEvents(threeHours)).toBe(750);
  });

  it('covers the range exactly, the last span cut at its end', () => {
    const planner = new SpanPlanner(sizing, 10);
    const spans = [...planner.spans(0, 30 * HOUR_MS)];
    expect(spans.map(spanHours)).toEqual([24, 6]);
    expect(spans[1]).toEqual({ startMs: 24 * HOUR_MS, endMs: 30 * HOUR_MS });
  });

  it('gives a span twice its target in pages before it is split', () => {
    expect(spanPageBudget({ targetEvents: 5_000, maxHours: 24 }, 1_000)).toBe(10);
    expect(spanPageBudget({ targetEvents: 1, maxHours: 1 }, 1_000)).toBe(2);
  });

  it('sizes spans so that those in flight together hold about 16,000 events', () => {
    expect(spanSizingFor(1).targetEvents).toBe(16_000);
    expect(spanSizingFor(4).targetEvents).toBe(4_000);
    expect(spanSizingFor(8).targetEvents).toBe(2_000);
    expect(spanSizingFor(16).targetEvents).toBe(1_000);
  });
});
