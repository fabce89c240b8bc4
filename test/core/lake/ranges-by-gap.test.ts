import { describe, expect, it } from 'vitest';
import { rangesByGap } from '../../../functions/core/lake/ranges-by-gap.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';

const T0 = Date.parse('2026-11-02T00:00:00Z');
const hour = (n: number) => T0 + n * HOUR_MS;
const span = (from: number, to: number) => ({ fromMs: hour(from), toMs: hour(to) });

describe('rangesByGap', () => {
  it('joins the hours of one gap from the first to the end of the last, one range per gap', () => {
    const gaps = [span(0, 10), span(20, 30)];
    expect(rangesByGap(new Set([hour(7), hour(2), hour(22)]), gaps)).toEqual([span(2, 8), span(22, 23)]);
  });

  it('gives no range for a gap holding none of the hours', () => {
    expect(rangesByGap(new Set([hour(25)]), [span(0, 10), span(20, 30)])).toEqual([span(25, 26)]);
  });

  it('keeps an hour that lies in no gap as a range of its own, between gaps or after the last', () => {
    const gaps = [span(0, 10), span(20, 30)];
    const hours = new Set([hour(1), hour(12), hour(14), hour(21), hour(40)]);
    expect(rangesByGap(hours, gaps)).toEqual([
      span(1, 2),
      span(12, 13),
      span(14, 15),
      span(21, 22),
      span(40, 41),
    ]);
  });

  it('does not join an hour of a gap to a range that ended outside it', () => {
    expect(rangesByGap(new Set([hour(9), hour(10), hour(11)]), [span(0, 10), span(11, 20)])).toEqual([
      span(9, 10),
      span(10, 11),
      span(11, 12),
    ]);
  });
});
