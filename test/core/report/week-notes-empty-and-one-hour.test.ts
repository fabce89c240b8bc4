/**
 * Two edges of the week notes: an empty week says only that it is empty (a note about the week
 * before would compare with nothing), and one short hour is worded in the singular.
 */
import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { fullHealth } from './model-fixture.ts';

const week = reportWeek('2026-W47', 'UTC');
const noData = fullHealth({ coveredHours: 0, missingHours: 168, coveragePct: 0, gapCount: 1, events: 0 });

describe('week notes at their edges', () => {
  it('an empty week gets no note about the week before, even when that week is empty too', () => {
    const notes = describeWeekStatus({
      run: runOfWeek(week, week.endMs + 3_600_000),
      status: 'empty',
      health: noData,
      previousHealth: noData,
      activeUsers: 40,
    });
    expect(notes).toEqual([
      'The lake holds no data for 2026-W47: no hour of the week has been ingested. During a first backfill that is expected: it fills the lake from its oldest day and reaches this week last (`status` says LATE, with about how many runs are left); the deployed report mails the week again, as a correction, once the lake holds its hours (docs/report.md, "Empty and partial weeks"). Otherwise check that the ingest is running and that the lake reaches back to this week.',
    ]);
  });

  it('one hour that lost events "holds" fewer events', () => {
    const notes = describeWeekStatus({
      run: runOfWeek(week, week.endMs + 3_600_000),
      status: 'complete',
      health: fullHealth({ shortHours: 1, shortEvents: 1 }),
      previousHealth: fullHealth(),
      activeUsers: 40,
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^1 hour of 2026-W47 holds fewer events than the ingest stored \(1 event gone from the lake\): /,
    );
  });
});
