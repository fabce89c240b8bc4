import { describe, expect, it } from 'vitest';
import { localToUtc, wallTime } from '../../functions/core/zoned-time.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import { formatDocString, renderTime } from '../../functions/simulator/time-format.ts';

describe('time rendering', () => {
  it("renders Domo's documented yyyy-MM-dd hh:mm:ss a, 12-hour clock included", () => {
    expect(formatDocString(Date.parse('2017-12-13T22:57:35.900Z'), 'UTC')).toBe('2017-12-13 10:57:35 PM');
    expect(formatDocString(Date.parse('2017-12-13T00:05:00Z'), 'UTC')).toBe('2017-12-13 12:05:00 AM');
    expect(formatDocString(Date.parse('2017-12-13T12:00:00Z'), 'UTC')).toBe('2017-12-13 12:00:00 PM');
    expect(formatDocString(Date.parse('2017-12-13T09:01:02Z'), 'UTC')).toBe('2017-12-13 09:01:02 AM');
  });

  it('renders doc strings on the wall clock of a zone, DST included', () => {
    expect(formatDocString(Date.parse('2017-12-14T03:57:35Z'), 'America/New_York')).toBe(
      '2017-12-13 10:57:35 PM',
    );
    expect(formatDocString(Date.parse('2026-07-01T03:57:35Z'), 'America/New_York')).toBe(
      '2026-06-30 11:57:35 PM',
    );
    expect(formatDocString(Date.parse('2026-07-01T03:57:35Z'), 'Asia/Kolkata')).toBe(
      '2026-07-01 09:27:35 AM',
    );
  });

  it('renders epoch ms as a number and ISO in UTC', () => {
    const ms = Date.parse('2026-11-20T08:09:10.011Z');
    expect(renderTime(ms, 'epochMs')).toBe(ms);
    expect(renderTime(ms, 'iso')).toBe('2026-11-20T08:09:10.011Z');
    expect(renderTime(ms, 'docString', 'Europe/Berlin')).toBe('2026-11-20 09:09:10 AM');
  });

  it('converts local wall time to UTC and back, across DST changes', () => {
    expect(localToUtc(2026, 1, 15, 9 * 60, 'America/New_York')).toBe(Date.parse('2026-01-15T14:00:00Z'));
    expect(localToUtc(2026, 7, 15, 9 * 60, 'America/New_York')).toBe(Date.parse('2026-07-15T13:00:00Z'));
    expect(localToUtc(2026, 7, 15, 3 * 60 + 30, 'Asia/Kolkata')).toBe(Date.parse('2026-07-14T22:00:00Z'));
    expect(wallTime(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 3,
      minute: 30,
    });
  });
});

describe('Prng', () => {
  it('repeats for a seed, differs between seeds, and forks independently of consumption', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(new Prng(43).next()).not.toBe(seqA[0]);
    expect(new Prng(42).fork('x').next()).toBe(a.fork('x').next());
  });

  it('draws within the asked ranges', () => {
    const rng = new Prng('ranges');
    const ints = Array.from({ length: 2000 }, () => rng.int(3, 6));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6]));
    const floats = Array.from({ length: 2000 }, () => rng.next());
    expect(floats.every((f) => f >= 0 && f < 1)).toBe(true);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const picks = Array.from({ length: 3000 }, () => rng.pickCumulative([1, 1, 4]));
    expect(picks.filter((p) => p === 1)).toEqual([]);
    expect(picks.filter((p) => p === 2).length).toBeGreaterThan(picks.filter((p) => p === 0).length);
    expect(new Set(rng.sample([1, 2, 3, 4, 5], 5))).toEqual(new Set([1, 2, 3, 4, 5]));
  });
});
