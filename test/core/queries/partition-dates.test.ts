import { describe, expect, it } from 'vitest';
import { alignPartitionDates } from '../../../functions/core/queries/partition-dates.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';

const defaults = standardParams({
  instance: 'main',
  fromMs: Date.parse('2026-11-17T00:00:00Z'),
  toMs: Date.parse('2026-11-24T00:00:00Z'),
});
const align = (set: Record<string, string>) =>
  alignPartitionDates({ ...defaults, ...set }, new Set(Object.keys(set)));

describe('alignPartitionDates', () => {
  it('leaves the standard period as it is', () => {
    expect(align({})).toEqual(defaults);
  });

  it('makes each start date the day of a start timestamp set alone', () => {
    const aligned = align({
      from_ts: '2026-11-09 06:00:00.000',
      prev_from_ts: '2026-10-01 23:59:59.999',
      history_from_ts: '2026-09-15 00:00:00',
    });
    expect(aligned).toMatchObject({
      from_dt: '2026-11-09',
      prev_from_dt: '2026-10-01',
      history_from_dt: '2026-09-15',
    });
  });

  it('moves the hour before the period with a from_ts set alone, its day too', () => {
    expect(align({ from_ts: '2026-11-18 00:30:00.000' })).toMatchObject({
      lookback_from_ts: '2026-11-17 23:30:00.000',
      lookback_from_dt: '2026-11-17',
    });
    const set = align({ from_ts: '2026-11-18 06:00:00.000', lookback_from_ts: '2026-11-18 01:00:00.000' });
    expect(set.lookback_from_dt).toBe('2026-11-18');
  });

  it('makes to_dt the day of the last instant before an exclusive to_ts', () => {
    expect(align({ to_ts: '2026-12-01 00:00:00.000' }).to_dt).toBe('2026-11-30');
    expect(align({ to_ts: '2026-12-01 00:00:00.001' }).to_dt).toBe('2026-12-01');
  });

  it('keeps a date set by the caller that reads more days than its timestamp needs', () => {
    expect(align({ from_dt: '2026-11-01' }).from_dt).toBe('2026-11-01');
    expect(align({ to_dt: '2026-12-31' }).to_dt).toBe('2026-12-31');
  });

  it('refuses a date set by the caller that would cut rows its timestamp asks for, naming both', () => {
    expect(() =>
      align({ history_from_ts: '2026-10-01 00:00:00.000', history_from_dt: '2026-10-18' }),
    ).toThrow(
      'history_from_dt=2026-10-18 leaves out rows history_from_ts=2026-10-01 00:00:00.000 asks for (its day is 2026-10-01): set history_from_ts alone (history_from_dt follows it), or a history_from_dt on or before 2026-10-01',
    );
    expect(() => align({ to_dt: '2026-11-22' })).toThrow(
      'to_dt=2026-11-22 leaves out rows to_ts=2026-11-24 00:00:00.000 asks for (its day is 2026-11-23): set to_ts alone (to_dt follows it), or a to_dt on or after 2026-11-23',
    );
  });

  it('refuses a start before the period that falls inside it, and takes one equal to from_ts', () => {
    expect(() => align({ prev_from_ts: '2026-11-17 00:00:00.001' })).toThrow(
      'prev_from_ts=2026-11-17 00:00:00.001 leaves out rows from_ts=2026-11-17 00:00:00.000 asks for',
    );
    expect(() => align({ history_from_ts: '2026-11-20 00:00:00.000' })).toThrow(
      'history_from_ts=2026-11-20 00:00:00.000 leaves out rows from_ts=2026-11-17 00:00:00.000 asks for',
    );
    expect(
      align({ prev_from_ts: '2026-11-17 00:00:00.000', history_from_ts: '2026-11-17 00:00:00' }),
    ).toMatchObject({
      prev_from_dt: '2026-11-17',
      history_from_dt: '2026-11-17',
    });
  });
});
