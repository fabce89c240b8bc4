/**
 * Outside the lake's first week, the data health's gaps and the partial week's note count as gaps
 * only the runs of ended hours a run has passed: a preview's hours not ended yet and the week's last
 * hours the ingest has not reached read as not in the lake yet (review: they were a gap). Those
 * last hours the ingest should have reached by the time the report was made (ended longer ago than
 * the lag threshold) are a gap again: a long-past week's last hours missing are lost, not late.
 */
import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { gapsOutsideLakeStart, missingRunsOf } from '../../../functions/core/report/missing-hours.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type {
  DataHealth,
  WeeklyReportModel,
  WeekStatus,
} from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { formatLocalTime } from '../../../functions/core/report/time-format.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

/** 2026-W47 (Mon 16 Nov) with its missing hours told apart, the week before in the lake. */
const apart = (parts: Partial<DataHealth>): DataHealth => {
  const health = fullHealth({
    leadingMissingHours: 0,
    innerGapCount: 0,
    innerMissingHours: 0,
    trailingMissingHours: 0,
    notClosedHours: 0,
    ...parts,
  });
  const missing =
    (health.leadingMissingHours ?? 0) +
    (health.innerMissingHours ?? 0) +
    (health.trailingMissingHours ?? 0) +
    (health.notClosedHours ?? 0);
  const covered = 168 - missing;
  return {
    ...health,
    coveredHours: covered,
    missingHours: missing,
    coveragePct: Math.round((1000 * covered) / 168) / 10,
  };
};

/** The week's end, Mon 23 Nov 00:00 UTC. */
const END_MS = Date.parse('2026-11-23T00:00:00Z');
const HOUR = 3_600_000;

const gapsLine = (
  health: DataHealth,
  status: WeekStatus,
  madeAtMs = END_MS + HOUR,
  more: Partial<WeeklyReportModel> = {},
) => {
  const model = sampleModel({
    status,
    health,
    previousHealth: fullHealth(),
    generatedAt: new Date(madeAtMs).toISOString(),
    ...more,
  });
  const text = renderText(model)
    .replace(/\s+/g, ' ')
    .match(/ Gaps (.*?) Late events /)?.[1];
  const html = renderHtml(model, 'subject').match(/Gaps: (.*?)<br>/)?.[1];
  return { text, html };
};

const partialNote = (health: DataHealth, madeAtMs = END_MS + HOUR) => {
  const week = reportWeek('2026-W47', 'UTC');
  const [note] = describeWeekStatus({
    run: runOfWeek(week, madeAtMs),
    status: 'partial',
    health,
    previousHealth: fullHealth(),
    activeUsers: 5,
  });
  return note;
};

describe('the missing hours outside the lake first week', () => {
  it('are no gap in a preview when they have not ended yet', () => {
    // Wednesday 02:00: the rest of the week, one run of missing hours, has not happened.
    const preview = apart({ gapCount: 1, firstMissingHour: '2026-11-18 02:00:00.000', notClosedHours: 118 });
    const line = "none; the week's last 118 hours have not ended yet";
    const madeAt = Date.parse('2026-11-18T02:30:00Z');
    expect(gapsLine(preview, 'in-progress', madeAt)).toEqual({
      text: line,
      html: line.replace("'", '&#39;'),
    });
  });

  it('count the gaps between covered hours, and the last hours not pulled yet apart', () => {
    const behind = apart({
      gapCount: 2,
      firstMissingHour: '2026-11-17 04:00:00.000',
      innerGapCount: 1,
      innerMissingHours: 3,
      trailingMissingHours: 2,
    });
    // An hour after the week's end, its last 2 hours are within the ingest's lag (3 hours).
    expect(gapsLine(behind, 'partial').text).toBe(
      "1 (3 missing hours), first missing hour Tue 17 Nov 04:00; the week's last 2 hours are not in the lake yet",
    );
    expect(partialNote(behind)).toMatch(
      /^Only 163 of 168 hours \(97%\) of 2026-W47 are in the lake, in 1 gap, the first at Tue 17 Nov 04:00, and the week's last 2 hours are not in the lake yet: the figures undercount\. /,
    );
  });

  it('call an ingest a few hours behind the week end no gap', () => {
    const behind = apart({
      gapCount: 1,
      firstMissingHour: '2026-11-22 22:00:00.000',
      trailingMissingHours: 2,
    });
    expect(gapsLine(behind, 'partial').text).toBe("none; the week's last 2 hours are not in the lake yet");
    expect(partialNote(behind)).toMatch(
      /^Only 166 of 168 hours \(98\.8%\) of 2026-W47 are in the lake; the week's last 2 hours are not in the lake yet: the figures undercount\. Hours the ingest has not reached yet come with its next runs/,
    );
  });

  // The week's last 5 hours, Sun 22 Nov 19:00 to 24:00, missing after its last covered hour.
  const lastFive = () =>
    apart({ gapCount: 1, firstMissingHour: '2026-11-22 19:00:00.000', trailingMissingHours: 5 });

  it('are a gap at the end of a long-past week, the ingest long past them', () => {
    const monthLater = END_MS + 30 * 24 * HOUR;
    const line = '1 (5 missing hours), first missing hour Sun 22 Nov 19:00';
    expect(gapsLine(lastFive(), 'partial', monthLater)).toEqual({ text: line, html: line });
    expect(partialNote(lastFive(), monthLater)).toMatch(
      /^Only 163 of 168 hours \(97%\) of 2026-W47 are in the lake, in 1 gap, the first at Sun 22 Nov 19:00: the figures undercount\. /,
    );
  });

  it('are a gap where they ended longer ago than the lag threshold, the later ones not in the lake yet', () => {
    // An hour after the week's end the ingest should have pulled the hours up to 22:00 (3 hours' lag).
    expect(gapsLine(lastFive(), 'partial').text).toBe(
      "1 (3 missing hours), first missing hour Sun 22 Nov 19:00; the week's last 2 hours are not in the lake yet",
    );
    expect(partialNote(lastFive())).toMatch(
      /^Only 163 of 168 hours \(97%\) of 2026-W47 are in the lake, in 1 gap, the first at Sun 22 Nov 19:00, and the week's last 2 hours are not in the lake yet: /,
    );
  });

  it("judge by the model's lag threshold, the deployed alarms.lagHours", () => {
    const sevenAfter = END_MS + 7 * HOUR;
    expect(gapsLine(lastFive(), 'partial', sevenAfter).text).toBe(
      '1 (5 missing hours), first missing hour Sun 22 Nov 19:00',
    );
    expect(gapsLine(lastFive(), 'partial', sevenAfter, { ingestLagHours: 12 }).text).toBe(
      "none; the week's last 5 hours are not in the lake yet",
    );
  });

  it('say which of the last hours have not ended', () => {
    const both = apart({
      gapCount: 1,
      firstMissingHour: '2026-11-22 10:00:00.000',
      trailingMissingHours: 2,
      notClosedHours: 12,
    });
    // Sun 22 Nov 12:30: the hours from 12:00 on have not ended; 10:00 and 11:00 are within the lag.
    expect(gapsLine(both, 'in-progress', Date.parse('2026-11-22T12:30:00Z')).text).toBe(
      "none; the week's last 14 hours are not in the lake yet (12 not ended yet)",
    );
  });

  it('are one gap, the first hour on, in a week the lake holds no hour of', () => {
    const empty = apart({
      gapCount: 1,
      firstMissingHour: '2026-11-16 00:00:00.000',
      leadingMissingHours: 168,
    });
    expect(gapsLine(empty, 'empty').text).toBe('1 (168 missing hours), first missing hour Mon 16 Nov 00:00');
  });
});

describe('the gaps named by their hours', () => {
  /** Two gaps inside the week and its last 5 hours, as data_health names their runs. */
  const named = (parts: Partial<DataHealth> = {}) =>
    apart({
      gapCount: 3,
      firstMissingHour: '2026-11-17 03:00:00.000',
      innerGapCount: 2,
      innerMissingHours: 3,
      trailingMissingHours: 5,
      missingRuns: [
        { start: '2026-11-17 03:00:00.000', hours: 2 },
        { start: '2026-11-19 14:00:00.000', hours: 1 },
        { start: '2026-11-22 19:00:00.000', hours: 5 },
      ],
      ...parts,
    });

  it('names each gap, the last hours only as far as the ingest should have pulled them', () => {
    // An hour after the week's end: of its last 5 hours, 19:00 to 22:00 are overdue (3 hours' lag).
    const line =
      "3 (6 missing hours): Tue 17 Nov 03:00-05:00, Thu 19 Nov 14:00 and Sun 22 Nov 19:00-22:00; the week's last 2 hours are not in the lake yet";
    expect(gapsLine(named(), 'partial')).toEqual({ text: line, html: line.replace("'", '&#39;') });
    expect(partialNote(named())).toMatch(
      /^Only 160 of 168 hours \(95\.2%\) of 2026-W47 are in the lake, in 3 gaps \(Tue 17 Nov 03:00-05:00, Thu 19 Nov 14:00 and Sun 22 Nov 19:00-22:00\), and the week's last 2 hours are not in the lake yet: the figures undercount\. /,
    );
    // Within the lag, the last hours are no gap to name.
    expect(gapsLine(named(), 'partial', END_MS + HOUR, { ingestLagHours: 12 }).text).toBe(
      "2 (3 missing hours): Tue 17 Nov 03:00-05:00 and Thu 19 Nov 14:00; the week's last 5 hours are not in the lake yet",
    );
  });

  it('names a few and counts the rest, a run past midnight with both days', () => {
    const many = named({
      gapCount: 5,
      innerGapCount: 5,
      innerMissingHours: 10,
      trailingMissingHours: 0,
      missingRuns: [
        { start: '2026-11-16 05:00:00.000', hours: 1 },
        { start: '2026-11-17 22:00:00.000', hours: 4 },
        { start: '2026-11-18 09:00:00.000', hours: 2 },
      ],
    });
    expect(gapsLine(many, 'partial').text).toBe(
      '5 (10 missing hours): Mon 16 Nov 05:00, Tue 17 Nov 22:00 to Wed 18 Nov 02:00, Wed 18 Nov 09:00-11:00 and 2 more',
    );
    expect(partialNote(many)).toContain(
      'in 5 gaps (Mon 16 Nov 05:00, Tue 17 Nov 22:00 to Wed 18 Nov 02:00, Wed 18 Nov 09:00-11:00 and 2 more): the figures undercount.',
    );
  });

  // Monday 00:00 in Kolkata (+05:30) is 18:30 UTC the day before: data_health's hours, the UTC
  // hours overlapping the week, begin half an hour before it and end half an hour after.
  it('names a gap from the week’s start in a zone whose offset is not whole hours', () => {
    const week = reportWeek('2026-W47', 'Asia/Kolkata');
    const monthLater = week.endMs + 30 * 24 * HOUR;
    const kolkata = (parts: Partial<DataHealth>) =>
      apart({
        expectedHours: 169,
        gapCount: 2,
        firstMissingHour: '2026-11-15 18:00:00.000',
        leadingMissingHours: 3,
        trailingMissingHours: 2,
        missingRuns: [
          { start: '2026-11-15 18:00:00.000', hours: 3 },
          { start: '2026-11-22 17:00:00.000', hours: 2 },
        ],
        ...parts,
      });
    const more = {
      timeZone: 'Asia/Kolkata',
      week: {
        isoWeek: week.isoWeek,
        startUtc: new Date(week.startMs).toISOString(),
        endUtc: new Date(week.endMs).toISOString(),
        days: week.days,
      },
    };
    // Not `Sun 15 Nov 23:30`, before the week, nor `Mon 23 Nov 00:30`, after it.
    expect(gapsLine(kolkata({}), 'partial', monthLater, more).text).toBe(
      '2 (5 missing hours): Mon 16 Nov 00:00-02:30 and Sun 22 Nov 22:30 to Mon 23 Nov 00:00',
    );
    expect(gapsLine(kolkata({ missingRuns: undefined }), 'partial', monthLater, more).text).toBe(
      '2 (5 missing hours), first missing hour Mon 16 Nov 00:00',
    );
    const [note] = describeWeekStatus({
      run: runOfWeek(week, monthLater),
      status: 'partial',
      health: kolkata({}),
      previousHealth: fullHealth(),
      activeUsers: 5,
    });
    expect(note).toContain('in 2 gaps (Mon 16 Nov 00:00-02:30 and Sun 22 Nov 22:30 to Mon 23 Nov 00:00)');
  });

  it("reads data_health's runs, and refuses one it cannot read", () => {
    expect(missingRunsOf('2026-11-17T03:00Z/PT2H\u001f2026-11-19T14:00Z/PT1H')).toEqual([
      { start: '2026-11-17 03:00:00.000', hours: 2 },
      { start: '2026-11-19 14:00:00.000', hours: 1 },
    ]);
    expect(missingRunsOf(null)).toEqual([]);
    expect(() => missingRunsOf('2026-11-17 03:00/2')).toThrow(/missing_runs item "2026-11-17 03:00\/2"/);
  });
});

describe('a gap across a change of the clocks', () => {
  it('names each end with its offset: two hours are no 00:00-01:00', () => {
    // 2026-W44 in New York: the clocks go back at 02:00 EDT on Sunday 1 Nov; the lake lacks
    // 04:00Z-06:00Z, 00:00 EDT to 01:00 EST.
    const zone = 'America/New_York';
    const weekStartMs = Date.parse('2026-10-26T04:00:00Z');
    const health = {
      expectedHours: 169,
      gapCount: 1,
      missingHours: 2,
      firstMissingHour: '2026-11-01 04:00:00.000',
      leadingMissingHours: 0,
      innerGapCount: 1,
      innerMissingHours: 2,
      trailingMissingHours: 0,
      notClosedHours: 0,
      missingRuns: [{ start: '2026-11-01 04:00:00.000', hours: 2 }],
    };
    const clock = {
      weekStartMs,
      weekEndMs: weekStartMs + 169 * HOUR,
      madeAtMs: weekStartMs + 200 * HOUR,
      lagHours: 3,
      timeZone: zone,
    };
    expect(gapsOutsideLakeStart(health, clock, (ts) => formatLocalTime(ts, zone))).toBe(
      '1 (2 missing hours): Sun 1 Nov 00:00 -04:00 to 01:00 -05:00',
    );
  });
});
