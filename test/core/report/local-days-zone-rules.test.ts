import { describe, expect, it } from 'vitest';
import type { QueryRow } from '../../../functions/core/ports.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

// 2026-W45 in Vancouver: the report's rules end summer time on Sunday 1 Nov, so the week runs
// 2 Nov 08:00Z to 9 Nov 08:00Z; an engine whose rules keep -07 puts the week's last hour on 9 Nov.
const week = reportWeek('2026-W45', 'America/Vancouver');
const nowMs = Date.parse('2026-11-10T07:00:00Z');
const dayRow = (day: string, events: number): QueryRow => ({
  ...CONTRACT_ROWS.daily_activity?.[0],
  day,
  events,
});

function engineWith(daily: QueryRow[], total: number): FakeEngine {
  return new FakeEngine({
    ...CONTRACT_ROWS,
    period_totals: [{ ...CONTRACT_ROWS.period_totals?.[0], events: total }],
    daily_activity: daily,
    data_health: [{ ...CONTRACT_ROWS.data_health?.[0], events: total }],
  });
}

describe('days the query engine put outside the week (its zone rules differ)', () => {
  it('keeps the figures and says the local days may be an hour off, in HTML and text', async () => {
    const daily = [dayRow('2026-11-02', 1000), dayRow('2026-11-08', 739), dayRow('2026-11-09', 36)];
    const model = await buildReportModel(engineWith(daily, 1775), {
      instance: 'acme',
      run: runOfWeek(week, nowMs),
    });
    // Nothing moved: the week's total and each day are what the engine counted.
    expect(model.totals.events.current).toBe(1775);
    expect(model.daily.map((d) => d.events)).toEqual([1000, 0, 0, 0, 0, 0, 739]);
    const note = model.notes.find((n) => n.startsWith('Local days in America/Vancouver may be an hour off'));
    expect(note).toContain(
      "the query engine's time-zone rules for America/Vancouver differ from the report's",
    );
    expect(note).toContain("add up to 1,739 of the week's 1,775 events");
    expect(note).toContain('36 events on 2026-11-09, outside the week');
    expect(renderText(model)).toContain('Local days in America/Vancouver may be an hour off');
    expect(renderHtml(model, reportSubject(model))).toContain(
      'Local days in America/Vancouver may be an hour off',
    );
  });

  it('says the lake changed between the queries when the days only miss the total, none outside', async () => {
    // Both queries read the same period and each event falls on one day: zone rules cannot do this.
    const daily = [dayRow('2026-11-02', 1000), dayRow('2026-11-08', 739)];
    const model = await buildReportModel(engineWith(daily, 1775), {
      instance: 'acme',
      run: runOfWeek(week, nowMs),
    });
    const note = model.notes.find((n) =>
      n.startsWith("The days shown add up to 1,739 of the week's 1,775 events."),
    );
    expect(note).toContain("The lake changed between the report's queries");
    expect(model.notes.join('\n')).not.toContain('Local days');
  });

  it('adds no note when the days are the week and add up to its total', async () => {
    const daily = [dayRow('2026-11-02', 1000), dayRow('2026-11-08', 775)];
    const model = await buildReportModel(engineWith(daily, 1775), {
      instance: 'acme',
      run: runOfWeek(week, nowMs),
    });
    expect(model.notes.join('\n')).not.toContain('Local days');
  });

  it('in a preview, judges by days outside the week only (its counts are read while the ingest writes)', async () => {
    const previewAt = Date.parse('2026-11-05T12:00:00Z');
    const short = await buildReportModel(engineWith([dayRow('2026-11-02', 10)], 12), {
      instance: 'acme',
      run: runOfWeek(week, previewAt),
    });
    expect(short.notes.join('\n')).not.toContain('Local days');
    const outside = await buildReportModel(
      engineWith([dayRow('2026-11-01', 2), dayRow('2026-11-02', 10)], 12),
      {
        instance: 'acme',
        run: runOfWeek(week, previewAt),
      },
    );
    expect(outside.notes).toContainEqual(expect.stringContaining('2 events on 2026-11-01, outside the week'));
  });
});
