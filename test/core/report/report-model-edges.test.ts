import { describe, expect, it } from 'vitest';
import type { QueryParams, QueryResult } from '../../../functions/core/ports.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const week = reportWeek('2026-W47', 'UTC');
const nowMs = Date.parse('2026-11-23T07:00:00Z');

/** A FakeEngine whose queries take a tick, counting how many run at once. */
class CountingEngine extends FakeEngine {
  active = 0;
  mostAtOnce = 0;

  override async run(name: string, params: QueryParams): Promise<QueryResult> {
    this.active++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return await super.run(name, params);
    } finally {
      this.active--;
    }
  }
}

describe('buildReportModel at its edges', () => {
  it('refuses a query that returns more than the one row it must', async () => {
    const row = CONTRACT_ROWS.period_totals?.[0] ?? {};
    const engine = new FakeEngine({ ...CONTRACT_ROWS, period_totals: [row, row] });
    await expect(buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) })).rejects.toThrow(
      'query period_totals must return exactly one row, it returned 2',
    );
  });

  it('reports a week from the instant it starts, as in progress until the instant it ends', async () => {
    const engine = new FakeEngine();
    const started = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, week.startMs) });
    expect(started.status).toBe('in-progress');
    const ended = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, week.endMs) });
    expect(ended.status).toBe('complete');
    await expect(
      buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, week.startMs - 1) }),
    ).rejects.toThrow(/2026-W47 \(UTC\) has not started yet/);
  });

  it('calls an ended week missing one hour of its 168 partial, not complete', async () => {
    const health = {
      ...CONTRACT_ROWS.data_health?.[0],
      covered_hours: 167,
      missing_hours: 1,
      gap_count: 1,
      first_missing_hour: '2026-11-18 03:00:00.000',
      inner_gap_count: 1,
      inner_missing_hours: 1,
    };
    const engine = new FakeEngine({ ...CONTRACT_ROWS, data_health: [health] });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(model.status).toBe('partial');
    expect(reportSubject(model)).toContain('[partial: 99.4% of hours]');
  });

  it('reads the missing hours apart: before, between and after the covered hours, and not ended', async () => {
    const health = {
      ...CONTRACT_ROWS.data_health?.[0],
      covered_hours: 50,
      missing_hours: 118,
      gap_count: 3,
      first_missing_hour: '2026-11-16 00:00:00.000',
      leading_missing_hours: 100,
      inner_gap_count: 1,
      inner_missing_hours: 5,
      trailing_missing_hours: 10,
      not_closed_hours: 3,
      missing_runs: '2026-11-16T00:00Z/PT100H\u001f2026-11-20T04:00Z/PT5H\u001f2026-11-22T11:00Z/PT10H',
    };
    const engine = new FakeEngine({ ...CONTRACT_ROWS, data_health: [health] });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(model.health).toMatchObject({
      leadingMissingHours: 100,
      innerGapCount: 1,
      innerMissingHours: 5,
      trailingMissingHours: 10,
      notClosedHours: 3,
      missingRuns: [
        { start: '2026-11-16 00:00:00.000', hours: 100 },
        { start: '2026-11-20 04:00:00.000', hours: 5 },
        { start: '2026-11-22 11:00:00.000', hours: 10 },
      ],
    });
  });

  it('rounds a card change percentage to one decimal', async () => {
    const card = {
      ...CONTRACT_ROWS.trending_cards?.[0],
      views: 40,
      previous_views: 30,
      change: 10,
      change_pct: 33.333333,
    };
    const engine = new FakeEngine({ ...CONTRACT_ROWS, trending_cards: [card] });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(model.topCards[0]?.changePct).toBe(33.3);
  });

  it('runs at most `concurrency` queries at once (4 by default)', async () => {
    const two = new CountingEngine();
    await buildReportModel(two, { instance: 'acme', run: runOfWeek(week, nowMs), concurrency: 2 });
    expect(two.mostAtOnce).toBe(2);
    const byDefault = new CountingEngine();
    await buildReportModel(byDefault, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(byDefault.mostAtOnce).toBe(4);
  });
});
