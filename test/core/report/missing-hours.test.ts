/**
 * Outside the lake's first week, the data health's gaps and the partial week's note count as gaps
 * only the runs of ended hours a run has passed: a preview's hours not ended yet and the week's last
 * hours the ingest has not reached read as not in the lake yet (review: they were a gap).
 */
import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { DataHealth, WeekStatus } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
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

const gapsLine = (health: DataHealth, status: WeekStatus) => {
  const model = sampleModel({ status, health, previousHealth: fullHealth() });
  const text = renderText(model)
    .replace(/\s+/g, ' ')
    .match(/ Gaps (.*?) Late events /)?.[1];
  const html = renderHtml(model, 'subject').match(/Gaps: (.*?)<br>/)?.[1];
  return { text, html };
};

const partialNote = (health: DataHealth) => {
  const week = reportWeek('2026-W47', 'UTC');
  const [note] = describeWeekStatus({
    run: runOfWeek(week, week.endMs + 3_600_000),
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
    expect(gapsLine(preview, 'in-progress')).toEqual({ text: line, html: line.replace("'", '&#39;') });
  });

  it('count the gaps between covered hours, and the last hours not pulled yet apart', () => {
    const behind = apart({
      gapCount: 2,
      firstMissingHour: '2026-11-17 04:00:00.000',
      innerGapCount: 1,
      innerMissingHours: 3,
      trailingMissingHours: 5,
    });
    expect(gapsLine(behind, 'partial').text).toBe(
      "1 (3 missing hours), first missing hour Tue 17 Nov 04:00; the week's last 5 hours are not in the lake yet",
    );
    expect(partialNote(behind)).toMatch(
      /^Only 160 of 168 hours \(95\.2%\) of 2026-W47 are in the lake, in 1 gap, the first at Tue 17 Nov 04:00, and the week's last 5 hours are not in the lake yet: the figures undercount\. /,
    );
  });

  it('call an ingest a few hours behind the week end no gap', () => {
    const behind = apart({
      gapCount: 1,
      firstMissingHour: '2026-11-22 19:00:00.000',
      trailingMissingHours: 5,
    });
    expect(gapsLine(behind, 'partial').text).toBe("none; the week's last 5 hours are not in the lake yet");
    expect(partialNote(behind)).toMatch(
      /^Only 163 of 168 hours \(97%\) of 2026-W47 are in the lake; the week's last 5 hours are not in the lake yet: the figures undercount\. Hours the ingest has not reached yet come with its next runs/,
    );
  });

  it('say which of the last hours have not ended', () => {
    const both = apart({
      gapCount: 1,
      firstMissingHour: '2026-11-22 10:00:00.000',
      trailingMissingHours: 2,
      notClosedHours: 12,
    });
    expect(gapsLine(both, 'in-progress').text).toBe(
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
