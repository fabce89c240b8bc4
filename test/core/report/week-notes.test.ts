import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { fullHealth } from './model-fixture.ts';

describe('the notes on how far a week can be trusted', () => {
  it('a partial week: how many hours, where the first gap is, and a way to fill gaps the ingest has passed', () => {
    const week = reportWeek('2026-W47', 'UTC');
    const [note] = describeWeekStatus({
      run: runOfWeek(week, week.endMs + 3_600_000),
      status: 'partial',
      health: fullHealth({
        coveredHours: 166,
        coveragePct: 98.8,
        gapCount: 1,
        firstMissingHour: '2026-11-16 00:00:00.000',
      }),
      previousHealth: fullHealth(),
      activeUsers: 40,
    });
    expect(note).toMatch(
      /^Only 166 of 168 hours \(98\.8%\) of 2026-W47 are in the lake, in 1 gap, the first at /,
    );
    // The scheduled ingest never goes back below its watermark: saying it fills every gap was wrong.
    expect(note).toMatch(
      /Hours the ingest has not reached yet come with its next runs; for hours it has passed, `verify` given the week as its range lists them and a re-pull of them fills them \(docs\/operations\.md, "Re-pulling a range of hours"\)\.$/,
    );
  });

  it('a week before that is partial or lost events: its changes are not shown, as the mail does', () => {
    const week = reportWeek('2026-W47', 'UTC');
    const notesWith = (previousHealth: ReturnType<typeof fullHealth>) =>
      describeWeekStatus({
        run: runOfWeek(week, week.endMs),
        status: 'complete',
        health: fullHealth(),
        previousHealth,
        activeUsers: 40,
      });
    expect(notesWith(fullHealth({ coveredHours: 162, coveragePct: 96.4 }))).toEqual([
      'The week before is only partly in the lake (162 of 168 hours, 96.4%), so changes against it are not shown.',
    ]);
    expect(notesWith(fullHealth({ shortHours: 2, shortEvents: 40 }))).toEqual([
      'The week before lost 40 events from the lake after they were stored, so changes against it are not shown.',
    ]);
    expect(notesWith(fullHealth())).toEqual([]);
  });
});
