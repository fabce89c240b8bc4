/**
 * Each report query's time limit follows the caller's time (review R-BIG M2): a fixed 120 s failed
 * a large instance's 37-day history queries every week whatever `report.timeoutMinutes` was.
 */
import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import type { QueryParams, QueryRunOptions } from '../../../functions/core/ports.ts';
import { buildReportModel, REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import {
  MIN_QUERY_TIME_LIMIT_MS,
  queryTimeLimitMs,
} from '../../../functions/core/report/query-time-limit.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { FakeEngine } from './fake-engine.ts';

/** The fake engine, keeping the options each query was run with. */
class OptionsEngine extends FakeEngine {
  readonly options: QueryRunOptions[] = [];
  override async run(name: string, params: QueryParams, options: QueryRunOptions = {}) {
    this.options.push(options);
    return super.run(name, params);
  }
}

const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

describe('the time limit of one report query', () => {
  it("shares the caller's time, less the reserve, among the waves of queries", () => {
    // 15 minutes, 30 s to mail, 14 queries 4 at a time: 4 waves of 217.5 s, told in whole seconds.
    expect(queryTimeLimitMs({ timeLeftMs: 900_000, reserveMs: 30_000, queries: 14, concurrency: 4 })).toBe(
      217_000,
    );
    // 10 minutes: 142 s; all 14 at once: one wave, the whole time.
    expect(queryTimeLimitMs({ timeLeftMs: 600_000, reserveMs: 30_000, queries: 14, concurrency: 4 })).toBe(
      142_000,
    );
    expect(queryTimeLimitMs({ timeLeftMs: 900_000, reserveMs: 30_000, queries: 14, concurrency: 14 })).toBe(
      870_000,
    );
  });

  it('never drops below the 120 s each query had before, nor below it with no time left', () => {
    // The default 5 minutes: 67 s a wave, kept at 120 s (the query timer still stops them in time).
    expect(queryTimeLimitMs({ timeLeftMs: 300_000, reserveMs: 30_000, queries: 14, concurrency: 4 })).toBe(
      MIN_QUERY_TIME_LIMIT_MS,
    );
    expect(queryTimeLimitMs({ timeLeftMs: 10_000, reserveMs: 30_000, queries: 14, concurrency: 4 })).toBe(
      MIN_QUERY_TIME_LIMIT_MS,
    );
  });

  it('is no limit of its own for a caller without a deadline', () => {
    expect(
      queryTimeLimitMs({ timeLeftMs: Number.POSITIVE_INFINITY, reserveMs: 0, queries: 14, concurrency: 4 }),
    ).toBeUndefined();
  });
});

describe("the report's queries", () => {
  it("each get the share of the caller's time left as they start", async () => {
    const engine = new OptionsEngine();
    await buildReportModel(engine, {
      instance: 'acme',
      run,
      deadline: new Deadline(() => 900_000),
      reserveMs: 30_000,
    });
    expect(engine.options).toHaveLength(REPORT_QUERY_COUNT);
    expect(engine.options.map((o) => o.timeoutMs)).toEqual(Array(REPORT_QUERY_COUNT).fill(174_000));
  });

  it('with more time, get longer', async () => {
    const limits: (number | undefined)[] = [];
    for (const minutes of [5, 10, 15]) {
      const engine = new OptionsEngine();
      await buildReportModel(engine, {
        instance: 'acme',
        run,
        deadline: new Deadline(() => minutes * 60_000),
        reserveMs: 30_000,
      });
      limits.push(engine.options[0]?.timeoutMs);
    }
    expect(limits).toEqual([120_000, 120_000, 174_000]);
  });

  it("leave the engine its own limit when the caller has no deadline (the command line's)", async () => {
    const engine = new OptionsEngine();
    await buildReportModel(engine, { instance: 'acme', run, deadline: new Deadline() });
    expect(engine.options).toHaveLength(REPORT_QUERY_COUNT);
    expect(engine.options.every((o) => o.timeoutMs === undefined && o.signal !== undefined)).toBe(true);
  });
});
