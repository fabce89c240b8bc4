import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { InvalidRangeError } from '../../../functions/core/ingest/range-error.ts';
import {
  hourWindows,
  planFromCheckpoint,
  validateRange,
} from '../../../functions/core/ingest/window-plan.ts';
import { closedWindowsEnd } from '../../../functions/core/lake/closed-hours.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('window planning', () => {
  it('only counts windows as closed once the settle time has passed', () => {
    expect(closedWindowsEnd(at('2026-10-01T10:14:00Z'), 15)).toBe(at('2026-10-01T09:00:00Z'));
    expect(closedWindowsEnd(at('2026-10-01T10:15:00Z'), 15)).toBe(at('2026-10-01T10:00:00Z'));
  });

  it('backfills from backfillDays ago on the first run, without lookback', () => {
    const plan = planFromCheckpoint(undefined, at('2026-10-10T10:30:00Z'), 15, 2, 3);
    expect(plan.firstMs).toBe(at('2026-10-07T10:00:00Z'));
    expect(plan.endMs).toBe(at('2026-10-10T10:00:00Z'));
    expect(plan.watermarkMs).toBe(plan.firstMs);
    expect(plan.lookbackWindows).toBe(0);
  });

  it('runs with the documented defaults: 15 minutes settle, 2 hours lookback, 90 days backfill, 4 at once', () => {
    // docs/cli.md (Ingest settings), docs/configuration.md and docs/ingest.md promise these.
    const config = defaultIngestConfig('acme');
    expect(config).toMatchObject({
      settleMinutes: 15,
      lookbackHours: 2,
      backfillDays: 90,
      concurrency: 4,
      docTimeZone: 'UTC',
      budgetMarginMs: 60_000,
      maxPagesPerRange: 50,
    });
    const { settleMinutes, lookbackHours, backfillDays } = config;
    const first = planFromCheckpoint(
      undefined,
      at('2026-12-01T10:30:00Z'),
      settleMinutes,
      lookbackHours,
      backfillDays,
    );
    expect(first.firstMs).toBe(at('2026-09-02T10:00:00Z'));
    const later = planFromCheckpoint(
      at('2026-12-01T08:00:00Z'),
      at('2026-12-01T10:14:00Z'),
      settleMinutes,
      lookbackHours,
      backfillDays,
    );
    expect([later.firstMs, later.endMs]).toEqual([at('2026-12-01T06:00:00Z'), at('2026-12-01T09:00:00Z')]);
  });

  it('re-pulls the lookback hours before the watermark on later runs', () => {
    const plan = planFromCheckpoint(at('2026-10-10T08:00:00Z'), at('2026-10-10T10:30:00Z'), 15, 2, 90);
    expect(plan.firstMs).toBe(at('2026-10-10T06:00:00Z'));
    expect(plan.lookbackWindows).toBe(2);
    expect([...hourWindows(plan.firstMs, plan.endMs)]).toEqual(
      [6, 7, 8, 9].map((h) => at('2026-10-10T00:00:00Z') + h * H),
    );
  });

  it('never looks back before the backfill start, and never skips ahead of an old watermark', () => {
    const now = at('2026-10-10T10:30:00Z');
    const justAfterStart = planFromCheckpoint(at('2026-10-07T11:00:00Z'), now, 15, 2, 3);
    expect(justAfterStart.firstMs).toBe(at('2026-10-07T10:00:00Z'));
    const longBehind = planFromCheckpoint(at('2026-09-01T00:00:00Z'), now, 15, 2, 3);
    expect(longBehind.firstMs).toBe(at('2026-09-01T00:00:00Z'));
  });

  it('plans no open window when the watermark is already at the closed end', () => {
    const plan = planFromCheckpoint(at('2026-10-10T10:00:00Z'), at('2026-10-10T10:20:00Z'), 15, 0, 90);
    expect([...hourWindows(plan.firstMs, plan.endMs)]).toEqual([]);
  });

  it('pulls no lookback hour in a run that has no closed hour after the watermark', () => {
    // 10:50, watermark 10:00: the 10:00 hour closes at 11:15; the 11:16 run pulls 08:00 and 09:00 again.
    const between = planFromCheckpoint(at('2026-10-10T10:00:00Z'), at('2026-10-10T10:50:00Z'), 15, 2, 90);
    expect(between).toMatchObject({ watermarkMs: at('2026-10-10T10:00:00Z'), lookbackWindows: 0 });
    expect([...hourWindows(between.firstMs, between.endMs)]).toEqual([]);
    const ahead = planFromCheckpoint(at('2026-10-10T12:00:00Z'), at('2026-10-10T10:50:00Z'), 15, 2, 90);
    expect([...hourWindows(ahead.firstMs, ahead.endMs)]).toEqual([]);
    const next = planFromCheckpoint(at('2026-10-10T10:00:00Z'), at('2026-10-10T11:16:00Z'), 15, 2, 90);
    expect([...hourWindows(next.firstMs, next.endMs)]).toEqual(
      [8, 9, 10].map((h) => at('2026-10-10T00:00:00Z') + h * H),
    );
  });

  it('checks explicit ranges: whole hours, ordered, closed', () => {
    const now = at('2026-10-10T00:30:00Z');
    expect(() =>
      validateRange(at('2026-10-01T00:00:00Z'), at('2026-10-03T00:00:00Z'), now, 15),
    ).not.toThrow();
    expect(() => validateRange(at('2026-10-01T00:30:00Z'), at('2026-10-03T00:00:00Z'), now, 15)).toThrow(
      /whole UTC hours/,
    );
    expect(() => validateRange(at('2026-10-03T00:00:00Z'), at('2026-10-01T00:00:00Z'), now, 15)).toThrow(
      /must be after/,
    );
    expect(() => validateRange(at('2026-10-09T00:00:00Z'), at('2026-10-10T01:00:00Z'), now, 15)).toThrow(
      /not closed yet/,
    );
  });

  it('throws a typed error that each caller words with its own names for the bounds', () => {
    const now = at('2026-10-10T00:30:00Z');
    const caught = (from: string, to: string) => {
      try {
        validateRange(at(from), at(to), now, 15);
      } catch (error) {
        if (error instanceof InvalidRangeError) return error;
      }
      throw new Error('expected an InvalidRangeError');
    };
    const open = caught('2026-10-09T00:00:00Z', '2026-10-10T01:00:00Z');
    expect(open).toMatchObject({
      problem: 'not-closed',
      closed: { endMs: at('2026-10-10T00:00:00Z'), settleMinutes: 15 },
    });
    expect(open.message).toBe(
      'the end 2026-10-10T01:00:00.000Z is not closed yet: the newest hour that can be pulled ends at 2026-10-10T00:00:00.000Z (windows must end 15 min before now)',
    );
    expect(open.describe({ from: '--from', to: '--to' })).toMatch(
      /^--to 2026-10-10T01:00:00\.000Z is not closed yet/,
    );
    expect(
      caught('2026-10-03T00:00:00Z', '2026-10-01T00:00:00Z').describe({
        from: 'rePull.from',
        to: 'rePull.to',
      }),
    ).toBe('rePull.to 2026-10-01T00:00:00.000Z must be after rePull.from 2026-10-03T00:00:00.000Z');
    expect(caught('2026-10-01T00:30:00Z', '2026-10-03T00:00:00Z').problem).toBe('not-whole-hours');
    // An end inside an hour would stop at the hour before it without a word.
    expect(caught('2026-10-01T00:00:00Z', '2026-10-03T00:30:00Z').problem).toBe('not-whole-hours');
  });
});
