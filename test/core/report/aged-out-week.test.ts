/**
 * A week older than the lake keeps (retention.maxDays) is said to be aged out by policy, not empty
 * to look into nor the lake's start (review R-PRIVACY H1: docs/privacy.md said the report did not
 * know it). Without maxDays the notes are as before.
 */
import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { DataHealth, WeekStatus } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const week = reportWeek('2026-W47', 'UTC');
const nothing = fullHealth({
  coveredHours: 0,
  missingHours: 168,
  coveragePct: 0,
  gapCount: 1,
  firstMissingHour: '2026-11-16 00:00:00.000',
  events: 0,
  lastEventTime: null,
  lastFetchedAt: null,
});
// The lake keeps the week from Fri 20 Nov 22:00 on: its first 118 hours expired.
const tail = fullHealth({
  coveredHours: 50,
  missingHours: 118,
  coveragePct: 29.8,
  gapCount: 1,
  firstMissingHour: '2026-11-16 00:00:00.000',
  leadingMissingHours: 118,
  innerGapCount: 0,
  innerMissingHours: 0,
  trailingMissingHours: 0,
  notClosedHours: 0,
});
const PART_MADE_AT = Date.parse('2026-12-20T22:00:00Z');

function notes(status: WeekStatus, health: DataHealth, madeAtMs: number, maxDays?: number): string[] {
  return describeWeekStatus({
    run: runOfWeek(week, madeAtMs),
    status,
    health,
    previousHealth: nothing,
    activeUsers: 0,
    ...(maxDays === undefined ? {} : { maxDays }),
  });
}

describe('a week older than the lake keeps', () => {
  it('says a whole week is aged out by policy, not that the ingest may not be running', () => {
    const made = Date.parse('2027-01-10T00:00:00Z');
    expect(notes('empty', nothing, made, 30)).toEqual([
      "2026-W47 is older than the lake keeps (retention.maxDays 30): its hours are aged out by policy: deleted by the deployment's retention, not lost to a fault, and pulling them again would keep them past it. The figures cover only what is not deleted yet.",
    ]);
    expect(notes('empty', nothing, made)[0]).toMatch(
      /^The lake holds no data for 2026-W47: .*[Cc]heck that the ingest is running/,
    );
  });

  it("says where the expiry ends in a week partly aged out, not that the lake begins there, and the week before's state", () => {
    const said = notes('partial', tail, PART_MADE_AT, 30);
    expect(said[0]).toBe(
      "The hours of 2026-W47 before Fri 20 Nov 22:00 are older than the lake keeps (retention.maxDays 30): aged out by policy: deleted by the deployment's retention, not lost to a fault, and pulling them again would keep them past it. The figures cover the week from then on.",
    );
    expect(said[1]).toBe(
      'The week before is older than the lake keeps (retention.maxDays 30): its hours are aged out by policy, so changes against it are not shown.',
    );
    expect(notes('partial', tail, PART_MADE_AT)[0]).toMatch(/the lake begins Fri 20 Nov 22:00/);
  });

  it('leaves a week the lake still keeps as it was', () => {
    expect(notes('partial', tail, PART_MADE_AT, 400)).toEqual(notes('partial', tail, PART_MADE_AT));
  });

  it("gives the data health's gaps figure as the expiry, not the lake's start", () => {
    const model = sampleModel({
      status: 'partial',
      health: tail,
      previousHealth: nothing,
      generatedAt: new Date(PART_MADE_AT).toISOString(),
    });
    expect(renderText(model)).toMatch(/Gaps +none: the lake begins Fri 20 Nov 22:00\n/);
    expect(renderText({ ...model, maxDays: 30 }).replace(/\s+/g, ' ')).toContain(
      'Gaps none counted: hours before Fri 20 Nov 22:00 are older than the lake keeps (retention.maxDays 30), aged out by policy ',
    );
    // A week wholly expired names no hour after its end.
    expect(renderText({ ...model, maxDays: 20 }).replace(/\s+/g, ' ')).toContain(
      'Gaps none counted: the week is older than the lake keeps (retention.maxDays 20), aged out by policy ',
    );
  });
});
