import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { DataHealth, WeekStatus } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

// A week the lake begins in (R-USER): Fri 20 Nov 22:00 is its first hour, the week before holds none.
const begun = fullHealth({
  coveredHours: 50,
  missingHours: 118,
  coveragePct: 29.8,
  gapCount: 1,
  firstMissingHour: '2026-11-16 00:00:00.000',
});
const nothing = fullHealth({
  coveredHours: 0,
  missingHours: 168,
  coveragePct: 0,
  gapCount: 1,
  firstMissingHour: '2026-11-09 00:00:00.000',
  events: 0,
  lastEventTime: null,
  lastFetchedAt: null,
});
const REFILL = /a re-pull of them fills them/;

function notes(
  health = begun,
  previousHealth = nothing,
  { madeAtMs = Date.parse('2026-11-23T01:00:00Z'), ingestLagHours = 3 } = {},
): string[] {
  const week = reportWeek('2026-W47', 'UTC');
  return describeWeekStatus({
    run: runOfWeek(week, madeAtMs),
    status: 'partial',
    health,
    previousHealth,
    activeUsers: 5,
    ingestLagHours,
  });
}

describe('a week the lake begins in', () => {
  it('says where the lake begins, with no gap and no re-pull for the hours before it', () => {
    const [note] = notes();
    expect(note).toBe(
      'Only 50 of 168 hours (29.8%) of 2026-W47 are in the lake: the lake begins Fri 20 Nov 22:00 (the week before holds no hour), so the figures cover the week from then on; the hours before it are before the lake begins, not a gap.',
    );
    expect(note).not.toMatch(REFILL);
  });

  it('counts the gaps after the lake begins as gaps, with the way to fill them', () => {
    const [note] = notes({ ...begun, gapCount: 3 });
    expect(note).toMatch(
      /^Only 50 of 168 hours \(29\.8%\) of 2026-W47 are in the lake: the lake begins within the week \(the week before holds no hour\), and after it begins there are 2 gaps: the figures undercount\. /,
    );
    expect(note).toMatch(REFILL);
  });

  it('is a gap still when the week before holds hours, or the first missing hour is not the first', () => {
    expect(notes(begun, fullHealth())[0]).toMatch(/in 1 gap, the first at Mon 16 Nov 00:00: .*a re-pull/);
    expect(notes({ ...begun, firstMissingHour: '2026-11-17 00:00:00.000' })[0]).toMatch(REFILL);
  });

  it('the data health of both parts names no gap but where the lake begins', () => {
    const model = sampleModel({ status: 'partial', health: begun, previousHealth: nothing });
    expect(renderText(model)).toMatch(/Gaps +none: the lake begins Fri 20 Nov 22:00\n/);
    expect(renderHtml(model, 'subject')).toContain('Gaps: none: the lake begins Fri 20 Nov 22:00<br>');
    const gappy = sampleModel({ status: 'partial', health: begun, previousHealth: fullHealth() });
    expect(renderText(gappy).replace(/\s+/g, ' ')).toContain(
      'Gaps 1 (118 missing hours), first missing hour Mon 16 Nov 00:00 ',
    );
  });
});

describe('a week the lake begins in, its missing hours told apart', () => {
  // The lake's first hour is Fri 20 Nov 04:00, 100 hours into the week.
  const split = (parts: Partial<DataHealth>) =>
    fullHealth({
      coveredHours: 50,
      missingHours: 118,
      coveragePct: 29.8,
      firstMissingHour: '2026-11-16 00:00:00.000',
      leadingMissingHours: 100,
      innerGapCount: 0,
      innerMissingHours: 0,
      trailingMissingHours: 0,
      notClosedHours: 0,
      ...parts,
    });
  // An hour after the week's end, with a lag threshold that the week's last 18 hours are within.
  const soon = { madeAtMs: Date.parse('2026-11-23T01:00:00Z'), ingestLagHours: 24 };
  // The text part's Gaps figure, its wrapped lines joined.
  const gapsLine = (
    health: DataHealth,
    status: WeekStatus = 'partial',
    { madeAtMs, ingestLagHours } = soon,
  ) =>
    renderText(
      sampleModel({
        status,
        health,
        previousHealth: nothing,
        generatedAt: new Date(madeAtMs).toISOString(),
        ingestLagHours,
      }),
    )
      .replace(/\s+/g, ' ')
      .match(/ Gaps (.*?) Late events /)?.[1];

  it('names where the lake begins, with the hours not ended yet blamed on nothing', () => {
    // A preview: the week's last 18 hours have not ended; with two missing runs the lake's start read as unknown.
    const preview = split({ gapCount: 2, notClosedHours: 18 });
    expect(gapsLine(preview, 'in-progress')).toBe('none: the lake begins Fri 20 Nov 04:00');
  });

  it('counts the gaps between covered hours only, and still names where the lake begins', () => {
    const gappy = split({ gapCount: 3, innerGapCount: 2, innerMissingHours: 5, trailingMissingHours: 13 });
    expect(gapsLine(gappy)).toBe('2 (5 missing hours) after the lake begins Fri 20 Nov 04:00');
    const [note] = notes(gappy, nothing, soon);
    expect(note).toMatch(
      /^Only 50 of 168 hours \(29\.8%\) of 2026-W47 are in the lake: the lake begins Fri 20 Nov 04:00 \(the week before holds no hour\), and after it begins there are 2 gaps: the figures undercount\. /,
    );
    expect(note).toMatch(REFILL);
  });

  it('says the hours after the last covered one are not in the lake yet, not a gap', () => {
    const behind = split({ gapCount: 2, trailingMissingHours: 18 });
    expect(gapsLine(behind)).toBe('none: the lake begins Fri 20 Nov 04:00');
    const [note] = notes(behind, nothing, soon);
    expect(note).toMatch(
      /^Only 50 of 168 hours \(29\.8%\) of 2026-W47 are in the lake: the lake begins Fri 20 Nov 04:00 \(the week before holds no hour\); the hours before it are before the lake begins, not a gap, and the week's last 18 hours are not in the lake yet: the figures undercount\. /,
    );
  });

  it('calls the last hours after the last covered one a gap once the ingest should have pulled them', () => {
    const behind = split({ gapCount: 2, trailingMissingHours: 18 });
    const monthLater = { madeAtMs: Date.parse('2026-12-23T07:00:00Z'), ingestLagHours: 3 };
    expect(gapsLine(behind, 'partial', monthLater)).toBe(
      '1 (18 missing hours) after the lake begins Fri 20 Nov 04:00',
    );
    const [note] = notes(behind, nothing, monthLater);
    expect(note).toMatch(
      /^Only 50 of 168 hours \(29\.8%\) of 2026-W47 are in the lake: the lake begins Fri 20 Nov 04:00 \(the week before holds no hour\), and after it begins there is 1 gap: the figures undercount\. /,
    );
  });
});

describe('the gaps of an empty week', () => {
  // Review R-PHONE L9: `Gaps: 1` of a week with nothing in the lake read as one missing hour.
  it('say how many hours they miss, in both parts', () => {
    const empty = fullHealth({
      coveredHours: 0,
      missingHours: 168,
      coveragePct: 0,
      gapCount: 1,
      firstMissingHour: '2026-11-16 00:00:00.000',
    });
    const model = sampleModel({ status: 'partial', health: empty, previousHealth: fullHealth() });
    expect(renderText(model).replace(/\s+/g, ' ')).toContain(
      'Gaps 1 (168 missing hours), first missing hour Mon 16 Nov 00:00 ',
    );
    expect(renderHtml(model, 'subject')).toContain(
      '1 (168 missing hours), first missing hour Mon 16 Nov 00:00',
    );
  });
});
